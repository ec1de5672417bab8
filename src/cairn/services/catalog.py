"""Workflows, job runs and workflow runs: the write transactions (rules in validation.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

import asyncpg

from cairn.db import runs
from cairn.db.rows import JobRunRow, WorkflowRow, WorkflowRunRow
from cairn.errors import NotFound, not_found
from cairn.services import validation
from cairn.services.base import Service

RowT = TypeVar("RowT", JobRunRow, WorkflowRunRow)


class Catalog(Service):
    async def create_workflow(
        self,
        name: str,
        description: str | None,
        tags: list[str] | None,
        retention_days: int | None = None,
    ) -> WorkflowRow:
        clean_name = validation.workflow_name(name)
        validation.text("'description'", description, validation.MAX_DESCRIPTION)
        tag_list = validation.tags(tags)
        days = validation.retention_days(retention_days)
        async with self._db.scoped(self._org) as conn:
            return await runs.create_workflow(
                conn, self._org, clean_name, description, tag_list, days
            )

    async def create_job_run(self, name: str | None, status: str, metadata: Any) -> JobRunRow:
        validation.run_name(name)
        meta = validation.json_object("'metadata'", metadata)
        async with self._db.scoped(self._org) as conn:
            return await runs.create_job_run(conn, self._org, name, status, meta)

    async def create_workflow_run(
        self,
        workflow_id: str,
        job_run_id: str | None,
        name: str | None,
        status: str,
        parameters: Any,
    ) -> WorkflowRunRow:
        validation.run_name(name)
        params = validation.json_object("'parameters'", parameters)
        workflow_uuid = validation.parse_id("workflow", workflow_id)
        job_uuid = validation.parse_id("job run", job_run_id) if job_run_id is not None else None
        async with self._db.scoped(self._org) as conn:
            row = await runs.create_workflow_run(
                conn, self._org, workflow_uuid, job_uuid, name, status, params
            )
        if row is None:
            raise NotFound(
                "workflowId or jobRunId does not name a workflow or job run of this "
                "organization; check the ids"
            )
        return row

    async def set_job_run_status(self, run_id: str, status: str) -> JobRunRow:
        return await self._set_status("job run", runs.set_job_run_status, run_id, status)

    async def set_workflow_run_status(self, run_id: str, status: str) -> WorkflowRunRow:
        return await self._set_status("workflow run", runs.set_workflow_run_status, run_id, status)

    async def _set_status(
        self,
        kind: str,
        update: Callable[[asyncpg.Connection, str, UUID, str], Awaitable[RowT | None]],
        run_id: str,
        status: str,
    ) -> RowT:
        uuid = validation.parse_id(kind, run_id)
        async with self._db.scoped(self._org) as conn:
            row = await update(conn, self._org, uuid, status)
        if row is None:
            raise not_found(kind, run_id)
        return row
