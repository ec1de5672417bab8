"""The Notifier on its own: payload parsing, org fan-out, bounded queues, reconnects."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import uuid

import asyncpg
import pytest

from cairn.cli.embedded import free_ports
from cairn.notify import CHANNEL, Notifier, parse_event
from tests.support.stack import Stack, make_settings

WAIT = 5.0  # seconds: the bound on every wait for something that must happen


@pytest.mark.unit
def test_parse_event_accepts_the_publishing_payload_and_rejects_junk() -> None:
    ident = uuid.uuid4()
    event = parse_event(json.dumps({"org_id": "acme", "id": str(ident), "workflow_run_id": None}))
    assert event is not None
    assert (event.org_id, event.id, event.workflow_run_id, event.job_run_id) == (
        "acme",
        ident,
        None,
        None,
    )
    for junk in (
        "",
        "{",
        "[]",
        '{"org_id": "acme"}',
        f'{{"org_id": "a b", "id": "{ident}"}}',
        '{"org_id": "acme", "id": "nope"}',
        f'{{"org_id": 1, "id": "{ident}"}}',
    ):
        assert parse_event(junk) is None, junk


async def test_notifier_reconnects_after_its_connection_is_killed(stack: Stack) -> None:
    notifier = Notifier(make_settings(stack).database_url or "", backoff_initial=0.05)
    await notifier.start()
    try:
        org = "org-" + secrets.token_hex(6)
        async with notifier.subscribe(org) as queue:
            pid = notifier._conn.get_server_pid()  # type: ignore[union-attr]
            conn = await asyncpg.connect(stack.owner_dsn)
            try:
                await conn.execute("SELECT pg_terminate_backend($1)", pid)
                deadline = time.monotonic() + WAIT
                while notifier.reconnects < 1:
                    assert time.monotonic() < deadline, "the notifier did not reconnect"
                    await asyncio.sleep(0.02)
                assert notifier._conn is not None
                assert notifier._conn.get_server_pid() != pid
                ident = uuid.uuid4()
                payload = json.dumps({"org_id": org, "id": str(ident)})
                await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
            finally:
                await conn.close()
            event = await asyncio.wait_for(queue.get(), WAIT)
            assert event is not None
            assert event.id == ident
    finally:
        await notifier.close()
    assert notifier.subscriber_count() == 0


async def test_notifier_close_ends_streams_and_bounds_queues(stack: Stack) -> None:
    notifier = Notifier(make_settings(stack).database_url or "", queue_size=2)
    await notifier.start()
    org = "org-" + secrets.token_hex(6)
    events = [parse_event(json.dumps({"org_id": org, "id": str(uuid.uuid4())})) for _ in range(3)]
    elsewhere = "org-" + secrets.token_hex(6)
    async with notifier.subscribe(org) as queue, notifier.subscribe(elsewhere) as theirs:
        for event in events:
            assert event is not None
            notifier.dispatch(event)
        assert queue.qsize() == 2  # bounded: the oldest was dropped
        assert theirs.empty()  # another organization's subscriber gets none of them
        assert [queue.get_nowait(), queue.get_nowait()] == events[1:]
        await notifier.close()
        assert await asyncio.wait_for(queue.get(), WAIT) is None  # end of stream
    assert notifier._conn is None


@pytest.mark.unit
async def test_notifier_starts_while_the_database_is_down_and_closes_promptly() -> None:
    dead = f"postgresql://nobody@127.0.0.1:{free_ports(1)[0]}/nothing"
    notifier = Notifier(dead, backoff_initial=0.05, backoff_max=0.1)
    await notifier.start()  # logged and retried in the background, not raised
    await asyncio.sleep(0.3)  # a few failed attempts
    assert not notifier.connected.is_set()
    await asyncio.wait_for(notifier.close(), WAIT)
    assert notifier._task is None
