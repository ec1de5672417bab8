"""Artifact lists answered from PostgreSQL's values answer exactly as the object path does.

An artifacts connection's ``nodes`` whose every selected field is a stored column (or
``__typename``) is read as those columns' GraphQL values, computed in SQL
(``listing.ARTIFACT_VALUES``), without row or Artifact objects. These tests run the same
operations with that path on and off, over HTTP on real rows (published ones and seeded
ones with awkward values), and compare the whole responses, the statements they cost and
what another organization sees.
"""

from __future__ import annotations

from typing import Any

import pytest

from cairn.db.listing import ARTIFACT_VALUES
from cairn.graphql.execution import CycleFreeExecution
from cairn.graphql.loaders import Loaders
from cairn.graphql.types import ARTIFACT_VALUE_FIELDS
from tests.support.artifacts import Seeder, at, make_run
from tests.support.http import Client, Server
from tests.support.publish import create, spec
from tests.support.stack import Stack, fetch

EVERY_COLUMN = """
  __typename id key version isLatest type category displayName description mimeType
  sizeBytes sha256 status storagePath createdBy createdAt updatedAt expiresAt again: id
"""
OPERATIONS: list[tuple[str, str]] = [
    ("root", "{ artifacts(first: 50) { totalCount nodes { %s } } }"),
    (
        "every status",
        "{ artifacts(filter: {status: [PENDING, AVAILABLE, FAILED]}) { nodes { %s } } }",
    ),
    ("backward", "{ artifacts(last: 3, sort: SIZE_DESC) { nodes { %s } } }"),
    ("latest", "{ latestArtifacts { nodes { %s } } }"),
    ("by key", '{ artifacts(filter: {key: {eq: "notes"}}, sort: VERSION_DESC) { nodes { %s } } }'),
    (
        "nested",
        "{ workflows { nodes { name runs(first: 5) { nodes { id artifacts(first: 20) "
        "{ nodes { %s } } } } artifacts(first: 20) { nodes { %s } } } } }",
    ),
    ("job run", "{ jobRuns { nodes { artifacts { nodes { %s } } } } }"),
    ("versions", "{ latestArtifacts { nodes { key versions { nodes { %s } } } } }"),
    ("fragment", "{ artifacts { nodes { ...A } } } fragment A on Artifact { %s }"),
    ("skipped", "query($v: Boolean!) { artifacts { nodes { %s key @include(if: $v) } } }"),
]
# Shapes the values path leaves to the object path; they must still answer the same.
OTHER_SHAPES = [
    "{ artifacts { nodes { id metadata data } } }",
    "{ artifacts { pageInfo { hasNextPage } nodes { id } } }",
    "{ artifacts { nodes @include(if: true) { id } } }",
    "{ artifacts { nodes { id key @include(if: true) } } }",
    "{ artifacts(first: -1) { nodes { id } } }",
]


@pytest.fixture
def published(client: Client, stack: Stack) -> None:
    run = make_run(client, new_job=True)
    on_run = {"workflowRunId": run.id}
    for version in (1, 2):
        create(client, spec("MARKDOWN", "notes.md", key="notes", **on_run), data=f"# v{version}")
    create(
        client,
        spec("TABLE", "t", category="extracted", description="*x*", **on_run),
        data={"columns": ["x"], "rows": [[1]]},
    )
    create(client, spec("JSON", "d.json", **on_run), b64="eyJhIjogMX0=")
    seed = Seeder(stack, client.org_id)
    odd = seed.add(
        display_name='naïve 日本 "quoted" \\ back\nline',
        category="ünïcode",
        created_at=at(1.5),  # a fraction of a second
        size_bytes=2**40,
        **run.link(),
    )
    whole = seed.add(created_at=at(7), status="PENDING")  # whole seconds, not published
    seed.add(status="FAILED", created_at=at(0.000001))
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET expires_at = $2, description = 'ends', updated_at = $3 "
        "WHERE id = $1::uuid",
        odd,
        at(10**8),
        at(3),
    )
    fetch(
        stack.owner_dsn,
        "UPDATE artifacts SET updated_at = $2 WHERE id = $1::uuid",
        whole,
        at(9.25),
    )


