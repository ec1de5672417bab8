"""The one convention for service objects.

A service is built per request, from the GraphQL context (``Context.service``), with
everything it may need and the caller's principal: ``Service(db, store, settings,
principal)``. Its methods take only the request's inputs; every transaction is scoped to
``principal.org_id``. Validation is :mod:`cairn.services.validation`. ``audit`` is the
request's audit log (:mod:`cairn.services.audit`); built without one (tools, tests), a
service records its events under request id ``-``.
"""

from __future__ import annotations

from cairn.auth import Principal
from cairn.config import Settings
from cairn.db.pool import Database
from cairn.services.audit import AuditLog
from cairn.storage import BlobStore


class Service:
    def __init__(
        self,
        db: Database,
        store: BlobStore,
        settings: Settings,
        principal: Principal,
        audit: AuditLog | None = None,
    ) -> None:
        self._db = db
        self._store = store
        self._settings = settings
        self._principal = principal
        self._org = principal.org_id
        self._audit = audit or AuditLog(principal.org_id, principal.subject, "-")
