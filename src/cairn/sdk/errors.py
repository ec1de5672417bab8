"""The one exception the SDK raises: a code from the contract (or a client-side one) and a message."""

from __future__ import annotations

from typing import Any

# Client-side codes, for failures that happen outside the service's GraphQL layer.
NETWORK_ERROR = "NETWORK_ERROR"  # the service or storage could not be reached
HTTP_ERROR = "HTTP_ERROR"  # an answer that is not a GraphQL response (a proxy's 502, say)
INTEGRITY_ERROR = "INTEGRITY_ERROR"  # downloaded bytes do not match the recorded sha256/size


class CairnApiError(Exception):
    """A failed call. ``code`` is the GraphQL ``extensions.code`` (``NOT_FOUND``,
    ``UNAUTHENTICATED`` ...) or one of the client-side codes above."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str | None = None,
        status_code: int | None = None,
        errors: list[dict[str, Any]] | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.request_id = request_id
        self.status_code = status_code
        self.errors = errors or []
        #: seconds the service asked us to wait (``Retry-After``), when it said so
        self.retry_after = retry_after
        #: True when the request may have reached the service and taken effect (the
        #: connection dropped after it was sent): only idempotent calls are retried then
        self.ambiguous = ambiguous

    @classmethod
    def from_errors(
        cls,
        errors: list[dict[str, Any]],
        status_code: int,
        *,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> CairnApiError:
        """The first GraphQL error decides code and message; all are kept in ``errors``."""
        first = errors[0] if errors and isinstance(errors[0], dict) else {}
        extensions = first.get("extensions") or {}
        code = str(extensions.get("code") or "INTERNAL_SERVER_ERROR")
        message = str(first.get("message") or "the service returned an error without a message")
        request_id = extensions.get("requestId")
        return cls(
            code,
            message,
            request_id=str(request_id) if request_id else None,
            status_code=status_code,
            errors=errors,
            retry_after=retry_after,
            ambiguous=ambiguous,
        )
