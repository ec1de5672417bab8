"""The schema: roots, scalars and the protective extensions."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from cairn.config import Settings
from cairn.graphql.mutations import RunMutation
from cairn.graphql.queries import Query
from cairn.graphql.scalars import SCALAR_MAP
from graphql import GraphQLError


class CairnSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logging happens in the view, which knows the request id."""


def _mutation_types() -> tuple[type, ...]:
    from cairn.graphql import artifact_mutations

    return (RunMutation, *artifact_mutations.MUTATION_TYPES)


def _subscription() -> type | None:
    from cairn.graphql import subscriptions

    return subscriptions.SUBSCRIPTION


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings()
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        ParserCache,
        ValidationCache,
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
    ]
    from cairn.graphql.subscriptions import ShapeStreamErrors  # WebSocket error shape

    extensions.append(ShapeStreamErrors)
    if not settings.introspection:
        from strawberry.extensions import DisableIntrospection

        extensions.append(DisableIntrospection)
    mutation = merge_types("Mutation", _mutation_types())
    return CairnSchema(
        query=Query,
        mutation=mutation,
        subscription=_subscription(),
        extensions=extensions,
        config=StrawberryConfig(
            disable_field_suggestions=not settings.introspection, scalar_map=SCALAR_MAP
        ),
    )
