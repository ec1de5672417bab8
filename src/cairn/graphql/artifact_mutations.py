"""Artifact mutations: publishing, updating and deleting (see services/publish.py)."""

from __future__ import annotations

MUTATION_TYPES: tuple[type, ...] = ()
