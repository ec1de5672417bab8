"""/healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cairn import metrics as cairn_metrics

REQUESTS = cairn_metrics.HTTP_REQUESTS
LATENCY = cairn_metrics.HTTP_LATENCY


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


# A probe must answer promptly: a dependency that hangs counts as unreachable. The
# store's own ping answers within 2 s (one probe in flight at a time, so probing a hung
# store every second holds one thread, not one per probe); this bounds both pings.
PING_TIMEOUT_SECONDS = 2.5


async def _reachable(ping: Awaitable[bool]) -> bool:
    try:
        return bool(await asyncio.wait_for(ping, PING_TIMEOUT_SECONDS))
    except Exception:
        return False


async def readyz(request: Request) -> Response:
    state = request.app.state
    database, storage = await asyncio.gather(
        _reachable(state.db.ping()), _reachable(state.store.ping())
    )
    ready = database and storage
    body = {
        "status": "ready" if ready else "unavailable",
        "database": "ok" if database else "unreachable",
        "storage": "ok" if storage else "unreachable",
    }
    return JSONResponse(body, status_code=200 if ready else 503)


async def metrics(request: Request) -> Response:
    db = getattr(request.app.state, "db", None)
    if db is not None:  # sampled at scrape time (every worker also samples per operation)
        cairn_metrics.record_pool(db.in_use, db.max_size)
    body, media_type = cairn_metrics.exposition()
    return Response(body, media_type=media_type)
