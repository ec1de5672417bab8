"""Artifact mutations: publishing, updating and deleting (see services/publish.py)."""

from __future__ import annotations

import contextlib
from typing import Any

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


def _publisher(info: Info) -> Publisher:
    return info.context.service(Publisher, SCOPE_WRITE)


def _admin(info: Info, scope: str) -> ArtifactAdmin:
    return info.context.service(ArtifactAdmin, scope)


@strawberry.type
class ArtifactMutation:
    @strawberry.mutation(
        description=(
            "Small content in the request itself: `data` for MARKDOWN, TABLE, LINK, JSON, "
            "TEXT; `contentBase64` for any type. Answers with the artifact AVAILABLE."
        )
    )
    async def create_artifact(
        self,
        info: Info,
        input: ArtifactInput,
        data: JSON | None = strawberry.UNSET,
        content_base64: str | None = strawberry.UNSET,
    ) -> Artifact:
        # absent and null are the same here (a JSON artifact's content cannot be null)
        given = None if data is strawberry.UNSET else data
        encoded = None if content_base64 is strawberry.UNSET else content_base64
        row = await _publisher(info).create(input.to_spec(), given, encoded)
        return Artifact.from_row(row)

    @strawberry.mutation(
        description=(
            "A file in a multipart request (GraphQL multipart request spec; send the header "
            "'Apollo-Require-Preflight: true'), streamed to object storage while hashed."
        )
    )
    async def upload_artifact(self, info: Info, input: ArtifactInput, file: Upload) -> Artifact:
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
            "then completeArtifactUpload."
        )
    )
    async def begin_artifact_upload(
        self, info: Info, input: ArtifactInput, size_bytes: BigInt, sha256: str
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
            "BAD_USER_INPUT. Completing an AVAILABLE artifact again returns it."
        )
    )
    async def complete_artifact_upload(self, info: Info, id: strawberry.ID) -> Artifact:
        return Artifact.from_row(await _publisher(info).complete_upload(id))

    @strawberry.mutation(
        description="Change descriptive fields only; omitted fields stay, null clears."
    )
    async def update_artifact(
        self,
        info: Info,
        id: strawberry.ID,
        description: str | None = strawberry.UNSET,
        metadata: JSON | None = strawberry.UNSET,
        category: str | None = strawberry.UNSET,
        display_name: str | None = strawberry.UNSET,
    ) -> Artifact:
        admin = _admin(info, SCOPE_WRITE)
        given = {
            "description": description,
            "metadata": metadata,
            "category": category,
            "display_name": display_name,
        }
        changes = {k: v for k, v in given.items() if v is not strawberry.UNSET}
        return Artifact.from_row(await admin.update(id, changes))

    @strawberry.mutation(description="Deletes the artifact's row and its stored bytes.")
    async def delete_artifact(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(deleted_count=await _admin(info, SCOPE_DELETE).delete(id))

    @strawberry.mutation(
        description=(
            "Deletes every version of the key (rows and bytes); a later publish of the "
            "key starts again at version 1."
        )
    )
    async def delete_artifacts_by_key(self, info: Info, key: str) -> DeleteResult:
        return DeleteResult(deleted_count=await _admin(info, SCOPE_DELETE).delete_key(key))


MUTATION_TYPES: tuple[type, ...] = (ArtifactMutation,)
