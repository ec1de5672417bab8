"""Query cost: nested connections multiply, and an operation over CAIRN_MAX_QUERY_COST is
QUERY_TOO_COMPLEX before anything runs (GitHub's node-limit model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import websockets
from graphql import build_schema as build_sdl
from graphql import parse
from strawberry.extensions.validation_cache import DEFAULT_MAXSIZE, _get_validate_cache

from cairn.auth import issue_token
from cairn.graphql import cost
from cairn.graphql.cost import estimate_cost
from cairn.graphql.schema import build_schema
from tests.support.http import Client, Server, new_org, serve
from tests.support.stack import Stack, make_settings

NESTED = (
    "{ artifacts(first: 60) { nodes { versions(first: 60) { nodes {"
    " versions(first: 60) { nodes { id } } } } } } }"
)
RUNS = (
    "{ workflows(first: 100) { nodes { runs(first: 10) { nodes {"
    " artifacts(first: 10) { nodes { id } } } } } } }"
)


def refused(server: Server, client: Client, query: str, variables: Any = None) -> str:
    """``query`` must be QUERY_TOO_COMPLEX, with no SQL run; return its message."""
    with server.count_statements() as seen:
        response = client.raw(query, variables)
    body = response.json()
    assert body["data"] is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_COMPLEX"], body
    assert seen == [], seen
    message: str = body["errors"][0]["message"]
    return message


def test_the_216000_node_query_is_refused_with_cost_and_limit(
    server: Server, client: Client
) -> None:
    message = refused(server, client, NESTED)
    assert "219660" in message  # 60 + 60² + 60³
    assert "216000" in message  # the innermost connection alone
    assert "50000" in message
    assert "artifacts.nodes.versions.nodes.versions" in message
    assert "first/last" in message


def test_workflows_runs_artifacts_100_10_10_passes(server: Server, client: Client) -> None:
    workflow = client('mutation { createWorkflow(input: {name: "w"}) { id } }')["createWorkflow"]
    client(
        "mutation($w: ID!) { createWorkflowRun(input: {workflowId: $w}) { id } }",
        {"w": workflow["id"]},
    )
    data = client(RUNS)
    assert len(data["workflows"]["nodes"]) == 1
    assert len(data["workflows"]["nodes"][0]["runs"]["nodes"]) == 1


def test_fragments_and_inline_fragments_are_counted(server: Server, client: Client) -> None:
    query = """
    query { artifacts(first: 60) { ...Outer } }
    fragment Outer on ArtifactConnection { nodes { ... on Artifact { ...Inner } } }
    fragment Inner on Artifact { versions(first: 60) { nodes { versions(first: 60) { nodes { id } } } } }
    """
    assert "219660" in refused(server, client, query)


def test_variables_and_their_defaults_are_resolved(server: Server, client: Client) -> None:
    query = """
    query Q($n: Int = 60, $m: Int) {
      artifacts(first: $n) { nodes { versions(first: $m) { nodes { versions(first: $n) { nodes { id } } } } } }
    }
    """
    # $n from its default (60), $m absent: the argument's own default (50).
    assert "180000" in refused(server, client, query)  # 60·50·60
    assert "219660" in refused(server, client, query, {"n": 60, "m": 60})
    assert client(query, {"n": 10, "m": 10}) == {"artifacts": {"nodes": []}}


def test_an_accepted_document_is_not_walked_again_unless_its_pages_are_variables(
    server: Server, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    walks: list[object] = []
    walk = cost.estimate_cost
    monkeypatch.setattr(cost, "estimate_cost", lambda *a: walks.append(a[1]) or walk(*a))
    fixed = "query($k: String!) { artifacts(filter: {key: {eq: $k}}, first: 7) { totalCount } }"
    for key in ("a", "b", "c"):  # other variables, the same cost: walked once
        assert client(fixed, {"k": key}) == {"artifacts": {"totalCount": 0}}
    assert len(walks) == 1
    # first/last from variables: accepted with small pages, then refused with large ones.
    paged = (
        "query($n: Int) { artifacts(first: $n) { nodes { versions(first: $n) { nodes {"
        " versions(first: $n) { nodes { id } } } } } } }"
    )
    assert client(paged, {"n": 2}) == {"artifacts": {"nodes": []}}
    assert client(paged, {"n": 2}) == {"artifacts": {"nodes": []}}
    assert "219660" in refused(server, client, paged, {"n": 60})
    assert len(walks) == 4


def test_an_estimate_says_whether_its_pages_came_from_variables() -> None:
    def uses(query: str) -> bool:
        estimate = estimate_cost(MODEL, parse(query), None, {})
        assert estimate is not None
        return estimate.uses_variables

    assert uses("query($n: Int = 3) { items(first: $n) { nodes { id } } }")
    assert uses("query($n: Int) { items { nodes { children(last: $n) { nodes { id } } } } }")
    assert not uses("query($n: Int) { items(first: 4) { nodes { id } } }")
    assert not uses("{ items { nodes { children(first: 2) { nodes { id } } } } }")


def test_every_alias_counts(server: Server, client: Client) -> None:
    one = "a{n}: artifacts(first: 500) {{ nodes {{ versions(first: 50) {{ nodes {{ id }} }} }} }}"
    assert client("{ " + one.format(n=1) + " }") == {"a1": {"nodes": []}}  # 25,500
    message = refused(server, client, "{ " + one.format(n=1) + " " + one.format(n=2) + " }")
    assert "51000" in message


@pytest.fixture(scope="module")
def strict(stack: Stack) -> Iterator[Server]:
    with serve(make_settings(stack, max_query_cost=100)) as running:
        yield running


def strict_client(server: Server) -> Client:
    import httpx

    org = new_org()
    token = issue_token(server.settings, org_id=org, subject="tester")
    http = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    return Client(http=http, org_id=org, token=token)


def test_the_limit_is_a_setting_and_missing_first_counts_as_50(strict: Server) -> None:
    client = strict_client(strict)
    try:
        assert client("{ artifacts(first: 100) { nodes { id } } }")
        assert "101" in refused(strict, client, "{ artifacts(first: 101) { nodes { id } } }")
        message = refused(strict, client, "{ artifacts { nodes { versions { nodes { id } } } } }")
        assert "2550" in message  # 50 + 50·50
        assert "more than the limit of 100" in message
    finally:
        client.http.close()


async def test_a_subscription_over_the_limit_is_refused(strict: Server) -> None:
    token = issue_token(strict.settings, org_id=new_org(), subject="tester")
    url = strict.url.replace("http://", "ws://") + "/graphql"
    query = "subscription { artifactPublished { versions(first: 101) { nodes { id } } } }"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        ack = await ws.recv()
        assert isinstance(ack, str)  # text frames
        assert json.loads(ack)["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        raw = await ws.recv()
        assert isinstance(raw, str)
        message = json.loads(raw)
    assert message["type"] == "error", message
    assert [e["extensions"]["code"] for e in message["payload"]] == ["QUERY_TOO_COMPLEX"]


MODEL = build_sdl("""
    interface Node { id: ID! }
    type Item implements Node { id: ID!  children(first: Int = 50, last: Int): ItemConnection! }
    type Other implements Node { id: ID!  items(first: Int = 20): ItemConnection! }
    union Thing = Item | Other
    type ItemConnection { edges: [ItemEdge!]!  nodes: [Item!]! }
    type ItemEdge { node: Item! }
    type Query {
      items(first: Int = 50, last: Int): ItemConnection!
      node: Node
      thing: Thing
      viewer: String
    }
