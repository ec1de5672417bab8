"""``AsyncCairn``: the asyncio twin of ``Cairn``, same methods, awaited."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, TypeVar, cast

import httpx

from cairn.sdk import ops
from cairn.sdk._core import (
    Call,
    Core,
    end_status,
    enter_run,
    graphql_data,
    inline_bytes,
    is_mutation,
    leave_run,
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
from cairn.sdk.transfer import Meter, MeteredFile, Progress

T = TypeVar("T")
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
log = logging.getLogger("cairn.sdk")


async def _aiter_file(handle: BinaryIO, meter: Meter) -> AsyncIterator[bytes]:
    """A file's chunks, each read in a worker thread so the event loop keeps running."""
    done = 0
    while chunk := await asyncio.to_thread(handle.read, ops.CHUNK):
        yield chunk
        done += len(chunk)
        meter.report(done)


class AsyncCairn(Core):
    """The asyncio client; ``async with AsyncCairn() as cairn: ...`` or ``await aclose()``."""

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        workflow_run_id: str | None = None,
        multipart_threshold: int = ops.DEFAULT_THRESHOLD,
        timeout: float = 60.0,
        retry: Retry | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            url,
            token,
            workflow_run_id=workflow_run_id,
            multipart_threshold=multipart_threshold,
            timeout=timeout,
            retry=retry,
        )
        self._http = httpx.AsyncClient(headers=self.headers, timeout=timeout, transport=transport)
        self._storage = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def aclose(self) -> None:
        await self._http.aclose()
        await self._storage.aclose()

    async def __aenter__(self) -> AsyncCairn:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _retrying(
        self, what: str, attempt: Callable[[], Awaitable[T]], *, idempotent: bool
    ) -> T:
        """As ``Cairn._retrying``, waiting with ``asyncio.sleep``."""
        tries = 1
        while True:
            try:
                return await attempt()
            except CairnApiError as exc:
                if not self.retry.should_retry(exc, tries, idempotent=idempotent):
                    raise
                wait = self.retry.delay(exc, tries)
                log_retry(what, exc, tries, self.retry.attempts, wait)
                await asyncio.sleep(wait)
                tries += 1

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        idempotent: bool | None = None,
    ) -> dict[str, Any]:
        """Run any GraphQL document; return its ``data`` (retried as ``Cairn.execute``)."""
        body = {"query": query, "variables": variables or {}}

        async def attempt() -> dict[str, Any]:
            try:
                response = await self._http.post(self.url, json=body)
            except httpx.HTTPError as exc:
                raise network_error(self.url, exc) from None
            return graphql_data(response)

        safe = not is_mutation(query) if idempotent is None else idempotent
        return await self._retrying(operation_name(query), attempt, idempotent=safe)

    async def _call(self, call: Call[T]) -> T:
        data = await self.execute(call.query, call.variables, idempotent=call.idempotent)
        return call.parse(data)

    # -- workflows and runs ----------------------------------------------------------------

    async def create_workflow(
        self, name: str, *, description: str | None = None, tags: list[str] | None = None
    ) -> Workflow:
        return await self._call(self._create_workflow(name, description, tags))

    async def create_job_run(
        self, name: str | None = None, *, status: str = "RUNNING", metadata: Any = None
    ) -> JobRun:
        return await self._call(self._create_job_run(name, status, metadata))

    async def set_job_run_status(self, job_run_id: str, status: str) -> JobRun:
        return await self._call(self._set_job_run_status(job_run_id, status))

    async def create_workflow_run(
        self,
        workflow_id: str,
        *,
        job_run_id: str | None = None,
        name: str | None = None,
        status: str = "RUNNING",
        parameters: Any = None,
    ) -> WorkflowRun:
        return await self._call(
            self._create_workflow_run(workflow_id, job_run_id, name, status, parameters)
        )

    async def set_run_status(self, run_id: str, status: str) -> WorkflowRun:
        return await self._call(self._set_run_status(run_id, status))

    @asynccontextmanager
    async def run(
        self,
        workflow: str,
        *,
        name: str | None = None,
        parameters: Any = None,
        job_run_id: str | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
    ) -> AsyncIterator[WorkflowRun]:
        """``async with cairn.run("nightly-etl") as run:`` as ``Cairn.run``; the run is the
        default for publishes of this task (and tasks it starts), not of other tasks."""
        wf = await self.create_workflow(workflow, description=description, tags=tags)
        opened = await self.create_workflow_run(
            wf.id, job_run_id=job_run_id, name=name, parameters=parameters, status="RUNNING"
        )
        token = enter_run(self, opened.id)
        try:
            yield opened
        except BaseException as exc:
            try:
                await self.set_run_status(opened.id, end_status(exc))
            except CairnApiError as failure:  # the block's own exception matters more
                log.warning(
                    "cairn: could not mark run %s %s: %s", opened.id, end_status(exc), failure
                )
            raise
        finally:
            leave_run(token)
        await self.set_run_status(opened.id, end_status(None))

    # -- publishing ------------------------------------------------------------------------

    async def publish_markdown(
        self, markdown: str, *, display_name: str = "report.md", **opts: Any
    ) -> Artifact:
        return await self._call(
            self._create_artifact("MARKDOWN", display_name, opts, data=markdown)
        )

    async def publish_table(
        self,
        rows: Any,
        *,
        columns: list[str] | None = None,
        display_name: str = "table",
        **opts: Any,
    ) -> Artifact:
        data = ops.table_data(rows, columns)
        return await self._call(self._create_artifact("TABLE", display_name, opts, data=data))

    async def publish_link(
        self, url: str, *, text: str | None = None, display_name: str | None = None, **opts: Any
    ) -> Artifact:
        data = {"url": url, "text": text} if text is not None else {"url": url}
        name = display_name or text or url
        return await self._call(self._create_artifact("LINK", name, opts, data=data))

    async def publish_json(
        self, value: Any, *, display_name: str = "data.json", **opts: Any
    ) -> Artifact:
        data = ops.json_safe(value)
        return await self._call(self._create_artifact("JSON", display_name, opts, data=data))

    async def publish_text(
        self, text: str, *, display_name: str = "output.txt", **opts: Any
    ) -> Artifact:
        return await self._call(self._create_artifact("TEXT", display_name, opts, data=text))

    async def publish_bytes(
        self, content: bytes, *, display_name: str, type: str = "BINARY", **opts: Any
    ) -> Artifact:
        encoded = base64.b64encode(content).decode()
        return await self._call(
            self._create_artifact(type, display_name, opts, content_base64=encoded)
        )

    async def publish_file(
        self,
        path: str | Path,
        *,
        type: str | None = None,
        display_name: str | None = None,
        progress: Progress | None = None,
        **opts: Any,
    ) -> Artifact:
        """As ``Cairn.publish_file``, ``progress(done_bytes, total_bytes)`` included."""
        file = Path(path)
        size = (await asyncio.to_thread(file.stat)).st_size
        artifact_input = self._file_input(file, type, display_name, opts)
        meter = Meter(progress, size)
        if size <= self.multipart_threshold:
            artifact = await self._upload_multipart(file, artifact_input, meter)
        else:
            artifact = await self._upload_presigned(file, artifact_input, meter)
        meter.finish()
        return artifact

    async def _upload_multipart(
        self, file: Path, artifact_input: dict[str, Any], meter: Meter
    ) -> Artifact:
        fields = ops.multipart_fields(ops.UPLOAD_ARTIFACT, {"input": artifact_input})
        mime = artifact_input.get("mimeType") or "application/octet-stream"
        handle = await asyncio.to_thread(file.open, "rb")
        body = cast(BinaryIO, MeteredFile(handle, meter))  # httpx rewinds it per try

        async def attempt() -> Artifact:
            try:
                response = await self._http.post(
                    self.url,
                    data=fields,
                    files={"0": (artifact_input["displayName"], body, mime)},
                    headers=PREFLIGHT,
                )
            except httpx.HTTPError as exc:
                raise network_error(self.url, exc) from None
            return Artifact.parse(graphql_data(response)["uploadArtifact"])

        try:
            return await self._retrying("uploadArtifact", attempt, idempotent=True)
        finally:
            handle.close()

    async def _upload_presigned(
        self, file: Path, artifact_input: dict[str, Any], meter: Meter
    ) -> Artifact:
        size, sha256 = await asyncio.to_thread(ops.file_digest, file)
        data = await self.execute(
            ops.BEGIN_UPLOAD,
            {"input": artifact_input, "sizeBytes": size, "sha256": sha256},
            idempotent=True,  # the idempotency key makes a repeat return the same upload
        )
        upload = ArtifactUpload.parse(data["beginArtifactUpload"])
        headers = {**upload.headers, "Content-Length": str(size)}

        async def put() -> None:
            handle = await asyncio.to_thread(file.open, "rb")
            try:
                response = await self._storage.request(
                    upload.method,
                    upload.upload_url.url,
                    content=_aiter_file(handle, meter),
                    headers=headers,
                )
            except httpx.HTTPError as exc:
                raise network_error("object storage", exc) from None
            finally:
                handle.close()
            if response.status_code >= 300:
                raise storage_error("upload", response)

        await self._retrying("upload to object storage", put, idempotent=True)
        return await self._call(self._complete(upload.artifact.id))

    # -- reading and deleting --------------------------------------------------------------

    async def get_artifact(self, artifact_id: str, *, signed_url: bool = False) -> Artifact | None:
        return await self._call(self._get_artifact(artifact_id, signed_url))

    async def list_artifacts(
        self, *, sort: str = "CREATED_DESC", limit: int | None = 50, **criteria: Any
    ) -> list[Artifact]:
        filter = ops.artifact_filter(**criteria)
        found: list[Artifact] = []
        after: str | None = None
        while limit is None or len(found) < limit:
            first = ops.MAX_PAGE if limit is None else min(ops.MAX_PAGE, limit - len(found))
            nodes, after = await self._call(self._list_page(filter, sort, first, after))
            found.extend(nodes)
            if after is None:
                break
        return found

    async def count_artifacts(self, **criteria: Any) -> int:
        """How many artifacts match (criteria as ``list_artifacts``; ``status`` defaults to
        AVAILABLE only)."""
        return await self._call(self._count_artifacts(ops.artifact_filter(**criteria)))

    async def update_artifact(
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
        return await self._call(self._update_artifact(artifact_id, values))

    async def delete_artifact(self, artifact_id: str) -> int:
        return await self._call(self._delete_artifact(artifact_id))

    async def revoke_signed_urls(self, artifact_id: str) -> Artifact:
        """Make every signed URL of the artifact minted so far stop working."""
        return await self._call(self._revoke(artifact_id))

    async def audit_events(self, *, limit: int | None = 50, **criteria: Any) -> list[AuditEvent]:
        """Audit events newest first (needs audit:read). Criteria: artifact_id, subject,
        action (a list), since (a datetime or ISO 8601 text). ``limit=None``: all."""
        filter = ops.audit_filter(**criteria)
        found: list[AuditEvent] = []
        after: str | None = None
        while limit is None or len(found) < limit:
            first = ops.MAX_PAGE if limit is None else min(ops.MAX_PAGE, limit - len(found))
            nodes, after = await self._call(self._audit_page(filter, first, after))
            found.extend(nodes)
            if after is None:
                break
        return found

    async def delete_key(self, key: str) -> int:
        return await self._call(self._delete_key(key))

    async def download(
        self,
        artifact_id: str,
        path: str | Path | None = None,
        *,
        progress: Progress | None = None,
        overwrite: bool = True,
    ) -> Path:
        """As ``Cairn.download``: checked against size and sha256 before it is put in place."""
        artifact = await self.get_artifact(artifact_id, signed_url=True)
        if artifact is None:
            raise CairnApiError("NOT_FOUND", f"artifact {artifact_id!r} was not found")
        target = ops.download_target(artifact.display_name, artifact.id, path)
        if not overwrite:
            await asyncio.to_thread(refuse_existing, target)
        if not artifact.inline and artifact.signed_url is None:
            raise not_downloadable(artifact)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        part = part_path(target)
        try:
            if artifact.inline:
                content = inline_bytes(artifact)
                await asyncio.to_thread(part.write_bytes, content)
                meter = Meter(progress, len(content))
            else:
                meter = Meter(progress, artifact.size_bytes)
                url = artifact.signed_url.url if artifact.signed_url else ""
                await self._retrying(
                    "download from object storage",
                    lambda: self._fetch(artifact, url, part, meter),
                    idempotent=True,
                )
            await asyncio.to_thread(place, part, target, overwrite=overwrite)
        finally:
            await asyncio.to_thread(part.unlink, missing_ok=True)
        meter.finish()
        return target

    async def _fetch(self, artifact: Artifact, url: str, part: Path, meter: Meter) -> None:
        digest, size = hashlib.sha256(), 0
        out = await asyncio.to_thread(part.open, "wb")
        try:
            async with self._storage.stream("GET", url) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise storage_error("download", response)
                async for chunk in response.aiter_bytes(ops.CHUNK):
                    await asyncio.to_thread(out.write, chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    meter.report(size)
        except httpx.HTTPError as exc:
            raise network_error("object storage", exc) from None
        finally:
            out.close()
        verify(artifact, size, digest.hexdigest())
