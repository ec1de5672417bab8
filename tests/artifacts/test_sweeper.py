"""The global sweep of failed and abandoned uploads: sql/0004_sweeper.sql,
services/cleanup.py and services/sweeper.py, the app's background task, ``cairn sweep``.

A round is run here on a Database and store of the test's own (asyncpg pools belong to
one event loop, and the session server's runs in its thread), logged in as the service
role exactly as the server is. The round is global: it also removes leftovers other test
modules made, so assertions look at this test's organizations only.
"""

from __future__ import annotations

import asyncio
import io
import os
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest

from cairn.app import make_store
from cairn.cli.embedded import ensure_service_login, with_user
from cairn.config import Settings, SettingsError, load_settings
from cairn.db.migrate import migrate
from cairn.db.pool import Database
from cairn.db.sweeps import SWEEP_LOCK_ID
from cairn.services.cleanup import abandoned_after
from cairn.services.sweeper import ROUND_LIMIT, SweepReport, remove_orphans, sweep_once
from cairn.storage import BlobStore
from tests.support.http import Client, Server, serve
from tests.support.processes import cairn_env, run_cairn
from tests.support.publish import (
    BEGIN,
    COMPLETE,
    GET,
    FlakyStore,
    b64,
    client_for,
    create,
    download,
    objects,
    s3,
    serve_with_store,
    sha,
    spec,
    upload,
)
from tests.support.stack import Stack, fetch, make_settings, run

DAY = 86400.0


def begin(client: Client, input_: dict[str, Any], payload: bytes) -> dict[str, Any]:
    variables = {"input": input_, "size": len(payload), "sha": sha(payload)}
    return dict(client(BEGIN, variables)["beginArtifactUpload"])


def put(ticket: dict[str, Any], payload: bytes) -> None:
    response = httpx.put(
        ticket["uploadUrl"]["url"], content=payload, headers=ticket["headers"], timeout=30
    )
    assert response.status_code == 200, response.text


def age(stack: Stack, ids: list[str], days: float) -> None:
    """Make uploads look untouched for ``days`` (as the owner)."""
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET updated_at = now() - make_interval(secs => $2) "
        "WHERE id = ANY($1::uuid[])",
        ids,
        days * DAY,
    )


async def _sweep(
    stack: Stack, settings: Settings, store: BlobStore | None = None, limit: int = ROUND_LIMIT
) -> SweepReport:
    db = await Database.connect(stack.service_dsn, min_size=1, max_size=3)
    try:
        return await sweep_once(db, store or make_store(settings), settings, limit=limit)
    finally:
        await db.close()


def sweep(stack: Stack, settings: Settings, **kw: Any) -> SweepReport:
    return run(_sweep(stack, settings, **kw))  # type: ignore[no-any-return]


def row_of(stack: Stack, artifact_id: str) -> dict[str, Any] | None:
    rows = fetch(
        stack.owner_dsn,
        "SELECT status, version, staging_path FROM artifacts WHERE id = $1::uuid",
        artifact_id,
    )
    return dict(rows[0]) if rows else None


def flaky_store(settings: Settings) -> FlakyStore:
    return make_store(settings, FlakyStore)


@pytest.mark.unit
def test_the_cutoff_is_the_url_ttl_plus_a_grace_of_an_hour() -> None:
    assert abandoned_after(make_settings_default()) == 900 + 3600
    assert abandoned_after(make_settings_default(signed_url_ttl=60, sweep_grace_seconds=0)) == 60


