"""The contract's enums."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(
    description=(
        "Where a job run or workflow run is in its life. Setting RUNNING stamps startedAt "
        "(the first time); COMPLETED, FAILED and CANCELLED stamp endedAt; going back to "
        "PENDING or RUNNING clears endedAt."
    )
)
class RunStatus(Enum):
    _value_: str  # for type checkers: strawberry.enum_value keeps the plain string
    PENDING = strawberry.enum_value("PENDING", description="Created, not started yet.")
    RUNNING = strawberry.enum_value(
        "RUNNING", description="Executing (the default for new runs); stamps startedAt once."
    )
    COMPLETED = strawberry.enum_value(
        "COMPLETED", description="Finished successfully; stamps endedAt."
    )
    FAILED = strawberry.enum_value("FAILED", description="Finished with a failure; stamps endedAt.")
    CANCELLED = strawberry.enum_value(
        "CANCELLED", description="Stopped before it finished; stamps endedAt."
    )


@strawberry.enum(
    description=(
        "Where an artifact is in publishing. Lists show AVAILABLE artifacts unless their "
        "filter's status says otherwise; artifact(id) returns any status."
    )
)
class ArtifactStatus(Enum):
    _value_: str  # for type checkers: strawberry.enum_value keeps the plain string
    PENDING = strawberry.enum_value(
        "PENDING",
        description=(
            "Publishing has begun (e.g. beginArtifactUpload) and the bytes are not verified "
            "yet: no version and no signed URL. An upload never completed is removed by the "
            "sweep."
        ),
    )
    AVAILABLE = strawberry.enum_value(
        "AVAILABLE",
        description="Stored whole and verified (size and sha256): listed, versioned, signed.",
    )
    FAILED = strawberry.enum_value(
        "FAILED",
        description=(
            "Publishing failed, e.g. completeArtifactUpload found the size, sha256 or content "
            "wrong. Has no version and no signed URL; publish again."
        ),
    )


@strawberry.enum(
    description=(
        "The format of the content. MARKDOWN, TABLE and LINK are inline: kept in the database "
        "and returned in `data`, with no signed URL. Every other type is a file: its bytes are "
        "in object storage, downloaded through `signedUrl`. The default MIME type is given "
        "with each; the content must fit the type (BAD_USER_INPUT otherwise)."
    )
)
class ArtifactType(Enum):
    _value_: str  # for type checkers: strawberry.enum_value keeps the plain string
    MARKDOWN = strawberry.enum_value(
        "MARKDOWN", description="Markdown text, inline: `data` is the string (text/markdown)."
    )
    TABLE = strawberry.enum_value(
        "TABLE",
        description=(
            "A table, inline: `data` is {columns, rows} (application/json). Publish a list of "
            "row objects, {columns, rows} with rows as lists or objects, or an object of "
            "equally long columns; NaN and infinities become null."
        ),
    )
    LINK = strawberry.enum_value(
        "LINK",
        description=(
            "A link, inline: `data` is {url, text} (text/uri-list); an absolute http or https "
            "URL of at most 2048 characters. Publish {url, text} or the URL as a string; "
            "text defaults to the URL."
        ),
    )
    JSON = strawberry.enum_value(
        "JSON",
        description=(
            "A JSON file (application/json); must be valid UTF-8 JSON. createArtifact takes "
            "it as `data` too."
        ),
    )
    TEXT = strawberry.enum_value(
        "TEXT",
        description=(
            "A text file (text/plain); must be valid UTF-8. createArtifact takes it as `data` "
            "(a string) too."
        ),
    )
    PNG = strawberry.enum_value(
        "PNG", description="A PNG image (image/png); must start with the PNG signature."
    )
    JPEG = strawberry.enum_value(
        "JPEG", description="A JPEG image (image/jpeg); must start with the JPEG signature."
    )
    WEBP = strawberry.enum_value(
        "WEBP", description="A WebP image (image/webp); must start with the RIFF....WEBP signature."
    )
    GIF = strawberry.enum_value(
        "GIF", description="A GIF image (image/gif); must start with GIF87a or GIF89a."
    )
    SVG = strawberry.enum_value(
        "SVG",
        description=(
            "An SVG image (image/svg+xml); must start with '<' and have an <svg> element. "
            "Active content: downloads as application/octet-stream."
        ),
    )
    PDF = strawberry.enum_value(
        "PDF", description="A PDF document (application/pdf); needs a %PDF- header."
    )
    CSV = strawberry.enum_value("CSV", description="A CSV file (text/csv); no NUL bytes.")
    XML = strawberry.enum_value(
        "XML",
        description=(
            "An XML document (application/xml); must start with '<'. Active content: "
            "downloads as application/octet-stream."
        ),
    )
    HTML = strawberry.enum_value(
        "HTML",
        description=(
            "An HTML page (text/html); no NUL bytes. Active content: downloads as "
            "application/octet-stream."
        ),
    )
    BINARY = strawberry.enum_value(
        "BINARY", description="Any other bytes (application/octet-stream unless mimeType says)."
    )


@strawberry.enum(
    description=(
        "The order of an artifact list. Every order ends on id, so it is total and paging "
        "by cursor never repeats or skips; a cursor only works with the order it came from."
    )
)
class ArtifactSort(Enum):
    _value_: str  # for type checkers: strawberry.enum_value keeps the plain string
    CREATED_DESC = strawberry.enum_value(
        "CREATED_DESC", description="Newest first (by createdAt). The default."
    )
    CREATED_ASC = strawberry.enum_value("CREATED_ASC", description="Oldest first (by createdAt).")
    KEY_ASC = strawberry.enum_value(
        "KEY_ASC",
        description=(
            "By key (compared bytewise), then version ascending; artifacts without a key last."
        ),
    )
    VERSION_DESC = strawberry.enum_value(
        "VERSION_DESC",
        description=(
            "Highest version first (artifacts without a version count as 0), then newest."
        ),
    )
    SIZE_DESC = strawberry.enum_value("SIZE_DESC", description="Largest sizeBytes first.")


@strawberry.enum(
    description=("How a signed download URL is served: as a file to save, or shown in the browser.")
)
class SignedUrlDisposition(Enum):
    _value_: str  # for type checkers: strawberry.enum_value keeps the plain string
    ATTACHMENT = strawberry.enum_value(
        "ATTACHMENT",
        description="Content-Disposition: attachment (saved under displayName). The default.",
    )
    INLINE = strawberry.enum_value(
        "INLINE",
        description=(
            "Content-Disposition: inline, for PNG, JPEG, WEBP and GIF images, PDF and plain "
            "text only. Anything else is served as ATTACHMENT whatever is asked (active "
            "content such as HTML, SVG and XML also as application/octet-stream)."
        ),
    )


# A row's stored value to its member by a dict lookup: calling the enum (ArtifactType(value))
# takes ~1 µs, twice per artifact in every list.
RUN_STATUS_OF: dict[str, RunStatus] = {member.value: member for member in RunStatus}
ARTIFACT_STATUS_OF: dict[str, ArtifactStatus] = {member.value: member for member in ArtifactStatus}
ARTIFACT_TYPE_OF: dict[str, ArtifactType] = {member.value: member for member in ArtifactType}
