"""beginArtifactUpload / completeArtifactUpload, and the signed URLs handed out."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from cairn.cli.embedded import free_ports
from tests.support.http import Client, Server, serve
from tests.support.publish import (
    BEGIN,
    COMPLETE,
    CREATE,
    GET,
    PNG,
    b64,
    client_for,
    create,
    download,
    objects,
    serve_with_store,
    sha,
    spec,
    upload,
)
from tests.support.stack import Stack, fetch, make_settings


def begin(client: Client, input_: dict[str, Any], payload: bytes, **kw: Any) -> dict[str, Any]:
    variables = {"input": input_, "size": len(payload), "sha": sha(payload), **kw}
    return dict(client(BEGIN, variables)["beginArtifactUpload"])


def put(ticket: dict[str, Any], payload: bytes) -> httpx.Response:
    assert ticket["method"] == "PUT"
    return httpx.put(
        ticket["uploadUrl"]["url"], content=payload, headers=ticket["headers"], timeout=30
    )


def test_begin_put_complete_publishes(client: Client, server: Server, stack: Stack) -> None:
    payload = os.urandom(100_000)
    ticket = begin(client, spec("BINARY", "big.bin", key="direct"), payload)
    pending = ticket["artifact"]
    assert (pending["status"], pending["version"], pending["isLatest"]) == ("PENDING", None, False)
    assert pending["signedUrl"] is None
    assert ticket["headers"] == {"Content-Type": "application/octet-stream"}
    expires = datetime.fromisoformat(ticket["uploadUrl"]["expiresAt"])
    remaining = (expires - datetime.now(UTC)).total_seconds()
    assert server.settings.signed_url_ttl - 5 < remaining <= server.settings.signed_url_ttl
    assert f"/staging/{pending['id']}?" in ticket["uploadUrl"]["url"]
    # PENDING artifacts are not listed
    assert client("{ artifacts { totalCount } }")["artifacts"]["totalCount"] == 0
    assert put(ticket, payload).status_code == 200
    done = client(COMPLETE, {"id": pending["id"]})["completeArtifactUpload"]
    assert (done["status"], done["version"], done["isLatest"]) == ("AVAILABLE", 1, True)
    assert (done["sizeBytes"], done["sha256"]) == (len(payload), sha(payload))
    assert done["storagePath"] == (
        f"{server.settings.s3_bucket}/orgs/{client.org_id}/artifacts/{pending['id']}"
    )
    assert download(done["signedUrl"]["url"]).content == payload
    assert objects(stack, server.settings.s3_bucket, f"staging/{pending['id']}") == set()
    # completing twice returns the same artifact
    again = client(COMPLETE, {"id": pending["id"]})["completeArtifactUpload"]
    assert (again["id"], again["version"], again["status"]) == (done["id"], 1, "AVAILABLE")
    # a PUT to the old URL after completion cannot change the published bytes
    assert put(ticket, b"evil bytes").status_code == 200
    assert download(done["signedUrl"]["url"]).content == payload
    fresh = client(GET, {"id": done["id"]})["artifact"]
    assert download(fresh["signedUrl"]["url"]).content == payload
    assert fresh["sha256"] == sha(payload)
    # the stray staging object is removed when the artifact is deleted
    client("mutation($id: ID!) { deleteArtifact(id: $id) { deletedCount } }", {"id": done["id"]})
    assert objects(stack, server.settings.s3_bucket, f"staging/{pending['id']}") == set()


def test_mismatch_marks_failed_and_removes_staging(
    client: Client, server: Server, stack: Stack
) -> None:
    payload = b"the declared bytes"
    ticket = begin(client, spec("BINARY", "x.bin", key="mm"), payload)
    art_id = ticket["artifact"]["id"]
    assert put(ticket, b"other bytes, longer than declared").status_code == 200
    err = client.errors(COMPLETE, {"id": art_id})
    assert err.codes == ["BAD_USER_INPUT"]
    message = err.errors[0]["message"]
    assert f"sizeBytes was declared {len(payload)}" in message
    assert "sha256 was declared" in message
    assert "FAILED" in message
    row = client(GET, {"id": art_id})["artifact"]
    assert (row["status"], row["version"], row["signedUrl"]) == ("FAILED", None, None)
    assert objects(stack, server.settings.s3_bucket, f"staging/{art_id}") == set()
    assert objects(stack, server.settings.s3_bucket, f"orgs/{client.org_id}/") == set()
    assert client.errors(COMPLETE, {"id": art_id}).codes == ["BAD_USER_INPUT"]
    # no version was used
    ok = create(client, spec("BINARY", "y.bin", key="mm"), b64=b64(b"y"))
    assert ok["version"] == 1


def test_same_size_wrong_hash_and_wrong_type(client: Client) -> None:
    payload = b"A" * 64
    ticket = begin(client, spec("BINARY", "x.bin"), payload)
    put(ticket, b"B" * 64)
    err = client.errors(COMPLETE, {"id": ticket["artifact"]["id"]})
    message = err.errors[0]["message"]
    assert "sha256 was declared" in message
    assert "sizeBytes" not in message
    fake = b"not a png at all"
    ticket = begin(client, spec("PNG", "x.png"), fake)
    put(ticket, fake)
    err = client.errors(COMPLETE, {"id": ticket["artifact"]["id"]})
    assert err.codes == ["BAD_USER_INPUT"]
    assert "PNG signature" in err.errors[0]["message"]


def test_complete_before_upload_and_unknown_ids(client: Client, other: Client) -> None:
    ticket = begin(client, spec("PNG", "p.png"), PNG)
    art_id = ticket["artifact"]["id"]
    err = client.errors(COMPLETE, {"id": art_id})
    assert err.codes == ["BAD_USER_INPUT"]
    assert "PUT the file" in err.errors[0]["message"]
    assert client(GET, {"id": art_id})["artifact"]["status"] == "PENDING"
    put(ticket, PNG)
    assert other.errors(COMPLETE, {"id": art_id}).codes == ["NOT_FOUND"]
    assert client.errors(COMPLETE, {"id": "00000000-0000-0000-0000-000000000000"}).codes == [
        "NOT_FOUND"
    ]
    assert client.errors(COMPLETE, {"id": "nope"}).codes == ["NOT_FOUND"]
    assert client(COMPLETE, {"id": art_id})["completeArtifactUpload"]["status"] == "AVAILABLE"


def test_begin_validates(client: Client, server: Server) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"input": spec("MARKDOWN", "m"), "size": 1, "sha": "a" * 64}, "BAD_USER_INPUT", "inline"),
        (
            {"input": spec("BINARY", "b"), "size": -1, "sha": "a" * 64},
            "BAD_USER_INPUT",
            "sizeBytes",
        ),
        ({"input": spec("BINARY", "b"), "size": 1, "sha": "xyz"}, "BAD_USER_INPUT", "64 hex"),
        (
            {
                "input": spec("BINARY", "b"),
                "size": server.settings.max_upload_bytes + 1,
                "sha": "a" * 64,
            },
            "PAYLOAD_TOO_LARGE",
            "limit",
        ),
        (
            {"input": spec("BINARY", "b", key="B"), "size": 1, "sha": "a" * 64},
            "BAD_USER_INPUT",
            "key",
        ),
        (
            {"input": spec("BINARY", "b", workflowRunId="nope"), "size": 1, "sha": "a" * 64},
            "NOT_FOUND",
            "workflow run",
        ),
    ]
    for variables, code, fragment in cases:
        err = client.errors(BEGIN, variables)
        assert err.codes == [code], variables
        assert fragment in err.errors[0]["message"], err.errors


def test_begin_idempotency(client: Client) -> None:
    payload = b"abc"
    input_ = spec("BINARY", "x.bin", idempotencyKey="b-1")
    first = begin(client, input_, payload)
    again = begin(client, input_, payload)
    assert again["artifact"]["id"] == first["artifact"]["id"]
    err = client.errors(BEGIN, {"input": input_, "size": 4, "sha": sha(b"abcd")})
    assert err.codes == ["CONFLICT"]


def _tamper(url: str, *, signature: bool = False, key: str | None = None) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if signature:
        sig = query["X-Amz-Signature"]
        query["X-Amz-Signature"] = ("0" if sig[0] != "0" else "1") + sig[1:]
    path = parts.path if key is None else parts.path.rsplit("/", 1)[0] + "/" + key
    return urlunsplit(parts._replace(path=path, query=urlencode(query)))


def test_signed_urls_refuse_tampering(client: Client) -> None:
    one = create(client, spec("BINARY", "a.bin"), b64=b64(b"first"))
    two = create(client, spec("BINARY", "b.bin"), b64=b64(b"second"))
    url = one["signedUrl"]["url"]
    assert download(url).content == b"first"
    assert download(_tamper(url, signature=True)).status_code == 403
    assert download(_tamper(url, key=two["id"])).status_code == 403
    longer = url.replace(
        "response-content-disposition=",
        "response-content-type=text%2Fhtml&response-content-disposition=",
    )
    assert download(longer).status_code == 403


@pytest.mark.slow
def test_signed_urls_expire(stack: Stack) -> None:
    with serve(make_settings(stack, signed_url_ttl=1)) as server:
        client = client_for(server)
        minted_after = datetime.now(UTC) - timedelta(seconds=1)  # signing time is whole seconds
        art = create(client, spec("BINARY", "a.bin"), b64=b64(b"bytes"))
        url = art["signedUrl"]["url"]
        expires = datetime.fromisoformat(art["signedUrl"]["expiresAt"])
        # TTL 1 s from the moment of minting (however long the response took to arrive)
        assert minted_after < expires <= datetime.now(UTC) + timedelta(seconds=1)
        time.sleep(2.1)
        assert download(url).status_code == 403
        fresh = client(GET, {"id": art["id"]})["artifact"]["signedUrl"]
        # minted anew on every read: a later expiry and another signature
        assert datetime.fromisoformat(fresh["expiresAt"]) > expires
        assert fresh["url"] != url
        client.http.close()
    # Only the URL expired, not the object: a URL minted now by a server with the default TTL
    # downloads it (a 1 s URL itself can expire before a loaded machine fetches it).
    with serve(make_settings(stack)) as default_ttl:
        again = client_for(default_ttl, org_id=client.org_id)
        current = again(GET, {"id": art["id"]})["artifact"]["signedUrl"]["url"]
        assert download(current).content == b"bytes"
        again.http.close()


def test_public_endpoint_is_used_for_presigning(stack: Stack) -> None:
    public = stack.s3_url.replace("127.0.0.1", "localhost")
    assert public != stack.s3_url
    with serve(make_settings(stack, s3_public_endpoint=public)) as server:
        client = client_for(server)
        art = create(client, spec("BINARY", "a.bin"), b64=b64(b"via public"))
        url = art["signedUrl"]["url"]
        assert url.startswith(public + "/")
        assert download(url).content == b"via public"
        ticket = begin(client, spec("BINARY", "b.bin"), b"put via public")
        assert ticket["uploadUrl"]["url"].startswith(public + "/")
        assert put(ticket, b"put via public").status_code == 200
        done = client(COMPLETE, {"id": ticket["artifact"]["id"]})["completeArtifactUpload"]
        assert done["status"] == "AVAILABLE"
        client.http.close()


def test_storage_down_presigning_still_works_and_publishing_is_refused(stack: Stack) -> None:
    dead = f"http://127.0.0.1:{free_ports(1)[0]}"
    settings = make_settings(stack, s3_endpoint=dead)
    with serve_with_store(settings, failing={"ensure_bucket"}) as (server, _store):
        client = client_for(server)
        art_id = str(uuid.uuid4())
        fetch(stack.owner_dsn, "INSERT INTO organizations (org_id) VALUES ($1)", client.org_id)
        fetch(
            stack.owner_dsn,
            "INSERT INTO artifacts (org_id, id, type, display_name, mime_type, status, "
            "storage_path, created_by, published_at, is_latest) "
            "VALUES ($1, $2::uuid, 'BINARY', 'a.bin', 'application/octet-stream', 'AVAILABLE', "
            "$3, 'seed', now(), true)",
            client.org_id,
            art_id,
            f"{settings.s3_bucket}/orgs/{client.org_id}/artifacts/{art_id}",
        )
        # presigning is local: a page of signed URLs needs no storage round trip
        got = client(GET, {"id": art_id})["artifact"]
        assert got["signedUrl"]["url"].startswith(dead + "/")
        for kind, variables in [
            ("create", {"input": spec("BINARY", "x.bin", key="down"), "b64": b64(b"x")}),
            ("markdown-ok", {"input": spec("MARKDOWN", "m.md", key="md"), "data": "x"}),
        ]:
            if kind == "create":
                err = client.errors(CREATE, variables)
                assert err.codes == ["STORAGE_UNAVAILABLE"]
                assert "retry" in err.errors[0]["message"]
            else:  # inline kinds do not need storage
                assert client(CREATE, variables)["createArtifact"]["version"] == 1
        up = upload(client, spec("BINARY", "u.bin", key="down"), b"payload")
        assert up.json()["errors"][0]["extensions"]["code"] == "STORAGE_UNAVAILABLE"
        client.http.close()
    rows = fetch(
        stack.owner_dsn,
        "SELECT key FROM artifacts WHERE org_id = $1 ORDER BY key NULLS FIRST",
        client.org_id,
    )
    # no row of the failed publishes remains (their objects could not be removed either,
    # since storage is down: they were marked FAILED, keeping the object key for clean-up)
    failed = fetch(
        stack.owner_dsn,
        "SELECT status, version, staging_path FROM artifacts WHERE org_id = $1 AND key = 'down'",
        client.org_id,
    )
    assert [r["status"] for r in failed] == ["FAILED", "FAILED"]
    assert all(r["version"] is None and r["staging_path"] for r in failed)
    assert [r["key"] for r in rows].count("md") == 1
    keys = fetch(stack.owner_dsn, "SELECT key FROM artifact_keys WHERE org_id = $1", client.org_id)
    assert [r["key"] for r in keys] == ["md"]


def test_complete_with_storage_down_stays_pending_and_retries(stack: Stack) -> None:
    with serve_with_store(make_settings(stack)) as (server, store):
        client = client_for(server)
        payload = b"retry me"
        ticket = begin(client, spec("BINARY", "r.bin", key="retry"), payload)
        put(ticket, payload)
        art_id = ticket["artifact"]["id"]
        for failing in ("hash_object", "copy"):
            store.failing = {failing}
            assert client.errors(COMPLETE, {"id": art_id}).codes == ["STORAGE_UNAVAILABLE"]
            assert client(GET, {"id": art_id})["artifact"]["status"] == "PENDING"
        store.failing = set()
        done = client(COMPLETE, {"id": art_id})["completeArtifactUpload"]
        assert (done["status"], done["version"]) == ("AVAILABLE", 1)
        assert download(done["signedUrl"]["url"]).content == payload
        client.http.close()


def test_abandoned_uploads_are_removed_by_a_later_begin(
    client: Client, server: Server, stack: Stack
) -> None:
    stale = begin(client, spec("BINARY", "old.bin", key="ab"), b"old")
    recent = begin(client, spec("BINARY", "new.bin", key="ab"), b"new")
    put(stale, b"old")
    put(recent, b"new")
    grace = server.settings.signed_url_ttl + 3600
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET updated_at = now() - make_interval(secs => $2) WHERE id = $1::uuid",
        stale["artifact"]["id"],
        float(grace + 60),
    )
    begin(client, spec("BINARY", "next.bin"), b"next")
    assert client(GET, {"id": stale["artifact"]["id"]})["artifact"] is None
    assert objects(stack, server.settings.s3_bucket, f"staging/{stale['artifact']['id']}") == set()
    # the recent one is untouched and still completes
    done = client(COMPLETE, {"id": recent["artifact"]["id"]})["completeArtifactUpload"]
    assert (done["status"], done["version"]) == ("AVAILABLE", 1)
