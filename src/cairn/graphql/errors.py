"""Turn GraphQL errors into the contract's shape: a code always, internals never."""

from __future__ import annotations

import logging
import re
from typing import Any

import urllib3
from minio.error import MinioException

from cairn.db.pool import UNAVAILABLE_MESSAGE, is_connection_failure
from cairn.errors import (
    BadUserInput,
    CairnError,
    DatabaseUnavailable,
    QueryTooComplex,
    StorageUnavailable,
)
from graphql import GraphQLError

log = logging.getLogger("cairn.graphql")

_TOO_COMPLEX = re.compile(
    r"exceeds maximum operation depth|aliases found|maximum number of tokens|more than \d+ tokens"
    r"|maximum introspection depth",
    re.IGNORECASE,
)
# Storage driver failures that escaped the BlobStore's own translation.
_STORAGE_DOWN = (MinioException, urllib3.exceptions.HTTPError)


def _unwrap(error: GraphQLError) -> BaseException | None:
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if isinstance(original, GraphQLError):  # graphql-core's own error (e.g. value coercion)
        return None
    return original


def _is_input_error(error: GraphQLError, original: BaseException | None) -> bool:
    """Validation errors, and variable values a scalar refused while being coerced
    (before execution, so without a path): the client's input, shown as it is."""
    if original is None:
        return True
    return not error.path and isinstance(original, ValueError | TypeError)


def is_expected(error: GraphQLError) -> bool:
    original = _unwrap(error)
    return isinstance(original, CairnError) or _is_input_error(error, original)


def format_error(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """One error, as the client sees it."""
    original = _unwrap(error)
    if isinstance(original, CairnError):
        code, message = original.code, original.message
    elif _is_input_error(error, original):
        message = error.message
        code = QueryTooComplex.code if _TOO_COMPLEX.search(message) else BadUserInput.code
    elif isinstance(original, _STORAGE_DOWN):
        code, message = StorageUnavailable.code, "object storage is unavailable; retry shortly"
    elif original is not None and is_connection_failure(original):  # escaped db.scoped
        code, message = DatabaseUnavailable.code, UNAVAILABLE_MESSAGE
    else:
        code = "INTERNAL_SERVER_ERROR"
        message = f"internal server error; quote request id {request_id} when reporting it"
    formatted: dict[str, Any] = {"message": message}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path:
        formatted["path"] = list(error.path)
    formatted["extensions"] = {"code": code, "requestId": request_id}
    return formatted


def log_unexpected(errors: list[GraphQLError], request_id: str) -> None:
    for error in errors:
        original = _unwrap(error)
        if isinstance(original, DatabaseUnavailable) and original.__cause__ is not None:
            # The client sees only the code; operators get the driver's reason.
            log.warning(
                "database unavailable in %s (request id %s): %s",
                ".".join(str(p) for p in error.path or ()) or "request",
                request_id,
                type(original.__cause__).__name__,
                exc_info=original.__cause__,
            )
        elif not is_expected(error):
            original = _unwrap(error)
            log.error(
                "unexpected error in %s (request id %s)",
                ".".join(str(p) for p in error.path or ()) or "request",
                request_id,
                exc_info=original,
            )
