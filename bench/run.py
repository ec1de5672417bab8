"""Cairn's benchmark suite: ``python -m bench.run [--only W1,W2] [--write]``.

The service runs in this process (uvicorn in a thread), the load generator in a child
process, PostgreSQL and SeaweedFS in their own: so ``time.process_time()`` here is the
server's CPU. Everything is on 127.0.0.1. ``--write`` rewrites bench/RESULTS.md (with
``--only``, just the sections of the workloads that ran).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import load, report, seed
from bench.stack import Stack, reset_peak_rss, rss_kib, running_stack
from bench.w4 import w4
from cairn.db.where import SORTS, Cursor

MB = 1024 * 1024
W2_ROWS = 200_000
PAGE = 50


class Bench:
    def __init__(self, stack: Stack, executor: ProcessPoolExecutor) -> None:
        self.stack = stack
        self.executor = executor
        self.results: dict[str, Any] = {}
        self.seed_s: dict[str, float] = {}

    def many(self, org: str) -> None:
        """W2's 200,000 artifacts (W4 reads them too): seeded once."""
        if org not in self.seed_s:
            started = time.perf_counter()
            seed.many(self.stack, org, W2_ROWS)
            seed.analyze(self.stack)
            self.seed_s[org] = time.perf_counter() - started

    def served(self, fn: Callable[..., dict[str, Any]], *args: Any, **kw: Any) -> dict[str, Any]:
        """Run ``fn`` in the load process; add the server's CPU time and statement count."""
        with self.stack.count_statements() as seen:
            cpu = time.process_time()
            result = self.executor.submit(fn, *args, **kw).result()
            result["server_cpu_s"] = time.process_time() - cpu
        result["statements"] = len(seen)
        return result

    def statements(self, token: str, body: dict[str, Any]) -> int:
        """Statements one request runs once connections are warm (fewest of 3 tries).

        Counted apart from the timed run, one request at a time: a connection's first use
        of a type adds asyncpg's one-off type introspection, which is not per request.
        """
        counts = []
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(3):
            with self.stack.count_statements() as seen:
                httpx.post(self.stack.graphql_url, json=body, headers=headers, timeout=600)
            counts.append(len(seen))
        return min(counts)

    def queries(
        self, org: str, bodies: list[dict[str, Any]], concurrency: int = 1
    ) -> dict[str, Any]:
        token = self.stack.token(org)
        url = self.stack.graphql_url
        self.executor.submit(load.graphql, url, token, bodies[:3]).result()  # warm up
        result = self.served(load.graphql, url, token, bodies, concurrency=concurrency)
        if result["errors"]:
            raise RuntimeError(f"GraphQL errors: {result['errors']}")
        n = len(bodies)
        result["n"] = n
        result["median_ms"] = statistics.median(result["latencies_ms"])
        result["statements_per_request"] = self.statements(token, bodies[-1])
        result["cpu_ms_per_request"] = result["server_cpu_s"] * 1000 / n
        result["per_s"] = n / result["wall_s"]
        return result

    def compare(
        self, variants: dict[Any, tuple[str, dict[str, Any]]], reps: int
    ) -> dict[Any, dict[str, float]]:
        """Measure each (org, body) variant alone (CPU, statements), then all of them
        interleaved request by request, whose medians give the latency ratios: on a
        shared machine, noise then hits every variant alike."""
        out: dict[Any, dict[str, float]] = {}
        for label, (org, body) in variants.items():
            alone = self.queries(org, [body] * reps)
            out[label] = {
                "cpu_ms": alone["cpu_ms_per_request"],
                "statements": alone["statements_per_request"],
                "last": alone["last"],
            }
        tagged = [{**body, "_token": self.stack.token(org)} for org, body in variants.values()]
        mixed = self.executor.submit(
            load.graphql, self.stack.graphql_url, "unused", tagged * reps
        ).result()
        if mixed["errors"]:
            raise RuntimeError(f"GraphQL errors: {mixed['errors']}")
        for index, label in enumerate(variants):
            ms = statistics.median(mixed["latencies_ms"][index :: len(variants)])
            out[label].update(ms=ms, per_s=1000 / ms)
        return out


# -- W1 nested workflows x runs x artifacts -------------------------------------------------

W1_QUERY = """query($n: Int!) { workflows(first: $n) { nodes { id name
  runs(first: 10) { nodes { id status
    artifacts(first: 10) { nodes { id displayName sizeBytes createdAt } } } } } } }"""


