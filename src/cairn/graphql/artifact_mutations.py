"""Artifact mutations: publishing, updating and deleting (see services/publish.py)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from cairn.auth import SCOPE_DELETE, SCOPE_WRITE
from cairn.graphql.context import Info
from cairn.graphql.inputs import ArtifactInput
from cairn.graphql.scalars import BigInt
from cairn.graphql.types import Artifact, ArtifactUpload, DeleteResult, SignedUrl
from cairn.services.artifact_admin import ArtifactAdmin
from cairn.services.publish import Publisher

Publish = Annotated[
    ArtifactInput, strawberry.argument(description="What to publish, and its metadata.")
]
ArtifactId = Annotated[strawberry.ID, strawberry.argument(description="The artifact's id.")]


def _publisher(info: Info) -> Publisher:
    return info.context.service(Publisher, SCOPE_WRITE)


def _admin(info: Info, scope: str) -> ArtifactAdmin:
    return info.context.service(ArtifactAdmin, scope)


@strawberry.type
class ArtifactMutation:
    @strawberry.mutation(
        description=(
            "Small content in the request itself: `data` for MARKDOWN, TABLE, LINK, JSON, "
            "TEXT; `contentBase64` for any type. Answers with the artifact AVAILABLE (with a "
            "key: its next version). At most CAIRN_MAX_INLINE_BYTES (1 MiB by default). Needs "
            "artifacts:write. BAD_USER_INPUT for an input or content that breaks a rule (not "
            "exactly one of data and contentBase64, content that does not fit the type); "
            "PAYLOAD_TOO_LARGE over the limit (use uploadArtifact or beginArtifactUpload); "
            "NOT_FOUND for a workflowRunId not of this organization; CONFLICT for an "
            "idempotencyKey used by a different request."
        )
    )
    async def create_artifact(
        self,
        info: Info,
        input: Publish,
        data: Annotated[
            JSON | None,
            strawberry.argument(
                description=(
                    "The content as JSON: a string for MARKDOWN and TEXT, a table for TABLE, "
                    "{url, text} or a URL string for LINK, any JSON value for JSON. Absent "
                    "and null are the same."
                )
            ),
        ] = strawberry.UNSET,
        content_base64: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "The content's bytes in base64 (standard or URL-safe, padding optional), "
                    "for any type: MARKDOWN as UTF-8 text, TABLE and LINK as JSON text."
                )
            ),
        ] = strawberry.UNSET,
    ) -> Artifact:
        # absent and null are the same here (a JSON artifact's content cannot be null)
        given = None if data is strawberry.UNSET else data
        encoded = None if content_base64 is strawberry.UNSET else content_base64
        row = await _publisher(info).create(input.to_spec(), given, encoded)
        return Artifact.from_row(row)

    @strawberry.mutation(
        description=(
            "A file in a multipart request (GraphQL multipart request spec; send the header "
            "'Apollo-Require-Preflight: true'), streamed to object storage while hashed. "
            "For file types (MARKDOWN, TABLE and LINK belong in createArtifact). Answers with "
            "the artifact AVAILABLE. Needs artifacts:write. PAYLOAD_TOO_LARGE over "
            "CAIRN_MAX_UPLOAD_BYTES (5 GiB by default); BAD_USER_INPUT, NOT_FOUND and "
            "CONFLICT as for createArtifact."
        )
    )
    async def upload_artifact(
        self,
        info: Info,
        input: Publish,
        file: Annotated[
            Upload, strawberry.argument(description="The file: a part of the multipart request.")
        ],
    ) -> Artifact:
        publisher = _publisher(info)
        upload: Any = file
        try:
            row = await publisher.upload(input.to_spec(), upload)
        finally:
            with contextlib.suppress(Exception):
                await upload.close()
        return Artifact.from_row(row)

    @strawberry.mutation(
        description=(
            "Large files: a presigned PUT straight to storage (uploadUrl, method, headers), "
            "then completeArtifactUpload. Creates the artifact PENDING; the URL is valid for "
            "CAIRN_SIGNED_URL_TTL seconds (900 by default), and an upload not completed "
            "CAIRN_SWEEP_GRACE_SECONDS (3600 by default) after that is removed. Needs "
            "artifacts:write. BAD_USER_INPUT for inline kinds (MARKDOWN, TABLE, LINK: use "
            "createArtifact) or a malformed sizeBytes or sha256; PAYLOAD_TOO_LARGE when "
            "sizeBytes is over CAIRN_MAX_UPLOAD_BYTES; NOT_FOUND and CONFLICT as for "
            "createArtifact."
        )
    )
    async def begin_artifact_upload(
        self,
        info: Info,
        input: Publish,
        size_bytes: Annotated[
            BigInt,
            strawberry.argument(description="The file's exact size in bytes (0 or more)."),
        ],
        sha256: Annotated[
            str, strawberry.argument(description="The file's SHA-256 digest: 64 hex digits.")
        ],
    ) -> ArtifactUpload:
        ticket = await _publisher(info).begin_upload(input.to_spec(), size_bytes, sha256)
        return ArtifactUpload(
            artifact=Artifact.from_row(ticket.artifact),
            upload_url=SignedUrl.of(ticket.url),
            method=ticket.method,
            headers=JSON(ticket.headers),
        )

    @strawberry.mutation(
        description=(
            "Verifies size and sha256 of the stored object: AVAILABLE, or FAILED with "
            "BAD_USER_INPUT. Completing an AVAILABLE artifact again returns it. Needs "
            "artifacts:write. NOT_FOUND for an unknown id or another organization's; "
            "BAD_USER_INPUT too when nothing was uploaded yet (it stays PENDING: PUT, then "
            "complete) or the artifact is FAILED (begin a new upload). If storage fails it "
            "stays PENDING, and completing can be retried."
        )
    )
    async def complete_artifact_upload(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The id of the artifact beginArtifactUpload gave."),
        ],
    ) -> Artifact:
        return Artifact.from_row(await _publisher(info).complete_upload(id))

    @strawberry.mutation(
        description=(
            "Changes an artifact's descriptive fields and its expiry only (never its "
            "content, key or version): give at least one; omitted ones stay. Needs artifacts:write. "
            "NOT_FOUND for an unknown id or another organization's; BAD_USER_INPUT for a "
            "value that breaks its rule."
        )
    )
    async def update_artifact(
        self,
        info: Info,
        id: ArtifactId,
        description: Annotated[
            str | None,
            strawberry.argument(description="Markdown, up to 10,000 characters; null clears it."),
        ] = strawberry.UNSET,
        metadata: Annotated[
            JSON | None,
            strawberry.argument(
                description=(
                    "A JSON object (at most 64 KiB) that replaces the metadata; {} clears "
                    "it, null is BAD_USER_INPUT."
                )
            ),
        ] = strawberry.UNSET,
        category: Annotated[
            str | None,
            strawberry.argument(description="1-100 characters, one line; null clears it."),
        ] = strawberry.UNSET,
        display_name: Annotated[
            str | None,
            strawberry.argument(
                description="The file name: 1-255 characters, one line; null is BAD_USER_INPUT."
            ),
        ] = strawberry.UNSET,
        expires_at: Annotated[
            datetime | None,
            strawberry.argument(
                description=(
                    "When it expires, to extend or shorten its retention (a past time "
                    "expires it at once); null keeps it forever."
                )
            ),
        ] = strawberry.UNSET,
    ) -> Artifact:
        admin = _admin(info, SCOPE_WRITE)
        given = {
            "description": description,
            "metadata": metadata,
            "category": category,
            "display_name": display_name,
            "expires_at": expires_at,
        }
        changes = {k: v for k, v in given.items() if v is not strawberry.UNSET}
        return Artifact.from_row(await admin.update(id, changes))

    @strawberry.mutation(
        description=(
            "Deletes the artifact's row and its stored bytes (deletedCount 1); if it was its "
            "key's latest, the highest remaining version becomes latest. Needs "
            "artifacts:delete. NOT_FOUND for an unknown id or another organization's. If "
            "storage fails, the artifact stays (STORAGE_UNAVAILABLE) and a retry finishes."
        )
    )
    async def delete_artifact(self, info: Info, id: ArtifactId) -> DeleteResult:
        return DeleteResult(deleted_count=await _admin(info, SCOPE_DELETE).delete(id))

    @strawberry.mutation(
        description=(
            "Deletes every version of the key (rows and bytes); a later publish of the "
            "key starts again at version 1. Needs artifacts:delete. BAD_USER_INPUT for a "
            "malformed key; a key with no artifacts deletes nothing (deletedCount 0)."
        )
    )
    async def delete_artifacts_by_key(
        self,
        info: Info,
        key: Annotated[str, strawberry.argument(description="The key whose versions to delete.")],
    ) -> DeleteResult:
        return DeleteResult(deleted_count=await _admin(info, SCOPE_DELETE).delete_key(key))


MUTATION_TYPES: tuple[type, ...] = (ArtifactMutation,)
