"""Checks of what callers send about an artifact (ArtifactInput, updateArtifact fields).

Every failure is a BadUserInput (NOT_FOUND for an id that names nothing) whose message
says how to fix the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cairn.errors import BadUserInput, not_found
from cairn.services.artifact_content import DEFAULT_MIME, canonical_json, resolve_mime

KEY_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,198}[a-z0-9])?$")  # as sql/0001_init.sql
MAX_DISPLAY_NAME = 255
MAX_CATEGORY = 100
MAX_DESCRIPTION = 10_000
MAX_IDEMPOTENCY_KEY = 200
MAX_METADATA_BYTES = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ArtifactSpec:
    """ArtifactInput as the service sees it."""

    type: str
    display_name: str
    workflow_run_id: str | None = None
    key: str | None = None
    category: str | None = None
    description: str | None = None
    mime_type: str | None = None
    metadata: Any = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CleanSpec:
    type: str
    display_name: str
    mime_type: str
    metadata: dict[str, Any]
    key: str | None
    category: str | None
    description: str | None
    workflow_run_id: UUID | None
    idempotency_key: str | None

    def canonical(self) -> dict[str, Any]:
        """What makes two requests 'the same' for idempotency."""
        return {
            "type": self.type,
            "displayName": self.display_name,
            "mimeType": self.mime_type,
            "metadata": self.metadata,
            "key": self.key,
            "category": self.category,
            "description": self.description,
            "workflowRunId": None if self.workflow_run_id is None else str(self.workflow_run_id),
        }


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise BadUserInput(
            f"key {key!r} is invalid: use 1-200 lowercase letters, digits and dashes, "
            "starting and ending with a letter or digit (e.g. 'daily-report')"
        )
    return key


def check_display_name(name: str) -> str:
    if not name.strip():
        raise BadUserInput("displayName must not be empty; give the file name, e.g. report.json")
    if len(name) > MAX_DISPLAY_NAME:
        raise BadUserInput(f"displayName is longer than {MAX_DISPLAY_NAME} characters; shorten it")
    if _CONTROL.search(name):
        raise BadUserInput("displayName must not contain control characters (tabs, newlines)")
    return name


def _check_category(category: str | None) -> str | None:
    if category is None:
        return None
    if not category.strip():
        raise BadUserInput("category must not be empty; omit it or give e.g. 'screenshot'")
    if len(category) > MAX_CATEGORY or _CONTROL.search(category):
        raise BadUserInput(
            f"category must be at most {MAX_CATEGORY} characters without control characters"
        )
    return category


def _check_description(description: str | None) -> str | None:
    if description is None:
        return None
    if len(description) > MAX_DESCRIPTION:
        raise BadUserInput(f"description is longer than {MAX_DESCRIPTION} characters; shorten it")
    if "\x00" in description:
        raise BadUserInput("description must not contain NUL characters")
    return description


def check_metadata(metadata: Any) -> dict[str, Any]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise BadUserInput('metadata must be a JSON object, e.g. {"source": "crawler"}')
    if len(canonical_json(metadata)) > MAX_METADATA_BYTES:
        raise BadUserInput(f"metadata is larger than {MAX_METADATA_BYTES} bytes as JSON")
    return metadata


def _check_idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not value or len(value) > MAX_IDEMPOTENCY_KEY or _CONTROL.search(value):
        raise BadUserInput(
            f"idempotencyKey must be 1-{MAX_IDEMPOTENCY_KEY} characters without control "
            "characters, e.g. a UUID"
        )
    return value


def _run_id(value: str | None) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise not_found("workflow run", str(value)) from None


def clean_spec(spec: ArtifactSpec) -> CleanSpec:
    if spec.type not in DEFAULT_MIME:
        raise BadUserInput(f"unknown artifact type {spec.type!r}")
    return CleanSpec(
        type=spec.type,
        display_name=check_display_name(spec.display_name),
        mime_type=resolve_mime(spec.type, spec.mime_type),
        metadata=check_metadata(spec.metadata),
        key=None if spec.key is None else check_key(spec.key),
        category=_check_category(spec.category),
        description=_check_description(spec.description),
        workflow_run_id=_run_id(spec.workflow_run_id),
        idempotency_key=_check_idempotency_key(spec.idempotency_key),
    )


def clean_update(changes: dict[str, Any]) -> dict[str, Any]:
    """updateArtifact: absent fields stay; null clears description and category."""
    if not changes:
        raise BadUserInput(
            "give at least one of description, metadata, category or displayName to update"
        )
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "display_name":
            if value is None:
                raise BadUserInput("displayName cannot be null; omit it to keep the current one")
            clean[name] = check_display_name(value)
        elif name == "metadata":
            if value is None:
                raise BadUserInput("metadata cannot be null; send {} to clear it")
            clean[name] = check_metadata(value)
        elif name == "category":
            clean[name] = _check_category(value)
        elif name == "description":
            clean[name] = _check_description(value)
        else:
            raise BadUserInput(f"{name} cannot be updated")
    return clean
