"""The HTTP server's own limits: slow clients and the number of open connections.

uvicorn closes idle keep-alive connections, but a request whose headers or body never
finish holds its connection (and a file descriptor) for as long as the client likes, and
it accepts connections without bound. :class:`CairnHttpProtocol` (uvicorn's httptools
protocol, plus a timer and a bound on the request head) closes such requests and refuses
connections over the limit:

- headers: the whole request head must arrive within ``CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS``
  of the connection opening (or of the request's first byte, on a kept-alive connection);
- body: while it is incomplete, no pause between chunks may last longer than that (a big
  upload over a slow link is fine as long as it keeps moving; time the service itself
  spends not reading, under back-pressure, does not count);
- a connection beyond ``CAIRN_HTTP_MAX_CONNECTIONS`` (HTTP and WebSocket, per process) is
  answered 503 with ``Retry-After`` and closed;
- a request head (request line and headers) over 16 KiB is answered 400 and closed (the
  bound h11 applies; httptools has none of its own).

httptools (llhttp, in C) rather than h11: it parses a cheap read's request and writes its
response for ~14% less server CPU (bench/RESULTS.md).

An expired request gets 408 when no response has started, then the connection closes.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import orjson
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from cairn.config import Settings

log = logging.getLogger("cairn.http")

LIMITS_ATTRIBUTE = "cairn_http_limits"
REFUSED_LINGER_SECONDS = 1.0  # a refused client may still be sending its request
MAX_HEAD_BYTES = 16 * 1024  # request line + headers, as h11's default bound

# Where the connection's current request is, from the parser's callbacks.
IDLE, HEAD, BODY = "idle", "head", "body"


@dataclass(frozen=True)
class HttpLimits:
    request_timeout: float = 30.0
    max_connections: int = 1000  # 0: no limit

    @classmethod
    def of(cls, settings: Settings) -> HttpLimits:
        return cls(settings.http_request_timeout_seconds, settings.http_max_connections)


class CairnConfig(uvicorn.Config):
    """A config that builds Cairn's app from its settings when uvicorn loads it: picklable,
    so ``cairn serve --workers N`` hands it to each worker process."""

    cairn_settings: Settings | None = None

    def load(self) -> None:
        if not self.loaded and self.cairn_settings is not None and self.app is None:
            from cairn import logs
            from cairn.app import create_app

            settings = self.cairn_settings  # a worker process: its logging is set up here
            logs.configure(settings.log_format, settings.log_level)
            self.app = create_app(settings, freeze_gc=True)
        super().load()


def uvicorn_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    """A uvicorn config serving ``app`` with Cairn's connection limits (``options``:
    host, port, log_level, ... as uvicorn.Config takes them). ``app=None``: built from
    ``settings`` in the process that serves (each worker of ``--workers N``)."""
    config = CairnConfig(app, http=CairnHttpProtocol, **options)
    config.cairn_settings = settings
    setattr(config, LIMITS_ATTRIBUTE, HttpLimits.of(settings))
    return config


def _raw_response(status: int, reason: str, code: str, message: str, *extra: str) -> bytes:
    body = orjson.dumps(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    )
    head = [
        f"HTTP/1.1 {status} {reason}",
        "content-type: application/json",
        f"content-length: {len(body)}",
        "connection: close",
        *extra,
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class HeadTooLarge(Exception):
    """Raised from a parser callback: uvicorn answers 400 and closes the connection."""


class CairnHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a request deadline, a connection limit and a
    bound on the request head."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        limits = getattr(config, LIMITS_ATTRIBUTE, None) or HttpLimits()
        self._timeout = limits.request_timeout
        self._max_connections = limits.max_connections
        self._deadline: asyncio.TimerHandle | None = None
        self._refused = False
        self._phase = IDLE
        self._head_bytes = 0

    # -- asyncio.Protocol -----------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if self._max_connections and len(self.connections) > self._max_connections:
            self._refuse()
            return
        self._arm()  # the first request's head must arrive in time

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # read and dropped, so the 503 reaches the client before the close
        super().data_received(data)
        self._track(progress=True)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    # -- parser callbacks and uvicorn hooks ---------------------------------------------

    def on_message_begin(self) -> None:
        self._phase = HEAD
        self._head_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._phase = BODY
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._phase = IDLE
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._track(progress=False)

    def handle_websocket_upgrade(self) -> None:
        self._disarm()  # the WebSocket protocol owns the transport from here on
        super().handle_websocket_upgrade()

    def _count_head(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEAD_BYTES:
            raise HeadTooLarge(f"the request head is larger than {MAX_HEAD_BYTES} bytes")

    # -- the deadline -------------------------------------------------------------------

    def _owns_transport(self) -> bool:
        transport = self.transport
        return (
            transport is not None
            and not transport.is_closing()
            and transport.get_protocol() is self
        )

    def _track(self, *, progress: bool) -> None:
        if not self._owns_transport():
            self._disarm()
            return
        if self._phase is BODY:  # the body is incoming: bound each pause
            if progress or self._deadline is None:
                self._arm()
        elif self._phase is HEAD:  # a head has begun: it must finish in time
            if self._deadline is None:
                self._arm()
        else:  # request complete (or idle between requests: uvicorn's keep-alive timer)
            self._disarm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self._timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self._owns_transport():
            return
        phase = self._phase
        if phase is IDLE and self.cycle is not None:
            return  # the request is whole: its response is the app's business
        if phase is BODY and self.flow.read_paused:  # we are not reading: wait
            self._arm()
            return
        part = "body" if phase is BODY else "headers"
        log.info("closing a connection whose request %s stalled for %g s", part, self._timeout)
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(
                _raw_response(
                    408,
                    "Request Timeout",
                    "BAD_USER_INPUT",
                    f"the request's {part} did not arrive within {self._timeout:g} s; "
                    "send the whole request without pausing",
                )
            )
        self.transport.close()

    def _refuse(self) -> None:
        self._refused = True
        log.warning(
            "refusing a connection: %d open (CAIRN_HTTP_MAX_CONNECTIONS)", self._max_connections
        )
        self.transport.write(
            _raw_response(
                503,
                "Service Unavailable",
                "SERVICE_BUSY",
                f"the server has its maximum of {self._max_connections} open connections; "
                "retry shortly",
                "retry-after: 1",
            )
        )
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(REFUSED_LINGER_SECONDS, self.transport.close)
