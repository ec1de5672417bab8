"""Versions under concurrency, idempotency keys, updates and deletes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cairn.auth import SCOPE_READ, SCOPE_WRITE
from tests.support.http import Client
from tests.support.publish import (
    CREATE,
    DELETE,
    DELETE_KEY,
    GET,
    PNG,
    UPDATE,
    b64,
    create,
    download,
    objects,
    spec,
)
from tests.support.stack import Stack, fetch

VERSIONS = """query($key: String!) {
  artifacts(filter: {key: {eq: $key}}, sort: VERSION_DESC, first: 500) {
    nodes { id version isLatest } totalCount
  }
}"""


def versions(client: Client, key: str) -> list[tuple[int, bool]]:
    nodes = client(VERSIONS, {"key": key})["artifacts"]["nodes"]
    return [(n["version"], n["isLatest"]) for n in nodes]


def test_fifty_versions_from_ten_concurrent_clients(
    client_factory: Callable[..., Client], client: Client, stack: Stack
) -> None:
    clients = [client_factory(org_id=client.org_id) for _ in range(10)]

    def publish(i: int) -> list[int]:
        mine = clients[i]
        out = []
        for j in range(5):
            if j % 2:
                art = create(mine, spec("MARKDOWN", "m.md", key="shared"), data=f"{i}-{j}")
            else:  # files take the PENDING -> AVAILABLE path
                art = create(mine, spec("JSON", "r.json", key="shared"), data={"i": i, "j": j})
            out.append(art["version"])
        return out

    with ThreadPoolExecutor(10) as pool:
        seen = [v for vs in pool.map(publish, range(10)) for v in vs]
    assert sorted(seen) == list(range(1, 51))
    listed = versions(client, "shared")
    assert [v for v, _ in listed] == list(range(50, 0, -1))
    assert [latest for _, latest in listed] == [True] + [False] * 49
    counter = fetch(
        stack.owner_dsn,
        "SELECT last_version FROM artifact_keys WHERE org_id = $1 AND key = 'shared'",
        client.org_id,
    )
    assert counter[0]["last_version"] == 50


def test_keys_are_per_organization_and_keyless_artifacts_have_no_version(
    client: Client, other: Client
) -> None:
    assert create(client, spec("MARKDOWN", "a", key="k"), data="1")["version"] == 1
    assert create(other, spec("MARKDOWN", "a", key="k"), data="1")["version"] == 1
    assert create(client, spec("MARKDOWN", "a", key="k"), data="2")["version"] == 2
    keyless = [create(client, spec("MARKDOWN", "a"), data=str(i)) for i in range(2)]
    assert [(a["key"], a["version"], a["isLatest"]) for a in keyless] == [(None, None, True)] * 2


def test_deleting_the_latest_repoints_latest(client: Client, stack: Stack) -> None:
    ids = [create(client, spec("JSON", "r.json", key="rep"), data={"v": i})["id"] for i in range(4)]
    # delete a middle version: latest unchanged
    assert client(DELETE, {"id": ids[1]})["deleteArtifact"] == {"deletedCount": 1}
    assert versions(client, "rep") == [(4, True), (3, False), (1, False)]
    # delete the latest: the highest remaining becomes latest
    assert client(DELETE, {"id": ids[3]})["deleteArtifact"] == {"deletedCount": 1}
    assert versions(client, "rep") == [(3, True), (1, False)]
    # versions keep counting from the last one taken (no reuse of 4)
    new = create(client, spec("JSON", "r.json", key="rep"), data={"v": 9})
    assert (new["version"], new["isLatest"]) == (5, True)
    assert versions(client, "rep") == [(5, True), (3, False), (1, False)]
    latest = fetch(
        stack.owner_dsn,
        "SELECT count(*) AS n FROM artifacts WHERE org_id = $1 AND key = 'rep' AND is_latest",
        client.org_id,
    )
    assert latest[0]["n"] == 1


def test_delete_by_key_removes_rows_objects_and_counter(client: Client, stack: Stack) -> None:
    arts = [create(client, spec("PNG", "p.png", key="shots"), b64=b64(PNG)) for _ in range(3)]
    create(client, spec("MARKDOWN", "x", key="other"), data="stay")
    prefix = f"orgs/{client.org_id}/artifacts/"
    bucket = arts[0]["storagePath"].split("/", 1)[0]
    assert len(objects(stack, bucket, prefix)) == 3
    urls = [a["signedUrl"]["url"] for a in arts]
    assert download(urls[0]).status_code == 200
    assert client(DELETE_KEY, {"key": "shots"})["deleteArtifactsByKey"] == {"deletedCount": 3}
    assert objects(stack, bucket, prefix) == set()
    assert all(download(u).status_code in (403, 404) for u in urls)
    assert versions(client, "shots") == []
    assert versions(client, "other") == [(1, True)]
    counter = fetch(
        stack.owner_dsn,
        "SELECT key FROM artifact_keys WHERE org_id = $1 ORDER BY key",
        client.org_id,
    )
    assert [r["key"] for r in counter] == ["other"]
    # the key starts over
    again = create(client, spec("PNG", "p.png", key="shots"), b64=b64(PNG))
    assert (again["version"], again["isLatest"]) == (1, True)
    assert client(DELETE_KEY, {"key": "never-used"})["deleteArtifactsByKey"] == {"deletedCount": 0}
    err = client.errors(DELETE_KEY, {"key": "Not A Key"})
    assert err.codes == ["BAD_USER_INPUT"]


def test_deleted_artifact_url_stops_working(client: Client, other: Client, stack: Stack) -> None:
    art = create(client, spec("BINARY", "b.bin"), b64=b64(b"secret bytes"))
    url = art["signedUrl"]["url"]
    assert download(url).content == b"secret bytes"
    # another organization cannot delete it (and learns nothing)
    assert other.errors(DELETE, {"id": art["id"]}).codes == ["NOT_FOUND"]
    assert client(DELETE, {"id": art["id"]})["deleteArtifact"] == {"deletedCount": 1}
    assert download(url).status_code in (403, 404)
    assert client(GET, {"id": art["id"]})["artifact"] is None
    assert client.errors(DELETE, {"id": art["id"]}).codes == ["NOT_FOUND"]
    assert client.errors(DELETE, {"id": "nope"}).codes == ["NOT_FOUND"]


def test_delete_needs_the_delete_scope(client_factory: Callable[..., Client]) -> None:
    writer = client_factory(scopes=(SCOPE_READ, SCOPE_WRITE))
    art = create(writer, spec("MARKDOWN", "m"), data="x")
    assert writer.errors(DELETE, {"id": art["id"]}).codes == ["FORBIDDEN"]
    assert writer.errors(DELETE_KEY, {"key": "k"}).codes == ["FORBIDDEN"]


def test_update_changes_descriptive_fields_only(client: Client, other: Client) -> None:
    art = create(
        client,
        spec("JSON", "a.json", key="upd", category="raw", description="old", metadata={"a": 1}),
        data=[1],
    )
    changed = client(UPDATE, {"id": art["id"], "description": "new *md*", "metadata": {"b": 2}})
    updated = changed["updateArtifact"]
    assert (updated["description"], updated["metadata"], updated["category"]) == (
        "new *md*",
        {"b": 2},
        "raw",
    )
    assert (updated["sha256"], updated["version"], updated["key"]) == (art["sha256"], 1, "upd")
    renamed = client(UPDATE, {"id": art["id"], "displayName": "b.json", "category": None})
    assert renamed["updateArtifact"]["displayName"] == "b.json"
    assert renamed["updateArtifact"]["category"] is None
    assert renamed["updateArtifact"]["description"] == "new *md*"
    response = download(renamed["updateArtifact"]["signedUrl"]["url"])
    assert 'filename="b.json"' in response.headers["content-disposition"]
    bad: list[tuple[dict[str, Any], str]] = [
        ({"metadata": [1]}, "JSON object"),
        ({"metadata": None}, "cannot be null"),
        ({"displayName": None}, "cannot be null"),
        ({"displayName": ""}, "must not be empty"),
        ({}, "at least one"),
    ]
    for variables, fragment in bad:
        err = client.errors(UPDATE, {"id": art["id"], **variables})
        assert err.codes == ["BAD_USER_INPUT"], variables
        assert fragment in err.errors[0]["message"]
    assert other.errors(UPDATE, {"id": art["id"], "description": "x"}).codes == ["NOT_FOUND"]
    assert client.errors(UPDATE, {"id": "x", "description": "x"}).codes == ["NOT_FOUND"]


def test_idempotency_key_returns_the_first_artifact(client: Client) -> None:
    first = create(client, spec("MARKDOWN", "m", key="idem", idempotencyKey="run-1/m"), data="a")
    again = create(client, spec("MARKDOWN", "m", key="idem", idempotencyKey="run-1/m"), data="a")
    assert again["id"] == first["id"]
    assert again["version"] == 1
    err = client.errors(
        CREATE, {"input": spec("MARKDOWN", "m", key="idem", idempotencyKey="run-1/m"), "data": "b"}
    )
    assert err.codes == ["CONFLICT"]
    assert "different request" in err.errors[0]["message"]
    err = client.errors(
        CREATE,
        {"input": spec("MARKDOWN", "other", key="idem", idempotencyKey="run-1/m"), "data": "a"},
    )
    assert err.codes == ["CONFLICT"]
    nxt = create(client, spec("MARKDOWN", "m", key="idem"), data="a")
    assert nxt["version"] == 2  # the replays used no version


def _concurrent_replays(
    client_factory: Callable[..., Client], client: Client, input_: dict[str, Any], **variables: Any
) -> set[str]:
    clients = [client_factory(org_id=client.org_id) for _ in range(10)]
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda c: create(c, input_, **variables)["id"], clients))
    return set(results)


def test_ten_concurrent_replays_make_one_artifact(
    client_factory: Callable[..., Client], client: Client, stack: Stack
) -> None:
    inline = _concurrent_replays(
        client_factory, client, spec("MARKDOWN", "m", key="c", idempotencyKey="i-1"), data="x"
    )
    files = _concurrent_replays(
        client_factory, client, spec("PNG", "p.png", key="c", idempotencyKey="f-1"), b64=b64(PNG)
    )
    assert len(inline) == 1
    assert len(files) == 1
    rows = fetch(
        stack.owner_dsn,
        "SELECT idempotency_key, status, version FROM artifacts WHERE org_id = $1 ORDER BY version",
        client.org_id,
    )
    assert [(r["idempotency_key"], r["status"], r["version"]) for r in rows] == [
        ("i-1", "AVAILABLE", 1),
        ("f-1", "AVAILABLE", 2),
    ]
