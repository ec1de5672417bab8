"""The plain-leaf paths of the executor answer exactly as graphql-core does.

``CycleFreeExecution.execute_fields`` reads an object's scalar and enum attributes with no
resolver and no arguments straight away, and ``complete_list_value`` builds a list of
objects whose selected fields are all such leaves in one loop; everything else (and every
null, error or value that does not serialize) is left to graphql-core. These tests run
the same operations with the paths on and off and compare the whole responses: over HTTP
on real data, and on a small schema whose leaves misbehave in every way the paths must
hand back.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

import cairn.graphql.execution as cairn_schema
from cairn.graphql.execution import CycleFreeExecution
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


@strawberry.enum
class Shade(Enum):
    LIGHT = "light"
    DARK = "dark"


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
    shade: Shade
    raw_shade: Shade
    no_shade: Shade


def _odd() -> Odd:
    return Odd(
        count=3,
        missing=None,  # type: ignore[arg-type]
        maybe=None,
        bad_number="x",  # type: ignore[arg-type]
        too_big=2**40,
        shade=Shade.DARK,
        raw_shade="dark",  # type: ignore[arg-type]
        no_shade="dusk",  # type: ignore[arg-type]
    )


@strawberry.type
class OddQuery:
    @strawberry.field
    def odd(self) -> Odd:
        return _odd()

    @strawberry.field
    def odds(self) -> list[Odd]:
        fine = Odd(
            count=1,
            missing="m",
            maybe="y",
            bad_number=2,
            too_big=1,
            shade=Shade.LIGHT,
            raw_shade=Shade.LIGHT,
            no_shade=Shade.DARK,
        )
        return [_odd(), fine]

    @strawberry.field
    def fine_odds(self) -> list[Odd]:
        return OddQuery.odds(self)[1:] * 3  # type: ignore[operator]


ODD_FIELDS = [
    "count",
    "missing",
    "maybe",
    "badNumber",
    "tooBig",
    "shade",
    "rawShade",
    "noShade",
    "computed",
    "__typename",
]


@pytest.mark.unit
@pytest.mark.parametrize("field", ODD_FIELDS)
def test_a_misbehaving_leaf_gets_graphql_cores_answer(
    field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _count_plain_leaves(monkeypatch)
    query = f"{{ odd {{ {field} }} odds {{ count {field} }} fineOdds {{ {field} count }} }}"
    answers = []
    for execution in (CycleFreeExecution, StrawberryGraphQLCoreExecutionContext):
        schema = strawberry.Schema(query=OddQuery, execution_context_class=execution)
        result = schema.execute_sync(query)
        answers.append((result.data, [e.formatted for e in result.errors or []]))
    assert answers[0] == answers[1]
    assert taken  # the path was tried (a null in a non-null field may end the rest)


@pytest.mark.unit
def test_a_list_of_plain_objects_is_built_in_one_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = CycleFreeExecution._plain_objects

    def counting(self: CycleFreeExecution, *args: Any) -> Any:
        completed = original(self, *args)
        if completed is not None:
            built.append(len(completed))
        return completed

    monkeypatch.setattr(CycleFreeExecution, "_plain_objects", counting)
    schema = strawberry.Schema(query=OddQuery, execution_context_class=CycleFreeExecution)
    query = "{ fineOdds { n: count shade __typename } odds { count } }"
    result = schema.execute_sync(query)
    assert result.errors is None
    assert result.data == {
        "fineOdds": [{"n": 1, "shade": "LIGHT", "__typename": "Odd"}] * 3,
        "odds": [{"count": 3}, {"count": 1}],
    }
    assert built == [3, 2]  # both lists took the loop
