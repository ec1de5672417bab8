"""Every rule on what callers send, in one module: text, JSON values, ids, artifact inputs.

Catalog mutations (workflows, runs) and artifact mutations use the same functions, so a
rule holds everywhere once it is here. Every failure is a BadUserInput whose message names
the field and says how to fix it (NOT_FOUND for an id that names nothing: an id that is not
a UUID behaves as an unknown one). Field names appear in messages as the caller gives
them (catalog inputs quote theirs: ``'name'``).

The checks refuse what PostgreSQL or orjson cannot take, before either sees it: NUL
characters and lone surrogates in text and JSON strings, integers beyond signed 64 bits,
JSON nested more than :data:`MAX_JSON_DEPTH` levels, and oversized values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson

from cairn.errors import BadUserInput, not_found
from cairn.services.kinds import ACTIVE_TYPES, DEFAULT_MIME, INLINE_TYPES

KEY_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,198}[a-z0-9])?$")  # as sql/0001_init.sql
MAX_NAME = 200  # workflow, job run and workflow run names
MAX_TAGS = 50
MAX_TAG = 100
MAX_DISPLAY_NAME = 255
MAX_CATEGORY = 100
MAX_DESCRIPTION = 10_000
MAX_IDEMPOTENCY_KEY = 200
MAX_METADATA_BYTES = 64 * 1024  # metadata and parameters, as compact JSON
MAX_JSON_DEPTH = 64
MAX_MIME = 255
MIN_INT64, MAX_INT64 = -(2**63), 2**63 - 1
JSON_OBJECT_EXAMPLE = '{"k": "v"}'

_SURROGATE = (
    "contains a lone surrogate (\\ud800-\\udfff), which is not valid Unicode; "
    "send the text as valid UTF-8"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
# MIME types a browser would render as active content (script, markup): refused for types
# other than HTML, SVG and XML (downloads are guarded by an allowlist in kinds.py too).
_ACTIVE_MIME = re.compile(r"html|xml|svg|javascript|ecmascript|x-shockwave|xsl", re.IGNORECASE)


# --- ids ----------------------------------------------------------------------------------


def uuid_or_none(value: object) -> UUID | None:
    """The UUID in ``value``, or None if it is not one (filters: such an id matches nothing)."""
    try:
        return UUID(str(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def parse_id(kind: str, value: str) -> UUID:
    """An id that is not a UUID names nothing: NOT_FOUND, as for an unknown id."""
    parsed = uuid_or_none(value)
    if parsed is None:
        raise not_found(kind, str(value))
    return parsed


# --- text ---------------------------------------------------------------------------------


def string_problem(value: str, *, single_line: bool = False) -> str | None:
    """Why PostgreSQL (or a header) cannot take ``value``, or None."""
    if single_line and _CONTROL.search(value):
        return "must not contain control characters (tabs, newlines)"
    if "\x00" in value:
        return "must not contain NUL characters (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE
    return None


def utf8(name: str, value: str) -> bytes:
    """The UTF-8 bytes of ``value``; BadUserInput if it holds lone surrogates."""
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadUserInput(f"{name} {_SURROGATE}") from None


def text(
    name: str,
    value: str | None,
    limit: int,
    *,
    required: bool = False,
    nonempty: bool = False,
    single_line: bool = False,
    hint: str = "",
) -> str | None:
    """A text field: None only if not ``required``; blank only if not ``nonempty`` (or
    ``required``); at most ``limit`` characters; no NUL, no lone surrogates, and with
    ``single_line`` no control characters. ``hint`` is added to the blank message."""
    if value is None:
        if required:
            raise BadUserInput(f"{name} is required")
        return None
    if (required or nonempty) and not value.strip():
        raise BadUserInput(f"{name} must not be empty{hint}")
    if len(value) > limit:
        raise BadUserInput(f"{name} is longer than {limit} characters; shorten it")
    problem = string_problem(value, single_line=single_line)
    if problem is not None:
        raise BadUserInput(f"{name} {problem}")
    return value


def required_text(name: str, value: str | None, limit: int, *, hint: str = "") -> str:
    clean = text(name, value, limit, required=True, hint=hint)
    assert clean is not None
    return clean


# --- JSON ---------------------------------------------------------------------------------


def _json_problem(value: Any) -> str | None:
    """Why ``value`` cannot be stored as jsonb and sent back as JSON, or None.
    Iterative, so a deeply nested value cannot exhaust the stack."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            problem = string_problem(item)
            if problem is not None:
                return problem
        elif item is None or isinstance(item, bool | float):
            continue
        elif isinstance(item, int):
            if not MIN_INT64 <= item <= MAX_INT64:
                shown = str(item) if item.bit_length() < 200 else "a huge integer"
                return f"holds an integer beyond 64 bits ({shown}); send it as a string"
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                return f"is nested more than {MAX_JSON_DEPTH} levels deep; flatten it"
            if isinstance(item, list):
                stack.extend((v, depth + 1) for v in item)
                continue
            for key, v in item.items():
                if not isinstance(key, str):
                    return "has an object key that is not a string"
                problem = string_problem(key)
                if problem is not None:
                    return f"has an object key that {problem}"
                stack.append((v, depth + 1))
        else:
            return f"holds a {type(item).__name__}, which is not a JSON value"
    return None