def w1(bench: Bench) -> None:
    org = "bench-w1"
    seed.nested(bench.stack, org, workflows=100, runs=10, artifacts=10)
    seed.analyze(bench.stack)
    rows = {}
    for parents, reps in ((1, 60), (10, 30), (100, 10)):
        body = {"query": W1_QUERY, "variables": {"n": parents}}
        result = bench.queries(org, [body] * reps)
        workflows = result["last"]["data"]["workflows"]["nodes"]
        artifacts = sum(len(r["artifacts"]["nodes"]) for w in workflows for r in w["runs"]["nodes"])
        assert artifacts == parents * 100, artifacts
        rows[parents] = {
            "artifacts": artifacts,
            "statements": result["statements_per_request"],
            "ms": result["median_ms"],
            "cpu_ms": result["cpu_ms_per_request"],
        }
    bench.results["W1"] = rows


# -- W2 filter + sort + keyset page -----------------------------------------------------------

W2_QUERY = """query($after: String, $sort: ArtifactSort!, $first: Int!) {
  artifacts(filter: {type: [CSV]}, sort: $sort, first: $first, after: $after) {
    nodes { id displayName sizeBytes createdAt } pageInfo { endCursor hasNextPage } } }"""


def cursor_after(stack: Stack, org: str, sort_name: str, row: int) -> str:
    """The cursor of the ``row``-th (1-based) CSV artifact in ``sort_name`` order."""
    sort = SORTS[sort_name]
    (record,) = stack.sql(
        f"SELECT {sort.key_array()} AS k FROM artifacts t WHERE t.org_id = $1 "
        f"AND t.type = 'CSV' AND t.status = 'AVAILABLE' ORDER BY {sort.order_by()} "
        "OFFSET $2 LIMIT 1",
        org,
        row - 1,
    )
    return Cursor(sort_name, tuple(record["k"])).encode()


def _walk(stack: Stack, org: str, sort_name: str, pages: int) -> str:
    """Walk ``pages`` pages through the API; return the last endCursor."""
    after = None
    headers = {"Authorization": f"Bearer {stack.token(org)}"}
    for _ in range(pages):
        variables = {"after": after, "sort": sort_name, "first": PAGE}
        body = httpx.post(
            stack.graphql_url,
            json={"query": W2_QUERY, "variables": variables},
            headers=headers,
            timeout=60,
        ).json()
        after = body["data"]["artifacts"]["pageInfo"]["endCursor"]
    assert after is not None
    return str(after)


async def _raw_page(dsn: str, org: str, after: tuple[Any, Any] | None, reps: int) -> float:
    """Median ms of the same page straight through asyncpg (scoped transaction, no HTTP)."""
    conn = await asyncpg.connect(dsn)
    keyset = "AND (created_at, id) < ($2::timestamptz, $3::uuid) " if after else ""
    sql = (
        "SELECT * FROM artifacts WHERE org_id = $1 AND type = 'CSV' AND status = 'AVAILABLE' "
        f"{keyset}ORDER BY created_at DESC, id DESC LIMIT {PAGE + 1}"
    )
    args = (org, *after) if after else (org,)
    timings = []
    try:
        for _ in range(reps + 3):
            started = time.perf_counter()
            async with conn.transaction(readonly=True):
                await conn.execute(
                    f"SET LOCAL ROLE cairn_app; SELECT set_config('cairn.org_id', '{org}', true)"
                )
                rows = await conn.fetch(sql, *args)
            timings.append((time.perf_counter() - started) * 1000)
            assert len(rows) == PAGE + 1
    finally:
        await conn.close()
    return statistics.median(timings[3:])


def w2(bench: Bench) -> None:
    org = "bench-w2"
    stack = bench.stack
    bench.many(org)
    rows: dict[str, Any] = {"seed_s": bench.seed_s[org], "sorts": {}}
    for sort_name in ("CREATED_DESC", "SIZE_DESC"):
        # The computed cursor is the one the API hands out: check it on page 3.
        assert _walk(stack, org, sort_name, 2) == cursor_after(stack, org, sort_name, 2 * PAGE)
        pages = {1: None, 1000: cursor_after(stack, org, sort_name, 999 * PAGE)}
        pages[2000] = cursor_after(stack, org, sort_name, 1999 * PAGE)
        variants = {
            page: (
                org,
                {
                    "query": W2_QUERY,
                    "variables": {"after": after, "sort": sort_name, "first": PAGE},
                },
            )
            for page, after in pages.items()
        }
        timings = bench.compare(variants, 40)
        for timing in timings.values():
            assert len(timing.pop("last")["data"]["artifacts"]["nodes"]) == PAGE
        rows["sorts"][sort_name] = timings
    (row,) = stack.sql(
        "SELECT created_at, id FROM artifacts WHERE org_id = $1 AND type = 'CSV' "
        "ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1",
        org,
        999 * PAGE - 1,
    )
    service_dsn = stack.settings.database_url or ""
    rows["raw"] = {
        1: asyncio.run(_raw_page(service_dsn, org, None, 30)),
        1000: asyncio.run(_raw_page(service_dsn, org, (row["created_at"], row["id"]), 30)),
    }
    bench.results["W2"] = rows


# -- W6 latest per key ------------------------------------------------------------------------

