"""Persisted queries over HTTP: Apollo's APQ protocol, trusted documents, replicas.

The protocol as Apollo's PersistedQueryLink speaks it (a hash alone, then hash and text on
PERSISTED_QUERY_NOT_FOUND); tests/clients/test_js_clients.py runs the real link.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cairn.auth import issue_token
from tests.support.http import Client, Server, new_org, serve
from tests.support.processes import REPO, cairn_env, run_cairn
from tests.support.stack import Stack, fetch, make_settings

VIEWER = "query Viewer { viewer { organizationId } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def pq(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def unique_query(tag: str) -> str:
    """A document no other test registered (documents are global)."""
    return f"query Q_{tag}_{new_org().replace('-', '_')} {{ viewer {{ organizationId }} }}"


def post(client: Client, body: dict[str, Any], **kw: Any) -> httpx.Response:
    return client.http.post("/graphql", json=body, **kw)


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


def test_apq_miss_then_register_then_hit(client: Client, stack: Stack) -> None:
    query = unique_query("apq")
    digest = sha(query)
    miss = post(client, {"extensions": pq(digest)})
    assert miss.status_code == 200  # Apollo Client 3 turns APQ off on a 400 or 500
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert codes(miss) == ["PERSISTED_QUERY_NOT_FOUND"]
    registered = post(client, {"query": query, "extensions": pq(digest)})
    assert registered.json() == {"data": {"viewer": {"organizationId": client.org_id}}}
    hit = post(client, {"extensions": pq(digest)})
    assert hit.json() == {"data": {"viewer": {"organizationId": client.org_id}}}
    rows = fetch(
        stack.owner_dsn,
        "SELECT trusted, body FROM persisted_documents WHERE sha256 = $1",
        digest,
    )
    assert [(r["trusted"], r["body"]) for r in rows] == [(False, query)]


def test_a_hit_is_served_from_the_cache_without_sql(client: Client, server: Server) -> None:
    query = unique_query("cache")
    post(client, {"query": query, "extensions": pq(sha(query))})
    with server.count_statements() as seen:
        hit = post(client, {"extensions": pq(sha(query))})
    assert hit.json()["data"]["viewer"]["organizationId"] == client.org_id
    assert not [s for s in seen if "persisted_documents" in s]


def test_get_with_a_hash_runs_a_query(client: Client) -> None:
    query = unique_query("get")
    post(client, {"query": query, "extensions": pq(sha(query))})
    params = {"extensions": json.dumps(pq(sha(query))), "operationName": query.split()[1]}
    answer = client.http.get("/graphql", params=params, headers={"Accept": "*/*"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"data": {"viewer": {"organizationId": client.org_id}}}


def test_get_with_a_mutation_hash_is_refused(client: Client) -> None:
    mutation = "mutation M { createJobRun(input: {name: " + json.dumps(new_org()) + "}) { id } }"
    post(client, {"query": mutation, "extensions": pq(sha(mutation))})  # runs once, over POST
    before = client("{ jobRuns { totalCount } }")["jobRuns"]["totalCount"]
    answer = client.http.get("/graphql", params={"extensions": json.dumps(pq(sha(mutation)))})
    assert answer.status_code == 400
    assert codes(answer) == ["BAD_USER_INPUT"]
    assert client("{ jobRuns { totalCount } }")["jobRuns"]["totalCount"] == before


def test_a_hash_that_does_not_match_the_query_is_bad_input(client: Client, server: Server) -> None:
    query = unique_query("mismatch")
    wrong = sha(query + " ")
    answer = post(client, {"query": query, "extensions": pq(wrong)})
    assert codes(answer) == ["BAD_USER_INPUT"]
    assert "does not match the query" in answer.json()["errors"][0]["message"]
    assert codes(post(client, {"extensions": pq(wrong)})) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": {"version": 1}},
        {"persistedQuery": "abc"},
    ],
)
def test_a_malformed_persisted_query_extension_is_bad_input(
    client: Client, extension: dict[str, Any]
) -> None:
    answer = post(client, {"extensions": extension})
    assert answer.status_code == 200
    assert codes(answer) == ["BAD_USER_INPUT"]
    assert "persistedQuery" in answer.json()["errors"][0]["message"]


def test_an_invalid_document_is_not_stored(client: Client, server: Server) -> None:
    query = "query Broken { viewer { noSuchField } }"
    answer = post(client, {"query": query, "extensions": pq(sha(query))})
    assert codes(answer) == ["BAD_USER_INPUT"]
    assert codes(post(client, {"extensions": pq(sha(query))})) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_another_organization_runs_a_shared_document_on_its_own_data(
    client: Client, other: Client
) -> None:
    query = unique_query("orgs")
    post(client, {"query": query, "extensions": pq(sha(query))})
    assert post(other, {"extensions": pq(sha(query))}).json() == {
        "data": {"viewer": {"organizationId": other.org_id}}
    }
    runs = "query OwnRuns { jobRuns { totalCount } }"
    client('mutation { createJobRun(input: {name: "mine"}) { id } }')
    post(client, {"query": runs, "extensions": pq(sha(runs))})
    seen = post(other, {"extensions": pq(sha(runs))}).json()
    assert seen == {"data": {"jobRuns": {"totalCount": 0}}}


def test_a_hash_without_the_scope_is_forbidden(client_factory: Any) -> None:
    writer = client_factory(scopes=("artifacts:write",))
    reader = client_factory()
    query = "query Runs { jobRuns { totalCount } }"
    post(reader, {"query": query, "extensions": pq(sha(query))})
    assert codes(post(writer, {"extensions": pq(sha(query))})) == ["FORBIDDEN"]


def test_a_hash_without_a_token_is_unauthenticated(server: Server) -> None:
    answer = httpx.post(server.graphql_url, json={"extensions": pq("0" * 64)}, timeout=30)
    assert answer.status_code == 401
    assert codes(answer) == ["UNAUTHENTICATED"]


# --- other settings: separate servers on the same database ------------------------------


@pytest.fixture(scope="module")
def only_server(stack: Stack) -> Iterator[Server]:
    with serve(make_settings(stack, persisted_queries="only")) as running:
        yield running


@pytest.fixture(scope="module")
def only_replica(stack: Stack) -> Iterator[Server]:
    with serve(make_settings(stack, persisted_queries="only")) as running:
        yield running


def client_of(server: Server) -> Client:
    org = new_org()
    token = issue_token(server.settings, org_id=org, subject="tester")
    http = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    return Client(http=http, org_id=org, token=token)


def register(stack: Stack, tmp_path: Path, *texts: str, name: str = "ops.graphql") -> str:
    files = []
    for i, text in enumerate(texts):
        path = tmp_path / f"{i}-{name}"
        path.write_text(text)
        files.append(str(path))
    env = cairn_env(CAIRN_DATABASE_URL=stack.owner_dsn)
    done = run_cairn("documents", "register", *files, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_only_mode_runs_registered_documents_and_refuses_the_rest(
    stack: Stack, only_server: Server, tmp_path: Path
) -> None:
    client = client_of(only_server)
    query = unique_query("only")
    unregistered = post(client, {"query": query})
    assert codes(unregistered) == ["PERSISTED_QUERY_NOT_ALLOWED"]
    assert "cairn documents register" in unregistered.json()["errors"][0]["message"]
    # An APQ registration attempt is refused too, and stores nothing.
    assert codes(post(client, {"query": query, "extensions": pq(sha(query))})) == [
        "PERSISTED_QUERY_NOT_ALLOWED"
    ]
    assert codes(post(client, {"extensions": pq(sha(query))})) == ["PERSISTED_QUERY_NOT_FOUND"]
    printed = register(stack, tmp_path, query)
    stored = fetch(stack.owner_dsn, "SELECT sha256 FROM persisted_documents WHERE trusted")
    digest = next(r["sha256"] for r in stored if r["sha256"] in printed)
    assert f"{digest}  " in printed
    assert "registered" in printed
    assert post(client, {"extensions": pq(digest)}).json() == {
        "data": {"viewer": {"organizationId": client.org_id}}
    }


def test_only_mode_does_not_trust_apq_documents(client: Client, only_server: Server) -> None:
    query = unique_query("apq_untrusted")
    post(client, {"query": query, "extensions": pq(sha(query))})  # stored by the "on" server
    refused = post(client_of(only_server), {"extensions": pq(sha(query))})
    assert codes(refused) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert codes(post(client_of(only_server), {"query": query})) == ["PERSISTED_QUERY_NOT_ALLOWED"]


def test_replicas_share_registered_documents(
    stack: Stack, only_server: Server, only_replica: Server, tmp_path: Path
) -> None:
    query = unique_query("replicas")
    one, two = client_of(only_server), client_of(only_replica)
    # Both replicas have seen (and cached) the miss before the document is registered.
    assert codes(post(one, {"query": query})) == ["PERSISTED_QUERY_NOT_ALLOWED"]
    assert codes(post(two, {"query": query})) == ["PERSISTED_QUERY_NOT_ALLOWED"]
    register(stack, tmp_path, query)
    assert post(one, {"query": query}).json()["data"]["viewer"]["organizationId"] == one.org_id
    assert post(two, {"query": query}).json()["data"]["viewer"]["organizationId"] == two.org_id


def test_apq_documents_are_shared_by_replicas(client: Client, stack: Stack) -> None:
    query = unique_query("apq_replicas")
    post(client, {"query": query, "extensions": pq(sha(query))})
    with serve(make_settings(stack)) as replica:
        other = client_of(replica)
        assert post(other, {"extensions": pq(sha(query))}).json() == {
            "data": {"viewer": {"organizationId": other.org_id}}
        }


def test_off_mode_refuses_hashes_as_not_supported(stack: Stack) -> None:
    with serve(make_settings(stack, persisted_queries="off")) as off:
        client = client_of(off)
        query = unique_query("off")
        answer = post(client, {"extensions": pq(sha(query))})
        assert answer.json()["errors"][0]["message"] == "PersistedQueryNotSupported"
        assert codes(answer) == ["PERSISTED_QUERY_NOT_SUPPORTED"]
        ran = post(client, {"query": query, "extensions": pq(sha(query))})
        assert ran.json() == {"data": {"viewer": {"organizationId": client.org_id}}}
        rows = fetch(
            stack.owner_dsn, "SELECT 1 FROM persisted_documents WHERE sha256 = $1", sha(query)
        )
        assert rows == []


def test_a_bad_persisted_queries_setting_stops_start_up(tmp_path: Path) -> None:
    env = cairn_env(CAIRN_PERSISTED_QUERIES="sometimes", CAIRN_DATA_DIR=str(tmp_path))
    done = run_cairn("serve", "--port", "1", env=env, cwd=tmp_path)
    assert done.returncode != 0
    assert "CAIRN_PERSISTED_QUERIES" in done.stderr


# --- cairn documents register --------------------------------------------------------


def test_register_reads_apollo_manifests_and_hash_maps(stack: Stack, tmp_path: Path) -> None:
    first, second = unique_query("manifest"), unique_query("map")
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": sha(first), "name": "First", "type": "query", "body": first}],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "relay.json").write_text(json.dumps({sha(second): second}))
    env = cairn_env(CAIRN_DATABASE_URL=stack.owner_dsn)
    files = [str(tmp_path / "manifest.json"), str(tmp_path / "relay.json")]
    done = run_cairn("documents", "register", *files, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert sha(first) in done.stdout
    assert sha(second) in done.stdout
    again = run_cairn("documents", "register", *files, env=env, cwd=REPO)
    assert again.stdout.count("already registered") == 2


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("bad.graphql", "query { viewer { ", "Syntax Error"),
        ("invalid.graphql", "query { viewer { nope } }", "not valid against the schema"),
        ("wrong.json", json.dumps({"0" * 64: "{ viewer { subject } }"}), "is not the sha256"),
        ("odd.json", "[1, 2]", "expected an Apollo persisted query manifest"),
    ],
)
def test_register_refuses_bad_files_and_stores_nothing(
    stack: Stack, tmp_path: Path, name: str, text: str, says: str
) -> None:
    good = tmp_path / "good.graphql"
    good.write_text(unique_query("refused"))
    (tmp_path / name).write_text(text)
    env = cairn_env(CAIRN_DATABASE_URL=stack.owner_dsn)
    done = run_cairn("documents", "register", str(good), str(tmp_path / name), env=env, cwd=REPO)
    assert done.returncode == 2
    assert says in done.stderr
    assert name in done.stderr
    body = good.read_text()
    assert fetch(stack.owner_dsn, "SELECT 1 FROM persisted_documents WHERE body = $1", body) == []


def test_the_app_role_cannot_add_trusted_documents_or_change_any(stack: Stack) -> None:
    privileges = fetch(
        stack.owner_dsn,
        "SELECT has_table_privilege('cairn_app', 'persisted_documents', 'UPDATE') AS u, "
        "has_table_privilege('cairn_app', 'persisted_documents', 'DELETE') AS d, "
        "has_column_privilege('cairn_app', 'persisted_documents', 'trusted', 'INSERT') AS t, "
        "has_column_privilege('cairn_app', 'persisted_documents', 'body', 'INSERT') AS b",
    )
    assert dict(privileges[0]) == {"u": False, "d": False, "t": False, "b": True}


@pytest.mark.slow
def test_register_works_on_the_embedded_stack_with_no_settings(tmp_path: Path) -> None:
    """As ``cairn token`` does: the data dir's embedded PostgreSQL, started and stopped."""
    # Outside pytest's basetemp, as tests/operations/test_serve.py's data dirs (see `stack`).
    base = Path(tempfile.mkdtemp(prefix="cairn-documents-test-"))
    try:
        _register_embedded(tmp_path, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _register_embedded(tmp_path: Path, base: Path) -> None:
    path = tmp_path / "op.graphql"
    path.write_text("query Embedded { viewer { subject } }")
    env = cairn_env(CAIRN_DATA_DIR=str(base / "data"))
    done = run_cairn("documents", "register", str(path), env=env, cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr
    printed = "query Embedded {\n  viewer {\n    subject\n  }\n}"
    assert f"{sha(printed)}  {path} (printed)  registered" in done.stdout
    again = run_cairn("documents", "register", str(path), env=env, cwd=tmp_path, timeout=180)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already registered") == 2
    assert not (base / "data" / "postgres" / "postmaster.pid").exists()  # stopped again


async def test_only_mode_runs_a_registered_websocket_subscription(
    stack: Stack, only_server: Server, tmp_path: Path
) -> None:
    from gql import Client as GqlClient
    from gql import gql
    from gql.transport.websockets import WebsocketsTransport

    from tests.support.js_clients import PUBLISH, publish_as, until_subscribed, ws_url

    client = client_of(only_server)
    name = "Sub_" + new_org().replace("-", "_")
    document = f"subscription {name} {{ artifactPublished {{ id }} }}"
    register(stack, tmp_path, document, PUBLISH)
    transport = WebsocketsTransport(
        url=ws_url(only_server),
        init_payload={"Authorization": f"Bearer {client.token}"},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    async with GqlClient(transport=transport) as session:

        async def first() -> dict[str, Any]:
            async for result in session.subscribe(gql(document)):
                return dict(result)
            raise AssertionError("the subscription ended without a result")

        received = asyncio.create_task(first())
        await until_subscribed(only_server, client.org_id)
        artifact_id = await asyncio.to_thread(publish_as, only_server, client.token, "ws.md")
        assert await asyncio.wait_for(received, 60) == {"artifactPublished": {"id": artifact_id}}


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
async def test_only_mode_answers_an_unregistered_websocket_subscription_with_an_error(
    only_server: Server, protocol: str
) -> None:
    from gql import Client as GqlClient
    from gql import gql
    from gql.transport.exceptions import TransportQueryError
    from gql.transport.websockets import WebsocketsTransport

    from tests.support.js_clients import ws_url

    client = client_of(only_server)
    name = "Unregistered_" + new_org().replace("-", "_")
    transport = WebsocketsTransport(
        url=ws_url(only_server),
        init_payload={"Authorization": f"Bearer {client.token}"},
        subprotocols=[protocol],
    )
    async with GqlClient(transport=transport) as session:

        async def first() -> None:
            async for _ in session.subscribe(
                gql(f"subscription {name} {{ artifactPublished {{ id }} }}")
            ):
                raise AssertionError("an unregistered subscription ran")

        with pytest.raises(TransportQueryError) as refused:
            await asyncio.wait_for(first(), 30)
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    assert "cairn documents register" in refused.value.errors[0]["message"]