def test_one_round_removes_abandoned_uploads_of_every_organization(
    client: Client, other: Client, server: Server, stack: Stack
) -> None:
    bucket = server.settings.s3_bucket
    made: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {}
    for c in (client, other):
        published = create(c, spec("BINARY", "v1.bin", key="k"), b64=b64(b"one"))
        stale = begin(c, spec("BINARY", "old.bin", key="k"), b"old")
        fresh = begin(c, spec("BINARY", "new.bin", key="k"), b"new")
        put(stale, b"old")  # uploaded, never completed
        put(fresh, b"new")
        made[c.org_id] = (published, stale["artifact"], fresh["artifact"])
    stale_ids = [made[org][1]["id"] for org in made]
    assert all(objects(stack, bucket, f"staging/{i}") == {f"staging/{i}"} for i in stale_ids)
    age(stack, stale_ids, days=30)

    report = sweep(stack, server.settings)

    assert report.ran
    assert report.problem is None
    for c in (client, other):
        published, stale, fresh = made[c.org_id]
        assert report.removed[c.org_id] == [UUID(stale["id"])]
        assert row_of(stack, stale["id"]) is None
        assert c(GET, {"id": stale["id"]})["artifact"] is None
        assert objects(stack, bucket, f"staging/{stale['id']}") == set()
        assert objects(stack, bucket, f"orgs/{c.org_id}/artifacts/{stale['id']}") == set()
        # what was published, and the upload still in time, are untouched
        kept = c(GET, {"id": published["id"]})["artifact"]
        assert (kept["status"], kept["version"], kept["isLatest"]) == ("AVAILABLE", 1, True)
        assert download(kept["signedUrl"]["url"]).content == b"one"
        assert c(GET, {"id": fresh["id"]})["artifact"]["status"] == "PENDING"
        assert objects(stack, bucket, f"staging/{fresh['id']}") == {f"staging/{fresh['id']}"}
        # no version was used by the abandoned upload: the next one is 2
        counter = fetch(
            stack.owner_dsn,
            "SELECT last_version FROM artifact_keys WHERE org_id = $1 AND key = 'k'",
            c.org_id,
        )
        assert [r["last_version"] for r in counter] == [1]
        done = c(COMPLETE, {"id": fresh["id"]})["completeArtifactUpload"]
        assert (done["status"], done["version"]) == ("AVAILABLE", 2)
        listed = c("{ artifacts { totalCount nodes { version } } }")["artifacts"]
        assert (listed["totalCount"], [n["version"] for n in listed["nodes"]]) == (2, [2, 1])


def _failed_leftover(stack: Stack) -> tuple[Settings, str, str, str]:
    """An upload whose storage failed at copy and at clean-up (a FAILED row keeping its
    staging object), and a completed upload rejected for a wrong sha256 (FAILED, held by
    its caller, no object). Returns settings, org, leftover id, rejected id."""
    settings = make_settings(stack)
    with serve_with_store(settings) as (server, store):
        c = client_for(server)
        # (in this order: a begin would remove the organization's leftovers on the way)
        ticket = begin(c, spec("BINARY", "y.bin", key="k"), b"declared")
        put(ticket, b"uploaded")
        assert c.errors(COMPLETE, {"id": ticket["artifact"]["id"]}).codes == ["BAD_USER_INPUT"]
        store.failing = {"copy", "delete"}
        response = upload(c, spec("BINARY", "x.bin", key="k"), b"payload")
        assert response.json()["errors"][0]["extensions"]["code"] == "STORAGE_UNAVAILABLE"
        store.failing = set()
        c.http.close()
    rows = fetch(
        stack.owner_dsn,
        "SELECT id::text, status, staging_path FROM artifacts WHERE org_id = $1 ORDER BY 3",
        c.org_id,
    )
    leftover, rejected = rows[0]["id"], rows[1]["id"]
    assert [(r["status"], r["staging_path"]) for r in rows] == [
        ("FAILED", f"staging/{leftover}"),
        ("FAILED", None),
    ]
    assert rejected == ticket["artifact"]["id"]
    assert objects(stack, settings.s3_bucket, f"staging/{leftover}") == {f"staging/{leftover}"}
    return settings, c.org_id, leftover, rejected


def test_a_failed_row_keeping_its_object_is_finished_off(stack: Stack) -> None:
    settings, org, leftover, rejected = _failed_leftover(stack)

    report = sweep(stack, settings)  # FAILED leftovers need no age

    assert report.removed[org] == [UUID(leftover)]
    assert row_of(stack, leftover) is None
    assert objects(stack, settings.s3_bucket, f"staging/{leftover}") == set()
    # the rejected upload's row stays FAILED for its caller to see; it holds no object
    assert row_of(stack, rejected) == {"status": "FAILED", "version": None, "staging_path": None}
    assert objects(stack, settings.s3_bucket, f"staging/{rejected}") == set()
    keys = fetch(stack.owner_dsn, "SELECT key FROM artifact_keys WHERE org_id = $1", org)
    assert keys == []  # neither used a version


