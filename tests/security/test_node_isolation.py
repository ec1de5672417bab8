"""Organization isolation for ``node``/``nodes`` and backward paging: another organization's
ids are null exactly like unknown ones, and ``last``/``before`` at any level shows only the
caller's rows, whatever cursor it is given."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from tests.support.artifacts import Run, Seeder, ids_of, make_run
from tests.support.http import Client
from tests.support.stack import Stack

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


@dataclass
class Org:
    client: Client
    run: Run
    artifacts: list[str]

    @property
    def ids(self) -> list[str]:
        assert self.run.job_run_id is not None
        return [self.run.workflow_id, self.run.job_run_id, self.run.id, *self.artifacts]


def _org(client: Client, stack: Stack, count: int) -> Org:
    run = make_run(client, "shared-name", new_job=True)
    seed = Seeder(stack, client.org_id)
    # Same creation times and sizes in both organizations: cursors of one are real
    # positions in the other.
    artifacts = [seed.add(**run.link()) for _ in range(count)]
    artifacts.append(seed.add(status="PENDING", **run.link()))
    return Org(client, run, artifacts)


@pytest.fixture
def orgs(client: Client, other: Client, stack: Stack) -> tuple[Org, Org]:
    mine = _org(client, stack, 4)
    # The other organization's seeded ids are the very same uid(n) values: only the
    # organization tells the rows apart.
    theirs = _org(other, stack, 9)
    return mine, theirs


def test_other_organizations_ids_are_null(orgs: tuple[Org, Org]) -> None:
    mine, theirs = orgs
    assert mine.client(NODE, {"id": str(uuid.uuid4())}) == {"node": None}
    for ident in theirs.ids:
        if ident in mine.ids:
            continue  # a seeded id both organizations have: must be mine (below)
        assert mine.client(NODE, {"id": ident}) == {"node": None}
    foreign = [i for i in theirs.ids if i not in mine.ids]
    assert len(foreign) == 3 + 5  # workflow, job run, run; the artifacts beyond mine
    got = mine.client(NODES, {"ids": [*foreign, mine.run.id, *foreign]})["nodes"]
    assert got == [None] * len(foreign) + [{"__typename": "WorkflowRun", "id": mine.run.id}] + [
        None
    ] * len(foreign)
    # The same seeded id in both organizations resolves to the caller's own row.
    shared = mine.artifacts[0]
    assert shared in theirs.ids
    probe = "query($id: ID!) { node(id: $id) { ... on Artifact { id workflowRun { id } } } }"
    assert mine.client(probe, {"id": shared})["node"]["workflowRun"]["id"] == mine.run.id
    assert theirs.client(probe, {"id": shared})["node"]["workflowRun"]["id"] == theirs.run.id


def test_nested_backward_pages_never_leak(orgs: tuple[Org, Org]) -> None:
    mine, theirs = orgs
    available = mine.artifacts[:-1]
    top = mine.client("{ artifacts(last: 500) { totalCount nodes { id } } }")["artifacts"]
    assert set(ids_of(top)) == set(available)
    assert top["totalCount"] == len(available)
    query = """query($id: ID!) { node(id: $id) { ... on WorkflowRun {
      artifacts(last: 500, filter: {status: [AVAILABLE, PENDING, FAILED]}) { nodes { id } } } } }"""
    nested = mine.client(query, {"id": mine.run.id})["node"]["artifacts"]
    assert set(ids_of(nested)) == set(mine.artifacts)
    assert mine.client(query, {"id": theirs.run.id}) == {"node": None}
    tree = mine.client(
        "{ workflows(last: 5) { nodes { runs(last: 5) { nodes { id artifacts(last: 500) "
        "{ nodes { id workflowRun { id } } } } } } } }"
    )["workflows"]["nodes"]
    runs = [r for w in tree for r in w["runs"]["nodes"]]
    assert [r["id"] for r in runs] == [mine.run.id]
    assert {a["workflowRun"]["id"] for a in runs[0]["artifacts"]["nodes"]} == {mine.run.id}


def test_a_cursor_from_another_organization_reads_only_own_rows(orgs: tuple[Org, Org]) -> None:
    """Cursors are positions, not grants: the other organization's cursor, used here, pages
    through this organization's rows from that position."""
    mine, theirs = orgs
    page = "query($b: String) { artifacts(last: 500, before: $b) { nodes { id } } }"
    full = theirs.client("{ artifacts(first: 500) { edges { cursor node { id } } } }")
    their_last = full["artifacts"]["edges"][-1]["cursor"]
    their_first = full["artifacts"]["edges"][0]["cursor"]
    mine_all = ids_of(mine.client("{ artifacts(first: 500) { nodes { id } } }")["artifacts"])
    # Their oldest row sits at the position of my oldest (same time, same id): before it
    # come my other rows; before their newest (newer than all of mine) none of mine.
    assert ids_of(mine.client(page, {"b": their_last})["artifacts"]) == mine_all[:-1]
    assert ids_of(mine.client(page, {"b": their_first})["artifacts"]) == []
    assert len(mine_all) == 4
