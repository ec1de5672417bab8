"""``node(id:)`` and ``nodes(ids:)`` through HTTP: every Node type by its bare UUID (the
ids clients already hold), order and nulls, limits, scopes, and the statements it costs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cairn.auth import SCOPE_WRITE
from tests.support.artifacts import Seeder, make_run
from tests.support.http import Client, Server
from tests.support.stack import Stack

ON_TYPES = """__typename id
  ... on Workflow { workflowName: name }
  ... on JobRun { name status }
  ... on WorkflowRun { status workflow { id } }
  ... on Artifact { displayName artifactStatus: status }"""
NODE = f"query($id: ID!) {{ node(id: $id) {{ {ON_TYPES} }} }}"
NODES = f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {ON_TYPES} }} }}"


@dataclass
class Objects:
    workflow: str
    job_run: str
    run: str
    artifact: str
    pending: str
    seed: Seeder


@pytest.fixture
def objects(client: Client, stack: Stack) -> Objects:
    run = make_run(client, "nodes-wf", new_job=True)
    assert run.job_run_id is not None
    seed = Seeder(stack, client.org_id)
    artifact = seed.add(display_name="a.txt", **run.link())
    pending = seed.add(display_name="p.txt", status="PENDING")
    return Objects(run.workflow_id, run.job_run_id, run.id, artifact, pending, seed)


def test_node_returns_each_type_by_its_id(client: Client, objects: Objects) -> None:
    assert client(NODE, {"id": objects.workflow})["node"] == {
        "__typename": "Workflow",
        "id": objects.workflow,
        "workflowName": "nodes-wf",
    }
    assert client(NODE, {"id": objects.job_run})["node"] == {
        "__typename": "JobRun",
        "id": objects.job_run,
        "name": "job",
        "status": "RUNNING",
    }
    assert client(NODE, {"id": objects.run})["node"] == {
        "__typename": "WorkflowRun",
        "id": objects.run,
        "status": "RUNNING",
        "workflow": {"id": objects.workflow},
    }
    assert client(NODE, {"id": objects.artifact})["node"] == {
        "__typename": "Artifact",
        "id": objects.artifact,
        "displayName": "a.txt",
        "artifactStatus": "AVAILABLE",
    }
    # Like artifact(id:), any status.
    assert client(NODE, {"id": objects.pending})["node"]["artifactStatus"] == "PENDING"


def test_node_is_the_same_object_as_the_typed_field(client: Client, objects: Objects) -> None:
    fields = "id name status createdAt startedAt parameters jobRun { id }"
    typed = client(f'{{ workflowRun(id: "{objects.run}") {{ {fields} }} }}')["workflowRun"]
    via_node = client(f'{{ node(id: "{objects.run}") {{ ... on WorkflowRun {{ {fields} }} }} }}')
    assert via_node["node"] == typed


@pytest.mark.parametrize("ident", [str(uuid.uuid4()), "nope", "", "0" * 36, "\u0000"])
def test_unknown_or_malformed_id_is_null(client: Client, objects: Objects, ident: str) -> None:
    assert client(NODE, {"id": ident}) == {"node": None}
    assert client(NODES, {"ids": [ident, objects.run]})["nodes"][0] is None


def test_nodes_keeps_order_with_nulls_and_repeats(client: Client, objects: Objects) -> None:
    unknown = str(uuid.uuid4())
    ids = [
        objects.artifact,
        unknown,
        objects.workflow,
        "not-a-uuid",
        objects.run,
        objects.job_run,
        objects.artifact,
    ]
    got = client(NODES, {"ids": ids})["nodes"]
    assert [None if n is None else (n["__typename"], n["id"]) for n in got] == [
        ("Artifact", objects.artifact),
        None,
        ("Workflow", objects.workflow),
        None,
        ("WorkflowRun", objects.run),
        ("JobRun", objects.job_run),
        ("Artifact", objects.artifact),
    ]
    assert client(NODES, {"ids": []}) == {"nodes": []}


def test_nodes_takes_at_most_500_ids(client: Client, objects: Objects) -> None:
    ids = [objects.run] * 500
    assert len(client(NODES, {"ids": ids})["nodes"]) == 500
    err = client.errors(NODES, {"ids": [*ids, objects.workflow]})
    assert err.codes == ["BAD_USER_INPUT"]
    assert err.errors[0]["message"] == (
        "'ids' takes at most 500 ids; got 501: split them over several calls"
    )


def test_node_fields_resolve_below_it(client: Client, objects: Objects) -> None:
    got = client(
        "query($id: ID!) { node(id: $id) { ... on WorkflowRun { artifacts(last: 5) "
        "{ nodes { id workflowRun { id } } } } } }",
        {"id": objects.run},
    )
    assert got == {
        "node": {
            "artifacts": {"nodes": [{"id": objects.artifact, "workflowRun": {"id": objects.run}}]}
        }
    }


def test_node_needs_the_read_scope(
    client_factory: Callable[..., Client], objects: Objects, client: Client
) -> None:
    writer = client_factory(org_id=client.org_id, scopes=(SCOPE_WRITE,))
    for query, variables in ((NODE, {"id": objects.run}), (NODES, {"ids": [objects.run]})):
        err = writer.errors(query, variables)
        assert err.codes == ["FORBIDDEN"]
        assert "artifacts:read" in err.errors[0]["message"]


# -- statements --------------------------------------------------------------------------

ASYNCPG_INTERNAL = ("WITH RECURSIVE typeinfo_tree", "set_config('jit'")


def _statements(server: Server, client: Client, query: str, variables: dict[str, Any]) -> list[str]:
    with server.count_statements() as seen:
        client(query, variables)
    return [s for s in seen if not any(mark in s for mark in ASYNCPG_INTERNAL)]


def test_nodes_cost_one_statement_for_any_number_of_ids(
    server: Server, client: Client, objects: Objects
) -> None:
    many = [objects.seed.add() for _ in range(120)]
    mixed = [objects.workflow, objects.job_run, objects.run, objects.artifact]
    few = _statements(server, client, NODES, {"ids": mixed[:1]})
    lots = _statements(server, client, NODES, {"ids": [*mixed, *many, str(uuid.uuid4())]})
    # One org-scoped transaction: BEGIN (with SET ROLE and set_config), the lookup, COMMIT.
    assert len(few) == 3, few
    assert len(lots) == 3, lots
    assert sum("unnest" in s for s in lots) == 1
    # Aliases of node and nodes in one request share the batch.
    aliased = " ".join(f'n{i}: node(id: "{ident}") {{ id }}' for i, ident in enumerate(many[:30]))
    assert len(_statements(server, client, f"{{ {aliased} }}", {})) == 3


def test_a_node_primes_its_typed_loader(server: Server, client: Client, objects: Objects) -> None:
    # The run's artifacts point back at the run: that lookup is answered by the node's row.
    query = (
        "query($id: ID!) { node(id: $id) { ... on WorkflowRun { id "
        "artifacts { nodes { workflowRun { id } } } } } }"
    )
    sql = _statements(server, client, query, {"id": objects.run})
    assert sum(s.startswith("BEGIN") for s in sql) == 2, sql  # node, then the page
    assert not [s for s in sql if "FROM workflow_runs t WHERE t.org_id = $1 AND t.id = ANY" in s]
