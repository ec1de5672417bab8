"""`cairn gc` and the clean-up round against SeaweedFS, with every kind of leftover
planted: an expired artifact (the latest of its key), an abandoned upload, an object
under staging/ and objects under orgs/<org>/artifacts/ that no row refers to, and a row
whose object is gone. --dry-run changes nothing and reports bytes; --org limits it."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import orjson
import pytest

from cairn.app import make_store
from cairn.config import Settings
from cairn.db.pool import Database
from cairn.services.sweeper import SweepReport, sweep_once
from tests.support.http import Client, Server
from tests.support.processes import cairn_env, run_cairn
from tests.support.publish import BEGIN, GET, b64, create, objects, s3, sha, spec
from tests.support.stack import Stack, fetch, make_settings, run

EXPIRE = """mutation($id: ID!, $at: DateTime) { updateArtifact(id: $id, expiresAt: $at) { id } }"""
LATEST = """query($key: String!) { latestArtifacts(filter: {key: {eq: $key}}) {
  nodes { id version isLatest } } }"""


def file(client: Client, name: str, payload: bytes, **extra: Any) -> dict[str, Any]:
    return create(client, spec("BINARY", name, **extra), b64=b64(payload))


def plant(client: Client, server: Server, stack: Stack) -> dict[str, Any]:
    """Every kind of leftover in ``client``'s organization, and live artifacts."""
    bucket = server.settings.s3_bucket
    org = client.org_id
    store = s3(stack)
    v1 = file(client, "v1.bin", b"one", key="gc-key")
    v2 = file(client, "v2.bin", b"two-two", key="gc-key")
    client(EXPIRE, {"id": v2["id"], "at": "2020-01-01T00:00:00Z"})
    ticket = client(BEGIN, {"input": spec("BINARY", "p.bin"), "size": 4, "sha": sha(b"abcd")})[
        "beginArtifactUpload"
    ]
    httpx.put(ticket["uploadUrl"]["url"], content=b"abcd", headers=ticket["headers"], timeout=30)
    abandoned = ticket["artifact"]["id"]
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET updated_at = now() - interval '30 days' WHERE id = $1::uuid",
        abandoned,
    )
    stray = f"orgs/{org}/artifacts/{uuid4()}"
    junk = f"orgs/{org}/artifacts/junk-{secrets.token_hex(3)}"
    store.put_object(bucket, stray, io.BytesIO(b"x" * 11), 11)
    store.put_object(bucket, junk, io.BytesIO(b"y" * 5), 5)
    lost = file(client, "lost.bin", b"lost bytes")
    store.remove_object(bucket, f"orgs/{org}/artifacts/{lost['id']}")
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET published_at = now() - interval '1 day' WHERE id = $1::uuid",
        lost["id"],
    )
    live = file(client, "live.bin", b"live")
    return {
        "v1": v1["id"],
        "v2": v2["id"],
        "abandoned": abandoned,
        "stray": stray,
        "junk": junk,
        "lost": lost["id"],
        "live": live["id"],
    }


def state(stack: Stack, server: Server, org: str) -> tuple[set[str], list[Any]]:
    keys = objects(stack, server.settings.s3_bucket, f"orgs/{org}/")
    rows = fetch(
        stack.owner_dsn,
        "SELECT id::text, status, is_latest, object_missing_at IS NOT NULL AS missing "
        "FROM artifacts WHERE org_id = $1 ORDER BY id",
        org,
    )
    return keys, [tuple(r) for r in rows]


def gc_env(stack: Stack, server: Server) -> dict[str, str]:
    return cairn_env(
        CAIRN_DATABASE_URL=stack.service_dsn,
        CAIRN_S3_ENDPOINT=stack.s3_url,
        CAIRN_S3_ACCESS_KEY=stack.s3_access_key,
        CAIRN_S3_SECRET_KEY=stack.s3_secret_key,
        CAIRN_S3_BUCKET=server.settings.s3_bucket,
        CAIRN_SWEEP_GRACE_SECONDS="0",
    )


