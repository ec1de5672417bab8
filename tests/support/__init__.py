"""Shared test helpers (no fixtures: those live in the conftest.py files).

Import from the module that owns a name, e.g. ``from tests.support.http import Client``.
"""
