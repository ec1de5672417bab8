"""The per-request context: who is asking, and fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strawberry.types import Info as StrawberryInfo

from cairn.auth import Principal
from cairn.config import Settings
from cairn.db.pool import Database
from cairn.errors import Unauthenticated
from cairn.graphql.loaders import Loaders
from cairn.storage import BlobStore

if TYPE_CHECKING:
    from cairn.notify import Notifier


@dataclass
class Context:
    db: Database
    store: BlobStore
    settings: Settings
    request_id: str
    principal_or_none: Principal | None = None
    notifier: Notifier | None = None
    _loaders: Loaders | None = field(default=None, repr=False)

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

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.db, self.org_id)
        return self._loaders


Info = StrawberryInfo[Context, None]
