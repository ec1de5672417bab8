"""/readyz tells a dependency that is down or hanging from one that answers, promptly."""

from __future__ import annotations

import asyncio
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
        self.gave_up_on = False  # set when /readyz cancels a ping that never answers

    async def ensure_bucket(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def ping(self) -> bool:
        if self.answer == "hang":
            try:
                await asyncio.Event().wait()  # never answers
            except asyncio.CancelledError:
                self.gave_up_on = True
                raise
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
    dependencies = {"store": Dependency(store), "db": Dependency(database)}
    app = create_app(make_settings(stack), **dependencies)  # type: ignore[arg-type]

    async def probe() -> tuple[httpx.Response, int]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                # A hanging ping never returns, so an answer at all shows /readyz gave up on
                # it; the deadline only keeps a broken build from hanging the suite (60x
                # the 0.5 s probe timeout, generous under any load).
                response = await asyncio.wait_for(http.get("/readyz"), timeout=30)
                alive = (await http.get("/healthz")).status_code
        return response, alive

    response, alive = run(probe())
    assert (response.status_code, response.json()) == (status, body)
    for dependency in dependencies.values():
        assert dependency.gave_up_on == (dependency.answer == "hang")
    assert alive == 200  # the process itself is fine
