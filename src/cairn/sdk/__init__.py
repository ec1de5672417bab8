"""The Cairn SDK for tasks: publish artifacts, fetch and delete them, manage runs.

from cairn.sdk import Cairn

with Cairn() as cairn, cairn.run("etl") as run:   # CAIRN_API_URL, CAIRN_API_TOKEN
    cairn.publish_markdown("# Done", key="etl-report")      # attached to run
    cairn.publish_file("out/data.csv", key="etl-data", progress=print)
# the run is COMPLETED now, or FAILED if the block raised

Transient failures (NETWORK_ERROR, STORAGE_UNAVAILABLE, DATABASE_UNAVAILABLE, SERVICE_BUSY)
are retried with backoff (``Cairn(retry=Retry(attempts=...))``); every publish carries an
idempotency key, so a retry never makes a second version.
"""

from cairn.sdk.aio import AsyncCairn
from cairn.sdk.client import Cairn
from cairn.sdk.errors import CairnApiError
from cairn.sdk.models import (
    Artifact,
    ArtifactUpload,
    AuditEvent,
    JobRun,
    SignedUrl,
    Workflow,
    WorkflowRun,
)
from cairn.sdk.ops import infer_type
from cairn.sdk.retry import NO_RETRY, Retry
from cairn.sdk.transfer import Progress

__all__ = [
    "NO_RETRY",
    "Artifact",
    "ArtifactUpload",
    "AsyncCairn",
    "AuditEvent",
    "Cairn",
    "CairnApiError",
    "JobRun",
    "Progress",
    "Retry",
    "SignedUrl",
    "Workflow",
    "WorkflowRun",
    "infer_type",
]
