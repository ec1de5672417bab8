"""Old code against new on one embedded stack: ``python -m bench.ab REV``.

``REV`` (a commit) is checked out into a temporary worktree; two ``cairn serve``
processes, one running that checkout's ``src`` (through ``PYTHONPATH``) and one this
tree's, share the same PostgreSQL, S3 and seeded rows (100 workflows x 10 runs x 10
artifacts). Each case runs in blocks that alternate old/new (the order flips every
repetition), so load from other work hits both alike. Reports median latency and server
CPU (the process's utime+stime per request) as old/new ratios, with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench import seed
from bench.stack import running_stack
from cairn.cli.embedded import free_ports

REPO = Path(__file__).resolve().parent.parent
NESTED = (
    "{ workflows(first: %d) { nodes { id name runs(first: 10) { nodes { id status "
    "artifacts(first: 10) { nodes { id key version type displayName mimeType sizeBytes "
    "createdAt } } } } } } }"
)
BY_ID = "query($id: ID!) { artifact(id: $id) { id key version type displayName sizeBytes } }"


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _secret(value: Any) -> str:
    return str(value.get_secret_value() if hasattr(value, "get_secret_value") else value)


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rev", help="the old commit")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    old = Path(tempfile.mkdtemp(prefix="cairn-ab-")) / "old"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(old), args.rev],
        check=True,
        capture_output=True,
    )
    try:
        _compare(old / "src", args.repetitions)
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)])


def _compare(old_src: Path, repetitions: int) -> None:
    with running_stack() as stack:
        seed.organization(stack, "ab")
        seed.nested(stack, "ab", 100, 10, 10)
        s = stack.settings
        env = dict(
            os.environ,
            CAIRN_DATABASE_URL=str(s.database_url),
            CAIRN_S3_ENDPOINT=str(s.s3_endpoint),
            CAIRN_S3_ACCESS_KEY=str(s.s3_access_key),
            CAIRN_S3_SECRET_KEY=_secret(s.s3_secret_key),
            CAIRN_S3_BUCKET="cairn-bench",
            CAIRN_JWT_SECRET=_secret(s.jwt_secret),
            CAIRN_LOG_LEVEL="WARNING",
            CAIRN_DB_POOL_MAX="20",
            CAIRN_MAX_QUERY_COST="200000",
        )
        servers: dict[str, tuple[subprocess.Popen[bytes], httpx.Client]] = {}
        token = stack.token("ab")
        try:
            for name, src in (("old", old_src), ("new", REPO / "src")):
                port = free_ports(1)[0]
                process = subprocess.Popen(
                    [sys.executable, "-m", "cairn.cli.main", "serve", "--port", str(port)],
                    env=dict(env, PYTHONPATH=str(src), CAIRN_DATA_DIR=f"{s.data_dir}-{name}"),
                    stdout=subprocess.DEVNULL,
                )
                client = httpx.Client(
                    base_url=f"http://127.0.0.1:{port}",
                    headers={"authorization": f"Bearer {token}"},
                    timeout=120,
                )
                servers[name] = (process, client)
            for _, client in servers.values():
                _wait(client)
            _run(servers, repetitions)
        finally:
            for process, _ in servers.values():
                process.terminate()
            for process, _ in servers.values():
                process.wait(30)


def _wait(client: httpx.Client) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("a server did not start")


def _run(servers: dict[str, tuple[subprocess.Popen[bytes], httpx.Client]], reps: int) -> None:
    first = servers["new"][1].post(
        "/graphql", json={"query": "{ artifacts(first: 1) { nodes { id } } }"}
    )
    artifact_id = first.json()["data"]["artifacts"]["nodes"][0]["id"]
    cases: dict[str, tuple[str, dict[str, Any], int]] = {
        "nested, 100 artifacts": (NESTED % 1, {}, 60),
        "nested, 1,000 artifacts": (NESTED % 10, {}, 20),
        "nested, 10,000 artifacts": (NESTED % 100, {}, 3),
        "artifact(id:)": (BY_ID, {"id": artifact_id}, 200),
    }
    times: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    start_load = _load()
    for rep in range(reps):
        order = ("old", "new") if rep % 2 == 0 else ("new", "old")
        for case, (query, variables, n) in cases.items():
            for name in order:
                process, client = servers[name]
                body = {"query": query, "variables": variables}
                for _ in range(3):
                    answer = client.post("/graphql", json=body).json()
                    assert "errors" not in answer, answer
                before = _cpu(process.pid)
                batch = []
                for _ in range(n):
                    t = time.perf_counter()
                    client.post("/graphql", json=body)
                    batch.append(time.perf_counter() - t)
                times.setdefault((case, name), []).append(statistics.median(batch))
                cpus.setdefault((case, name), []).append((_cpu(process.pid) - before) / n)
    print(
        f"load average (1 min) {start_load} at the start, {_load()} at the end; "
        f"{reps} interleaved repetitions, one sequential client"
    )
    print("| case | old ms | new ms | old/new time | old/new server CPU |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for case in cases:
        old_t, new_t = (statistics.median(times[(case, n)]) for n in ("old", "new"))
        old_c, new_c = (statistics.median(cpus[(case, n)]) for n in ("old", "new"))
        cpu_ratio = f"{old_c / new_c:.2f}x" if new_c else "n/a"
        print(
            f"| {case} | {old_t * 1000:.1f} | {new_t * 1000:.1f} | {old_t / new_t:.2f}x "
            f"| {cpu_ratio} |"
        )


if __name__ == "__main__":
    main()
