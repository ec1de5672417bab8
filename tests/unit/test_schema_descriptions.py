"""The schema documents itself: every type, field, argument, enum value and input field a
user can see carries a description (GraphiQL's docs pane and generated clients show them).

Introspection types (``__*``) and GraphQL's built-in scalars are graphql-core's own and
described there; everything else is Cairn's to explain.
"""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    is_specified_scalar_type,
)
from graphql import build_schema as build_sdl

from cairn.config import Settings
from cairn.graphql.schema import build_schema

pytestmark = pytest.mark.unit


def _described(description: str | None) -> bool:
    return bool(description and description.strip())


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every schema coordinate (``Type``, ``Type.field``, ``Type.field(arg:)``,
    ``Enum.VALUE``, ``Input.field``) that has no description, in a stable order."""
    missing: list[str] = []
    for name, named in sorted(schema.type_map.items()):
        if name.startswith("__") or is_specified_scalar_type(named):
            continue
        if not _described(named.description):
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not _described(field.description):
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in field.args.items():
                    if not _described(arg.description):
                        missing.append(f"{name}.{field_name}({arg_name}:)")
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                if not _described(input_field.description):
                    missing.append(f"{name}.{field_name}")
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                if not _described(value.description):
                    missing.append(f"{name}.{value_name}")
    return missing


def test_every_part_of_the_cairn_schema_is_described() -> None:
    schema = build_schema(Settings.model_construct())._schema
    assert undescribed(schema) == []


def test_the_check_finds_each_kind_of_missing_description() -> None:
    """The walker above reports every kind of coordinate, so the real check can fail."""
    sdl = """
        "Described." type Query {
          "Described." ok(
            "Described." a: Int
            b: Int
          ): Thing
          bare: Int
        }
        type Thing { "Described." x: Color }
        "Described." enum Color { "Described." RED GREEN }
        "Described." input Box { "Described." w: Int  h: Int }
        scalar Blob
        "Described." interface Shape { "Described." area: Int  side: Int }
        "Described." type Square implements Shape { "Described." area: Int  "Described." side: Int
          "Described." boxed(box: Box, "Described." blob: Blob): Int }
        "  " type Blank { "Described." y: Int }
    """
    assert undescribed(build_sdl(sdl)) == [
        "Blank",
        "Blob",
        "Box.h",
        "Color.GREEN",
        "Query.ok(b:)",
        "Query.bare",
        "Shape.side",
        "Square.boxed(box:)",
        "Thing",
    ]
