"""GraphQL documents and the pure helpers both clients share (no I/O to the service here)."""

from __future__ import annotations

import hashlib
import json
import math
import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 1024 * 1024
DEFAULT_URL = "http://127.0.0.1:8000/graphql"
DEFAULT_THRESHOLD = 8 * 1024 * 1024
MAX_PAGE = 500

ARTIFACT_FIELDS = """
fragment ArtifactFields on Artifact {
  id key version isLatest type category displayName description mimeType sizeBytes sha256
  status data metadata storagePath createdBy createdAt updatedAt
  workflow { id } workflowRun { id } jobRun { id }
}
"""
RUN_FIELDS = """
fragment RunFields on WorkflowRun {
  id name status parameters createdAt startedAt endedAt workflow { id } jobRun { id }
}
"""
JOB_FIELDS = "id name status metadata createdAt startedAt endedAt"
WORKFLOW_FIELDS = "id name description tags createdAt updatedAt"

CREATE_WORKFLOW = f"""
mutation($input: CreateWorkflowInput!) {{ createWorkflow(input: $input) {{ {WORKFLOW_FIELDS} }} }}
"""
CREATE_JOB_RUN = f"""
mutation($input: CreateJobRunInput!) {{ createJobRun(input: $input) {{ {JOB_FIELDS} }} }}
"""
SET_JOB_RUN_STATUS = f"""
mutation($id: ID!, $status: RunStatus!) {{ setJobRunStatus(id: $id, status: $status) {{ {JOB_FIELDS} }} }}
"""
CREATE_WORKFLOW_RUN = (
    RUN_FIELDS
    + """
mutation($input: CreateWorkflowRunInput!) { createWorkflowRun(input: $input) { ...RunFields } }
"""
)
SET_RUN_STATUS = (
    RUN_FIELDS
    + """
mutation($id: ID!, $status: RunStatus!) { setWorkflowRunStatus(id: $id, status: $status) { ...RunFields } }
"""
)
CREATE_ARTIFACT = (
    ARTIFACT_FIELDS
    + """
mutation($input: ArtifactInput!, $data: JSON, $contentBase64: String) {
  createArtifact(input: $input, data: $data, contentBase64: $contentBase64) { ...ArtifactFields }
}
"""
)
UPLOAD_ARTIFACT = (
    ARTIFACT_FIELDS
    + """
mutation($input: ArtifactInput!, $file: Upload!) {
  uploadArtifact(input: $input, file: $file) { ...ArtifactFields }
}
"""
)
BEGIN_UPLOAD = (
    ARTIFACT_FIELDS
    + """
mutation($input: ArtifactInput!, $sizeBytes: BigInt!, $sha256: String!) {
  beginArtifactUpload(input: $input, sizeBytes: $sizeBytes, sha256: $sha256) {
    artifact { ...ArtifactFields } uploadUrl { url expiresAt } method headers
  }
}
"""
)
COMPLETE_UPLOAD = (
    ARTIFACT_FIELDS
    + """
mutation($id: ID!) { completeArtifactUpload(id: $id) { ...ArtifactFields } }
"""
)
UPDATE_ARTIFACT = (
    ARTIFACT_FIELDS
    + """
mutation($id: ID!, $description: String, $metadata: JSON, $category: String, $displayName: String) {
  updateArtifact(id: $id, description: $description, metadata: $metadata, category: $category,
                 displayName: $displayName) { ...ArtifactFields }
}
"""
)
COUNT_ARTIFACTS = """
query($filter: ArtifactFilter) { artifacts(filter: $filter, first: 1) { totalCount } }
"""
DELETE_ARTIFACT = "mutation($id: ID!) { deleteArtifact(id: $id) { deletedCount } }"
DELETE_KEY = "mutation($key: String!) { deleteArtifactsByKey(key: $key) { deletedCount } }"
GET_ARTIFACT = (
    ARTIFACT_FIELDS
    + """
query($id: ID!, $withUrl: Boolean!) {
  artifact(id: $id) { ...ArtifactFields signedUrl @include(if: $withUrl) { url expiresAt } }
}
"""
)
LIST_ARTIFACTS = (
    ARTIFACT_FIELDS
    + """
query($filter: ArtifactFilter, $sort: ArtifactSort, $first: Int, $after: String) {
  artifacts(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { ...ArtifactFields } pageInfo { hasNextPage endCursor }
  }
}
"""
)

