"""The audit trail and revocation of signed URLs, through HTTP (issue 11)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest

from cairn.auth import SCOPE_AUDIT, SCOPE_DELETE, SCOPE_READ, SCOPE_WRITE
from cairn.db.pool import APP_ROLE
from tests.support.http import Client, Server
from tests.support.publish import BEGIN, COMPLETE, DELETE, GET, UPDATE, b64, create, sha, spec
from tests.support.stack import Stack, fetch, run

EVENTS = """query($f: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id action subject artifactId requestId createdAt details }
  }
}"""
REVOKE = "mutation($id: ID!) { revokeSignedUrls(artifactId: $id) { id status storagePath sha256 signedUrl { url } } }"
SIGNED = "query($id: ID!) { artifact(id: $id) { signedUrl { url } } }"


def events(client: Client, **filter: Any) -> list[dict[str, Any]]:
    data = client(EVENTS, {"f": filter or None, "first": 500})["auditEvents"]
    return list(data["nodes"])


def actions(client: Client, artifact_id: str) -> list[str]:
    return sorted(e["action"] for e in events(client, artifactId=artifact_id))


def publish(client: Client, data: bytes = b"hello audit") -> dict[str, Any]:
    return create(client, spec("BINARY", "a.bin"), b64=b64(data))


def test_every_action_is_recorded_with_subject_and_request(client: Client) -> None:
    art = publish(client)  # createArtifact selecting signedUrl: published + url.signed
    client(UPDATE, {"id": art["id"], "description": "changed"})
    client(REVOKE, {"id": art["id"]})
    client(DELETE, {"id": art["id"]})
    assert actions(client, art["id"]) == [
        "artifact.deleted",
        "artifact.published",
        "artifact.updated",
        "url.revoked",
        "url.signed",
        "url.signed",  # the update's answer selected signedUrl too
        "url.signed",  # and the revocation's
    ]
    found = events(client, artifactId=art["id"])
    assert {e["subject"] for e in found} == {"tester"}
    assert all(e["requestId"] for e in found)
    assert len({e["requestId"] for e in found}) == 4  # four requests
    signed = [e for e in found if e["action"] == "url.signed"]
    assert {e["details"]["method"] for e in signed} == {"GET"}
    assert all(e["details"]["disposition"] == "ATTACHMENT" for e in signed)
    assert all(e["details"]["expiresAt"].endswith("Z") for e in signed)
    published = next(e for e in found if e["action"] == "artifact.published")
    assert published["details"]["sha256"] == art["sha256"]
    updated = next(e for e in found if e["action"] == "artifact.updated")
    assert updated["details"] == {"fields": ["description"]}


def test_upload_url_and_failed_completion(client: Client) -> None:
    data = b"x" * 100
    ticket = client(BEGIN, {"input": spec(), "size": len(data), "sha": sha(b"other")})
    begun = ticket["beginArtifactUpload"]
    art_id = begun["artifact"]["id"]
    put = httpx.put(begun["uploadUrl"]["url"], content=data, headers=begun["headers"], timeout=30)
    assert put.status_code == 200
    assert client.errors(COMPLETE, {"id": art_id}).codes == ["BAD_USER_INPUT"]
    found = {e["action"]: e for e in events(client, artifactId=art_id)}
    assert set(found) == {"url.signed", "artifact.upload_failed"}
    assert found["url.signed"]["details"]["method"] == "PUT"
    assert "sha256" in found["artifact.upload_failed"]["details"]["reason"]


def test_filters(client: Client) -> None:
    one, two = publish(client, b"one"), publish(client, b"two")
    assert {e["artifactId"] for e in events(client, action=["artifact.published"])} >= {
        one["id"],
        two["id"],
    }
    assert events(client, subject="someone-else") == []
    assert events(client, artifactId="not-a-uuid") == []
    assert events(client, action=[]) == []
    newest = events(client)[0]["createdAt"]
    assert events(client, createdAt={"after": newest})[0]["createdAt"] == newest
    page = client(EVENTS, {"first": 1})["auditEvents"]
    assert page["pageInfo"]["hasNextPage"]
    assert page["totalCount"] >= 4
    rest = client(EVENTS, {"first": 500, "after": page["pageInfo"]["endCursor"]})
    assert len(rest["auditEvents"]["nodes"]) == page["totalCount"] - 1


def test_no_signature_or_token_in_details(client: Client) -> None:
    art = publish(client)
    url = client(SIGNED, {"id": art["id"]})["artifact"]["signedUrl"]["url"]
    text = client.raw(EVENTS, {"first": 500}).text
    signature = url.split("X-Amz-Signature=", 1)[1].split("&", 1)[0]
    assert signature not in text
    assert "X-Amz-" not in text
    assert "http" not in text
    assert client.token not in text
    assert client.token.split(".")[2] not in text


def test_isolation_and_scopes(
    client: Client, other: Client, client_factory: Callable[..., Client]
) -> None:
    art = publish(client)
    assert events(other, artifactId=art["id"]) == []
    assert all(e["artifactId"] != art["id"] for e in events(other))
    # another organization cannot revoke it: NOT_FOUND, nothing moved, nothing recorded
    assert other.errors(REVOKE, {"id": art["id"]}).codes == ["NOT_FOUND"]
    after = client(GET, {"id": art["id"]})["artifact"]
    assert after["storagePath"] == art["storagePath"]
    assert "url.revoked" not in actions(client, art["id"])
    reader = client_factory(client.org_id, scopes=(SCOPE_READ, SCOPE_WRITE, SCOPE_DELETE))
    assert reader.errors(EVENTS).codes == ["FORBIDDEN"]
    auditor = client_factory(client.org_id, scopes=(SCOPE_AUDIT,))
    assert auditor.errors(REVOKE, {"id": art["id"]}).codes == ["FORBIDDEN"]
    # published, and a URL each for the create and the GET: audit:read alone reads them
    assert len(events(auditor, artifactId=art["id"])) == 3
    assert client.errors(REVOKE, {"id": "nope"}).codes == ["NOT_FOUND"]


def _seed_files(stack: Stack, org_id: str, count: int) -> None:
    fetch(stack.owner_dsn, "INSERT INTO organizations (org_id) VALUES ($1)", org_id)
    fetch(
        stack.owner_dsn,
        """INSERT INTO artifacts (org_id, id, type, display_name, mime_type, status,
               created_by, published_at, storage_path)
           SELECT $1, gen_random_uuid(), 'BINARY', 'f' || i || '.bin',
                  'application/octet-stream', 'AVAILABLE', 'seed', now(), $2 || i
           FROM generate_series(1, $3::int) AS i""",
        org_id,
        f"{stack.bucket}/orgs/{org_id}/artifacts/seeded-",
        count,
    )


def test_a_signed_page_of_100_costs_one_audit_statement(
    server: Server, client: Client, stack: Stack
) -> None:
    _seed_files(stack, client.org_id, 100)
    with server.count_statements() as seen:
        data = client("{ artifacts(first: 100) { nodes { id signedUrl { url } } } }")
    nodes = data["artifacts"]["nodes"]
    assert len(nodes) == 100
    assert all(n["signedUrl"] for n in nodes)
    audit = [s for s in seen if "audit_events" in s]
    assert len(audit) == 1, audit
    signed = events(client, action=["url.signed"])
    assert len(signed) == 100
    assert {e["artifactId"] for e in signed} == {n["id"] for n in nodes}
    assert len({e["requestId"] for e in signed}) == 1
    with server.count_statements() as seen:  # nothing minted: no audit statement at all
        client("{ artifacts(first: 100) { nodes { id } } }")
    assert not [s for s in seen if "audit_events" in s]


def test_revocation_kills_old_urls_and_fresh_ones_work(client: Client) -> None:
    data = b"revocable bytes " * 64
    art = publish(client, data)
    old = art["signedUrl"]["url"]
    assert httpx.get(old, timeout=30).content == data
    revoked = client(REVOKE, {"id": art["id"]})["revokeSignedUrls"]
    assert revoked["status"] == "AVAILABLE"
    assert revoked["sha256"] == art["sha256"]
    assert revoked["storagePath"] != art["storagePath"]
    assert httpx.get(old, timeout=30).status_code in (403, 404)
    fresh = client(SIGNED, {"id": art["id"]})["artifact"]["signedUrl"]["url"]
    assert httpx.get(fresh, timeout=30).content == data
    # a second revocation kills the URLs minted after the first
    client(REVOKE, {"id": art["id"]})
    assert httpx.get(fresh, timeout=30).status_code in (403, 404)
    newest = client(SIGNED, {"id": art["id"]})["artifact"]["signedUrl"]["url"]
    assert sha(httpx.get(newest, timeout=30).content) == art["sha256"]


def test_revoking_a_pending_upload_fails_it(client: Client) -> None:
    data = b"p" * 50
    begun = client(BEGIN, {"input": spec(), "size": len(data), "sha": sha(data)})
    ticket = begun["beginArtifactUpload"]
    revoked = client(REVOKE, {"id": ticket["artifact"]["id"]})["revokeSignedUrls"]
    assert revoked["status"] == "FAILED"
    assert revoked["signedUrl"] is None
    httpx.put(ticket["uploadUrl"]["url"], content=data, headers=ticket["headers"], timeout=30)
    assert client.errors(COMPLETE, {"id": ticket["artifact"]["id"]}).codes == ["BAD_USER_INPUT"]
    assert client(GET, {"id": ticket["artifact"]["id"]})["artifact"]["status"] == "FAILED"


def test_revocation_racing_downloads_loses_nothing(client: Client) -> None:
    data = b"raced bytes " * 1000
    art = publish(client, data)
    failures: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                url = client(SIGNED, {"id": art["id"]})["artifact"]["signedUrl"]["url"]
            except AssertionError as exc:  # a GraphQL error
                failures.append(str(exc))
                return
            got = httpx.get(url, timeout=30)
            # a URL minted just before a revocation may die before it is used: fine;
            # what it serves while it works must be the artifact's bytes
            if got.status_code == 200 and got.content != data:
                failures.append("wrong bytes")

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(5):
            client(REVOKE, {"id": art["id"]})
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert failures == []
    fresh = client(SIGNED, {"id": art["id"]})["artifact"]["signedUrl"]["url"]
    assert httpx.get(fresh, timeout=30).content == data
    assert actions(client, art["id"]).count("url.revoked") == 5


def test_revocation_racing_a_publish_loses_nothing(client: Client) -> None:
    """complete and revoke at once: either the upload is published (and then revoked:
    AVAILABLE, bytes intact) or it ends FAILED; never AVAILABLE without its bytes."""
    data = b"r" * 4096
    for _ in range(3):
        begun = client(BEGIN, {"input": spec(), "size": len(data), "sha": sha(data)})
        ticket = begun["beginArtifactUpload"]
        art_id = ticket["artifact"]["id"]
        httpx.put(ticket["uploadUrl"]["url"], content=data, headers=ticket["headers"], timeout=30)
        outcomes: dict[str, Any] = {}

        def complete(art_id: str = art_id, outcomes: dict[str, Any] = outcomes) -> None:
            outcomes["complete"] = client.raw(COMPLETE, {"id": art_id}).json()

        thread = threading.Thread(target=complete)
        thread.start()
        outcomes["revoke"] = client.raw(REVOKE, {"id": art_id}).json()
        thread.join(timeout=120)
        final = client(GET, {"id": art_id})["artifact"]
        assert final["status"] in ("AVAILABLE", "FAILED"), outcomes
        if final["status"] == "AVAILABLE":
            assert httpx.get(final["signedUrl"]["url"], timeout=30).content == data
        for answer in outcomes.values():
            for error in answer.get("errors") or []:
                assert error["extensions"]["code"] in ("CONFLICT", "BAD_USER_INPUT"), outcomes


async def _as_app(dsn: str, org_id: str, sql: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute(f"SET LOCAL ROLE {APP_ROLE}")
            await conn.execute("SELECT set_config('cairn.org_id', $1, true)", org_id)
            await conn.execute(sql)
    finally:
        await conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_events SET subject = 'forged'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_the_service_role_cannot_change_or_remove_events(
    client: Client, stack: Stack, sql: str
) -> None:
    publish(client)
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        run(_as_app(stack.service_dsn, client.org_id, sql))
    assert {e["subject"] for e in events(client)} == {"tester"}


def test_the_sweep_round_prunes_events_past_retention(
    server: Server, client: Client, stack: Stack
) -> None:
    from cairn.db.pool import Database
    from cairn.services.sweeper import sweep_once

    art = publish(client)
    fetch(
        stack.owner_dsn,
        "INSERT INTO audit_events (org_id, action, subject, artifact_id, request_id, created_at) "
        "VALUES ($1, 'url.signed', 'old', $2::uuid, 'r-old', now() - interval '91 days')",
        client.org_id,
        art["id"],
    )
    assert len(events(client, subject="old")) == 1

    async def sweep() -> int:
        db = await Database.connect(stack.service_dsn, max_size=2)
        try:
            from cairn.app import make_store

            report = await sweep_once(db, make_store(server.settings), server.settings)
            return report.audit_pruned
        finally:
            await db.close()

    assert asyncio.run(sweep()) >= 1
    assert events(client, subject="old") == []
    assert len(events(client, subject="tester")) == 2  # recent ones stay
