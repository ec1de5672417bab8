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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench import seed
from bench.proc import cairn_env, cpu, load, wait
from bench.stack import running_stack
from cairn.cli.embedded import free_ports

REPO = Path(__file__).resolve().parent.parent
NESTED = (
    "{ workflows(first: %d) { nodes { id name runs(first: 10) { nodes { id status "
    "artifacts(first: 10) { nodes { id key version type displayName mimeType sizeBytes "
    "createdAt } } } } } } }"
)
BY_ID = "query($id: ID!) { artifact(id: $id) { id key version type displayName sizeBytes } }"


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
        env = cairn_env(s)
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
                wait(client)
            _run(servers, repetitions)
        finally:
            for process, _ in servers.values():
                process.terminate()
            for process, _ in servers.values():
                process.wait(30)


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
    start_load = load()
    for rep in range(reps):
        order = ("old", "new") if rep % 2 == 0 else ("new", "old")
        for case, (query, variables, n) in cases.items():
            for name in order:
                process, client = servers[name]
                body = {"query": query, "variables": variables}
                for _ in range(3):
                    answer = client.post("/graphql", json=body).json()
                    assert "errors" not in answer, answer
                before = cpu(process.pid)
                batch = []
                for _ in range(n):
                    t = time.perf_counter()
                    client.post("/graphql", json=body)
                    batch.append(time.perf_counter() - t)
                times.setdefault((case, name), []).append(statistics.median(batch))
                cpus.setdefault((case, name), []).append((cpu(process.pid) - before) / n)
    print(
        f"load average (1 min) {start_load} at the start, {load()} at the end; "
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
