"""The plain-leaf path of the executor answers exactly as graphql-core does.

``CycleFreeExecution.execute_field`` reads a scalar or enum attribute with no resolver and
no arguments straight away, and leaves everything else (and every null, error or value
that does not serialize) to graphql-core. These tests run the same operations with the
path on and off and compare the whole responses: over HTTP on real data, and on a small
schema whose leaves misbehave in every way the path must hand back.
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

import cairn.graphql.schema as cairn_schema
from cairn.graphql.schema import CycleFreeExecution
from tests.support.http import Client
from tests.support.publish import create, make_run_ids, spec

EVERY_LEAF = """
fragment A on Artifact {
  __typename id key version isLatest type category displayName description mimeType
  sizeBytes sha256 status data metadata storagePath createdBy createdAt updatedAt expiresAt
}
query($run: ID!) {
  workflowRun(id: $run) {
    __typename id name status parameters createdAt startedAt endedAt
    workflow { id name description tags createdAt retentionDays }
    jobRun { id name status metadata }
    artifacts(first: 10) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { ...A renamed: displayName again: displayName } }
    }
  }
  viewer { organizationId }
}
"""


def _published(client: Client) -> str:
    ids = make_run_ids(client)
    on_run = {"workflowRunId": ids["run"]}
    create(
        client,
        spec("MARKDOWN", "notes.md", key="notes", description="*hi*", **on_run),
        data="# Notes",
    )
    create(
        client,
        spec("TABLE", "t", category="extracted_data", metadata={"a": [1, None]}, **on_run),
        data={"columns": ["x"], "rows": [[1], [None]]},
    )
    create(client, spec("LINK", "l", **on_run), data={"url": "https://example.com/a"})
    create(client, spec("JSON", "d.json", **on_run), b64="eyJhIjogMX0=")
    return ids["run"]


def test_every_leaf_answers_the_same_with_and_without_the_plain_path(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _published(client)
    operations: list[tuple[str, dict[str, Any]]] = [
        (EVERY_LEAF, {"run": run}),
        ("{ artifacts(first: 5) { nodes { id type status sizeBytes } } }", {}),
        ("{ artifacts(first: -1) { nodes { id } } }", {}),  # the same error too
        ('{ workflowRun(id: "00000000-0000-0000-0000-000000000000") { id } }', {}),
    ]
    taken = _count_plain_leaves(monkeypatch)
    with_path = [_answer(client, query, variables) for query, variables in operations]
    assert taken  # the path was used: there is something to compare
    monkeypatch.setattr(cairn_schema, "_plain_leaf", lambda field_def: None)
    without = [_answer(client, query, variables) for query, variables in operations]
    assert with_path == without
    artifacts = with_path[0]["data"]["workflowRun"]["artifacts"]["edges"]
    assert {edge["node"]["type"] for edge in artifacts} == {"MARKDOWN", "TABLE", "LINK", "JSON"}
    assert with_path[2]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def _count_plain_leaves(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fields the plain path is taken for, from now on (a list that fills up)."""
    taken: list[str] = []
    original = cairn_schema._plain_leaf

    def counting(field_def: Any) -> Any:
        leaf = original(field_def)
        if leaf is not None:
            taken.append(field_def.ast_node.name.value if field_def.ast_node else "?")
        return leaf

    monkeypatch.setattr(cairn_schema, "_plain_leaf", counting)
    return taken


def _answer(client: Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The response without its request ids (the one part that differs per request)."""
    answer: dict[str, Any] = client.raw(query, variables).json()
    for error in answer.get("errors", []):
        error.get("extensions", {}).pop("requestId", None)
    return answer


@strawberry.type
class Odd:
    @strawberry.field
    def computed(self) -> int:
        return 7

    count: int
    missing: str
    maybe: str | None
    bad_number: int
    too_big: int


def _odd() -> Odd:
    return Odd(count=3, missing=None, maybe=None, bad_number="x", too_big=2**40)  # type: ignore[arg-type]


@strawberry.type
class OddQuery:
    @strawberry.field
    def odd(self) -> Odd:
        return _odd()

    @strawberry.field
    def odds(self) -> list[Odd]:
        return [_odd(), Odd(count=1, missing="m", maybe="y", bad_number=2, too_big=1)]


ODD_FIELDS = ["count", "missing", "maybe", "badNumber", "tooBig", "computed", "__typename"]


@pytest.mark.unit
@pytest.mark.parametrize("field", ODD_FIELDS)
def test_a_misbehaving_leaf_gets_graphql_cores_answer(
    field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _count_plain_leaves(monkeypatch)
    query = f"{{ odd {{ {field} }} odds {{ count {field} }} }}"
    answers = []
    for execution in (CycleFreeExecution, StrawberryGraphQLCoreExecutionContext):
        schema = strawberry.Schema(query=OddQuery, execution_context_class=execution)
        result = schema.execute_sync(query)
        answers.append((result.data, [e.formatted for e in result.errors or []]))
    assert answers[0] == answers[1]
    assert taken  # the path was tried (a null in a non-null field may end the rest)