def gc(stack: Stack, server: Server, tmp_path: Path, *args: str) -> dict[str, Any]:
    done = run_cairn("gc", "--json", *args, env=gc_env(stack, server), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return dict(orjson.loads(done.stdout))


def test_gc_dry_run_then_real(
    client: Client, other: Client, server: Server, stack: Stack, tmp_path: Path
) -> None:
    mine = plant(client, server, stack)
    theirs = plant(other, server, stack)
    before_mine, before_theirs = (
        state(stack, server, client.org_id),
        state(stack, server, other.org_id),
    )

    dry = gc(stack, server, tmp_path, "--dry-run", "--org", client.org_id)
    assert dry["dryRun"] is True
    reasons = {(i["reason"], i["artifactId"] or i["objectKey"]) for i in dry["removed"]}
    assert reasons == {
        ("expired", mine["v2"]),
        ("abandoned_upload", mine["abandoned"]),
        ("orphan_object", mine["stray"].rsplit("/", 1)[1]),
        ("orphan_object", mine["junk"]),
    }
    # bytes it would free: the expired file (7), the upload (4), the strays (11 + 5)
    assert dry["freedBytes"] == 7 + 4 + 11 + 5
    assert [(m["artifactId"], m["bytes"]) for m in dry["missing"]] == [(mine["lost"], 10)]
    assert state(stack, server, client.org_id) == before_mine  # nothing changed

    real = gc(stack, server, tmp_path, "--org", client.org_id)
    assert real["dryRun"] is False
    assert real["removedCount"] == 4
    assert real["freedBytes"] == 7 + 4 + 11 + 5
    keys, rows = state(stack, server, client.org_id)
    ids = {r[0] for r in rows}
    assert ids == {mine["v1"], mine["lost"], mine["live"]}
    assert keys == {f"orgs/{client.org_id}/artifacts/{mine[k]}" for k in ("v1", "live")}
    # the expired latest's key points at the version left
    assert client(LATEST, {"key": "gc-key"})["latestArtifacts"]["nodes"] == [
        {"id": mine["v1"], "version": 1, "isLatest": True}
    ]
    # the row without bytes stays, listed, and signedUrl says why instead of a dead URL
    lost = client.raw(GET, {"id": mine["lost"]}).json()
    assert lost["data"]["artifact"]["id"] == mine["lost"]
    assert lost["data"]["artifact"]["signedUrl"] is None
    assert [e["extensions"]["code"] for e in lost["errors"]] == ["OBJECT_MISSING"]
    assert "cairn gc" in lost["errors"][0]["message"]
    assert client(GET, {"id": mine["live"]})["artifact"]["signedUrl"]["url"]
    # --org: the other organization's leftovers are all still there
    assert state(stack, server, other.org_id) == before_theirs
    assert other(GET, {"id": theirs["lost"]})["artifact"]["signedUrl"]["url"]

    # the object comes back (a bucket restore): the next gc lifts the mark
    s3(stack).put_object(
        server.settings.s3_bucket,
        f"orgs/{client.org_id}/artifacts/{mine['lost']}",
        io.BytesIO(b"lost bytes"),
        10,
    )
    again = gc(stack, server, tmp_path, "--org", client.org_id)
    assert again["removed"] == []
    assert again["missing"] == []
    assert client(GET, {"id": mine["lost"]})["artifact"]["signedUrl"]["url"]


def test_round_removes_staging_orphans_and_counts(
    client: Client, server: Server, stack: Stack
) -> None:
    """The background sweep's round is the same function: without --org it also removes
    objects under staging/ that no PENDING row refers to, and counts what it removed in
    cairn_gc_removed_total{reason}."""
    from prometheus_client import REGISTRY

    bucket = server.settings.s3_bucket
    stray = f"staging/{uuid4()}"
    s3(stack).put_object(bucket, stray, io.BytesIO(b"s" * 3), 3)
    art = file(client, "e.bin", b"expire me")
    client(EXPIRE, {"id": art["id"], "at": "2020-01-01T00:00:00Z"})

    def counted(reason: str) -> float:
        return REGISTRY.get_sample_value("cairn_gc_removed_total", {"reason": reason}) or 0.0

    before = {r: counted(r) for r in ("expired", "orphan_object")}
    settings: Settings = make_settings(stack, sweep_grace_seconds=0)

    async def round_() -> SweepReport:
        db = await Database.connect(stack.service_dsn, min_size=1, max_size=3)
        try:
            return await sweep_once(db, make_store(settings), settings)
        finally:
            await db.close()

    report: SweepReport = run(round_())
    assert report.ran
    assert report.problem is None
    assert stray in report.orphans
    assert str(art["id"]) in {str(i.artifact_id) for i in report.expired}
    assert objects(stack, bucket, stray) == set()
    assert objects(stack, bucket, f"orgs/{client.org_id}/") == set()
    assert counted("expired") >= before["expired"] + 1
    assert counted("orphan_object") >= before["orphan_object"] + 1


@pytest.mark.parametrize("args", [["--org", "bad org!"]])
def test_gc_refuses_bad_org(server: Server, stack: Stack, tmp_path: Path, args: list[str]) -> None:
    done = run_cairn("gc", *args, env=gc_env(stack, server), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "cairn: --org must be 1-64 letters, digits, '_' or '-'"


def test_usage_command(client: Client, server: Server, stack: Stack, tmp_path: Path) -> None:
    file(client, "u.bin", b"12345")
    done = run_cairn(
        "usage", "--json", "--org", client.org_id, env=gc_env(stack, server), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert orjson.loads(done.stdout) == {
        client.org_id: {
            "artifactCount": 1,
            "totalBytes": 5,
            "byType": {"BINARY": {"artifactCount": 1, "totalBytes": 5}},
        }
    }
    text = run_cairn("usage", env=gc_env(stack, server), cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert f"{client.org_id}: 1 artifact(s), 5 byte(s)" in text.stdout.splitlines()


REVOKE = "mutation($id: ID!) { revokeSignedUrls(artifactId: $id) { storagePath } }"


def test_gc_keeps_a_revoked_artifacts_object(
    client: Client, server: Server, stack: Stack, tmp_path: Path
) -> None:
    """revokeSignedUrls moves the bytes to ``<id>.<random>``: gc reads the id before the
    first dot, so the object is the row's (not an orphan), a copy left at the original key
    is removed, and a revoked row whose object is gone is reported missing."""
    bucket = server.settings.s3_bucket
    kept = file(client, "kept.bin", b"keep me")
    moved = client(REVOKE, {"id": kept["id"]})["revokeSignedUrls"]["storagePath"]
    kept_key = moved.split("/", 1)[1]
    assert kept_key != f"orgs/{client.org_id}/artifacts/{kept['id']}"
    original = f"orgs/{client.org_id}/artifacts/{kept['id']}"
    s3(stack).put_object(bucket, original, io.BytesIO(b"keep me"), 7)  # a revoke's leftover
    lost = file(client, "lost.bin", b"lost")
    lost_key = client(REVOKE, {"id": lost["id"]})["revokeSignedUrls"]["storagePath"]
    s3(stack).remove_object(bucket, lost_key.split("/", 1)[1])
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET published_at = now() - interval '1 day' WHERE id = $1::uuid",
        lost["id"],
    )

    report = gc(stack, server, tmp_path, "--org", client.org_id)
    assert [(i["reason"], i["objectKey"]) for i in report["removed"]] == [
        ("orphan_object", original)
    ]
    assert [(m["artifactId"], m["objectKey"]) for m in report["missing"]] == [
        (lost["id"], lost_key.split("/", 1)[1])
    ]
    assert objects(stack, bucket, f"orgs/{client.org_id}/") == {kept_key}
    url = client(GET, {"id": kept["id"]})["artifact"]["signedUrl"]["url"]
    assert httpx.get(url, timeout=30).content == b"keep me"
