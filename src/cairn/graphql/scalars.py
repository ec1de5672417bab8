"""Custom scalars: BigInt (64-bit, a JSON number). JSON, DateTime and Upload are Strawberry's,
with Cairn's descriptions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import NewType

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
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


SCALAR_MAP: dict[object, ScalarDefinition] = {
    BigInt: strawberry.scalar(
        name="BigInt",
        description=(
            "A signed 64-bit integer (-2^63 to 2^63-1), serialized as a JSON number; also "
            "accepted as a string of digits. JavaScript numbers are exact only up to 2^53."
        ),
        serialize=int,
        parse_value=_parse_bigint,
        parse_literal=_parse_literal,
    ),
    # Strawberry's own scalars with Cairn's descriptions (same parsing and serializing).
    datetime: replace(
        DEFAULT_SCALAR_REGISTRY[datetime],
        implementation=None,
        description=(
            "A date and time in ISO 8601 with a UTC offset, e.g. 2026-12-01T09:30:00Z or "
            "2026-12-01T10:30:00+01:00. Cairn answers in UTC."
        ),
    ),
    JSON: replace(
        DEFAULT_SCALAR_REGISTRY[JSON],
        implementation=None,
        description=(
            "Any JSON value (ECMA-404). Inputs are stored as PostgreSQL jsonb, so strings must "
            "not hold NUL (\\u0000) or lone surrogates, integers must fit in signed 64 bits, "
            "and nesting is at most 64 levels (BAD_USER_INPUT otherwise)."
        ),
    ),
    Upload: replace(
        DEFAULT_SCALAR_REGISTRY[Upload],
        implementation=None,
        description=(
            "A file sent as a part of a multipart request (GraphQL multipart request spec); "
            "send the header 'Apollo-Require-Preflight: true' with it (CSRF protection)."
        ),
    ),
}
