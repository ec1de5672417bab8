"""W4: signed URLs on a 100-item page, signed by cairn.sigv4 (new) and minio-py (old).

Both signing paths run in the same server, in alternating blocks (the store's
``presigner`` is set to None for minio-py), each block interleaving the page with and
without ``signedUrl`` request by request; a URL's cost is the difference over 100.
``presign_get`` alone is timed in this process as well, both paths alternating.
"""

from __future__ import annotations

import statistics
import time
import uuid
from typing import TYPE_CHECKING, Any

from cairn.services.audit import AuditLog
from cairn.storage import MinioStore

if TYPE_CHECKING:
    from bench.run import Bench

PLAIN = "{ artifacts(first: 100) { nodes { id displayName sizeBytes } } }"
SIGNED = (
    "{ artifacts(first: 100) { nodes { id displayName sizeBytes signedUrl { url expiresAt } } } }"
)
ROUNDS = 5  # blocks per signing path, alternating
REPS = 12  # pages of each variant per block
MICRO_URLS = 2000  # presign_get calls per timed batch
MICRO_ROUNDS = 7
PATHS = ("minio", "local")


def _check(page: dict[str, Any], signed: bool) -> None:
    nodes = page["data"]["artifacts"]["nodes"]
    assert len(nodes) == 100
    if signed:
        assert all(n["signedUrl"]["url"].startswith("http://127.0.0.1:") for n in nodes)


def _pages(bench: Bench, org: str, store: MinioStore) -> dict[str, dict[str, float]]:
    local = store.presigner
    samples: dict[str, dict[str, list[float]]] = {
        path: {"plain_ms": [], "signed_ms": [], "plain_cpu": [], "signed_cpu": []} for path in PATHS
    }
    variants = {"plain": (org, {"query": PLAIN}), "signed": (org, {"query": SIGNED})}
    try:
        for round_ in range(ROUNDS):
            order = PATHS if round_ % 2 == 0 else PATHS[::-1]
            for path in order:
                store.presigner = local if path == "local" else None
                out = bench.compare(variants, REPS)
                for name in ("plain", "signed"):
                    _check(out[name].pop("last"), name == "signed")
                    samples[path][f"{name}_ms"].append(out[name]["ms"])
                    samples[path][f"{name}_cpu"].append(out[name]["cpu_ms"])
    finally:
        store.presigner = local
    rows: dict[str, dict[str, float]] = {}
    for path, got in samples.items():
        rows[path] = {key: statistics.median(values) for key, values in got.items()}
        pairs = zip(got["signed_ms"], got["plain_ms"], strict=True)
        rows[path]["url_us"] = statistics.median((s - p) * 10 for s, p in pairs)
        pairs = zip(got["signed_cpu"], got["plain_cpu"], strict=True)
        rows[path]["url_cpu_us"] = statistics.median((s - p) * 10 for s, p in pairs)
    return rows


def _micro(store: MinioStore) -> dict[str, float]:
    """µs per ``presign_get`` call (content-disposition included), median of batches."""
    local = store.presigner
    inputs = [
        (f"orgs/bench/artifacts/{uuid.uuid4()}", f"report {i} \u00e9t\u00e9.csv")
        for i in range(200)
    ]
    times: dict[str, list[float]] = {path: [] for path in PATHS}
    urls: dict[str, list[str]] = {path: [] for path in PATHS}
    try:
        for round_ in range(MICRO_ROUNDS):
            for path in PATHS if round_ % 2 == 0 else PATHS[::-1]:
                store.presigner = local if path == "local" else None
                started = time.perf_counter()
                for i in range(MICRO_URLS):
                    key, name = inputs[i % len(inputs)]
                    store.presign_get(key, filename=name, content_type="text/csv", ttl=900)
                times[path].append((time.perf_counter() - started) * 1e6 / MICRO_URLS)
            for path in PATHS:  # the same URL from both paths within one second
                store.presigner = local if path == "local" else None
                key, name = inputs[round_]
                urls[path].append(
                    store.presign_get(key, filename=name, content_type="text/csv", ttl=900).url
                )
    finally:
        store.presigner = local
    same = sum(a == b for a, b in zip(urls["minio"], urls["local"], strict=True))
    assert same >= MICRO_ROUNDS - 2, "cairn.sigv4 and minio-py disagree"
    return {path: statistics.median(values) for path, values in times.items()}


AUDIT_MODES = ("unaudited", "audited")


def _audit_pages(bench: Bench, org: str) -> dict[str, dict[str, float]]:
    """The signed page with the audit trail as built (100 url.signed events, one INSERT
    per request) and with ``AuditLog.record`` patched to a no-op (as before the audit
    trail), in alternating blocks; each block interleaves the signed page with the plain."""
    record = AuditLog.record
    samples: dict[str, dict[str, list[float]]] = {
        mode: {"plain_ms": [], "signed_ms": [], "signed_cpu": [], "statements": []}
        for mode in AUDIT_MODES
    }
    variants = {"plain": (org, {"query": PLAIN}), "signed": (org, {"query": SIGNED})}
    try:
        for round_ in range(ROUNDS):
            for mode in AUDIT_MODES if round_ % 2 == 0 else AUDIT_MODES[::-1]:
                AuditLog.record = record if mode == "audited" else _no_record  # type: ignore[method-assign]
                out = bench.compare(variants, REPS)
                _check(out["signed"].pop("last"), True)
                out["plain"].pop("last")
                samples[mode]["plain_ms"].append(out["plain"]["ms"])
                samples[mode]["signed_ms"].append(out["signed"]["ms"])
                samples[mode]["signed_cpu"].append(out["signed"]["cpu_ms"])
                samples[mode]["statements"].append(out["signed"]["statements"])
    finally:
        AuditLog.record = record  # type: ignore[method-assign]
    return {
        mode: {key: statistics.median(values) for key, values in got.items()}
        for mode, got in samples.items()
    }


def _no_record(self: AuditLog, *args: Any) -> None:
    del self, args


def w4(bench: Bench) -> None:
    org = "bench-w2"  # W2's rows: all AVAILABLE files with a storage path
    bench.many(org)
    store = bench.stack.app.state.store
    assert isinstance(store, MinioStore)
    assert store.presigner is not None, "the embedded endpoint should be signed locally"
    bench.results["W4"] = {
        "page": _pages(bench, org, store),
        "call_us": _micro(store),
        "audit": _audit_pages(bench, org),
    }
