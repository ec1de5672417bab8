"""Custom scalars: BigInt (64-bit, a JSON number). JSON, DateTime and Upload are Strawberry's."""

from __future__ import annotations

from typing import NewType

import strawberry
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
        description="A 64-bit integer, serialized as a JSON number.",
        serialize=int,
        parse_value=_parse_bigint,
        parse_literal=_parse_literal,
    )
}
