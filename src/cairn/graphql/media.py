"""Content negotiation for GraphQL over HTTP: ``application/graphql-response+json``.

A client that prefers the new media type (Apollo Client 4 sends
``application/graphql-response+json,application/json;q=0.9``) gets it, with the spec's
status codes: a request that could not execute (unparsable JSON, a GraphQL syntax or
validation error, an unknown persisted query) is 4xx and has no ``data`` entry; one that
executed is 200 even with field errors. Everyone else gets ``application/json`` as before.
"""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value.strip())))
            except ValueError:
                return 0.0
    return 1.0


def prefers_graphql_response(accept: str | None) -> bool:
    """Whether ``accept`` ranks application/graphql-response+json at least as high as
    application/json (and above zero). Wildcards count for JSON: ``*/*`` stays JSON."""
    if not accept:
        return False
    best = {GRAPHQL_RESPONSE_JSON: 0.0, APPLICATION_JSON: 0.0}
    for item in accept.split(","):
        media, *parameters = item.split(";")
        media = media.strip().lower()
        quality = _quality(parameters)
        if media == GRAPHQL_RESPONSE_JSON:
            best[GRAPHQL_RESPONSE_JSON] = max(best[GRAPHQL_RESPONSE_JSON], quality)
        elif media in (APPLICATION_JSON, "application/*", "*/*"):
            best[APPLICATION_JSON] = max(best[APPLICATION_JSON], quality)
    ours = best[GRAPHQL_RESPONSE_JSON]
    return ours > 0 and ours >= best[APPLICATION_JSON]


def request_error_status(codes: set[str]) -> int:
    """The status of a request error (no ``data``) in the new media type."""
    if codes & {"SERVICE_BUSY", "DATABASE_UNAVAILABLE", "STORAGE_UNAVAILABLE"}:
        return 503
    if "INTERNAL_SERVER_ERROR" in codes:
        return 500
    if "PERSISTED_QUERY_NOT_FOUND" in codes:
        return 404  # as Apollo Router answers an unknown persisted query id
    return 400
