"""The per-request context: who is asking, fresh DataLoaders, and services built for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from strawberry.types import Info as StrawberryInfo

from cairn.auth import Principal
from cairn.config import Settings
from cairn.db.pool import Database
from cairn.errors import Unauthenticated
from cairn.graphql.loaders import Loaders
from cairn.services.audit import AuditLog
from cairn.services.base import Service
from cairn.services.previews import Previewer
from cairn.storage import BlobStore

if TYPE_CHECKING:
    from cairn.notify import Notifier

ServiceT = TypeVar("ServiceT", bound=Service)


@dataclass
class Context:
    db: Database
    store: BlobStore
    settings: Settings
    request_id: str
    principal_or_none: Principal | None = None
    notifier: Notifier | None = None
    _loaders: Loaders | None = field(default=None, repr=False)
    _previewer: Previewer | None = field(default=None, repr=False)
    _audit: AuditLog | None = field(default=None, repr=False)

    @property
    def principal(self) -> Principal:
        principal = self.principal_or_none
        if principal is None:
            raise Unauthenticated("a valid bearer token is required")
        if principal.expired:  # a WebSocket outliving its token
            raise Unauthenticated("the token has expired; reconnect with a fresh token")
        return principal

    @property
    def org_id(self) -> str:
        return self.principal.org_id

    def require(self, scope: str) -> Principal:
        principal = self.principal
        principal.require(scope)
        return principal

    def service(self, kind: type[ServiceT], scope: str) -> ServiceT:
        """A service object for this request, acting as the principal (who must hold
        ``scope``): the one way resolvers reach ``cairn.services``."""
        principal = self.require(scope)
        return kind(self.db, self.store, self.settings, principal, self.audit)

    @property
    def audit(self) -> AuditLog:
        """This request's audit log: signed URLs are recorded here, written once before
        the response is sent (see cairn.services.audit)."""
        if self._audit is None:
            principal = self.principal
            self._audit = AuditLog(principal.org_id, principal.subject, self.request_id)
        return self._audit

    @property
    def audit_pending(self) -> bool:
        return self._audit is not None and self._audit.pending > 0

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.db, self.org_id)
        return self._loaders

    @property
    def previewer(self) -> Previewer:
        """Previews for this request (it bounds how many read storage)."""
        if self._previewer is None:
            self._previewer = Previewer(self.store)
        return self._previewer

    def reset_loaders(self) -> None:
        """Drop the loaders and their caches: the next use starts fresh (long-lived
        WebSocket contexts do this per batch of events)."""
        loaders, self._loaders = self._loaders, None
        if loaders is not None:
            loaders.close()

    def release(self) -> None:
        """The request is answered: empty the loaders' caches now, so the rows they hold
        are freed by reference counting instead of waiting for the cycle collector."""
        self.reset_loaders()


Info = StrawberryInfo[Context, None]
