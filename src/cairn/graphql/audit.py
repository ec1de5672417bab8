"""The audit trail's GraphQL: ``auditEvents`` (scope audit:read) and ``revokeSignedUrls``
(scope artifacts:delete). See cairn.services.audit and cairn.services.artifact_admin."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from cairn.auth import SCOPE_AUDIT, SCOPE_DELETE
from cairn.db import where as w
from cairn.db.rows import AuditEventRow
from cairn.graphql.arguments import After, First
from cairn.graphql.context import Info
from cairn.graphql.inputs import DateTimeFilter
from cairn.graphql.pagination import Connection, page_request
from cairn.graphql.types import Artifact, Node
from cairn.services.artifact_admin import ArtifactAdmin
from cairn.services.audit import ACTIONS
from cairn.services.validation import uuid_or_none

_ACTIONS = ", ".join(ACTIONS)


@strawberry.type(
    description=(
        "One entry of the organization's audit trail: who did what to which artifact, "
        "when, in which request. Never holds a URL's signature or a token."
    )
)
class AuditEvent(Node):
    row: strawberry.Private[AuditEventRow]
    id: strawberry.ID = strawberry.field(description="Opaque id (a UUID).")
    action: str = strawberry.field(
        description=(
            f"What happened: one of {_ACTIONS}. url.signed is a presigned URL handed out "
            "(details: method GET or PUT, disposition, expiresAt)."
        )
    )
    subject: str = strawberry.field(description="The `sub` of the token that did it.")
    artifact_id: strawberry.ID | None = strawberry.field(
        description="The artifact it concerns (it may have been deleted since)."
    )
    request_id: str = strawberry.field(
        description="The id of the request that did it (errors and logs carry the same id)."
    )
    created_at: datetime = strawberry.field(description="When it happened.")
    details: JSON = strawberry.field(
        description=(
            "Facts of the action as a JSON object, e.g. {method, disposition, expiresAt} "
            "for url.signed, {key, version, sizeBytes, sha256} for artifact.published."
        )
    )

    @classmethod
    def from_row(cls, row: AuditEventRow) -> AuditEvent:
        return cls(
            row=row,
            id=strawberry.ID(str(row.id)),
            action=row.action,
            subject=row.subject,
            artifact_id=None if row.artifact_id is None else strawberry.ID(str(row.artifact_id)),
            request_id=row.request_id,
            created_at=row.created_at,
            details=row.details,
        )


@strawberry.input(description="Which audit events to list; given fields AND together.")
class AuditEventFilter:
    artifact_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Events of this artifact (an id that is not a UUID matches nothing).",
    )
    subject: str | None = strawberry.field(
        default=None, description="Events of this token subject (exact)."
    )
    action: list[str] | None = strawberry.field(
        default=None, description=f"Any of these actions ({_ACTIONS}); [] matches nothing."
    )
    created_at: DateTimeFilter | None = strawberry.field(
        default=None, description="Happened within this range."
    )

    def to_db(self) -> w.AuditCriteria:
        artifact = None
        if self.artifact_id is not None:
            parsed = uuid_or_none(self.artifact_id)
            artifact = w.IdFilter(eq=parsed, impossible=parsed is None)
        return w.AuditCriteria(
            artifact_id=artifact,
            subject=self.subject,
            action=tuple(self.action) if self.action is not None else None,
            created_at=self.created_at.to_db() if self.created_at else None,
        )


def audit_events(
    info: Info,
    filter: Annotated[
        AuditEventFilter | None,
        strawberry.argument(description="Which events to list; all of them when omitted."),
    ] = None,
    first: First = 50,
    after: After = None,
) -> Connection[AuditEvent]:
    info.context.require(SCOPE_AUDIT)
    criteria = filter.to_db() if filter else w.AuditCriteria()
    request = page_request("audit_events", criteria, first=first, after=after)
    return Connection(request=request, parent=None, to_node=AuditEvent.from_row)


audit_events_field = strawberry.field(
    resolver=audit_events,
    description=(
        "The organization's audit trail, newest first: signed URLs minted (GET and PUT), "
        "publishes, failed completions, updates, deletes and revocations, kept "
        "CAIRN_AUDIT_RETENTION_DAYS days (90 by default). Needs the audit:read scope "
        "(FORBIDDEN without it)."
    ),
)


@strawberry.type
class AuditMutation:
    @strawberry.mutation(
        description=(
            "Makes every signed URL of the artifact minted before this call stop working "
            "at once: its bytes move to a new object (same bytes, same sha256) and the old "
            "object is removed, so old URLs get 403/404 while signedUrl read afterwards "
            "works. A PENDING upload ends FAILED (its upload URL can no longer publish "
            "anything). Recorded in auditEvents as url.revoked. Needs artifacts:delete. "
            "NOT_FOUND for an unknown id or another organization's (nothing is revoked); "
            "STORAGE_UNAVAILABLE if storage fails (call it again)."
        )
    )
    async def revoke_signed_urls(
        self,
        info: Info,
        artifact_id: Annotated[
            strawberry.ID, strawberry.argument(description="The artifact's id.")
        ],
    ) -> Artifact:
        admin = info.context.service(ArtifactAdmin, SCOPE_DELETE)
        return Artifact.from_row(await admin.revoke(artifact_id))


MUTATION_TYPES: tuple[type, ...] = (AuditMutation,)
