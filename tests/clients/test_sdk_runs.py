"""``cairn.run(...)`` (sync and async) and the upload/download progress callbacks, against the
real service."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from cairn.sdk import AsyncCairn, Cairn, CairnApiError
from tests.support.http import Client, Server
from tests.support.sdk import make_file, sdk, sha256_of

RUN = "query($id: ID!) { workflowRun(id: $id) { status startedAt endedAt workflow { name } } }"


def run_state(client: Client, run_id: str) -> dict[str, Any]:
    found: dict[str, Any] = client(RUN, {"id": run_id})["workflowRun"]
    return found


class Boom(Exception):
    pass


def test_run_completes_and_is_the_default_run(server: Server, client: Client) -> None:
    with sdk(server, client) as cairn:
        with cairn.run("nightly", parameters={"day": 1}) as run:
            assert (run.status, run.parameters) == ("RUNNING", {"day": 1})
            assert run_state(client, run.id)["startedAt"] is not None
            note = cairn.publish_markdown("# done", key="nightly-report")
            elsewhere = cairn.publish_text("x", workflow_run_id=None)  # explicit None: default
        after = cairn.publish_text("outside")
        with cairn.run("nightly") as second:
            pass
    assert note.workflow_run_id == run.id
    assert elsewhere.workflow_run_id == run.id
    assert after.workflow_run_id is None  # the default ends with the block
    state = run_state(client, run.id)
    assert (state["status"], state["workflow"]["name"]) == ("COMPLETED", "nightly")
    assert state["endedAt"] is not None
    assert second.workflow_id == run.workflow_id  # the workflow is reused, by name
    assert run_state(client, second.id)["status"] == "COMPLETED"


def broken_step(cairn: Cairn) -> None:
    cairn.publish_text("partial", key="partial")
    raise Boom("step 3 broke")


def interrupt() -> None:
    raise KeyboardInterrupt  # as Ctrl-C would, inside the block


def test_run_fails_when_the_block_raises(server: Server, client: Client) -> None:
    with sdk(server, client) as cairn:
        with pytest.raises(Boom), cairn.run("fragile") as run:
            broken_step(cairn)
        with pytest.raises(CairnApiError) as refused, cairn.run("fragile") as bad:
            cairn.publish_link("ftp://nope")  # an SDK error in the block is the block's error
    assert refused.value.code == "BAD_USER_INPUT"
    with sdk(server, client) as cairn, pytest.raises(KeyboardInterrupt), cairn.run("ctrl-c") as hit:
        interrupt()
    assert run_state(client, hit.id)["status"] == "CANCELLED"
    for failed in (run, bad):
        state = run_state(client, failed.id)
        assert state["status"] == "FAILED"
        assert state["endedAt"] is not None


async def test_async_run_completes_fails_and_keeps_tasks_apart(
    server: Server, client: Client
) -> None:
    async with AsyncCairn(server.graphql_url, client.token) as cairn:

        async def job(name: str) -> tuple[str, str | None]:
            async with cairn.run(name) as run:
                await asyncio.sleep(0)  # let the other task enter its run too
                made = await cairn.publish_text(name)
            return run.id, made.workflow_run_id

        results = await asyncio.gather(job("left"), job("right"))
        with pytest.raises(Boom):
            async with cairn.run("async-fragile") as failed:
                raise Boom
        outside = await cairn.publish_text("outside")
    for run_id, attached in results:
        assert attached == run_id  # each task published to its own run
        assert (await asyncio.to_thread(run_state, client, run_id))["status"] == "COMPLETED"
    assert results[0][0] != results[1][0]
    assert (await asyncio.to_thread(run_state, client, failed.id))["status"] == "FAILED"
    assert outside.workflow_run_id is None


# --- progress ---------------------------------------------------------------------------


class Calls:
    def __init__(self) -> None:
        self.seen: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.seen.append((done, total))

    def check(self, size: int) -> None:
        done = [d for d, _ in self.seen]
        assert done == sorted(set(done)), "done bytes only ever grow"
        assert {t for _, t in self.seen} == {size}
        assert self.seen[-1] == (size, size)


@pytest.mark.parametrize("size", [300_000, 3 * 1024 * 1024 + 5, 0])
def test_progress_of_uploads_and_downloads(
    server: Server, client: Client, tmp_path: Path, size: int
) -> None:
    source = tmp_path / "payload.bin"
    digest = make_file(source, size)
    up, down = Calls(), Calls()
    with sdk(server, client, multipart_threshold=1024 * 1024) as cairn:  # the big one: presigned
        artifact = cairn.publish_file(source, progress=up)
        target = cairn.download(artifact.id, tmp_path / "copy.bin", progress=down)
    assert sha256_of(target) == digest
    up.check(size)
    down.check(size)
    if size > 2 * 1024 * 1024:
        assert len(up.seen) > 2  # reported along the way, not only at the end
        assert len(down.seen) > 2


async def test_async_progress(server: Server, client: Client, tmp_path: Path) -> None:
    source = tmp_path / "a.bin"
    size = 2 * 1024 * 1024 + 3
    make_file(source, size)
    up, down, inline = Calls(), Calls(), Calls()
    async with AsyncCairn(
        server.graphql_url, client.token, multipart_threshold=1024 * 1024
    ) as cairn:
        artifact = await cairn.publish_file(source, progress=up)
        await cairn.download(artifact.id, tmp_path / "b.bin", progress=down)
        note = await cairn.publish_markdown("# hi")
        await cairn.download(note.id, tmp_path / "note.md", progress=inline)
    up.check(size)
    down.check(size)
    inline.check(len("# hi"))


def test_download_without_overwrite_leaves_an_existing_file(
    server: Server, client: Client, tmp_path: Path
) -> None:
    existing = tmp_path / "report.md"
    existing.write_text("mine")
    with sdk(server, client) as cairn:
        note = cairn.publish_markdown("# theirs")
        with pytest.raises(FileExistsError) as refused:
            cairn.download(note.id, tmp_path, overwrite=False)
        assert refused.value.filename == str(existing)
        assert existing.read_text() == "mine"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no part file left
        cairn.download(note.id, tmp_path)  # the default replaces, as before
    assert existing.read_text() == "# theirs"


def test_signed_urls_never_reach_the_logs(
    server: Server, client: Client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """httpx logs each request's URL at INFO: the SDK strips presigned signatures from it."""
    caplog.set_level(logging.INFO, logger="httpx")  # the CLI tests turn httpx down to WARNING
    source = tmp_path / "big.bin"
    make_file(source, 2 * 1024 * 1024)
    with sdk(server, client, multipart_threshold=1024 * 1024) as cairn:
        artifact = cairn.publish_file(source)
        cairn.download(artifact.id, tmp_path / "copy.bin")
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any(line.startswith("HTTP Request: PUT ") for line in lines)  # it did log them
    assert any("?<signature redacted>" in line for line in lines)
    assert not any("X-Amz-Signature" in r.getMessage() for r in caplog.records)