W6_QUERY = "{ latestArtifacts(first: 50) { nodes { id key version } } }"


def w6(bench: Bench) -> None:
    for per_key in (10, 1000):
        seed.versions(bench.stack, f"bench-w6-{per_key}", keys=100, per_key=per_key)
    seed.analyze(bench.stack)
    out = bench.compare(
        {per_key: (f"bench-w6-{per_key}", {"query": W6_QUERY}) for per_key in (10, 1000)}, 40
    )
    for per_key, timing in out.items():
        nodes = timing.pop("last")["data"]["latestArtifacts"]["nodes"]
        assert len(nodes) == 50
        assert {n["version"] for n in nodes} == {per_key}
        timing["rows"] = 100 * per_key
    bench.results["W6"] = out


# -- W3 createArtifact MARKDOWN -----------------------------------------------------------------

W3_QUERY = """mutation($input: ArtifactInput!, $data: JSON) {
  createArtifact(input: $input, data: $data) { id version status } }"""


def w3(bench: Bench) -> None:
    org = "bench-w3"
    out = {}
    cases = (
        ("no key, 1 client", None, 1, 200),
        ("no key, 4 clients", None, 4, 400),
        ("one key (versions), 1 client", "bench-notes", 1, 200),
        ("one key (versions), 4 clients", "bench-notes-4", 4, 400),
    )
    for label, key, concurrency, n in cases:
        bodies = [
            {
                "query": W3_QUERY,
                "variables": {
                    "input": {"type": "MARKDOWN", "displayName": f"note-{i}.md", "key": key},
                    "data": f"# Note {i}\n\nSome *markdown* text for the benchmark.",
                },
            }
            for i in range(n)
        ]
        result = bench.queries(org, bodies, concurrency=concurrency)
        assert result["last"]["data"]["createArtifact"]["status"] == "AVAILABLE"
        out[label] = {
            "per_s": result["per_s"],
            "ms": result["median_ms"],
            "cpu_ms": result["cpu_ms_per_request"],
            "statements": result["statements_per_request"],
        }
    if out:
        (versions,) = bench.stack.sql(
            "SELECT count(*) AS n, count(DISTINCT version) AS d, max(version) AS m "
            "FROM artifacts WHERE org_id = $1 AND key = 'bench-notes-4'",
            org,
        )
        # 400 timed + 3 warm-up + 3 statement-count creates; gapless under 4 writers.
        assert versions["n"] == versions["d"] == versions["m"] == 406, dict(versions)
    bench.results["W3"] = out


# -- W5 uploads -------------------------------------------------------------------------------


def w5(bench: Bench) -> None:
    org = "bench-w5"
    token = bench.stack.token(org)
    out: dict[str, Any] = {}
    for size, reps in ((1 * MB, 5), (100 * MB, 1)):
        for how in ("multipart", "presigned"):
            seconds, cpu = [], []
            rss_before, _ = rss_kib()
            reset_peak_rss()
            for i in range(reps):
                key = f"blob-{how}-{size}-{i}"
                result = bench.served(load.upload, bench.stack.graphql_url, token, size, how, key)
                if not result["ok"]:
                    raise RuntimeError(f"upload failed: {result['errors']}")
                seconds.append(result["seconds"])
                cpu.append(result["server_cpu_s"])
            _, peak = rss_kib()
            out[f"{size // MB} MB {how}"] = {
                "seconds": statistics.median(seconds),
                "mb_s": size / MB / statistics.median(seconds),
                "cpu_ms": statistics.median(cpu) * 1000,
                "peak_rss_delta_mib": max(0, peak - rss_before) / 1024,
            }
    bench.results["W5"] = out


WORKLOADS: dict[str, Callable[[Bench], None]] = {
    "W1": w1,
    "W2": w2,
    "W4": w4,
    "W6": w6,
    "W3": w3,
    "W5": w5,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(WORKLOADS), help="e.g. W1,W2")
    parser.add_argument("--write", action="store_true", help="rewrite bench/RESULTS.md")
    args = parser.parse_args()
    chosen = [w.strip().upper() for w in args.only.split(",") if w.strip()]
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    context = multiprocessing.get_context("spawn")
    with (
        running_stack() as stack,
        ProcessPoolExecutor(max_workers=1, mp_context=context) as executor,
    ):
        bench = Bench(stack, executor)
        for name in chosen:
            began = time.perf_counter()
            WORKLOADS[name](bench)
            print(f"{name} done in {time.perf_counter() - began:.1f} s", flush=True)
    total = time.perf_counter() - started
    target = Path(__file__).with_name("RESULTS.md")
    if set(chosen) != set(WORKLOADS) and target.exists():
        # a partial run replaces only its own sections of the last full run's results
        text = report.merge(target.read_text(encoding="utf-8"), bench.results, total, load_start)
    else:
        text = report.render(bench.results, total, load_start)
    print(text)
    if args.write:
        target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
