"""Hostile queries and transport abuse: refused with a typed error before any resolver runs."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from graphql import get_introspection_query

from cairn.auth import issue_token
from tests.support.http import Client, Server, new_org, serve
from tests.support.stack import Stack, make_settings

DEEP = (
    "{ workflows { nodes { runs { nodes { workflow { runs { nodes { workflow { runs { nodes {"
    " workflow { runs { nodes { id } } } } } } } } } } } } } }"
)


def codes(body: dict[str, object]) -> list[str]:
    errors = body.get("errors")
    assert isinstance(errors, list), body
    assert errors, body
    return [e["extensions"]["code"] for e in errors]


def refused(server: Server, client: Client, query: str, code: str) -> dict[str, object]:
    """Send ``query``; it must fail with ``code`` and run no SQL at all."""
    with server.count_statements() as seen:
        response = client.raw(query)
    body = response.json()
    assert set(codes(body)) == {code}, body
    assert body.get("data") is None, body
    assert seen == [], seen
    return dict(body)


def test_depth_limit(server: Server, client: Client) -> None:
    body = refused(server, client, DEEP, "QUERY_TOO_COMPLEX")
    assert "maximum operation depth of 12" in json.dumps(body)
    # The same shape within the limit works.
    assert client("{ workflows { nodes { runs { nodes { workflow { name } } } } } }")


def test_alias_limit(server: Server, client: Client) -> None:
    aliases = " ".join(f"a{n}: viewer {{ subject }}" for n in range(31))
    refused(server, client, "{ " + aliases + " }", "QUERY_TOO_COMPLEX")
    ok = " ".join(f"a{n}: viewer {{ subject }}" for n in range(30))
    assert len(client("{ " + ok + " }")) == 30


def test_token_limit(server: Server, client: Client) -> None:
    fields = " ".join(["subject"] * 2100)
    refused(server, client, "{ viewer { " + fields + " } }", "QUERY_TOO_COMPLEX")


def test_cyclic_introspection_is_refused(server: Server, client: Client) -> None:
    query = (
        "{ __schema { types { fields { type { fields { type { fields { type { fields {"
        " name } } } } } } } } } }"
    )
    body = refused(server, client, query, "QUERY_TOO_COMPLEX")
    assert "introspection" in json.dumps(body).lower()


def test_full_graphiql_introspection_fits_the_default_limits(client: Client) -> None:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    data = client(query)
    names = {t["name"] for t in data["__schema"]["types"]}
    assert {"Query", "Mutation", "Artifact", "ArtifactConnection"} <= names


@pytest.mark.parametrize("first", [501, 10_000, -1])
def test_first_is_capped(server: Server, client: Client, first: int) -> None:
    for root in ("workflows", "artifacts", "jobRuns", "workflowRuns", "latestArtifacts"):
        with server.count_statements() as seen:
            errors = client.errors(f"{{ {root}(first: {first}) {{ nodes {{ id }} }} }}")
        assert errors.codes == ["BAD_USER_INPUT"], errors.errors
        assert seen == []
    assert client("{ workflows(first: 500) { nodes { id } } }")["workflows"]["nodes"] == []


def test_nested_first_is_capped(client: Client) -> None:
    client('mutation { createWorkflow(input: {name: "w"}) { id } }')
    errors = client.errors("{ workflows { nodes { runs(first: 501) { nodes { id } } } } }")
    assert errors.codes == ["BAD_USER_INPUT"]


def test_batching_is_refused(server: Server, client: Client) -> None:
    with server.count_statements() as seen:
        response = client.http.post("/graphql", json=[{"query": "{ viewer { subject } }"}] * 2)
    assert response.status_code == 400
    body = response.json()
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "batching is not supported" in body["errors"][0]["message"]
    assert seen == []


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"{not json", "Unable to parse request body as JSON"),
        (b'{"variables": {}}', "No GraphQL query found"),
        (b'"just a string"', ""),
    ],
)
def test_malformed_bodies_get_graphql_errors(client: Client, content: bytes, fragment: str) -> None:
    response = client.http.post(
        "/graphql", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert codes(body) == ["BAD_USER_INPUT"]
    assert fragment in body["errors"][0]["message"]


def test_mutation_over_get_is_refused(client: Client) -> None:
    response = client.http.get(
        "/graphql", params={"query": 'mutation { createWorkflow(input: {name: "x"}) { id } }'}
    )
    assert response.status_code in (400, 405), response.text
    assert codes(response.json()) == ["BAD_USER_INPUT"]
    assert client("{ workflows { totalCount } }")["workflows"]["totalCount"] == 0


def test_fragment_cycles_and_unknown_fields(client: Client) -> None:
    cyclic = "query { viewer { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }"
    assert client.errors(cyclic).codes[0] == "BAD_USER_INPUT"
    unknown = client.errors("{ viewr { subject } }")
    assert unknown.codes == ["BAD_USER_INPUT"]
    assert "Did you mean" in unknown.errors[0]["message"]  # introspection on: suggestions on


@pytest.fixture(scope="module")
def locked(stack: Stack) -> Iterator[Server]:
    """A server with introspection off and a 4 KiB request limit."""
    with serve(make_settings(stack, introspection=False, max_request_bytes=4096)) as running:
        yield running


@pytest.fixture
def locked_http(locked: Server) -> Iterator[httpx.Client]:
    token = issue_token(locked.settings, org_id=new_org())
    with httpx.Client(
        base_url=locked.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as http:
        yield http


def test_introspection_and_suggestions_off(locked_http: httpx.Client) -> None:
    body = locked_http.post("/graphql", json={"query": "{ __schema { types { name } } }"}).json()
    assert set(codes(body)) == {"BAD_USER_INPUT"}
    assert body["data"] is None
    assert "introspection" in body["errors"][0]["message"].lower()
    body = locked_http.post("/graphql", json={"query": "{ viewr { subject } }"}).json()
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "Did you mean" not in body["errors"][0]["message"]
    assert "viewer" not in body["errors"][0]["message"]
    body = locked_http.post("/graphql", json={"query": "{ viewer { subjec } }"}).json()
    assert "subject" not in json.dumps(body["errors"])
    ok = locked_http.post("/graphql", json={"query": "{ viewer { scopes } }"}).json()
    assert ok["data"]["viewer"]["scopes"] == sorted(ok["data"]["viewer"]["scopes"])


def test_request_body_limit(locked: Server, locked_http: httpx.Client) -> None:
    big = {"query": "{ viewer { subject } }", "variables": {"pad": "x" * 5000}}
    with locked.count_statements() as seen:
        response = locked_http.post("/graphql", json=big)
    assert response.status_code == 413
    assert codes(response.json()) == ["PAYLOAD_TOO_LARGE"]
    assert "CAIRN_MAX_REQUEST_BYTES" in response.json()["errors"][0]["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: streamed, counted as it comes
        yield b'{"query": "{ viewer { subject } }", "variables": {"pad": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}}'

    response = locked_http.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert codes(response.json()) == ["PAYLOAD_TOO_LARGE"]
    assert seen == []
    small = locked_http.post("/graphql", json={"query": "{ viewer { subject } }"})
    assert small.json()["data"]["viewer"]["subject"] == "cairn-cli"


def multipart(client: Client, headers: dict[str, str]) -> httpx.Response:
    operations = json.dumps({"query": "{ viewer { organizationId } }", "variables": {}})
    return client.http.post(
        "/graphql",
        data={"operations": operations, "map": "{}"},
        files={"unused": ("a.txt", b"hello", "text/plain")},
        headers=headers,
    )


def test_multipart_csrf_guard(server: Server, client: Client) -> None:
    with server.count_statements() as seen:
        response = multipart(client, {})
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]
    assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]
    assert seen == []
    for header in ("Apollo-Require-Preflight", "X-Apollo-Operation-Name"):
        ok = multipart(client, {header: "true"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["data"]["viewer"]["organizationId"] == client.org_id


def test_unauthenticated_shape(server: Server) -> None:
    with httpx.Client(base_url=server.url) as http:
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
            response = http.post(
                "/graphql", json={"query": "{ viewer { subject } }"}, headers=headers
            )
            assert response.status_code == 401
            assert response.headers["WWW-Authenticate"] == 'Bearer realm="cairn"'
            body = response.json()
            assert body["data"] is None
            assert codes(body) == ["UNAUTHENTICATED"]
            assert len(body["errors"][0]["extensions"]["requestId"]) == 16
