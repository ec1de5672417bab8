"""Subscriptions: artifactPublished, fed by Postgres LISTEN/NOTIFY."""

from __future__ import annotations

SUBSCRIPTION: type | None = None
