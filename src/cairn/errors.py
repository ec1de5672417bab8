"""Typed errors: every error a client sees carries one of the contract's codes."""

from __future__ import annotations

from typing import ClassVar


class CairnError(Exception):
    """An expected failure whose message is safe and useful to show to the caller."""

    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"
    http_status: ClassVar[int] = 200

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unauthenticated(CairnError):
    code = "UNAUTHENTICATED"
    http_status = 401


class Forbidden(CairnError):
    code = "FORBIDDEN"
    http_status = 403


class NotFound(CairnError):
    code = "NOT_FOUND"


class BadUserInput(CairnError):
    code = "BAD_USER_INPUT"


class Conflict(CairnError):
    code = "CONFLICT"


class PayloadTooLarge(CairnError):
    code = "PAYLOAD_TOO_LARGE"
    http_status = 413


class QueryTooComplex(CairnError):
    code = "QUERY_TOO_COMPLEX"


class StorageUnavailable(CairnError):
    code = "STORAGE_UNAVAILABLE"


class DatabaseUnavailable(CairnError):
    code = "DATABASE_UNAVAILABLE"


class ObjectMissing(CairnError):
    """The artifact's row is AVAILABLE but `cairn gc` found no object for it in storage
    (say the database was restored without the bucket): no URL is handed out for it."""

    code = "OBJECT_MISSING"


class ServiceBusy(CairnError):
    """Capacity is exhausted (e.g. every pooled connection stayed in use for the whole
    bounded wait). Nothing was done; the client should retry after ``retry_after`` s."""

    code = "SERVICE_BUSY"
    http_status = 503

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def not_found(kind: str, ident: str) -> NotFound:
    return NotFound(f"{kind} {ident!r} was not found; check the id (ids are organization-scoped)")


# Persisted queries. The messages are the exact words Apollo's PersistedQueryLink (and
# urql's persisted exchange) look for, besides the code; the hint goes in the message of
# PERSISTED_QUERY_NOT_ALLOWED, which no client retries.
class PersistedQueryNotFound(CairnError):
    """A hash-only request whose document this service does not have: send it again
    with the query text (Apollo's link does so by itself)."""

    code = "PERSISTED_QUERY_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("PersistedQueryNotFound")


class PersistedQueryNotSupported(CairnError):
    """CAIRN_PERSISTED_QUERIES=off: Apollo's link then stops sending hashes."""

    code = "PERSISTED_QUERY_NOT_SUPPORTED"

    def __init__(self) -> None:
        super().__init__("PersistedQueryNotSupported")


class PersistedQueryNotAllowed(CairnError):
    """CAIRN_PERSISTED_QUERIES=only and the document is not a registered one."""

    code = "PERSISTED_QUERY_NOT_ALLOWED"
