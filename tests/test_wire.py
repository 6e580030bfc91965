"""The plain-data wire between the grader and the student's process."""

import io
import pickle

import numpy as np
import pytest

from dnn_grader.inside import wire


def round_trip(value):
    stream = io.BytesIO()
    wire.send(stream, wire.encode(value))
    stream.seek(0)
    return wire.decode(wire.recv(stream))


def test_arrays_numbers_and_containers_survive_a_round_trip():
    value = ({"W1": np.arange(6.0).reshape(2, 3), "b1": np.zeros((2, 1))}, [1, 2.5, True], np.float64(0.25),
             np.array(3.0), "text", None)
    back = round_trip(value)
    assert np.array_equal(back[0]["W1"], value[0]["W1"]) and back[0]["W1"].shape == (2, 3)
    assert back[1] == [1, 2.5, True] and type(back[1][1]) is float
    assert isinstance(back[2], np.float64) and back[2] == 0.25
    assert isinstance(back[3], np.ndarray) and back[3].shape == ()
    assert back[4:] == ("text", None)


def test_objects_cross_only_as_their_type_name():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    back = round_trip((AlwaysEqual(), np.array([object()], dtype=object)))
    assert all(isinstance(item, wire.Opaque) for item in back)
    assert back[0].type_name == "AlwaysEqual"
    assert back[0] != 1  # Opaque has no special equality


def test_ndarray_subclasses_arrive_as_plain_arrays():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

    back = round_trip(np.zeros((2, 2)).view(Liar))
    assert type(back) is np.ndarray


@pytest.mark.parametrize("tree", [
    {"t": "nd", "dtype": "|O", "shape": [1], "b64": ""},
    {"t": "nd", "dtype": "<f8", "shape": [3], "b64": "AAAA"},
    {"t": "pickle", "v": "x"},
    {"t": "py", "v": "not a number"},
    {"t": "mm", "dtype": "<f8", "shape": [1], "offset": 0},
])
def test_malformed_values_are_refused(tree):
    with pytest.raises(wire.WireError):
        wire.decode(tree)


def test_pickles_are_never_loaded():
    stream = io.BytesIO()
    payload = pickle.dumps(object())
    stream.write(len(payload).to_bytes(4, "big") + payload)
    stream.seek(0)
    with pytest.raises(wire.WireError):
        wire.recv(stream)


def test_oversized_messages_are_refused():
    stream = io.BytesIO((wire.MAX_MESSAGE_BYTES + 1).to_bytes(4, "big"))
    with pytest.raises(wire.WireError, match="more than the"):
        wire.recv(stream)


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_messages_that_are_not_json_objects_are_refused(body):
    stream = io.BytesIO(wire.HEADER.pack(len(body)) + body)
    with pytest.raises(wire.WireError):
        wire.recv(stream)


def test_a_message_goes_through_a_stream():
    stream = io.BytesIO()
    wire.send(stream, {"op": "ready"})
    stream.seek(0)
    assert wire.recv(stream) == {"op": "ready"}
    assert wire.recv(stream) is None
