"""Plain-data messages between the grader and the sandboxed student process.

Both sides import this module (the sandbox mounts this folder read-only), so it
uses only the standard library and NumPy. Values cross the boundary as JSON trees of
plain data: arrays as raw little-endian bytes of a whitelisted dtype, never
pickles, so nothing the student builds can run code in the grader.
"""

import base64
import json
import math
import struct

import numpy as np

MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # far above any honest answer of this course (a few kilobytes)
MAX_DEPTH = 12
MAX_ITEMS = 10_000
MAX_STRING = 10_000
ARRAY_DTYPES = {"<f8", "<f4", "<f2", "<i8", "<i4", "<i2", "|i1", "<u8", "<u4", "<u2", "|u1", "|b1"}


class WireError(Exception):
    """A message that is not valid plain data (too big, too deep, or malformed)."""


class Opaque:
    """Stands for a value that cannot cross as plain data; keeps only its type name."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name} object>"


# ---------------------------------------------------------------- framing
# A message is HEADER (its body's length in bytes) followed by its body, a JSON object. The two ends read it
# differently (here: blocking streams; the grader's channel.py: non-blocking pipes with deadlines), from these
# three definitions.

HEADER = struct.Struct(">I")


def framed(message):
    """The bytes of one message: HEADER, then the JSON body."""
    body = json.dumps(message).encode()
    return HEADER.pack(len(body)) + body


def announced_size(header, max_bytes):
    """The body size a HEADER announces; WireError above max_bytes, so that no larger body is ever read.

    The sentence names the grader: its feedback quotes it when a student's process announces too much (the
    harness reads only the grader's messages, which stay far below the bound).
    """
    (size,) = HEADER.unpack(header)
    if size > max_bytes:
        raise WireError(f"a message of {size} bytes, more than the {max_bytes} the grader accepts")
    return size


def parsed_body(body):
    """The JSON object a message's body holds; WireError if it is not JSON or not an object."""
    try:
        message = json.loads(body)
    except ValueError:
        raise WireError("a message that is not JSON") from None
    if not isinstance(message, dict):
        raise WireError("a message that is not a JSON object")
    return message


def send(stream, message):
    """Write one message to a binary stream."""
    stream.write(framed(message))
    stream.flush()


def recv(stream):
    """Read one message written by send(); None at end of stream."""
    header = _read_exactly(stream, HEADER.size)
    if header is None:
        return None
    body = _read_exactly(stream, announced_size(header, MAX_MESSAGE_BYTES))
    if body is None:
        raise WireError("stream ended inside a message")
    return parsed_body(body)


def _read_exactly(stream, size):
    chunks = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------- values

def encode(value, depth=0):
    """Describe a value as a JSON-able tree of plain data."""
    if depth > MAX_DEPTH:
        return {"t": "other", "type": "too deeply nested value"}
    if value is None:
        return {"t": "none"}
    if type(value) in (bool, int, float):
        return {"t": "py", "v": value}
    if type(value) is str:
        return {"t": "str", "v": value[:MAX_STRING]}
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"t": "npscalar", "a": _encode_array(np.asarray(value))}
    if type(value) in (tuple, list):
        items = [encode(item, depth + 1) for item in value[:MAX_ITEMS]]
        return {"t": type(value).__name__, "items": items}
    if type(value) is dict:
        items = [[str(key), encode(item, depth + 1)] for key, item in list(value.items())[:MAX_ITEMS]
                 if type(key) is str]
        return {"t": "dict", "items": items}
    return {"t": "other", "type": type(value).__name__}


def _encode_array(array):
    plain = np.asarray(array)
    if type(plain) is not np.ndarray:
        plain = np.array(plain, copy=True).view(np.ndarray)
    if plain.dtype.kind not in "biuf":
        return {"t": "other", "type": f"array of {plain.dtype}"}
    plain = plain.astype(plain.dtype.newbyteorder("<"), order="C")  # keeps 0-d arrays 0-d
    return {"t": "nd", "dtype": plain.dtype.str, "shape": list(plain.shape),
            "b64": base64.b64encode(plain.tobytes()).decode()}


def decode(tree, depth=0):
    """Rebuild plain Python and NumPy values from encode()'s tree; never runs code."""
    if depth > MAX_DEPTH or not isinstance(tree, dict):
        raise WireError("malformed value")
    kind = tree.get("t")
    if kind == "none":
        return None
    if kind == "py":
        value = tree.get("v")
        if type(value) not in (bool, int, float):
            raise WireError("malformed number")
        return value
    if kind == "str":
        return str(tree.get("v", ""))[:MAX_STRING]
    if kind == "nd":
        return _decode_array(tree)
    if kind == "npscalar":
        return _decode_array(tree.get("a", {}))[()]
    if kind in ("tuple", "list"):
        items = [decode(item, depth + 1) for item in _items(tree)]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {str(pair[0]): decode(pair[1], depth + 1) for pair in _items(tree)
                if isinstance(pair, list) and len(pair) == 2}
    if kind == "other":
        return Opaque(str(tree.get("type", "unknown"))[:200])
    raise WireError(f"unknown value kind {kind!r}")


def _items(tree):
    items = tree.get("items", [])
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise WireError("malformed sequence")
    return items


def _decode_array(tree):
    dtype = tree.get("dtype")
    shape = tree.get("shape")
    if dtype not in ARRAY_DTYPES or not isinstance(shape, list) or len(shape) > 32:
        raise WireError("malformed array")
    if not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("malformed array shape")
    dtype = np.dtype(dtype)
    encoded = tree.get("b64", "")
    if not isinstance(encoded, str) or len(encoded) > 2 * MAX_MESSAGE_BYTES:
        raise WireError("malformed array data")
    raw = base64.b64decode(encoded, validate=True)
    if len(raw) != math.prod(shape) * dtype.itemsize:  # Python integers: no overflow
        raise WireError("array size does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


# ---------------------------------------------------------------- the arguments' arrays

def argument_arrays(args, kwargs):
    """[(path, array)] of every NumPy array inside a call's arguments, in a fixed order.

    path: the steps from the argument list to the array, first the argument's position (int) or keyword
    (str), then dict keys and sequence indexes. Both sides of the sandbox walk the same arguments with this
    function, so the grader can pair the arrays the sandbox reports with those it sent.
    """
    found = []
    stack = [((index,), value) for index, value in enumerate(args)] + [((key,), value) for key, value in kwargs.items()]
    stack.reverse()
    while stack:
        path, value = stack.pop()
        if isinstance(value, np.ndarray):
            found.append((path, value))
        elif type(value) in (tuple, list):
            stack.extend(reversed([(path + (index,), item) for index, item in enumerate(value)]))
        elif type(value) is dict:
            stack.extend(reversed([(path + (key,), item) for key, item in value.items()]))
    return found
