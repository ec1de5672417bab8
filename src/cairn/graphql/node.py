"""``node(id:)`` and ``nodes(ids:)``: any object by its id, as Relay refetches them.

Ids stay the bare UUIDs every type already has (clients keep them); the four tables share
that id space, so a lookup tries all four in one statement (``loaders.nodes``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from cairn.auth import SCOPE_READ
from cairn.db.listing import NodeRow
from cairn.db.rows import ArtifactRow, JobRunRow, WorkflowRow, WorkflowRunRow
from cairn.errors import BadUserInput
from cairn.graphql.context import Info
from cairn.graphql.pagination import MAX_PAGE_SIZE
from cairn.graphql.types import Artifact, JobRun, Node, Workflow, WorkflowRun
from cairn.services.validation import uuid_or_none

TO_NODE: dict[type[Any], Callable[[Any], Node]] = {
    WorkflowRow: Workflow.from_row,
    JobRunRow: JobRun.from_row,
    WorkflowRunRow: WorkflowRun.from_row,
    ArtifactRow: Artifact.from_row,
}
MAX_IDS = MAX_PAGE_SIZE


def _node(row: NodeRow | None) -> Node | None:
    return None if row is None else TO_NODE[type(row)](row)


async def resolve_node(info: Info, id: strawberry.ID) -> Node | None:
    info.context.require(SCOPE_READ)
    uuid = uuid_or_none(id)
    return None if uuid is None else _node(await info.context.loaders.nodes.load(uuid))


async def resolve_nodes(info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
    info.context.require(SCOPE_READ)
    if len(ids) > MAX_IDS:
        raise BadUserInput(
            f"'ids' takes at most {MAX_IDS} ids; got {len(ids)}: split them over several calls"
        )
    uuids = [uuid_or_none(i) for i in ids]
    rows = await info.context.loaders.nodes.load_many([u for u in uuids if u is not None])
    found = iter(rows)
    return [None if u is None else _node(next(found)) for u in uuids]


node = strawberry.field(
    resolver=resolve_node,
    description="The object with this id (a Workflow, JobRun, WorkflowRun or Artifact); "
    "null if none of this organization has it.",
)
nodes = strawberry.field(
    resolver=resolve_nodes,
    description=f"The objects with these ids (at most {MAX_IDS}), in the same order; null "
    "for an id that names nothing of this organization.",
)