def test_a_begin_removes_abandoned_uploads_and_leaves_failed_rows_to_the_sweep(
    stack: Stack, server: Server
) -> None:
    """A begin must not try storage again for every FAILED leftover while storage is down."""
    settings, org, leftover, rejected = _failed_leftover(stack)
    c = client_for(server, org_id=org)
    stale = begin(c, spec("BINARY", "old.bin"), b"old")
    put(stale, b"old")
    age(stack, [stale["artifact"]["id"]], days=30)
    begin(c, spec("BINARY", "z.bin"), b"z")
    c.http.close()
    assert row_of(stack, stale["artifact"]["id"]) is None
    assert objects(stack, settings.s3_bucket, f"staging/{stale['artifact']['id']}") == set()
    assert row_of(stack, leftover) == {
        "status": "FAILED",
        "version": None,
        "staging_path": f"staging/{leftover}",
    }
    assert row_of(stack, rejected) is not None


def test_storage_down_leaves_the_upload_failed_for_the_next_round(
    client: Client, server: Server, stack: Stack
) -> None:
    bucket = server.settings.s3_bucket
    ticket = begin(client, spec("BINARY", "old.bin", key="k"), b"old")
    put(ticket, b"old")
    art_id = ticket["artifact"]["id"]
    age(stack, [art_id], days=60)  # the oldest candidate: its organization comes first
    store = flaky_store(server.settings)
    store.failing = {"delete"}

    report = sweep(stack, server.settings, store=store)

    assert report.ran
    assert client.org_id not in report.removed
    assert report.problem == "object storage is unavailable; retry shortly"
    # claimed: FAILED (nothing can publish it now), its object key kept, no version
    assert row_of(stack, art_id) == {
        "status": "FAILED",
        "version": None,
        "staging_path": f"staging/{art_id}",
    }
    assert objects(stack, bucket, f"staging/{art_id}") == {f"staging/{art_id}"}
    error = client.errors(COMPLETE, {"id": art_id})
    assert error.codes == ["BAD_USER_INPUT"]
    assert "FAILED and cannot be completed" in error.errors[0]["message"]
    assert client("{ artifacts { totalCount } }")["artifacts"]["totalCount"] == 0

    again = sweep(stack, server.settings)  # storage is back

    assert again.removed[client.org_id] == [UUID(art_id)]
    assert row_of(stack, art_id) is None
    assert objects(stack, bucket, f"staging/{art_id}") == set()


def test_a_round_is_bounded_and_takes_the_oldest_first(
    client: Client, server: Server, stack: Stack
) -> None:
    ids = [begin(client, spec("BINARY", f"{i}.bin"), b"x")["artifact"]["id"] for i in range(3)]
    for days, art_id in zip((90, 91, 92), ids, strict=True):
        age(stack, [art_id], days=days)

    first = sweep(stack, server.settings, limit=2)

    assert first.found == 2
    assert list(first.removed) == [client.org_id]
    assert set(first.removed[client.org_id]) == {UUID(ids[2]), UUID(ids[1])}
    assert row_of(stack, ids[0]) == {
        "status": "PENDING",
        "version": None,
        "staging_path": f"staging/{ids[0]}",
    }
    second = sweep(stack, server.settings, limit=2)
    assert second.removed[client.org_id] == [UUID(ids[0])]


def test_only_uploads_older_than_the_cutoff_are_abandoned(
    client: Client, server: Server, stack: Stack
) -> None:
    art_id = begin(client, spec("BINARY", "old.bin"), b"x")["artifact"]["id"]
    age(stack, [art_id], days=5)
    patient = make_settings(stack, sweep_grace_seconds=int(10 * DAY))

    kept = sweep(stack, patient)

    assert client.org_id not in kept.removed
    assert row_of(stack, art_id) == {
        "status": "PENDING",
        "version": None,
        "staging_path": f"staging/{art_id}",
    }
    assert sweep(stack, server.settings).removed[client.org_id] == [UUID(art_id)]


