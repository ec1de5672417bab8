"""What the sync and async clients share: settings, request specs and answer parsing."""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import secrets
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx

from cairn.sdk import ops
from cairn.sdk.errors import HTTP_ERROR, INTEGRITY_ERROR, NETWORK_ERROR, CairnApiError
from cairn.sdk.models import Artifact, JobRun, Workflow, WorkflowRun
from cairn.sdk.retry import Retry, parse_retry_after

T = TypeVar("T")


@dataclass(frozen=True)
class Call(Generic[T]):
    """One GraphQL operation and how to turn its ``data`` into a result."""

    query: str
    variables: dict[str, Any]
    parse: Callable[[dict[str, Any]], T]
    #: safe to send again even if an earlier try may have taken effect
    idempotent: bool = True


def _field(name: str, parse: Callable[[dict[str, Any]], T]) -> Callable[[dict[str, Any]], T]:
    return lambda data: parse(data[name])


def _count(name: str) -> Callable[[dict[str, Any]], int]:
    return lambda data: int(data[name]["deletedCount"])


def _create_call(
    query: str,
    name: str,
    parse: Callable[[dict[str, Any]], T],
    values: dict[str, Any],
    *,
    idempotent: bool = True,
) -> Call[T]:
    """A create mutation whose ``input`` holds the given values."""
    return Call(query, {"input": ops.given(values)}, _field(name, parse), idempotent=idempotent)


def _status_call(
    query: str, name: str, parse: Callable[[dict[str, Any]], T], run_id: str, status: str
) -> Call[T]:
    """A run's (or job run's) status change: idempotent, so retried like a read."""
    return Call(query, {"id": run_id, "status": status.upper()}, _field(name, parse))


def _maybe_artifact(data: dict[str, Any]) -> Artifact | None:
    raw = data.get("artifact")
    return None if raw is None else Artifact.parse(raw)


class RedactSignedUrls(logging.Filter):
    """httpx logs every request's URL at INFO; a presigned URL's query string is a
    credential, so it never reaches a log: ``?X-Amz-...`` becomes ``?<signature redacted>``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        return True


def _redacted(value: object) -> object:
    text = str(value) if isinstance(value, httpx.URL | str) else None
    if text is not None and "?" in text and "x-amz-" in text.lower():
        return text.split("?", 1)[0] + "?<signature redacted>"
    return value


_httpx_log = logging.getLogger("httpx")
if not any(isinstance(f, RedactSignedUrls) for f in _httpx_log.filters):
    _httpx_log.addFilter(RedactSignedUrls())


# Failures that prove the request never left: nothing can have been done.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_AMBIGUOUS_HTTP = frozenset({500, 502, 504})  # a proxy's answer: the upstream may have acted
_MUTATION = re.compile(r"^\s*mutation\b|\}\s*mutation\b", re.MULTILINE)


def is_mutation(query: str) -> bool:
    return _MUTATION.search(query) is not None


def new_idempotency_key() -> str:
    return f"sdk-{uuid.uuid4()}"


def network_error(target: str, exc: Exception) -> CairnApiError:
    detail = str(exc) or type(exc).__name__
    return CairnApiError(
        NETWORK_ERROR,
        f"cannot reach {target}: {detail}",
        ambiguous=not isinstance(exc, _NOT_SENT),
    )


def _retry_after(response: httpx.Response) -> float | None:
    return parse_retry_after(response.headers.get("retry-after"))


def graphql_data(response: httpx.Response) -> dict[str, Any]:
    """The ``data`` of a GraphQL answer, or CairnApiError from its first error."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("errors"):
        data = body.get("data")
        # an error beside fields that did get answered: an earlier mutation field took effect
        partial = isinstance(data, dict) and any(v is not None for v in data.values())
        raise CairnApiError.from_errors(
            list(body["errors"]),
            response.status_code,
            retry_after=_retry_after(response),
            ambiguous=partial,
        )
    if response.status_code >= 400 or not isinstance(body, dict) or body.get("data") is None:
        text = response.text.strip().replace("\n", " ")[:200]
        raise CairnApiError(
            HTTP_ERROR,
            f"HTTP {response.status_code} from {response.request.url} is not a GraphQL answer: "
            f"{text or '(empty body)'}",
            status_code=response.status_code,
            retry_after=_retry_after(response),
            ambiguous=response.status_code in _AMBIGUOUS_HTTP,
        )
    return dict(body["data"])


def storage_error(action: str, response: httpx.Response) -> CairnApiError:
    text = response.text.strip().replace("\n", " ")[:200]
    return CairnApiError(
        HTTP_ERROR,
        f"object storage refused the {action}: HTTP {response.status_code} {text}".rstrip(),
        status_code=response.status_code,
        retry_after=_retry_after(response),
        ambiguous=response.status_code in _AMBIGUOUS_HTTP,
    )


