"""The grader's end of the pipes: nothing the other end does (or fails to do) can block it or fill its memory."""

import json
import os
import struct
import time

import pytest

from dnn_grader.engine.channel import Channel, ChannelClosed, ChannelError, ChannelTimeout, MessageTooLarge


@pytest.fixture
def pipes():
    """(grader's channel, the other end's read fd, the other end's write fd)."""
    to_student_r, to_student_w = os.pipe()
    from_student_r, from_student_w = os.pipe()
    channel = Channel(to_student_w, from_student_r, max_message_bytes=1024)
    yield channel, to_student_r, from_student_w
    for fd in (to_student_r, to_student_w, from_student_r, from_student_w):
        try:
            os.close(fd)
        except OSError:
            pass


def test_a_message_goes_through(pipes):
    channel, _, student_out = pipes
    body = b'{"op": "ready"}'
    os.write(student_out, struct.pack(">I", len(body)) + body)
    assert channel.receive(time.monotonic() + 5) == {"op": "ready"}


def test_a_peer_that_never_reads_cannot_block_a_send(pipes):
    channel, _, _ = pipes
    started = time.monotonic()
    with pytest.raises(ChannelTimeout):
        channel.send({"pad": "x" * 4_000_000}, time.monotonic() + 0.5)  # far more than a pipe holds
    assert time.monotonic() - started < 5


def test_a_peer_that_never_writes_cannot_block_a_receive(pipes):
    channel, _, student_out = pipes
    os.write(student_out, struct.pack(">I", 100) + b"{")  # half a message, then silence
    with pytest.raises(ChannelTimeout):
        channel.receive(time.monotonic() + 0.3)


def test_a_huge_announced_message_is_refused_before_it_is_read(pipes):
    channel, _, student_out = pipes
    os.write(student_out, struct.pack(">I", 2**31) + b"{" * 1000)
    with pytest.raises(ChannelError, match="more than the 1024 the grader accepts"):
        channel.receive(time.monotonic() + 5)
    assert channel.bytes_received == 4


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_malformed_messages_are_refused(pipes, body):
    channel, _, student_out = pipes
    os.write(student_out, struct.pack(">I", len(body)) + body)
    with pytest.raises(ChannelError):
        channel.receive(time.monotonic() + 5)


def test_a_closed_peer_is_reported(pipes):
    channel, student_in, student_out = pipes
    os.close(student_out)
    with pytest.raises(ChannelClosed):
        channel.receive(time.monotonic() + 5)
    os.close(student_in)
    with pytest.raises(ChannelClosed):
        channel.send({"op": "task"}, time.monotonic() + 5)


def test_a_message_over_the_senders_bound_is_not_sent_at_all(pipes):
    channel, student_in, _ = pipes
    with pytest.raises(MessageTooLarge):
        channel.send({"pad": "x" * 2000}, time.monotonic() + 5, max_bytes=1000)
    channel.send({"op": "small"}, time.monotonic() + 5, max_bytes=1000)
    (size,) = struct.unpack(">I", os.read(student_in, 4))
    assert json.loads(os.read(student_in, size)) == {"op": "small"}  # the refused message left nothing behind
