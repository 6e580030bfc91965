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

def send(stream, message):
    """Write one length-prefixed JSON message to a binary stream."""
    body = json.dumps(message).encode()
    stream.write(struct.pack(">I", len(body)) + body)
    stream.flush()


def recv(stream):
    """Read one message written by send(); None at end of stream."""
    header = _read_exactly(stream, 4)
    if header is None:
        return None
    (size,) = struct.unpack(">I", header)
    if size > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {size} bytes is larger than the limit")
    body = _read_exactly(stream, size)
    if body is None:
        raise WireError("stream ended inside a message")
    try:
        return json.loads(body)
    except ValueError as error:
        raise WireError(f"message is not JSON: {error}") from None


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
