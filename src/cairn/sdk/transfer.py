"""Progress reporting for uploads and downloads: ``progress(done_bytes, total_bytes)``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

Progress = Callable[[int, int], None]


class Meter:
    """Calls ``callback(done, total)`` with ``done`` only ever growing (a retried transfer
    starts again from 0 without showing it), and always ends with ``(total, total)``."""

    def __init__(self, callback: Progress | None, total: int) -> None:
        self.callback = callback
        self.total = total
        self._best = -1

    def report(self, done: int) -> None:
        if self.callback is not None and done > self._best:
            self._best = done
            self.callback(done, max(self.total, done))

    def finish(self) -> None:
        if self._best < self.total:
            self.report(self.total)


class MeteredFile:
    """A binary file whose reads move a Meter (httpx reads multipart file parts through
    ``read``, and rewinds with ``seek(0)`` before each try)."""

    def __init__(self, handle: BinaryIO, meter: Meter) -> None:
        self._handle = handle
        self._meter = meter
        self._done = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self._done += len(chunk)
        self._meter.report(self._done)
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self._handle.seek(offset, whence)
        self._done = position
        return position

    def tell(self) -> int:
        return self._handle.tell()

    def fileno(self) -> int:
        return self._handle.fileno()


def metered(chunks: Iterator[bytes], meter: Meter) -> Iterator[bytes]:
    done = 0
    for chunk in chunks:
        yield chunk
        done += len(chunk)
        meter.report(done)
