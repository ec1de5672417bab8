"""Helpers for the SDK and CLI tests: an SDK client per test org, files, a request recorder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from cairn.sdk import Cairn
from tests.support.http import Client, Server


def make_file(path: Path, size: int, *, text: bool = False) -> str:
    """Write ``size`` pseudo-random bytes (a repeated random block: cheap), or random hex
    lines with ``text``; return the sha256."""
    block = os.urandom(64 * 1024)
    if text:
        block = b"".join(block[i : i + 32].hex().encode() + b"\n" for i in range(0, 4096, 32))
    data = (block * (size // len(block) + 1))[:size]
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Recorder(httpx.BaseTransport):
    """A real HTTP transport that remembers (method, url, content-type, preflight) per request."""

    inner: httpx.HTTPTransport = field(default_factory=httpx.HTTPTransport)
    seen: list[tuple[str, str, str, str | None]] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(
            (
                request.method,
                str(request.url),
                request.headers.get("content-type", ""),
                request.headers.get("apollo-require-preflight"),
            )
        )
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()

    def methods(self) -> list[str]:
        return [m for m, *_ in self.seen]


@contextmanager
def sdk(server: Server, client: Client, **kw: object) -> Iterator[Cairn]:
    with Cairn(server.graphql_url, client.token, **kw) as cairn:  # type: ignore[arg-type]
        yield cairn
