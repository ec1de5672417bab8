"""Workflows, job runs and workflow runs: validation and the write transactions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson

from cairn.db import runs
from cairn.db.pool import Database
from cairn.db.rows import JobRunRow, WorkflowRow, WorkflowRunRow
from cairn.errors import BadUserInput, NotFound, not_found

MAX_NAME = 200
MAX_TAGS = 50
MAX_TEXT = 10_000


def _check_text(field: str, value: str | None, limit: int, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise BadUserInput(f"'{field}' is required")
        return None
    stripped = value.strip()
    if required and not stripped:
        raise BadUserInput(f"'{field}' must not be empty")
    if len(value) > limit:
        raise BadUserInput(f"'{field}' is longer than {limit} characters; shorten it")
    if "\x00" in value:
        raise BadUserInput(f"'{field}' must not contain NUL characters")
    return stripped if required else value


def _check_json_object(field: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadUserInput(f'\'{field}\' must be a JSON object, e.g. {{"k": "v"}}')
    check_storable_json(field, value)
    return value


def check_storable_json(field: str, value: Any) -> None:
    """Refuse JSON that PostgreSQL's jsonb cannot store (rather than fail with a 500)."""
    try:
        encoded = orjson.dumps(value)
    except TypeError as exc:  # orjson.JSONEncodeError
        reason = str(exc)
        if "64-bit" in reason:
            raise BadUserInput(
                f"'{field}' holds an integer beyond 64 bits; send it as a string"
            ) from None
        if "ecursion" in reason:
            raise BadUserInput(f"'{field}' is nested too deeply; flatten it") from None
        raise BadUserInput(f"'{field}' cannot be stored: {reason}") from None
    if b"\\u0000" in encoded and _has_nul(value):
        raise BadUserInput(f"'{field}' must not contain NUL characters (\\u0000)")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class Catalog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_workflow(
        self, org_id: str, name: str, description: str | None, tags: list[str] | None
    ) -> WorkflowRow:
        clean_name = _check_text("name", name, MAX_NAME, required=True)
        assert clean_name is not None
        _check_text("description", description, MAX_TEXT)
        tag_list = list(dict.fromkeys(tags or []))
        if len(tag_list) > MAX_TAGS:
            raise BadUserInput(f"at most {MAX_TAGS} tags per workflow")
        for tag in tag_list:
            _check_text("tags", tag, 100, required=True)
        async with self._db.scoped(org_id) as conn:
            return await runs.create_workflow(conn, org_id, clean_name, description, tag_list)

    async def create_job_run(
        self, org_id: str, name: str | None, status: str, metadata: Any
    ) -> JobRunRow:
        _check_text("name", name, MAX_NAME)
        meta = _check_json_object("metadata", metadata)
        async with self._db.scoped(org_id) as conn:
            return await runs.create_job_run(conn, org_id, name, status, meta)

    async def create_workflow_run(
        self,
        org_id: str,
        workflow_id: str,
        job_run_id: str | None,
        name: str | None,
        status: str,
        parameters: Any,
    ) -> WorkflowRunRow:
        _check_text("name", name, MAX_NAME)
        params = _check_json_object("parameters", parameters)
        workflow_uuid = parse_id("workflow", workflow_id)
        job_uuid = parse_id("job run", job_run_id) if job_run_id is not None else None
        async with self._db.scoped(org_id) as conn:
            row = await runs.create_workflow_run(
                conn, org_id, workflow_uuid, job_uuid, name, status, params
            )
        if row is None:
            raise NotFound(
                "workflowId or jobRunId does not name a workflow or job run of this "
                "organization; check the ids"
            )
        return row

    async def set_job_run_status(self, org_id: str, run_id: str, status: str) -> JobRunRow:
        async with self._db.scoped(org_id) as conn:
            row = await runs.set_job_run_status(conn, org_id, parse_id("job run", run_id), status)
        if row is None:
            raise not_found("job run", run_id)
        return row

    async def set_workflow_run_status(
        self, org_id: str, run_id: str, status: str
    ) -> WorkflowRunRow:
        uuid = parse_id("workflow run", run_id)
        async with self._db.scoped(org_id) as conn:
            row = await runs.set_workflow_run_status(conn, org_id, uuid, status)
        if row is None:
            raise not_found("workflow run", run_id)
        return row


def parse_id(kind: str, value: str) -> UUID:
    """An id that is not a UUID names nothing: NOT_FOUND, as for an unknown id."""
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise not_found(kind, str(value)) from None
