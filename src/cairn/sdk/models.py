"""Typed results: frozen dataclasses parsed from the service's GraphQL answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

INLINE_TYPES = frozenset({"MARKDOWN", "TABLE", "LINK"})


def _dt(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _required_dt(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _id_of(value: Any) -> str | None:
    return None if not isinstance(value, dict) else str(value["id"])


@dataclass(frozen=True)
class SignedUrl:
    url: str
    expires_at: datetime

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> SignedUrl:
        return cls(url=str(raw["url"]), expires_at=_required_dt(raw["expiresAt"]))


@dataclass(frozen=True)
class Workflow:
    id: str
    name: str
    description: str | None
    tags: list[str]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Workflow:
        return cls(
            id=str(raw["id"]),
            name=str(raw["name"]),
            description=raw.get("description"),
            tags=list(raw.get("tags") or []),
            created_at=_required_dt(raw["createdAt"]),
            updated_at=_required_dt(raw["updatedAt"]),
        )


@dataclass(frozen=True)
class JobRun:
    id: str
    name: str | None
    status: str
    metadata: Any
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> JobRun:
        return cls(
            id=str(raw["id"]),
            name=raw.get("name"),
            status=str(raw["status"]),
            metadata=raw.get("metadata"),
            created_at=_required_dt(raw["createdAt"]),
            started_at=_dt(raw.get("startedAt")),
            ended_at=_dt(raw.get("endedAt")),
        )


@dataclass(frozen=True)
class WorkflowRun:
    id: str
    name: str | None
    status: str
    parameters: Any
    workflow_id: str
    job_run_id: str | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> WorkflowRun:
        return cls(
            id=str(raw["id"]),
            name=raw.get("name"),
            status=str(raw["status"]),
            parameters=raw.get("parameters"),
            workflow_id=str(raw["workflow"]["id"]),
            job_run_id=_id_of(raw.get("jobRun")),
            created_at=_required_dt(raw["createdAt"]),
            started_at=_dt(raw.get("startedAt")),
            ended_at=_dt(raw.get("endedAt")),
        )


@dataclass(frozen=True)
class Artifact:
    id: str
    key: str | None
    version: int | None
    is_latest: bool
    type: str
    category: str | None
    display_name: str
    description: str | None
    mime_type: str
    size_bytes: int
    sha256: str
    status: str
    data: Any
    metadata: Any
    storage_path: str | None
    workflow_id: str | None
    workflow_run_id: str | None
    job_run_id: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    signed_url: SignedUrl | None = None

    @property
    def inline(self) -> bool:
        """MARKDOWN, TABLE and LINK live in Postgres: ``data`` holds them, no bytes to fetch."""
        return self.type in INLINE_TYPES

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Artifact:
        signed = raw.get("signedUrl")
        return cls(
            id=str(raw["id"]),
            key=raw.get("key"),
            version=raw.get("version"),
            is_latest=bool(raw["isLatest"]),
            type=str(raw["type"]),
            category=raw.get("category"),
            display_name=str(raw["displayName"]),
            description=raw.get("description"),
            mime_type=str(raw["mimeType"]),
            size_bytes=int(raw["sizeBytes"]),
            sha256=str(raw["sha256"]),
            status=str(raw["status"]),
            data=raw.get("data"),
            metadata=raw.get("metadata"),
            storage_path=raw.get("storagePath"),
            workflow_id=_id_of(raw.get("workflow")),
            workflow_run_id=_id_of(raw.get("workflowRun")),
            job_run_id=_id_of(raw.get("jobRun")),
            created_by=str(raw["createdBy"]),
            created_at=_required_dt(raw["createdAt"]),
            updated_at=_required_dt(raw["updatedAt"]),
            signed_url=SignedUrl.parse(signed) if isinstance(signed, dict) else None,
        )


@dataclass(frozen=True)
class ArtifactUpload:
    """The answer of beginArtifactUpload: a PENDING artifact and where to PUT its bytes."""

    artifact: Artifact
    upload_url: SignedUrl
    method: str
    headers: dict[str, str]

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> ArtifactUpload:
        headers = raw.get("headers") or {}
        return cls(
            artifact=Artifact.parse(raw["artifact"]),
            upload_url=SignedUrl.parse(raw["uploadUrl"]),
            method=str(raw.get("method") or "PUT"),
            headers={str(k): str(v) for k, v in dict(headers).items()},
        )


@dataclass(frozen=True)
class AuditEvent:
    """One entry of the organization's audit trail (``auditEvents``)."""

    id: str
    action: str
    subject: str
    artifact_id: str | None
    request_id: str
    created_at: datetime
    details: dict[str, Any]

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> AuditEvent:
        return cls(
            id=str(raw["id"]),
            action=str(raw["action"]),
            subject=str(raw["subject"]),
            artifact_id=raw.get("artifactId"),
            request_id=str(raw["requestId"]),
            created_at=_required_dt(raw["createdAt"]),
            details=dict(raw.get("details") or {}),
        )
