"""``cairn artifact ...``: a GraphQL client over CAIRN_API_URL with CAIRN_API_TOKEN."""

from __future__ import annotations

from typing import Any


def add_commands(sub: Any) -> None:
    """Artifact client commands arrive with the publishing work."""
    del sub