def _answer(client: Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    answer: dict[str, Any] = client.raw(query, variables or {"v": False}).json()
    for error in answer.get("errors", []):
        error.get("extensions", {}).pop("requestId", None)
    return answer


def _with_and_without(
    server: Server, client: Client, query: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[Any, int], tuple[Any, int], int]:
    """(answer, statements) with the values path and without it, and how many value
    pages were loaded with it."""
    loads: list[int] = []
    original = Loaders._load_pages

    async def counting(self: Loaders, keys: Any) -> Any:
        loads.extend(1 for key in keys if len(key) == 3)
        return await original(self, keys)

    with monkeypatch.context() as patch:
        patch.setattr(Loaders, "_load_pages", counting)
        with server.count_statements() as statements:
            with_path = _answer(client, query)
        on = (with_path, len(statements))
    with monkeypatch.context() as patch:
        patch.setattr(CycleFreeExecution, "_values_plan", lambda *args: None)
        with server.count_statements() as statements:
            without = _answer(client, query)
        off = (without, len(statements))
    return on, off, len(loads)


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize(("name", "operation"), OPERATIONS, ids=[n for n, _ in OPERATIONS])
def test_values_answer_as_objects_do(
    name: str,
    operation: str,
    server: Server,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    query = operation.replace("%s", EVERY_COLUMN)
    on, off, loads = _with_and_without(server, client, query, monkeypatch)
    assert on == off  # the same answer, in the same number of statements
    assert "errors" not in on[0], on[0]
    assert loads  # the values path was taken
    assert _nodes(on[0])  # and there was something to compare


@pytest.mark.usefixtures("published")
def test_awkward_values_are_answered_as_the_scalars_serialize_them(
    server: Server, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = (
        "{ artifacts(filter: {status: [PENDING, AVAILABLE, FAILED]}, first: 100) { nodes { %s } } }"
    )
    on, _, _ = _with_and_without(server, client, query % EVERY_COLUMN, monkeypatch)
    nodes = {n["displayName"]: n for n in on[0]["data"]["artifacts"]["nodes"]}
    odd = nodes['naïve 日本 "quoted" \\ back\nline']
    assert odd["createdAt"] == "2024-01-01T00:00:01.500000+00:00"
    assert odd["updatedAt"] == "2024-01-01T00:00:03+00:00"
    assert odd["expiresAt"] == "2027-03-03T09:46:40+00:00"
    assert odd["sizeBytes"] == 2**40
    assert odd["category"] == "ünïcode"
    assert {n["status"] for n in nodes.values()} == {"PENDING", "AVAILABLE", "FAILED"}
    assert any(n["createdAt"] == "2024-01-01T00:00:00.000001+00:00" for n in nodes.values())


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize("query", OTHER_SHAPES)
def test_other_shapes_are_left_to_the_object_path(
    query: str, server: Server, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    on, off, loads = _with_and_without(server, client, query, monkeypatch)
    assert on == off
    assert loads == 0


@pytest.mark.usefixtures("published")
def test_another_organization_sees_nothing_either_way(
    server: Server, client: Client, other: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = client("{ workflowRuns { nodes { id } } }")["workflowRuns"]["nodes"][0]["id"]
    for query in (
        "{ artifacts(filter: {status: [PENDING, AVAILABLE, FAILED]}) { nodes { %s } } }",
        "{ latestArtifacts { nodes { %s } } }",
        '{ workflowRun(id: "' + run + '") { artifacts { nodes { %s } } } }',
    ):
        on, off, _ = _with_and_without(server, other, query % EVERY_COLUMN, monkeypatch)
        assert on == off
        assert not _nodes(on[0]), on[0]


def _nodes(answer: dict[str, Any]) -> list[Any]:
    """Every ``nodes`` item anywhere in the answer."""
    found: list[Any] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "nodes" and isinstance(item, list):
                    found.extend(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(answer.get("data"))
    return found


@pytest.mark.unit
def test_every_value_field_is_compared_above() -> None:
    """A field added to ARTIFACT_VALUE_FIELDS must be in EVERY_COLUMN, so the tests above
    compare its values with the object path's."""
    selected = set(EVERY_COLUMN.split())
    for python_name in ARTIFACT_VALUE_FIELDS:
        head, *rest = python_name.split("_")
        assert head + "".join(part.title() for part in rest) in selected, python_name
    assert set(ARTIFACT_VALUE_FIELDS) | {"__typename"} == set(ARTIFACT_VALUES)
