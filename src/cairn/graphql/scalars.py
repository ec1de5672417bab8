"""Custom scalars: BigInt (64-bit, a JSON number), and guarded versions of Strawberry's
DateTime and Upload (same names and descriptions, so the SDL does not change). JSON is
Strawberry's; the service validates JSON values (services/validation.py).

The guards turn input that would fail later (in asyncpg or the resolver) into a coercion
error, which the client sees as BAD_USER_INPUT naming the variable or argument: DateTimes
that leave the representable range once converted to UTC; an ``Upload`` that is not a
file part of a multipart request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NewType

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY
from strawberry.types.scalar import ScalarDefinition

from graphql import IntValueNode, StringValueNode, ValueNode

BigInt = NewType("BigInt", int)


def _parse_bigint(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("BigInt must be an integer")
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise ValueError("BigInt must fit in 64 bits")
    return number


def _parse_literal(node: ValueNode, _variables: object = None) -> int:
    if isinstance(node, IntValueNode | StringValueNode):
        return _parse_bigint(node.value)
    raise ValueError("BigInt must be an integer")


_STRAWBERRY_DATETIME = DEFAULT_SCALAR_REGISTRY[dt.datetime]


def _parse_datetime(value: object) -> object:
    parse = _STRAWBERRY_DATETIME.parse_value
    assert parse is not None
    parsed = parse(value)
    if isinstance(parsed, dt.datetime) and parsed.utcoffset() is not None:
        try:
            parsed.astimezone(dt.UTC)
        except OverflowError:
            raise ValueError(
                f"DateTime {value!r} is out of range once converted to UTC; use a time "
                "between 0001-01-02 and 9999-12-30 (ISO 8601, e.g. 2026-01-31T12:00:00Z)"
            ) from None
    return parsed


def _parse_upload(value: object) -> object:
    if not isinstance(value, UploadFile):
        raise ValueError(
            "an Upload must be a file part of a multipart request, mapped to this variable "
            "(GraphQL multipart request spec); for small content use createArtifact with "
            "contentBase64"
        )
    return value


SCALAR_MAP: dict[object, ScalarDefinition] = {
    BigInt: strawberry.scalar(
        name="BigInt",
        description="A 64-bit integer, serialized as a JSON number.",
        serialize=int,
        parse_value=_parse_bigint,
        parse_literal=_parse_literal,
    ),
    dt.datetime: dataclasses.replace(
        _STRAWBERRY_DATETIME, parse_value=_parse_datetime, implementation=None
    ),
    Upload: dataclasses.replace(
        DEFAULT_SCALAR_REGISTRY[Upload], parse_value=_parse_upload, implementation=None
    ),
}
