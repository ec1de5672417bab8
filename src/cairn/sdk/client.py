"""``Cairn`` (sync) and ``AsyncCairn``: publish and fetch artifacts from tasks, over httpx.

Both read ``CAIRN_API_URL`` (default ``http://127.0.0.1:8000/graphql``) and
``CAIRN_API_TOKEN`` unless given ``url=`` / ``token=``, and raise ``CairnApiError`` on failure.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, TypeVar, cast

import httpx

from cairn.sdk import ops
from cairn.sdk._core import (
    Call,
    Core,
    end_status,
    graphql_data,
    inline_bytes,
    is_mutation,
    network_error,
    not_downloadable,
    operation_name,
    part_path,
    place,
    refuse_existing,
    storage_error,
    verify,
)
from cairn.sdk.errors import CairnApiError
from cairn.sdk.models import Artifact, ArtifactUpload, AuditEvent, JobRun, Workflow, WorkflowRun
from cairn.sdk.retry import Retry, log_retry
from cairn.sdk.transfer import Meter, MeteredFile, Progress, metered

__all__ = ["AsyncCairn", "Cairn", "CairnApiError"]

T = TypeVar("T")
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
log = logging.getLogger("cairn.sdk")


class Cairn(Core):
    """The synchronous client. Use as a context manager, or call ``close()``.

    ``workflow_run_id`` given here is the default run every ``publish_*`` attaches to.
    Files up to ``multipart_threshold`` bytes (8 MiB) go through the service in one
    multipart request; larger ones go straight to object storage by a presigned PUT.
    Transient failures are retried as ``retry`` says (default ``Retry()``: 5 tries with
    backoff; ``Retry(attempts=1)`` turns retrying off).
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        workflow_run_id: str | None = None,
        multipart_threshold: int = ops.DEFAULT_THRESHOLD,
        timeout: float = 60.0,
        retry: Retry | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            url,
            token,
            workflow_run_id=workflow_run_id,
            multipart_threshold=multipart_threshold,
            timeout=timeout,
            retry=retry,
        )
        self._http = httpx.Client(headers=self.headers, timeout=timeout, transport=transport)
        # Presigned URLs carry their own signature: never send our bearer token to storage.
        self._storage = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()
        self._storage.close()

    def __enter__(self) -> Cairn:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _retrying(self, what: str, attempt: Callable[[], T], *, idempotent: bool) -> T:
        """``attempt()``, tried again after transient failures as ``self.retry`` allows."""
        tries = 1
        while True:
            try:
                return attempt()
            except CairnApiError as exc:
                if not self.retry.should_retry(exc, tries, idempotent=idempotent):
                    raise
                wait = self.retry.delay(exc, tries)
                log_retry(what, exc, tries, self.retry.attempts, wait)
                time.sleep(wait)
                tries += 1

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> dict[str, Any]:
        """Run any GraphQL document; return its ``data``. Transient failures are retried;
        when the request may have taken effect already, only if ``idempotent`` (default:
        True for queries, False for mutations)."""
        body = {"query": query, "variables": variables or {}}

        def attempt() -> dict[str, Any]:
            try:
                response = self._http.post(self.url, json=body)
            except httpx.HTTPError as exc:
                raise network_error(self.url, exc) from None
            return graphql_data(response)

        safe = not is_mutation(query) if idempotent is None else idempotent
        return self._retrying(operation_name(query), attempt, idempotent=safe)

    def _call(self, call: Call[T]) -> T:
        return call.parse(self.execute(call.query, call.variables, idempotent=call.idempotent))

    # -- workflows and runs ----------------------------------------------------------------

    def create_workflow(
        self, name: str, *, description: str | None = None, tags: list[str] | None = None
    ) -> Workflow:
        """Idempotent on name: returns the existing workflow if there is one."""
        return self._call(self._create_workflow(name, description, tags))

    def create_job_run(
        self, name: str | None = None, *, status: str = "RUNNING", metadata: Any = None
    ) -> JobRun:
        return self._call(self._create_job_run(name, status, metadata))

    def set_job_run_status(self, job_run_id: str, status: str) -> JobRun:
        return self._call(self._set_job_run_status(job_run_id, status))

    def create_workflow_run(
        self,
        workflow_id: str,
        *,
        job_run_id: str | None = None,
        name: str | None = None,
        status: str = "RUNNING",
        parameters: Any = None,
    ) -> WorkflowRun:
        return self._call(
            self._create_workflow_run(workflow_id, job_run_id, name, status, parameters)
        )

    def set_run_status(self, run_id: str, status: str) -> WorkflowRun:
        """Set a workflow run's status (RUNNING stamps startedAt; an end state, endedAt)."""
        return self._call(self._set_run_status(run_id, status))

    @contextmanager
    def run(
        self,
        workflow: str,
        *,
        name: str | None = None,
        parameters: Any = None,
        job_run_id: str | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
    ) -> Iterator[WorkflowRun]:
        """``with cairn.run("nightly-etl") as run:`` creates (or reuses) the workflow, opens a
        RUNNING workflow run, makes it the default run of every publish in the block, and
        marks it COMPLETED at the end, FAILED if the block raises (the exception goes on),
        CANCELLED on KeyboardInterrupt."""
        wf = self.create_workflow(workflow, description=description, tags=tags)
        opened = self.create_workflow_run(
            wf.id, job_run_id=job_run_id, name=name, parameters=parameters, status="RUNNING"
        )
        previous, self.workflow_run_id = self.workflow_run_id, opened.id
        try:
            yield opened
        except BaseException as exc:
            try:
                self.set_run_status(opened.id, end_status(exc))
            except CairnApiError as failure:  # the block's own exception matters more
                log.warning(
                    "cairn: could not mark run %s %s: %s", opened.id, end_status(exc), failure
                )
            raise
        finally:
            self.workflow_run_id = previous
        self.set_run_status(opened.id, end_status(None))

    # -- publishing ------------------------------------------------------------------------

    def publish_markdown(
        self, markdown: str, *, display_name: str = "report.md", **opts: Any
    ) -> Artifact:
        """Options everywhere: key, category, description, metadata, workflow_run_id,
        mime_type, idempotency_key."""
        return self._call(self._create_artifact("MARKDOWN", display_name, opts, data=markdown))

    def publish_table(
        self,
        rows: Any,
        *,
        columns: list[str] | None = None,
        display_name: str = "table",
        **opts: Any,
    ) -> Artifact:
        """Rows as a list of objects, a list of lists with ``columns``, or an object of columns."""
        data = ops.table_data(rows, columns)
        return self._call(self._create_artifact("TABLE", display_name, opts, data=data))

    def publish_link(
        self, url: str, *, text: str | None = None, display_name: str | None = None, **opts: Any
    ) -> Artifact:
        data = {"url": url, "text": text} if text is not None else {"url": url}
        return self._call(
            self._create_artifact("LINK", display_name or text or url, opts, data=data)
        )

    def publish_json(self, value: Any, *, display_name: str = "data.json", **opts: Any) -> Artifact:
        data = ops.json_safe(value)
        return self._call(self._create_artifact("JSON", display_name, opts, data=data))

    def publish_text(self, text: str, *, display_name: str = "output.txt", **opts: Any) -> Artifact:
        return self._call(self._create_artifact("TEXT", display_name, opts, data=text))

    def publish_bytes(
        self, content: bytes, *, display_name: str, type: str = "BINARY", **opts: Any
    ) -> Artifact:
        """Small content inline (base64 in the request); use publish_file for big files."""
        encoded = base64.b64encode(content).decode()
        return self._call(self._create_artifact(type, display_name, opts, content_base64=encoded))

    def publish_file(
        self,
        path: str | Path,
        *,
        type: str | None = None,
        display_name: str | None = None,
        progress: Progress | None = None,
        **opts: Any,
    ) -> Artifact:
        """Publish a file, streamed from disk. ``type`` defaults from the extension.
        ``progress(done_bytes, total_bytes)`` is called as the bytes go out."""
        file = Path(path)
        size = file.stat().st_size
        artifact_input = self._file_input(file, type, display_name, opts)
        meter = Meter(progress, size)
        if size <= self.multipart_threshold:
            artifact = self._upload_multipart(file, artifact_input, meter)
        else:
            artifact = self._upload_presigned(file, artifact_input, meter)
        meter.finish()
        return artifact

    def _upload_multipart(
        self, file: Path, artifact_input: dict[str, Any], meter: Meter
    ) -> Artifact:
        fields = ops.multipart_fields(ops.UPLOAD_ARTIFACT, {"input": artifact_input})
        mime = artifact_input.get("mimeType") or "application/octet-stream"
        with file.open("rb") as handle:
            body = cast(BinaryIO, MeteredFile(handle, meter))  # httpx rewinds it per try

            def attempt() -> Artifact:
                try:
                    response = self._http.post(
                        self.url,
                        data=fields,
                        files={"0": (artifact_input["displayName"], body, mime)},
                        headers=PREFLIGHT,
                    )
                except httpx.HTTPError as exc:
                    raise network_error(self.url, exc) from None
                return Artifact.parse(graphql_data(response)["uploadArtifact"])

            return self._retrying("uploadArtifact", attempt, idempotent=True)

    def _upload_presigned(
        self, file: Path, artifact_input: dict[str, Any], meter: Meter
    ) -> Artifact:
        size, sha256 = ops.file_digest(file)
        data = self.execute(
            ops.BEGIN_UPLOAD,
            {"input": artifact_input, "sizeBytes": size, "sha256": sha256},
            idempotent=True,  # the idempotency key makes a repeat return the same upload
        )
        upload = ArtifactUpload.parse(data["beginArtifactUpload"])
        headers = {**upload.headers, "Content-Length": str(size)}

        def put() -> None:
            with file.open("rb") as handle:
                try:
                    response = self._storage.request(
                        upload.method,
                        upload.upload_url.url,
                        content=metered(ops.iter_file(handle), meter),
                        headers=headers,
                    )
                except httpx.HTTPError as exc:
                    raise network_error("object storage", exc) from None
            if response.status_code >= 300:
                raise storage_error("upload", response)

        self._retrying("upload to object storage", put, idempotent=True)  # same bytes, same key
        return self._call(self._complete(upload.artifact.id))

    # -- reading and deleting --------------------------------------------------------------

    def get_artifact(self, artifact_id: str, *, signed_url: bool = False) -> Artifact | None:
        """The artifact (any status), or None if this organization has no such id."""
        return self._call(self._get_artifact(artifact_id, signed_url))

    def list_artifacts(
        self, *, sort: str = "CREATED_DESC", limit: int | None = 50, **criteria: Any
    ) -> list[Artifact]:
        """Artifacts newest first. Criteria: key, type, workflow_run_id, job_run_id,
        workflow_id, category, status (a list). ``limit=None`` pages through all of them."""
        filter = ops.artifact_filter(**criteria)
        found: list[Artifact] = []
        after: str | None = None
        while limit is None or len(found) < limit:
            first = ops.MAX_PAGE if limit is None else min(ops.MAX_PAGE, limit - len(found))
            nodes, after = self._call(self._list_page(filter, sort, first, after))
            found.extend(nodes)
            if after is None:
                break
        return found

    def count_artifacts(self, **criteria: Any) -> int:
        """How many artifacts match (criteria as ``list_artifacts``; ``status`` defaults to
        AVAILABLE only)."""
        return self._call(self._count_artifacts(ops.artifact_filter(**criteria)))

    def update_artifact(
        self,
        artifact_id: str,
        *,
        description: str | None = None,
        metadata: Any = None,
        category: str | None = None,
        display_name: str | None = None,
    ) -> Artifact:
        values = {
            "description": description,
            "metadata": metadata,
            "category": category,
            "displayName": display_name,
        }
        return self._call(self._update_artifact(artifact_id, values))

    def delete_artifact(self, artifact_id: str) -> int:
        """Delete one artifact; returns how many were deleted (1)."""
        return self._call(self._delete_artifact(artifact_id))

    def revoke_signed_urls(self, artifact_id: str) -> Artifact:
        """Make every signed URL of the artifact minted so far stop working."""
        return self._call(self._revoke(artifact_id))

    def audit_events(self, *, limit: int | None = 50, **criteria: Any) -> list[AuditEvent]:
        """Audit events newest first (needs audit:read). Criteria: artifact_id, subject,
        action (a list), since (a datetime or ISO 8601 text). ``limit=None``: all."""
        filter = ops.audit_filter(**criteria)
        found: list[AuditEvent] = []
        after: str | None = None
        while limit is None or len(found) < limit:
            first = ops.MAX_PAGE if limit is None else min(ops.MAX_PAGE, limit - len(found))
            nodes, after = self._call(self._audit_page(filter, first, after))
            found.extend(nodes)
            if after is None:
                break
        return found

    def delete_key(self, key: str) -> int:
        """Delete every version of a key; returns how many were deleted."""
        return self._call(self._delete_key(key))

    def download(
        self,
        artifact_id: str,
        path: str | Path | None = None,
        *,
        progress: Progress | None = None,
        overwrite: bool = True,
    ) -> Path:
        """Download an artifact's bytes to ``path`` (a file, or a directory to put it in;
        default: its display name in the current directory), checking size and sha256.
        Bytes land in a temporary file first: a failed check leaves nothing behind.
        ``progress(done_bytes, total_bytes)`` is called as bytes arrive; with
        ``overwrite=False`` an existing file is left alone (FileExistsError)."""
        artifact = self.get_artifact(artifact_id, signed_url=True)
        if artifact is None:
            raise CairnApiError("NOT_FOUND", f"artifact {artifact_id!r} was not found")
        target = ops.download_target(artifact.display_name, artifact.id, path)
        if not overwrite:
            refuse_existing(target)
        if not artifact.inline and artifact.signed_url is None:
            raise not_downloadable(artifact)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = part_path(target)
        try:
            if artifact.inline:
                content = inline_bytes(artifact)
                part.write_bytes(content)
                meter = Meter(progress, len(content))
            else:
                meter = Meter(progress, artifact.size_bytes)
                url = artifact.signed_url.url if artifact.signed_url else ""
                self._retrying(
                    "download from object storage",
                    lambda: self._fetch(artifact, url, part, meter),
                    idempotent=True,
                )
            place(part, target, overwrite=overwrite)
        finally:
            part.unlink(missing_ok=True)
        meter.finish()
        return target

    def _fetch(self, artifact: Artifact, url: str, part: Path, meter: Meter) -> None:
        digest, size = hashlib.sha256(), 0
        try:
            with self._storage.stream("GET", url) as response:
                if response.status_code != 200:
                    response.read()
                    raise storage_error("download", response)
                with part.open("wb") as out:
                    for chunk in response.iter_bytes(ops.CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                        meter.report(size)
        except httpx.HTTPError as exc:
            raise network_error("object storage", exc) from None
        verify(artifact, size, digest.hexdigest())


from cairn.sdk.aio import AsyncCairn  # noqa: E402  (re-exported; it shares nothing mutable)
