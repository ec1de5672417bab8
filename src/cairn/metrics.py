"""Prometheus metrics of the clean-up round (``/metrics`` serves the default registry)."""

from __future__ import annotations

from prometheus_client import Counter

GC_REMOVED = Counter(
    "cairn_gc_removed",
    "Artifacts and objects the sweep or cairn gc removed, by reason: expired (artifacts "
    "past expiresAt), abandoned_upload (failed or abandoned uploads), orphan_object "
    "(objects no row refers to).",
    ["reason"],
)
