"""The Cairn SDK for tasks: publish artifacts, fetch and delete them, manage runs.

from cairn.sdk import Cairn

with Cairn() as cairn:                      # CAIRN_API_URL, CAIRN_API_TOKEN
    run = cairn.create_workflow_run(cairn.create_workflow("etl").id)
    cairn.publish_markdown("# Done", key="etl-report", workflow_run_id=run.id)
    cairn.publish_file("out/data.csv", key="etl-data", workflow_run_id=run.id)
    cairn.set_run_status(run.id, "COMPLETED")
"""

from cairn.sdk.aio import AsyncCairn
from cairn.sdk.client import Cairn
from cairn.sdk.errors import CairnApiError
from cairn.sdk.models import Artifact, ArtifactUpload, JobRun, SignedUrl, Workflow, WorkflowRun
from cairn.sdk.ops import infer_type

__all__ = [
    "Artifact",
    "ArtifactUpload",
    "AsyncCairn",
    "Cairn",
    "CairnApiError",
    "JobRun",
    "SignedUrl",
    "Workflow",
    "WorkflowRun",
    "infer_type",
]
