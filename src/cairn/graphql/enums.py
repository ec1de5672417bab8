"""The contract's enums."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class RunStatus(Enum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


@strawberry.enum
class ArtifactStatus(Enum):
    PENDING = "PENDING"
    AVAILABLE = "AVAILABLE"
    FAILED = "FAILED"


@strawberry.enum(description="The format of the content.")
class ArtifactType(Enum):
    MARKDOWN = "MARKDOWN"
    TABLE = "TABLE"
    LINK = "LINK"
    JSON = "JSON"
    TEXT = "TEXT"
    PNG = "PNG"
    JPEG = "JPEG"
    WEBP = "WEBP"
    GIF = "GIF"
    SVG = "SVG"
    PDF = "PDF"
    CSV = "CSV"
    XML = "XML"
    HTML = "HTML"
    BINARY = "BINARY"


@strawberry.enum
class ArtifactSort(Enum):
    CREATED_DESC = "CREATED_DESC"
    CREATED_ASC = "CREATED_ASC"
    KEY_ASC = "KEY_ASC"
    VERSION_DESC = "VERSION_DESC"
    SIZE_DESC = "SIZE_DESC"