""")


def model_cost(query: str, variables: dict[str, Any] | None = None) -> int:
    estimate = estimate_cost(MODEL, parse(query), None, variables)
    assert estimate is not None
    return estimate.total


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        ("{ viewer }", 0),
        ("{ items(last: 7) { nodes { id } } }", 7),  # last given, first defaulted: last
        ("{ items(first: 3, last: 9) { nodes { id } } }", 9),
        ("{ items(first: 100000) { nodes { id } } }", 500),  # refused later as BAD_USER_INPUT
        ("{ items(first: null) { nodes { id } } }", 50),
        # edges and nodes of one connection are one page; __typename is free
        ("{ items(first: 3) { __typename edges { node { id } } nodes { id } } }", 3),
        ("{ items(first: 4) { nodes { children(first: 5) { nodes { id } } } } }", 4 + 20),
        # the schema's own default for `first`, through an interface and a union
        (
            "{ node { ... on Other { items { nodes { children(first: 2) { nodes { id } } } } } } }",
            60,
        ),
        ("{ thing { ... on Item { children(last: 3) { nodes { id } } } } }", 3),
    ],
)
def test_estimates_follow_the_model(query: str, cost: int) -> None:
    assert model_cost(query) == cost


def test_estimates_resolve_variables_and_skip_invalid_ones() -> None:
    query = "query($n: Int = 6, $m: Int) { items(first: $n) { nodes { children(last: $m) { nodes { id } } } } }"
    assert model_cost(query) == 6 + 6 * 50
    assert model_cost(query, {"n": 2, "m": 3}) == 2 + 2 * 3
    # an invalid variable: execution refuses it before anything runs
    bad = parse("query($n: Int!) { items(first: $n) { nodes { id } } }")
    assert estimate_cost(MODEL, bad, None, {}) is None
    assert estimate_cost(MODEL, bad, None, {"n": "x"}) is None
    assert estimate_cost(MODEL, bad, "Missing", {"n": 1}) is None


def test_the_real_schema_counts_the_issue_queries() -> None:
    schema = build_schema()._schema  # type: ignore[attr-defined]
    runs = estimate_cost(schema, parse(RUNS))
    nested = estimate_cost(schema, parse(NESTED))
    assert runs is not None
    assert nested is not None
    assert runs.total == 100 + 100 * 10 + 100 * 10 * 10
    assert (nested.total, nested.worst) == (60 + 60**2 + 60**3, 60**3)


def test_the_validation_cache_hits_on_the_second_identical_request(client: Client) -> None:
    query = "query CacheProbe { viewer { subject organizationId } }"
    client(query)
    before = _get_validate_cache(DEFAULT_MAXSIZE).cache_info()
    client(query)
    after = _get_validate_cache(DEFAULT_MAXSIZE).cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses
