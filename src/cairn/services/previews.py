"""Previews: the first bytes of an artifact as text, and for CSV its header and first rows.

A file artifact is read with one ranged GET of at most ``max_bytes`` (never the whole
object); inline kinds (MARKDOWN, TABLE, LINK) preview from the value kept in Postgres,
without storage. Binary types give no text. Each preview that reads storage is one storage
call, so a request may make at most :data:`MAX_STORAGE_PREVIEWS` of them (the rest fail
with QUERY_TOO_COMPLEX): a page of 500 artifacts cannot turn into 500 reads.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from typing import Any

from cairn.db.rows import ArtifactRow
from cairn.errors import BadUserInput, QueryTooComplex
from cairn.services.artifact_content import canonical_json
from cairn.services.cleanup import object_key
from cairn.services.kinds import INLINE_TYPES, TEXT_PREVIEW_TYPES
from cairn.storage import BlobStore

DEFAULT_PREVIEW_BYTES = 65536
MAX_PREVIEW_BYTES = 1024 * 1024
MAX_STORAGE_PREVIEWS = 100  # per request: each is one ranged GET
MAX_CSV_ROWS = 1000


@dataclass(frozen=True, slots=True)
class Preview:
    text: str | None
    truncated: bool
    columns: list[str] | None = None
    rows: list[list[str]] | None = None


def check_max_bytes(max_bytes: int) -> int:
    if not 1 <= max_bytes <= MAX_PREVIEW_BYTES:
        raise BadUserInput(
            f"maxBytes must be between 1 and {MAX_PREVIEW_BYTES} (1 MiB); got {max_bytes}"
        )
    return max_bytes


def decode_prefix(data: bytes, truncated: bool) -> str:
    """UTF-8 text of ``data``: invalid bytes replaced, and when the bytes were cut, a partial
    multi-byte sequence at the cut dropped (not replaced)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    return decoder.decode(data, final=not truncated)


def parse_csv(text: str, truncated: bool) -> tuple[list[str] | None, list[list[str]]]:
    """Header and rows of ``text``; when cut, the last (possibly partial) row is dropped."""
    if truncated:
        cut = text.rfind("\n")
        text = text[: cut + 1] if cut >= 0 else ""
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:  # e.g. a quoted field the cut left open
        return None, []
    records = [r for r in records if r]
    if not records:
        return None, []
    return records[0], records[1 : MAX_CSV_ROWS + 1]


def _inline_text(row: ArtifactRow) -> str:
    if row.type == "MARKDOWN" and isinstance(row.data, str):
        return row.data
    return canonical_json(row.data).decode()


class Previewer:
    """Per request: counts the storage reads it makes against :data:`MAX_STORAGE_PREVIEWS`."""

    def __init__(self, store: BlobStore) -> None:
        self._store = store
        self.reads = 0

    async def preview(self, row: ArtifactRow, max_bytes: int) -> Preview | None:
        check_max_bytes(max_bytes)
        if row.status != "AVAILABLE":
            return None
        if row.type in INLINE_TYPES:
            return self._inline(row, max_bytes)
        if row.type not in TEXT_PREVIEW_TYPES and not row.mime_type.startswith("text/"):
            return Preview(text=None, truncated=row.size_bytes > 0)
        if not row.storage_path:
            return None
        if self.reads >= MAX_STORAGE_PREVIEWS:
            raise QueryTooComplex(
                f"at most {MAX_STORAGE_PREVIEWS} file previews per request; "
                "ask for preview on fewer artifacts (a smaller `first`) or page on"
            )
        self.reads += 1
        length = min(max_bytes, row.size_bytes)
        data = await self._store.read_range(object_key(row.storage_path), 0, length)
        truncated = row.size_bytes > len(data)
        return self._of_text(row, decode_prefix(data, truncated), truncated)

    def _inline(self, row: ArtifactRow, max_bytes: int) -> Preview:
        raw = _inline_text(row).encode()
        truncated = len(raw) > max_bytes
        text = decode_prefix(raw[:max_bytes], truncated)
        if row.type == "TABLE" and isinstance(row.data, dict):
            return Preview(text=text, truncated=truncated, **_table(row.data))
        return Preview(text=text, truncated=truncated)

    @staticmethod
    def _of_text(row: ArtifactRow, text: str, truncated: bool) -> Preview:
        if row.type == "CSV" or row.mime_type.startswith("text/csv"):
            columns, rows = parse_csv(text, truncated)
            return Preview(text=text, truncated=truncated, columns=columns, rows=rows)
        return Preview(text=text, truncated=truncated)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return canonical_json(value).decode()


def _table(data: dict[str, Any]) -> dict[str, Any]:
    columns = [str(c) for c in data.get("columns") or []]
    rows = [
        [_cell(v) for v in (r if isinstance(r, list) else [r.get(c) for c in columns])]
        for r in (data.get("rows") or [])[:MAX_CSV_ROWS]
        if isinstance(r, list | dict)
    ]
    return {"columns": columns, "rows": rows}