def test_one_process_sweeps_at_a_time(client: Client, server: Server, stack: Stack) -> None:
    art_id = begin(client, spec("BINARY", "old.bin"), b"x")["artifact"]["id"]
    age(stack, [art_id], days=30)

    async def scenario() -> tuple[SweepReport, str, SweepReport]:
        holder = await asyncpg.connect(stack.owner_dsn)  # another replica, mid-round
        try:
            await holder.execute("SELECT pg_advisory_lock($1)", SWEEP_LOCK_ID)
            blocked = await _sweep(stack, server.settings)
            between = await holder.fetchval(
                "SELECT status FROM artifacts WHERE id = $1::uuid", art_id
            )
            await holder.execute("SELECT pg_advisory_unlock($1)", SWEEP_LOCK_ID)
        finally:
            await holder.close()
        return blocked, between, await _sweep(stack, server.settings)

    blocked, between, after = run(scenario())

    assert (blocked.ran, blocked.found, blocked.removed) == (False, 0, {})
    assert between == "PENDING"
    assert after.ran
    assert after.removed[client.org_id] == [UUID(art_id)]


def test_the_function_reveals_ids_only_and_only_to_the_service(
    client: Client, other: Client, stack: Stack
) -> None:
    procs = fetch(
        stack.owner_dsn,
        """SELECT p.prosecdef, p.proconfig, pg_get_function_result(p.oid) AS result,
                  pg_get_function_arguments(p.oid) AS args, p.proacl::text[] AS acl,
                  pg_get_userbyid(p.proowner) AS owner
           FROM pg_proc p WHERE p.proname = 'cairn_stale_artifacts'""",
    )
    assert len(procs) == 1
    proc = procs[0]
    assert proc["prosecdef"] is True
    assert proc["proconfig"] == ["search_path=pg_catalog, public"]
    assert proc["result"] == "TABLE(org_id text, id uuid)"
    assert proc["args"] == "p_older_than interval, p_limit integer"
    owner = proc["owner"]
    assert sorted(proc["acl"]) == sorted([f"{owner}=X/{owner}", f"cairn_app=X/{owner}"])
    assert not any(entry.startswith("=") for entry in proc["acl"])  # nothing for PUBLIC

    art_id = begin(other, spec("BINARY", "old.bin"), b"x")["artifact"]["id"]
    age(stack, [art_id], days=30)
    probe = "sweep_probe_" + secrets.token_hex(4)
    fetch(stack.owner_dsn, f"CREATE ROLE {probe} LOGIN NOSUPERUSER")

    async def check() -> tuple[list[dict[str, Any]], int, int]:
        public = await asyncpg.connect(with_user(stack.owner_dsn, probe))
        try:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await public.fetch("SELECT * FROM cairn_stale_artifacts('1 hour', 10)")
        finally:
            await public.close()
        service = await asyncpg.connect(stack.service_dsn)
        try:
            async with service.transaction():
                # as client's organization: the function still finds other's upload ...
                await service.execute("SET LOCAL ROLE cairn_app")
                await service.execute("SELECT set_config('cairn.org_id', $1, true)", client.org_id)
                found = await service.fetch("SELECT * FROM cairn_stale_artifacts('1 day', 10000)")
                # ... while the service role still sees none of other's rows, even with
                # the sweep's switch turned on (that policy is the owner's alone)
                await service.execute("SELECT set_config('cairn.sweep', 'on', true)")
                seen = await service.fetchval(
                    "SELECT count(*) FROM artifacts WHERE org_id = $1", other.org_id
                )
                await service.execute("SELECT set_config('cairn.org_id', '', true)")
                seen_unscoped = await service.fetchval("SELECT count(*) FROM artifacts")
        finally:
            await service.close()
        return [dict(r) for r in found], seen, seen_unscoped

    try:
        found, seen, seen_unscoped = run(check())
    finally:
        fetch(stack.owner_dsn, f"DROP ROLE {probe}")
    assert {tuple(r) for r in found} == {("org_id", "id")}  # ids only, no content
    assert {"org_id": other.org_id, "id": UUID(art_id)} in found
    assert (seen, seen_unscoped) == (0, 0)