# File extension -> (artifact type, MIME type). MARKDOWN is an inline kind, so .md files are TEXT.
EXTENSION_TYPES: dict[str, tuple[str, str]] = {
    ".json": ("JSON", "application/json"),
    ".csv": ("CSV", "text/csv"),
    ".png": ("PNG", "image/png"),
    ".jpg": ("JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "image/jpeg"),
    ".webp": ("WEBP", "image/webp"),
    ".gif": ("GIF", "image/gif"),
    ".svg": ("SVG", "image/svg+xml"),
    ".pdf": ("PDF", "application/pdf"),
    ".xml": ("XML", "application/xml"),
    ".html": ("HTML", "text/html"),
    ".htm": ("HTML", "text/html"),
    ".txt": ("TEXT", "text/plain"),
    ".log": ("TEXT", "text/plain"),
    ".md": ("TEXT", "text/markdown"),
}


_ACTIVE = re.compile(r"html|xml|svg|javascript|ecmascript|x-shockwave|xsl", re.IGNORECASE)


def infer_type(path: str | Path) -> str:
    """The artifact type a file's extension suggests; BINARY when it suggests none."""
    return EXTENSION_TYPES.get(Path(path).suffix.lower(), ("BINARY", ""))[0]


def guess_mime(path: str | Path, artifact_type: str) -> str | None:
    """A MIME type for the file, or None to let the service pick one for the type."""
    known = EXTENSION_TYPES.get(Path(path).suffix.lower())
    if known is not None and known[0] == artifact_type:
        return known[1]
    if artifact_type == "BINARY":
        guess = mimetypes.guess_type(str(path))[0]
        # The service refuses active content (script, markup) unless typed HTML/SVG/XML.
        if guess and not _ACTIVE.search(guess):
            return guess
    return None


def artifact_input(
    *,
    type: str,
    display_name: str,
    workflow_run_id: str | None = None,
    key: str | None = None,
    category: str | None = None,
    description: str | None = None,
    mime_type: str | None = None,
    metadata: Any = None,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """An ``ArtifactInput`` with the unset fields left out."""
    values: dict[str, Any] = {
        "type": type.upper(),
        "displayName": display_name,
        "workflowRunId": workflow_run_id,
        "key": key,
        "category": category,
        "description": description,
        "mimeType": mime_type,
        "metadata": metadata,
        "idempotencyKey": idempotency_key,
    }
    return given(values)


def given(values: dict[str, Any]) -> dict[str, Any]:
    """The values that were given: GraphQL input fields left out rather than sent as null."""
    return {k: v for k, v in values.items() if v is not None}


def artifact_filter(
    *,
    key: str | None = None,
    type: str | None = None,
    workflow_run_id: str | None = None,
    job_run_id: str | None = None,
    workflow_id: str | None = None,
    category: str | None = None,
    status: list[str] | None = None,
) -> dict[str, Any]:
    """An ``ArtifactFilter`` from the common criteria (all of them AND together)."""
    result: dict[str, Any] = {}
    if key is not None:
        result["key"] = {"eq": key}
    if type is not None:
        result["type"] = [type.upper()]
    if workflow_run_id is not None:
        result["workflowRunId"] = {"eq": workflow_run_id}
    if job_run_id is not None:
        result["jobRunId"] = {"eq": job_run_id}
    if workflow_id is not None:
        result["workflowId"] = {"eq": workflow_id}
    if category is not None:
        result["category"] = {"eq": category}
    if status is not None:
        result["status"] = [s.upper() for s in status]
    return result


def json_safe(value: Any) -> Any:
    """NaN and infinities become None (JSON has no spelling for them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def table_data(rows: Any, columns: list[str] | None) -> Any:
    """TABLE data: a list of objects, a list of lists with ``columns``, or an object of columns."""
    if columns is not None:
        return json_safe({"columns": list(columns), "rows": rows})
    return json_safe(rows)


def file_digest(path: Path) -> tuple[int, str]:
    """Size and sha256 hex digest of a file, read in chunks (never whole)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def iter_file(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def download_target(artifact_name: str, artifact_id: str, path: str | Path | None) -> Path:
    """Where a download lands: ``path``, or inside it if it is a directory, else the
    display name's last component in the current directory (never outside it)."""
    name = Path(artifact_name).name or artifact_id
    if name in {".", ".."}:
        name = artifact_id
    if path is None:
        return Path.cwd() / name
    target = Path(path)
    return target / name if target.is_dir() else target


def multipart_fields(query: str, variables: dict[str, Any]) -> dict[str, str]:
    """The ``operations`` and ``map`` parts of a GraphQL multipart request (file part ``0``)."""
    return {
        "operations": json.dumps({"query": query, "variables": {**variables, "file": None}}),
        "map": json.dumps({"0": ["variables.file"]}),
    }
