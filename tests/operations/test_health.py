"""/readyz tells a dependency that is down or hanging from one that answers, promptly."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from cairn import health
from cairn.app import create_app
from tests.support.stack import Stack, make_settings, run


class Dependency:
    """Stands in for the store or the database: only ping() matters to /readyz."""

    bucket = "unused"

    def __init__(self, answer: str) -> None:
        self.answer = answer

    async def ensure_bucket(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def ping(self) -> bool:
        if self.answer == "hang":
            await asyncio.sleep(60)
        if self.answer == "raise":
            raise ConnectionError("down")
        return self.answer == "ok"


@pytest.fixture
def quick_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "PING_TIMEOUT_SECONDS", 0.5)


@pytest.mark.parametrize(
    ("store", "database", "status", "body"),
    [
        ("ok", "ok", 200, {"status": "ready", "database": "ok", "storage": "ok"}),
        ("down", "ok", 503, {"status": "unavailable", "database": "ok", "storage": "unreachable"}),
        ("hang", "ok", 503, {"status": "unavailable", "database": "ok", "storage": "unreachable"}),
        ("ok", "raise", 503, {"status": "unavailable", "database": "unreachable", "storage": "ok"}),
        ("ok", "hang", 503, {"status": "unavailable", "database": "unreachable", "storage": "ok"}),
        (
            "hang",
            "hang",
            503,
            {"status": "unavailable", "database": "unreachable", "storage": "unreachable"},
        ),
    ],
)
def test_readyz_reports_each_dependency(
    stack: Stack,
    quick_probe: None,
    store: str,
    database: str,
    status: int,
    body: dict[str, Any],
) -> None:
    app = create_app(
        make_settings(stack),
        store=Dependency(store),  # type: ignore[arg-type]
        db=Dependency(database),  # type: ignore[arg-type]
    )

    async def probe() -> tuple[httpx.Response, float, int]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                started = time.monotonic()
                response = await http.get("/readyz")
                elapsed = time.monotonic() - started
                alive = (await http.get("/healthz")).status_code
        return response, elapsed, alive

    response, elapsed, alive = run(probe())
    assert (response.status_code, response.json()) == (status, body)
    assert elapsed < 5
    assert alive == 200  # the process itself is fine