def test_a_non_superuser_owner_finds_every_organizations_leftovers(stack: Stack) -> None:
    """FORCE RLS binds a table owner that is not superuser: the sweep's policy lets the
    function (and only it) see other organizations' PENDING and FAILED rows."""
    if os.environ.get("CAIRN_TEST_DATABASE_URL"):
        pytest.skip("needs trust authentication for a new login role (embedded PostgreSQL)")
    role = "cairn_owner_" + secrets.token_hex(4)
    name = "cairn_sweep_" + secrets.token_hex(4)
    fetch(stack.owner_dsn, f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS")
    fetch(stack.owner_dsn, f'CREATE DATABASE "{name}" OWNER {role}')
    fetch(stack.owner_dsn, f"GRANT cairn_app TO {role}")
    superuser = urlunsplit(urlsplit(stack.owner_dsn)._replace(path=f"/{name}"))
    owner = with_user(superuser, role)
    service = with_user(superuser, "cairn_service")
    try:
        assert run(migrate(owner))[-1] >= "0004_sweeper"
        run(ensure_service_login(superuser))
        ids = fetch(
            superuser,
            """WITH o AS (INSERT INTO organizations VALUES ('o1'), ('o2'))
               INSERT INTO artifacts (org_id, type, display_name, mime_type, status,
                                      created_by, staging_path, updated_at)
               VALUES ('o1', 'BINARY', 'a', 'x/y', 'PENDING', 't', 'staging/a',
                       now() - interval '3 hours'),
                      ('o2', 'BINARY', 'b', 'x/y', 'FAILED', 't', 'staging/b', now()),
                      ('o2', 'BINARY', 'c', 'x/y', 'PENDING', 't', 'staging/c', now()),
                      ('o2', 'BINARY', 'd', 'x/y', 'FAILED', 't', NULL, now())
               RETURNING org_id, id, display_name""",
        )
        by_name = {r["display_name"]: (r["org_id"], r["id"]) for r in ids}
        tables = fetch(superuser, "SELECT tableowner FROM pg_tables WHERE tablename = 'artifacts'")
        assert tables[0]["tableowner"] == role
        owner_sees = fetch(owner, "SELECT count(*) AS n FROM artifacts")[0]["n"]

        async def call() -> set[tuple[str, UUID]]:
            conn = await asyncpg.connect(service)
            try:
                async with conn.transaction():
                    await conn.execute("SET LOCAL ROLE cairn_app")
                    rows = await conn.fetch("SELECT * FROM cairn_stale_artifacts('1 hour', 10)")
            finally:
                await conn.close()
            return {(r["org_id"], r["id"]) for r in rows}

        found = run(call())
    finally:
        fetch(stack.owner_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        fetch(stack.owner_dsn, f"DROP ROLE IF EXISTS {role}")
    assert owner_sees == 0  # outside the function the owner is still confined
    assert found == {by_name["a"], by_name["b"]}


def test_the_background_sweep_runs_every_interval_and_0_turns_it_off(stack: Stack) -> None:
    with serve(make_settings(stack, sweep_interval_seconds=0)) as off:
        assert off.app.state.sweeper is None
        c = client_for(off)
        art_id = begin(c, spec("BINARY", "old.bin"), b"x")["artifact"]["id"]
        c.http.close()
    age(stack, [art_id], days=30)
    with serve(make_settings(stack, sweep_interval_seconds=1)) as on:
        task = on.app.state.sweeper
        assert isinstance(task, asyncio.Task)
        assert not task.done()
        deadline = time.monotonic() + 20
        while row_of(stack, art_id) is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert row_of(stack, art_id) is None
    assert task.done()  # stopped with the app


@pytest.mark.unit
def test_the_interval_setting_is_checked() -> None:
    assert make_settings_default().sweep_interval_seconds == 300
    with pytest.raises(SettingsError, match="CAIRN_SWEEP_INTERVAL_SECONDS"):
        load_settings(sweep_interval_seconds=-1)
    with pytest.raises(SettingsError, match="CAIRN_SWEEP_GRACE_SECONDS"):
        load_settings(sweep_grace_seconds=-1)


def make_settings_default(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_cairn_sweep_prints_what_it_removed(
    client: Client, server: Server, stack: Stack, tmp_path: Path
) -> None:
    bucket = server.settings.s3_bucket
    ticket = begin(client, spec("BINARY", "old.bin"), b"old")
    put(ticket, b"old")
    art_id = ticket["artifact"]["id"]
    age(stack, [art_id], days=30)
    env = cairn_env(
        CAIRN_DATABASE_URL=stack.service_dsn,
        CAIRN_S3_ENDPOINT=stack.s3_url,
        CAIRN_S3_ACCESS_KEY=stack.s3_access_key,
        CAIRN_S3_SECRET_KEY=stack.s3_secret_key,
        CAIRN_S3_BUCKET=bucket,
    )

    done = run_cairn("sweep", env=env, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert f"removed {client.org_id} {art_id}" in lines
    # the round's other clean-ups (expired artifacts, objects with no row) follow the summary
    summary = next(i for i, line in enumerate(lines) if "failed or abandoned" in line)
    uploads = lines[:summary]
    orgs = {line.split()[1] for line in uploads}
    assert lines[summary] == (
        f"removed {len(uploads)} failed or abandoned upload(s) of {len(orgs)} organization(s)"
    )
    assert row_of(stack, art_id) is None
    assert objects(stack, bucket, f"staging/{art_id}") == set()

    # no settings and no `cairn serve` running on the data dir (tests/operations/test_gc_cli.py
    # has one running)
    missing = run_cairn("sweep", env=cairn_env(), cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "cairn: no running 'cairn serve' found with CAIRN_DATA_DIR=.cairn; start it, or set "
        "CAIRN_DATABASE_URL and CAIRN_S3_ENDPOINT"
    ]
    half = run_cairn("sweep", env=cairn_env(CAIRN_DATABASE_URL=stack.service_dsn), cwd=tmp_path)
    assert half.returncode == 1
    assert "CAIRN_S3_ENDPOINT" in half.stderr


def _stray_objects(client: Client, server: Server, stack: Stack) -> dict[str, str]:
    """Staging objects that no PENDING row refers to, made through upload URLs: a PUT
    after completing, a PUT through a replayed begin's fresh URL, and a key that is no
    artifact's at all. Also a PENDING upload's object, which must stay. Name -> key."""
    bucket = server.settings.s3_bucket
    done = begin(client, spec("BINARY", "a.bin", key="o"), b"published")
    put(done, b"published")
    art = client(COMPLETE, {"id": done["artifact"]["id"]})["completeArtifactUpload"]
    put(done, b"after completion")  # the URL still works: the bytes land in staging
    replay_input = spec("BINARY", "b.bin", key="o", idempotencyKey="o-1")
    first = begin(client, replay_input, b"replayed")
    put(first, b"replayed")
    client(COMPLETE, {"id": first["artifact"]["id"]})
    again = begin(client, replay_input, b"replayed")  # the same artifact, a URL again
    assert again["artifact"]["id"] == first["artifact"]["id"]
    put(again, b"through the replayed URL")
    pending = begin(client, spec("BINARY", "c.bin"), b"pending")
    put(pending, b"pending")
    junk = f"staging/not-an-artifact-{secrets.token_hex(4)}"
    s3(stack).put_object(bucket, junk, io.BytesIO(b"junk"), 4)
    keys = {
        "after-complete": f"staging/{art['id']}",
        "replayed-url": f"staging/{first['artifact']['id']}",
        "pending": f"staging/{pending['artifact']['id']}",
        "junk": junk,
        "published": art["id"],
    }
    for name in ("after-complete", "replayed-url", "pending", "junk"):
        assert objects(stack, bucket, keys[name]) == {keys[name]}, name
    return keys


def test_a_round_removes_staging_objects_no_pending_row_refers_to_after_the_grace(
    client: Client, server: Server, stack: Stack
) -> None:
    bucket = server.settings.s3_bucket
    keys = _stray_objects(client, server, stack)
    strays = {keys["after-complete"], keys["replayed-url"], keys["junk"]}

    young = sweep(stack, server.settings)  # the grace (an hour) has not passed yet

    assert young.problem is None
    assert strays.isdisjoint(young.orphans)
    assert all(objects(stack, bucket, k) == {k} for k in strays)

    old = sweep(stack, make_settings(stack, sweep_grace_seconds=0))

    assert old.problem is None
    assert strays <= set(old.orphans)
    assert keys["pending"] not in old.orphans
    assert all(objects(stack, bucket, k) == set() for k in strays)
    assert objects(stack, bucket, keys["pending"]) == {keys["pending"]}
    # what was published still serves the bytes that were verified
    published = client(GET, {"id": keys["published"]})["artifact"]
    assert download(published["signedUrl"]["url"]).content == b"published"
    assert client(GET, {"id": keys["pending"].split("/")[1]})["artifact"]["status"] == "PENDING"


def test_orphans_are_found_page_by_page(server: Server, stack: Stack) -> None:
    """remove_orphans pages through a listing (here 2 keys a page over 7 objects, one
    of them referenced, one no artifact's) and removes only what no row refers to."""
    bucket = server.settings.s3_bucket
    prefix = f"test-orphans-{secrets.token_hex(4)}/"
    ids = [uuid4() for _ in range(6)]
    keys = [f"{prefix}{i}" for i in ids] + [f"{prefix}zz-no-id"]
    for key in keys:
        s3(stack).put_object(bucket, key, io.BytesIO(b"x"), 1)
    store = make_store(server.settings)
    asked: list[list[UUID]] = []

    async def referenced(found: list[UUID]) -> set[UUID]:
        asked.append(found)
        return {ids[3]}

    def id_of(key: str) -> UUID | None:
        try:
            return UUID(key.removeprefix(prefix))
        except ValueError:
            return None

    removed = run(
        remove_orphans(
            store, prefix, older_than_seconds=0, id_of=id_of, referenced=referenced, page=2
        )
    )

    assert sorted(removed) == sorted(k for k in keys if k != f"{prefix}{ids[3]}")
    assert objects(stack, bucket, prefix) == {f"{prefix}{ids[3]}"}
    # pages of 2, 2, 2 and 1 keys; the last has no id to ask about
    assert [len(page) for page in asked] == [2, 2, 2]
    assert sorted(i for page in asked for i in page) == sorted(ids)


def test_the_pending_check_reveals_ids_only_and_only_to_the_service(
    client: Client, other: Client, stack: Stack
) -> None:
    pending = begin(other, spec("BINARY", "p.bin"), b"p")["artifact"]["id"]
    published = create(other, spec("BINARY", "a.bin"), b64=b64(b"a"))["id"]
    unknown = str(uuid4())
    probe = "pending_probe_" + secrets.token_hex(4)
    fetch(stack.owner_dsn, f"CREATE ROLE {probe} LOGIN NOSUPERUSER")
    query = "SELECT * FROM cairn_pending_uploads($1::uuid[])"

    async def check() -> tuple[list[dict[str, Any]], int]:
        public = await asyncpg.connect(with_user(stack.owner_dsn, probe))
        try:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await public.fetch(query, [pending])
        finally:
            await public.close()
        service = await asyncpg.connect(stack.service_dsn)
        try:
            async with service.transaction():
                await service.execute("SET LOCAL ROLE cairn_app")
                await service.execute("SELECT set_config('cairn.org_id', $1, true)", client.org_id)
                found = await service.fetch(query, [pending, published, unknown])
                seen = await service.fetchval(
                    "SELECT count(*) FROM artifacts WHERE org_id = $1", other.org_id
                )
        finally:
            await service.close()
        return [dict(r) for r in found], seen

    try:
        found, seen = run(check())
    finally:
        fetch(stack.owner_dsn, f"DROP ROLE {probe}")
    assert found == [{"id": UUID(pending)}]  # only the PENDING one; ids only
    assert seen == 0  # and the service still sees nothing of the other organization
