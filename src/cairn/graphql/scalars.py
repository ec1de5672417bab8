"""Custom scalars: BigInt (64-bit, a JSON number). JSON, DateTime and Upload are Strawberry's."""

from __future__ import annotations

from typing import NewType

import strawberry

BigInt = strawberry.scalar(
    NewType("BigInt", int),
    description="A 64-bit integer, serialized as a JSON number.",
    serialize=int,
    parse_value=lambda v: _parse_bigint(v),
)


def _parse_bigint(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("BigInt must be an integer")
    number = int(value)
    if not -(2**63) <= number < 2**63:
        raise ValueError("BigInt must fit in 64 bits")
    return number
