"""The grader's end of the pipes to a student's process: every read and write has a deadline.

Messages are framed by dnn_grader.inside.wire (wire.framed, wire.announced_size,
wire.parsed_body: a 4-byte length, then a JSON object), but the grader never blocks
on the student's process: both pipes are non-blocking and every operation waits with poll() until a deadline (a time.monotonic() value), and,
if it is given one, calls a `watch` function at least every WATCH_SECONDS while it
waits (the grader's budget: it raises to end the wait early).
A message larger than the grader accepts is refused before its body is read, so
whatever the student's process writes, the grader holds at most one bounded
message at a time.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable

from dnn_grader.inside import wire

CHUNK = 64 * 1024
WATCH_SECONDS = 0.25


class ChannelError(RuntimeError):
    """The other end broke the protocol: a message too large, not JSON, or not an object."""


class ChannelClosed(ChannelError):
    """The other end closed its pipe (the process ended)."""


class MessageTooLarge(ValueError):
    """A message the grader was about to send is larger than the bound it was given; nothing was sent."""


class ChannelTimeout(RuntimeError):
    """The deadline passed before the whole message could be read or written."""


class Channel:
    """Length-prefixed JSON messages over two pipe file descriptors that the grader created."""

    def __init__(self, write_fd: int, read_fd: int, max_message_bytes: int):
        self.write_fd, self.read_fd = write_fd, read_fd
        self.max_message_bytes = max_message_bytes
        self.bytes_received = 0
        for fd in (write_fd, read_fd):
            os.set_blocking(fd, False)

    def send(self, message: dict, deadline: float, max_bytes: int | None = None,
             watch: Callable[[], None] | None = None) -> None:
        data = wire.framed(message)
        size = len(data) - wire.HEADER.size
        if max_bytes is not None and size > max_bytes:
            raise MessageTooLarge(f"a message of {size} bytes, more than {max_bytes}")
        data = memoryview(data)
        while data:
            _wait(self.write_fd, "w", deadline, watch)
            try:
                written = os.write(self.write_fd, data[:CHUNK])
            except BlockingIOError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                raise ChannelClosed("the student's process closed its input") from None
            data = data[written:]

    def receive(self, deadline: float, watch: Callable[[], None] | None = None) -> dict:
        header = self._read_exactly(wire.HEADER.size, deadline, watch)
        try:
            size = wire.announced_size(header, self.max_message_bytes)  # before a byte of the body is read
            return wire.parsed_body(self._read_exactly(size, deadline, watch))
        except wire.WireError as error:
            raise ChannelError(str(error)) from None

    def _read_exactly(self, size: int, deadline: float, watch: Callable[[], None] | None) -> bytes:
        buffer = bytearray()
        while len(buffer) < size:
            _wait(self.read_fd, "r", deadline, watch)
            try:
                chunk = os.read(self.read_fd, min(CHUNK, size - len(buffer)))
            except BlockingIOError:
                continue
            if not chunk:
                raise ChannelClosed("the student's process closed its output")
            buffer += chunk
            self.bytes_received += len(chunk)
        return bytes(buffer)


def _wait(fd: int, direction: str, deadline: float, watch: Callable[[], None] | None = None) -> None:
    """Until `fd` is ready (ChannelTimeout at the deadline), calling `watch` every WATCH_SECONDS meanwhile."""
    poller = select.poll()  # poll, not select: any descriptor number works
    poller.register(fd, select.POLLIN if direction == "r" else select.POLLOUT)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ChannelTimeout()
        slice_seconds = min(remaining, WATCH_SECONDS) if watch is not None else remaining
        if poller.poll(max(1, int(slice_seconds * 1000))):
            return
        if watch is not None:
            watch()