def verify(artifact: Artifact, size: int, sha256: str) -> None:
    if size != artifact.size_bytes or sha256 != artifact.sha256:
        raise CairnApiError(
            INTEGRITY_ERROR,
            f"artifact {artifact.id}: downloaded {size} bytes with sha256 {sha256}, expected "
            f"{artifact.size_bytes} bytes with sha256 {artifact.sha256}; nothing was written",
        )


def not_downloadable(artifact: Artifact) -> CairnApiError:
    if artifact.status != "AVAILABLE":
        return CairnApiError(
            "BAD_USER_INPUT",
            f"artifact {artifact.id} is {artifact.status}; only AVAILABLE artifacts can be downloaded",
        )
    return CairnApiError(
        "BAD_USER_INPUT", f"artifact {artifact.id} has no stored bytes to download"
    )


def part_path(target: Path) -> Path:
    """A temporary sibling of ``target`` to download into before the checks pass."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")


def refuse_existing(target: Path) -> None:
    if target.exists():
        raise FileExistsError(
            errno.EEXIST, "the file exists (pass overwrite=True to replace it)", str(target)
        )


def place(part: Path, target: Path, *, overwrite: bool) -> None:
    """Move a checked download into place; without ``overwrite``, never replace a file
    (not even one that appeared while downloading)."""
    if overwrite:
        part.replace(target)
        return
    try:
        os.link(part, target)  # atomic, and fails if target exists
    except FileExistsError:
        refuse_existing(target)
        raise
    except OSError:  # no hard links on this file system: check, then move
        refuse_existing(target)
        part.replace(target)
    else:
        part.unlink()


_OPERATION = re.compile(r"\b(?:query|mutation|subscription)\b[^{]*\{\s*(\w+)")


def operation_name(query: str) -> str:
    """The first root field of a document (for log lines), e.g. ``createArtifact``."""
    match = _OPERATION.search(query)
    return match.group(1) if match else "request"


def inline_bytes(artifact: Artifact) -> bytes:
    """MARKDOWN downloads as its text; TABLE and LINK as their JSON."""
    if artifact.type == "MARKDOWN" and isinstance(artifact.data, str):
        return artifact.data.encode()
    return json.dumps(artifact.data, indent=2).encode() + b"\n"


# The run an ``async with cairn.run(...)`` block opened, per client, in this task's context
# (so concurrent tasks sharing one AsyncCairn each publish to their own run).
_ACTIVE_RUNS: ContextVar[dict[int, str]] = ContextVar("cairn_active_runs", default={})  # noqa: B039


def enter_run(client: object, run_id: str) -> Any:
    return _ACTIVE_RUNS.set({**_ACTIVE_RUNS.get(), id(client): run_id})


def leave_run(token: Any) -> None:
    _ACTIVE_RUNS.reset(token)


def end_status(exc: BaseException | None) -> str:
    """The status a ``run()`` block ends its run with."""
    if exc is None:
        return "COMPLETED"
    return "FAILED" if isinstance(exc, Exception) else "CANCELLED"  # Ctrl-C, cancellation


class Core:
    """Configuration and the pure part of every call; subclasses do the I/O."""

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        workflow_run_id: str | None = None,
        multipart_threshold: int = ops.DEFAULT_THRESHOLD,
        timeout: float = 60.0,
        retry: Retry | None = None,
    ) -> None:
        self.url = url or os.environ.get("CAIRN_API_URL") or ops.DEFAULT_URL
        self.token = token if token is not None else os.environ.get("CAIRN_API_TOKEN")
        self.workflow_run_id = workflow_run_id
        self.multipart_threshold = multipart_threshold
        self.timeout = timeout
        self.retry = retry if retry is not None else Retry()

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _run_id(self, workflow_run_id: str | None) -> str | None:
        if workflow_run_id is not None:
            return workflow_run_id
        return _ACTIVE_RUNS.get().get(id(self), self.workflow_run_id)

    @staticmethod
    def _with_key(opts: dict[str, Any]) -> dict[str, Any]:
        """Every publish carries an idempotency key, the same for all its retries."""
        if opts.get("idempotency_key") is None:
            return {**opts, "idempotency_key": new_idempotency_key()}
        return opts

    # -- specs -----------------------------------------------------------------------------

    @staticmethod
    def _create_workflow(
        name: str, description: str | None, tags: list[str] | None
    ) -> Call[Workflow]:
        values = {"name": name, "description": description, "tags": tags}
        return _create_call(ops.CREATE_WORKFLOW, "createWorkflow", Workflow.parse, values)

    @staticmethod
    def _create_job_run(name: str | None, status: str, metadata: Any) -> Call[JobRun]:
        values = {"name": name, "status": status.upper(), "metadata": metadata}
        # Not idempotent: a retry after a lost answer would open a second job run.
        return _create_call(
            ops.CREATE_JOB_RUN, "createJobRun", JobRun.parse, values, idempotent=False
        )

    @staticmethod
    def _set_job_run_status(job_run_id: str, status: str) -> Call[JobRun]:
        return _status_call(
            ops.SET_JOB_RUN_STATUS, "setJobRunStatus", JobRun.parse, job_run_id, status
        )

    @staticmethod
    def _create_workflow_run(
        workflow_id: str, job_run_id: str | None, name: str | None, status: str, parameters: Any
    ) -> Call[WorkflowRun]:
        values = {
            "workflowId": workflow_id,
            "jobRunId": job_run_id,
            "name": name,
            "status": status.upper(),
            "parameters": parameters,
        }
        return _create_call(
            ops.CREATE_WORKFLOW_RUN,
            "createWorkflowRun",
            WorkflowRun.parse,
            values,
            idempotent=False,
        )

    @staticmethod
    def _set_run_status(run_id: str, status: str) -> Call[WorkflowRun]:
        return _status_call(
            ops.SET_RUN_STATUS, "setWorkflowRunStatus", WorkflowRun.parse, run_id, status
        )

    def _create_artifact(
        self,
        type: str,
        display_name: str,
        opts: dict[str, Any],
        *,
        data: Any = None,
        content_base64: str | None = None,
    ) -> Call[Artifact]:
        opts = {
            **self._with_key(opts),
            "workflow_run_id": self._run_id(opts.get("workflow_run_id")),
        }
        variables: dict[str, Any] = {
            "input": ops.artifact_input(type=type, display_name=display_name, **opts)
        }
        if data is not None:
            variables["data"] = data
        if content_base64 is not None:
            variables["contentBase64"] = content_base64
        return Call(ops.CREATE_ARTIFACT, variables, _field("createArtifact", Artifact.parse))

    def _file_input(
        self, path: Path, type: str | None, display_name: str | None, opts: dict[str, Any]
    ) -> dict[str, Any]:
        kind = (type or ops.infer_type(path)).upper()
        opts = {
            **self._with_key(opts),
            "workflow_run_id": self._run_id(opts.get("workflow_run_id")),
        }
        if opts.get("mime_type") is None:
            opts["mime_type"] = ops.guess_mime(path, kind)
        return ops.artifact_input(type=kind, display_name=display_name or path.name, **opts)

    @staticmethod
    def _complete(artifact_id: str) -> Call[Artifact]:
        return Call(
            ops.COMPLETE_UPLOAD,
            {"id": artifact_id},
            _field("completeArtifactUpload", Artifact.parse),
        )

    @staticmethod
    def _get_artifact(artifact_id: str, signed_url: bool) -> Call[Artifact | None]:
        return Call(ops.GET_ARTIFACT, {"id": artifact_id, "withUrl": signed_url}, _maybe_artifact)

    @staticmethod
    def _update_artifact(artifact_id: str, values: dict[str, Any]) -> Call[Artifact]:
        variables = {"id": artifact_id, **ops.given(values)}
        return Call(ops.UPDATE_ARTIFACT, variables, _field("updateArtifact", Artifact.parse))

    @staticmethod
    def _delete_artifact(artifact_id: str) -> Call[int]:
        # a retry after a lost answer would say NOT_FOUND (or 0) for what it did delete
        return Call(
            ops.DELETE_ARTIFACT, {"id": artifact_id}, _count("deleteArtifact"), idempotent=False
        )

    @staticmethod
    def _delete_key(key: str) -> Call[int]:
        return Call(ops.DELETE_KEY, {"key": key}, _count("deleteArtifactsByKey"), idempotent=False)

    @staticmethod
    def _count_artifacts(filter: dict[str, Any]) -> Call[int]:
        return Call(
            ops.COUNT_ARTIFACTS,
            {"filter": filter},
            lambda data: int(data["artifacts"]["totalCount"]),
        )

    @staticmethod
    def _list_page(
        filter: dict[str, Any], sort: str, first: int, after: str | None
    ) -> Call[tuple[list[Artifact], str | None]]:
        def parse(data: dict[str, Any]) -> tuple[list[Artifact], str | None]:
            conn = data["artifacts"]
            nodes = [Artifact.parse(n) for n in conn["nodes"]]
            info = conn["pageInfo"]
            return nodes, (info["endCursor"] if info["hasNextPage"] else None)

        variables = {"filter": filter, "sort": sort.upper(), "first": first, "after": after}
        return Call(ops.LIST_ARTIFACTS, variables, parse)
