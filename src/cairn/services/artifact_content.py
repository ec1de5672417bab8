"""What artifact content may look like: per-type normalization and byte checks.

Pure functions (no I/O), used by :mod:`cairn.services.publish`. Inline kinds (MARKDOWN,
TABLE, LINK) are normalized to the JSON value kept in Postgres; file kinds are checked
chunk by chunk with :class:`ContentCheck`, so a streamed upload of any size is checked
without being held in memory.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import math
from typing import Any
from urllib.parse import urlsplit

import orjson

from cairn.errors import BadUserInput, PayloadTooLarge
from cairn.services import validation
from cairn.services.kinds import SIGNATURE_OF_MIME

HEAD_BYTES = 64 * 1024  # how much of the start the signature checks look at
JSON_FULL_PARSE_LIMIT = 16 * 1024 * 1024  # JSON up to this size is parsed whole
MAX_URL = 2048
_URLSAFE = str.maketrans("-_", "+/")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace: the bytes an inline artifact's sha256 and size are of."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def decode_base64(text: str, limit: int) -> bytes:
    """Decode standard or URL-safe base64; ``limit`` is checked before decoding."""
    if len(text) > (limit + 2) // 3 * 4 + 8:
        raise PayloadTooLarge(too_large_message(limit))
    compact = "".join(text.split()).translate(_URLSAFE)  # URL-safe base64 works too
    if "=" not in compact:  # padding may be left out
        compact += "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise BadUserInput(
            "contentBase64 is not valid base64; encode the bytes with base64"
        ) from None


def too_large_message(limit: int) -> str:
    return (
        f"createArtifact carries at most {limit} bytes of content; "
        "use uploadArtifact or beginArtifactUpload for larger content"
    )


# --- inline kinds -------------------------------------------------------------------------


def inline_value(artifact_type: str, data: Any, raw: bytes | None) -> Any:
    """The normalized JSON value of an inline artifact from `data` or decoded bytes."""
    if raw is not None:
        text = _utf8(raw, "contentBase64")
        if artifact_type == "MARKDOWN":
            data = text
        else:
            try:
                data = _json_loads_lenient(text)
            except (ValueError, RecursionError):
                raise BadUserInput(
                    f"contentBase64 of a {artifact_type} must be JSON; send `data` instead"
                ) from None
    validation.json_value("data", data)  # what jsonb cannot store, before normalizing
    if artifact_type == "MARKDOWN":
        if not isinstance(data, str):
            raise BadUserInput("MARKDOWN data must be a string of markdown")
        return data
    if artifact_type == "TABLE":
        return normalize_table(data)
    return normalize_link(data)


def _json_loads_lenient(text: str) -> Any:
    """The stdlib parser accepts NaN/Infinity, which tables turn into null."""
    return json.loads(text)


def _clean_cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_clean_cell(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_cell(v) for k, v in value.items()}
    return value


def _check_columns(columns: Any) -> list[str]:
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise BadUserInput("TABLE columns must be a list of strings")
    if len(set(columns)) != len(columns):
        raise BadUserInput("TABLE columns must be unique")
    return list(columns)


def _rows_of_objects(rows: list[Any], columns: list[str] | None) -> dict[str, Any]:
    if columns is None:
        seen: dict[str, None] = {}
        for row in rows:
            seen.update(dict.fromkeys(row))
        columns = list(seen)
    known = set(columns)
    out = []
    for i, row in enumerate(rows):
        extra = [k for k in row if k not in known]
        if extra:
            raise BadUserInput(f"TABLE row {i} has keys not in columns: {extra[:5]}")
        out.append([_clean_cell(row.get(c)) for c in columns])
    return {"columns": columns, "rows": out}


def normalize_table(data: Any) -> dict[str, Any]:
    """Rows as a list of objects, ``{columns, rows}`` with rows as lists (or objects), or
    an object of equally long columns -> ``{columns, rows}``; NaN and infinities -> null."""
    if isinstance(data, list):
        if all(isinstance(r, dict) for r in data):
            return _rows_of_objects(data, None)
        raise BadUserInput(
            "TABLE rows as a list must all be objects; for rows as lists send "
            '{"columns": [...], "rows": [[...], ...]}'
        )
    if not isinstance(data, dict):
        raise BadUserInput(
            "TABLE data must be a list of row objects, {columns, rows}, or an object of columns"
        )
    if set(data) == {"columns", "rows"} and isinstance(data["rows"], list):
        columns = _check_columns(data["columns"])
        rows = data["rows"]
        if all(isinstance(r, dict) for r in rows):
            return _rows_of_objects(rows, columns)
        for i, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != len(columns):
                raise BadUserInput(
                    f"TABLE row {i} must be a list of {len(columns)} values (one per column)"
                )
        return {"columns": columns, "rows": [[_clean_cell(v) for v in r] for r in rows]}
    columns = list(data)
    values = list(data.values())
    if not all(isinstance(v, list) for v in values):
        raise BadUserInput("TABLE as an object of columns needs a list of values per column")
    lengths = {len(v) for v in values}
    if len(lengths) > 1:
        raise BadUserInput(f"TABLE columns must be equally long; got lengths {sorted(lengths)}")
    rows = [[_clean_cell(v) for v in row] for row in zip(*values, strict=True)]
    return {"columns": columns, "rows": rows}


def normalize_link(data: Any) -> dict[str, str]:
    if isinstance(data, str):
        data = {"url": data}
    if not isinstance(data, dict):
        raise BadUserInput('LINK data must be {"url": "https://...", "text": "..."}')
    unknown = set(data) - {"url", "text"}
    if unknown:
        raise BadUserInput(f"LINK data has unknown fields {sorted(unknown)}; use url and text")
    url, text = data.get("url"), data.get("text")
    if not isinstance(url, str) or not url.strip():
        raise BadUserInput("LINK data needs a url string")
    url = url.strip()
    parts = urlsplit(url) if len(url) <= MAX_URL else None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url)
    ):
        raise BadUserInput(
            f"LINK url must be an absolute http or https URL of at most {MAX_URL} characters"
        )
    if text is not None and not isinstance(text, str):
        raise BadUserInput("LINK text must be a string")
    return {"url": url, "text": text if text else url}


# --- file kinds ---------------------------------------------------------------------------


def file_bytes_from_data(artifact_type: str, data: Any) -> bytes:
    """`data` for JSON (any JSON value) and TEXT (a string)."""
    if artifact_type == "TEXT":
        if not isinstance(data, str):
            raise BadUserInput("TEXT data must be a string")
        return validation.utf8("TEXT data", data)  # a file: NUL is fine, lone surrogates not
    validation.json_value("data", data)
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        raise BadUserInput("JSON data could not be encoded as JSON") from None


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode()
    except UnicodeDecodeError:
        raise BadUserInput(f"{what} is not valid UTF-8 text") from None


_SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "PNG": ((0, b"\x89PNG\r\n\x1a\n"),),
    "JPEG": ((0, b"\xff\xd8\xff"),),
    "GIF": ((0, b"GIF87a"), (0, b"GIF89a")),
}


class ContentCheck:
    """Feed the bytes of a file artifact in order; ``finish`` raises BadUserInput if they
    clearly are not of the declared type. Signatures are checked on the first 64 KiB;
    TEXT and JSON must be UTF-8 throughout; JSON up to 16 MiB is parsed whole (larger JSON
    is checked for UTF-8 and a JSON start only). A declared ``mime_type`` with a signature
    (``kinds.SIGNATURE_OF_MIME``: PNG, JPEG, GIF, WEBP, PDF) is checked for it too."""

    def __init__(self, artifact_type: str, mime_type: str | None = None) -> None:
        self.type = artifact_type
        self._mime = (mime_type or "").partition(";")[0].strip()
        declared = SIGNATURE_OF_MIME.get(self._mime)
        self._declared = declared if declared not in (None, artifact_type) else None
        self._head = bytearray()
        self._whole: bytearray | None = bytearray() if artifact_type == "JSON" else None
        self._utf8 = (
            codecs.getincrementaldecoder("utf-8")() if artifact_type in ("TEXT", "JSON") else None
        )
        self._bad_utf8 = False

    def feed(self, chunk: bytes) -> None:
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        if self._utf8 is not None and not self._bad_utf8:
            try:
                self._utf8.decode(chunk)
            except UnicodeDecodeError:
                self._bad_utf8 = True
        if self._whole is not None:
            if len(self._whole) + len(chunk) > JSON_FULL_PARSE_LIMIT:
                self._whole = None
            else:
                self._whole += chunk

    def finish(self) -> None:
        if self._utf8 is not None and not self._bad_utf8:
            try:
                self._utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                self._bad_utf8 = True
        head = bytes(self._head)
        problem = self._problem(self.type, head)
        if problem:
            raise BadUserInput(f"the content is not {_article(self.type)} {self.type}: {problem}")
        if self._declared is not None:
            problem = self._problem(self._declared, head)
            if problem:
                raise BadUserInput(
                    f"the content is not {_article(self._declared)} {self._declared} as its "
                    f"mimeType {self._mime} says: {problem}; fix the mimeType or the content"
                )

    def _problem(self, kind: str, head: bytes) -> str | None:
        if self._bad_utf8:
            return "it is not valid UTF-8"
        if kind in _SIGNATURES:
            if not any(head[o : o + len(s)] == s for o, s in _SIGNATURES[kind]):
                return f"it does not start with the {kind} signature"
        elif kind == "WEBP":
            if not (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
                return "it does not start with the RIFF....WEBP signature"
        elif kind == "PDF":
            if b"%PDF-" not in head[:1024]:
                return "it has no %PDF- header"
        elif kind == "JSON":
            return self._json_problem(head)
        elif kind in ("SVG", "XML"):
            text = head.removeprefix(codecs.BOM_UTF8).lstrip()
            if not text.startswith(b"<"):
                return "it does not start with '<'"
            if kind == "SVG" and b"<svg" not in head.lower():
                return "it has no <svg> element"
        elif kind in ("CSV", "HTML") and b"\x00" in head:
            return "it contains NUL bytes (binary data)"
        return None

    def _json_problem(self, head: bytes) -> str | None:
        if self._whole is not None:
            try:
                orjson.loads(bytes(self._whole))
            except orjson.JSONDecodeError as exc:
                return f"it is not valid JSON ({str(exc).split(':', 1)[0]})"
            return None
        start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:1]
        if start not in (b"{", b"[", b'"', b"-", b"t", b"f", b"n") and not start.isdigit():
            return "it does not start like JSON"
        return None


def _article(kind: str) -> str:
    return "an" if kind[0] in "AEFHILMNORSX" else "a"


def check_bytes(artifact_type: str, data: bytes, mime_type: str | None = None) -> None:
    check = ContentCheck(artifact_type, mime_type)
    check.feed(data)
    check.finish()