def json_value(name: str, value: Any, *, max_bytes: int | None = None) -> Any:
    """Any JSON value that PostgreSQL's jsonb can store and orjson can encode."""
    problem = _json_problem(value)
    if problem is not None:
        raise BadUserInput(f"{name} {problem}")
    if max_bytes is not None and len(orjson.dumps(value)) > max_bytes:
        raise BadUserInput(f"{name} is larger than {max_bytes} bytes as JSON; make it smaller")
    return value


def json_object(name: str, value: Any, *, max_bytes: int = MAX_METADATA_BYTES) -> dict[str, Any]:
    """metadata and parameters: a JSON object (None is ``{}``)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadUserInput(f"{name} must be a JSON object, e.g. {JSON_OBJECT_EXAMPLE}")
    checked: dict[str, Any] = json_value(name, value, max_bytes=max_bytes)
    return checked


# --- workflows and runs -------------------------------------------------------------------


def workflow_name(name: str) -> str:
    return required_text("'name'", name, MAX_NAME).strip()


def run_name(name: str | None) -> str | None:
    return text("'name'", name, MAX_NAME)


def tags(values: list[str] | None) -> list[str]:
    unique = list(dict.fromkeys(values or []))
    if len(unique) > MAX_TAGS:
        raise BadUserInput(f"at most {MAX_TAGS} tags per workflow")
    for tag in unique:
        required_text("'tags'", tag, MAX_TAG)
    return unique


# --- artifacts ----------------------------------------------------------------------------


def check_key(key: str) -> str:
    if not KEY_PATTERN.fullmatch(key):
        raise BadUserInput(
            f"key {key!r} is invalid: use 1-200 lowercase letters, digits and dashes, "
            "starting and ending with a letter or digit (e.g. 'daily-report')"
        )
    return key


def display_name(name: str) -> str:
    hint = "; give the file name, e.g. report.json"
    clean = text("displayName", name, MAX_DISPLAY_NAME, required=True, single_line=True, hint=hint)
    assert clean is not None
    return clean


def category(value: str | None) -> str | None:
    hint = "; omit it or give e.g. 'screenshot'"
    return text("category", value, MAX_CATEGORY, nonempty=True, single_line=True, hint=hint)


def description(value: str | None) -> str | None:
    return text("description", value, MAX_DESCRIPTION)


def idempotency_key(value: str | None) -> str | None:
    hint = "; give 1-200 characters, e.g. a UUID"
    return text(
        "idempotencyKey", value, MAX_IDEMPOTENCY_KEY, nonempty=True, single_line=True, hint=hint
    )


def metadata(value: Any) -> dict[str, Any]:
    return json_object("metadata", value)


def mime_type(artifact_type: str, mime: str | None) -> str:
    """The declared MIME type, lower-cased (the type's default when omitted)."""
    if mime is None:
        return DEFAULT_MIME[artifact_type]
    clean = mime.strip().lower()
    params = clean.partition(";")[2]
    if (
        len(clean) > MAX_MIME
        or not _MIME.fullmatch(clean.split(";", 1)[0].strip())
        or any(not (" " <= c < "\x7f") for c in params)
    ):
        raise BadUserInput(
            f"mimeType {mime!r} is not a MIME type like 'text/plain'; fix or omit it"
        )
    if (
        artifact_type not in ACTIVE_TYPES
        and artifact_type not in INLINE_TYPES
        and _ACTIVE_MIME.search(clean)
    ):
        raise BadUserInput(
            f"mimeType {mime!r} is active content; declare type HTML, SVG or XML for it"
        )
    return clean


def sha256_hex(value: str) -> str:
    digest = value.strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise BadUserInput("sha256 must be the 64 hex digits of the file's SHA-256 digest")
    return digest


@dataclass(frozen=True, slots=True)
class ArtifactSpec:
    """ArtifactInput as the service sees it (``ArtifactInput.to_spec()``)."""

    type: str
    display_name: str
    workflow_run_id: str | None = None
    key: str | None = None
    category: str | None = None
    description: str | None = None
    mime_type: str | None = None
    metadata: Any = None
    idempotency_key: str | None = None
    retention_days: int | None = None


@dataclass(frozen=True, slots=True)
class CleanSpec:
    """An ArtifactSpec that passed every check."""

    type: str
    display_name: str
    mime_type: str
    metadata: dict[str, Any]
    key: str | None
    category: str | None
    description: str | None
    workflow_run_id: UUID | None
    idempotency_key: str | None
    retention_days: int | None = None

    def canonical(self) -> dict[str, Any]:
        """What makes two requests 'the same' for idempotency (retentionDays only when
        given, so the requests hashed before it existed still match)."""
        extra = {} if self.retention_days is None else {"retentionDays": self.retention_days}
        return extra | {
            "type": self.type,
            "displayName": self.display_name,
            "mimeType": self.mime_type,
            "metadata": self.metadata,
            "key": self.key,
            "category": self.category,
            "description": self.description,
            "workflowRunId": None if self.workflow_run_id is None else str(self.workflow_run_id),
        }


def clean_spec(spec: ArtifactSpec) -> CleanSpec:
    if spec.type not in DEFAULT_MIME:
        raise BadUserInput(f"unknown artifact type {spec.type!r}")
    return CleanSpec(
        type=spec.type,
        display_name=display_name(spec.display_name),
        mime_type=mime_type(spec.type, spec.mime_type),
        metadata=metadata(spec.metadata),
        key=None if spec.key is None else check_key(spec.key),
        category=category(spec.category),
        description=description(spec.description),
        workflow_run_id=(
            None if spec.workflow_run_id is None else parse_id("workflow run", spec.workflow_run_id)
        ),
        idempotency_key=idempotency_key(spec.idempotency_key),
        retention_days=retention_days(spec.retention_days),
    )


MAX_RETENTION_DAYS = 36500


def retention_days(value: int | None) -> int | None:
    """Days to keep artifacts: 0 keeps them forever, None leaves it to the default."""
    if value is not None and not 0 <= value <= MAX_RETENTION_DAYS:
        raise BadUserInput(
            f"retentionDays {value} is out of range: give 1-{MAX_RETENTION_DAYS} days, "
            "0 to keep forever, or omit it for the default"
        )
    return value


def expires_at(value: datetime | None) -> datetime | None:
    """updateArtifact's expiresAt: a time with a zone (a past one expires it now), or
    null for never."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise BadUserInput(
            "expiresAt needs a time zone, e.g. 2027-01-01T00:00:00Z; null keeps it forever"
        )
    return value


def clean_update(changes: dict[str, Any]) -> dict[str, Any]:
    """updateArtifact: absent fields stay; null clears description and category."""
    if not changes:
        raise BadUserInput(
            "give at least one of description, metadata, category, displayName or "
            "expiresAt to update"
        )
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "display_name":
            if value is None:
                raise BadUserInput("displayName cannot be null; omit it to keep the current one")
            clean[name] = display_name(value)
        elif name == "metadata":
            if value is None:
                raise BadUserInput("metadata cannot be null; send {} to clear it")
            clean[name] = metadata(value)
        elif name == "category":
            clean[name] = category(value)
        elif name == "description":
            clean[name] = description(value)
        elif name == "expires_at":
            clean[name] = expires_at(value)
        else:
            raise BadUserInput(f"{name} cannot be updated")
    return clean
