"""``Query.storageUsage``: what the caller's organization stores, from maintained counters."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cairn.auth import SCOPE_READ
from cairn.db.usage import UsageCount
from cairn.errors import BadUserInput
from cairn.graphql.context import Info
from cairn.graphql.enums import ArtifactType
from cairn.graphql.pagination import MAX_PAGE_SIZE
from cairn.graphql.scalars import BigInt
from cairn.graphql.types import Workflow


@strawberry.type(description="The AVAILABLE artifacts of one type.")
class TypeUsage:
    type: ArtifactType = strawberry.field(description="The artifact type.")
    artifact_count: int = strawberry.field(description="How many AVAILABLE artifacts.")
    total_bytes: BigInt = strawberry.field(description="Their sizeBytes summed.")


@strawberry.type(description="The AVAILABLE artifacts of one workflow's runs (or of no run).")
class WorkflowUsage:
    row: strawberry.Private[UsageCount]
    artifact_count: int = strawberry.field(description="How many AVAILABLE artifacts.")
    total_bytes: BigInt = strawberry.field(description="Their sizeBytes summed.")

    @strawberry.field(description="The workflow; null for artifacts published outside a run.")
    async def workflow(self, info: Info) -> Workflow | None:
        if self.row.workflow_id is None:
            return None
        row = await info.context.loaders.workflows.load(self.row.workflow_id)
        return None if row is None else Workflow.from_row(row)


@strawberry.type(
    description=(
        "What the organization stores: AVAILABLE artifacts (inline kinds count the size of "
        "their JSON). Read from counters kept in the same transaction as every publish and "
        "delete. Expired artifacts count until the sweep or cairn gc deletes them."
    )
)
class StorageUsage:
    by_type: list[TypeUsage] = strawberry.field(
        description="Per artifact type that has any, most bytes first."
    )

    @strawberry.field(description="How many AVAILABLE artifacts.")
    def artifact_count(self) -> int:
        return sum(t.artifact_count for t in self.by_type)

    @strawberry.field(description="Their sizeBytes summed.")
    def total_bytes(self) -> BigInt:
        return BigInt(sum(int(t.total_bytes) for t in self.by_type))

    @strawberry.field(
        description=(
            "The workflows using the most bytes, most first; artifacts outside a run are "
            "one entry with workflow null."
        )
    )
    async def by_workflow(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description=f"How many (0-{MAX_PAGE_SIZE}).")
        ] = 10,
    ) -> list[WorkflowUsage]:
        if not 0 <= first <= MAX_PAGE_SIZE:
            raise BadUserInput(f"'first' must be between 0 and {MAX_PAGE_SIZE}; got {first}")
        rows = await info.context.loaders.usage_by_workflow.load(first)
        return [
            WorkflowUsage(row=r, artifact_count=r.artifact_count, total_bytes=BigInt(r.total_bytes))
            for r in rows
        ]


async def storage_usage(info: Info) -> StorageUsage:
    info.context.require(SCOPE_READ)
    counts = await info.context.loaders.usage_by_type.load(None)
    return StorageUsage(
        by_type=[
            TypeUsage(
                type=ArtifactType(c.type),
                artifact_count=c.artifact_count,
                total_bytes=BigInt(c.total_bytes),
            )
            for c in counts
        ]
    )
