"""What both peer benches share: server processes, interleaved timed blocks, the report."""

from __future__ import annotations

import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.proc import cairn_env, cpu, load, wait
from bench.stack import Stack
from cairn.cli.embedded import free_ports

CACHE = Path(os.environ.get("CAIRN_BENCH_CACHE", "~/.cache/cairn-bench-peers")).expanduser()
CLIENTS = 8
# A request: (client, request index) -> anything; it raises if the answer is wrong.
Request = Callable[[httpx.Client, int], Any]


@dataclass
class Server:
    """A server process and its HTTP clients (one per concurrent load-generator thread)."""

    name: str
    process: subprocess.Popen[bytes]
    clients: list[httpx.Client]
    health: str = "/healthz"


@dataclass
class Case:
    """One operation, sent ``n`` times by ``clients`` threads to each system."""

    name: str
    clients: int
    n: int
    requests: dict[str, Request]
    cheap: bool = False


@dataclass
class Samples:
    """Per repetition: median latency, throughput, server CPU per request; all latencies."""

    medians: list[float] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def http_clients(port: int, headers: dict[str, str]) -> list[httpx.Client]:
    return [
        httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=120)
        for _ in range(CLIENTS)
    ]


@contextmanager
def servers(*started: Callable[[], Server]) -> Iterator[dict[str, Server]]:
    """Start each server (wait for its /healthz), and terminate them all afterwards."""
    running: dict[str, Server] = {}
    try:
        for start in started:
            server = start()
            running[server.name] = server
            wait(server.clients[0], server.health, seconds=180)
        yield running
    finally:
        for server in running.values():
            server.process.terminate()
        for server in running.values():
            try:
                server.process.wait(30)
            except subprocess.TimeoutExpired:
                server.process.kill()
            for client in server.clients:
                client.close()


def cairn_server(stack: Stack, org: str) -> Callable[[], Server]:
    """``cairn serve`` of this tree as a subprocess on the stack (as bench.ab runs it)."""

    def start() -> Server:
        port = free_ports(1)[0]
        process = subprocess.Popen(
            [sys.executable, "-m", "cairn.cli.main", "serve", "--port", str(port)],
            env=dict(
                cairn_env(stack.settings),
                PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"),
                CAIRN_DATA_DIR=f"{stack.settings.data_dir}-peers",
            ),
            stdout=subprocess.DEVNULL,
        )
        headers = {"authorization": f"Bearer {stack.token(org)}"}
        return Server("Cairn", process, http_clients(port, headers))

    return start


def graphql(query: str, variables: dict[str, Any] | None = None) -> Request:
    """A Cairn/PostGraphile GraphQL request; raises on an HTTP or GraphQL error."""
    body = {"query": query, "variables": variables or {}}

    def send(client: httpx.Client, _: int) -> Any:
        return answer(client.post("/graphql", json=body))["data"]

    return send


def answer(response: httpx.Response) -> Any:
    """The JSON of a 2xx response without GraphQL errors; AssertionError otherwise."""
    assert response.is_success, (response.status_code, response.text[:500])
    data = response.json()
    assert not (isinstance(data, dict) and data.get("errors")), data
    return data


def _block(server: Server, case: Case, samples: Samples) -> None:
    send = case.requests[server.name]
    for i in range(3):  # warm-up
        send(server.clients[0], -1 - i)
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []

    def worker(client: httpx.Client) -> None:
        while True:
            with lock:
                i = next(counter)
            if i >= case.n:
                return
            t = time.perf_counter()
            send(client, i)
            latencies.append(time.perf_counter() - t)

    before = cpu(server.process.pid)
    start = time.perf_counter()
    if case.clients == 1:
        worker(server.clients[0])
    else:
        with ThreadPoolExecutor(case.clients) as pool:
            list(pool.map(worker, server.clients[: case.clients]))
    wall = time.perf_counter() - start
    samples.cpus.append((cpu(server.process.pid) - before) / case.n)
    samples.medians.append(statistics.median(latencies))
    samples.rates.append(case.n / wall)
    samples.latencies.extend(latencies)


def run(
    running: dict[str, Server], cases: list[Case], repetitions: int, peer: str
) -> dict[tuple[str, int, str], Samples]:
    """Every case in blocks alternating Cairn/peer; the order flips every repetition."""
    results: dict[tuple[str, int, str], Samples] = {}
    for rep in range(repetitions):
        order = ("Cairn", peer) if rep % 2 == 0 else (peer, "Cairn")
        for case in cases:
            for name in order:
                _block(
                    running[name],
                    case,
                    results.setdefault((case.name, case.clients, name), Samples()),
                )
    return results


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _tail(samples: Samples) -> str:
    p50, p99 = (_percentile(samples.latencies, q) * 1000 for q in (0.5, 0.99))
    return f"{p50:.1f} / {p99:.1f}"


def report(
    title: str,
    cases: list[Case],
    results: dict[tuple[str, int, str], Samples],
    peer: str,
    start_load: str,
    repetitions: int,
) -> str:
    """The markdown table: medians, Cairn/peer ratios (>1 = Cairn better), and the p50/p99
    of the cheap reads at 8 clients of both (the peer's says how much of a tail is the
    load generator's own, which both share)."""
    lines = [
        f"{title}: load average (1 min) {start_load} at the start, {load()} at the end; "
        f"{repetitions} interleaved repetitions (order flipped each), 3 warm-up requests "
        "per block.",
        "",
        f"| case | clients | Cairn ms | {peer} ms | time {peer}/Cairn | throughput Cairn/"
        f"{peer} | server CPU per request {peer}/Cairn | Cairn p50 / p99 ms | {peer} p50 / p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        c = results[(case.name, case.clients, "Cairn")]
        p = results[(case.name, case.clients, peer)]
        c_t, p_t = statistics.median(c.medians), statistics.median(p.medians)
        c_cpu, p_cpu = statistics.median(c.cpus), statistics.median(p.cpus)
        rate = (
            f"{statistics.median(c.rates) / statistics.median(p.rates):.2f}x"
            if case.clients > 1
            else ""
        )
        cpu_ratio = f"{p_cpu / c_cpu:.2f}x" if c_cpu else "n/a"
        tails = [_tail(s) if case.cheap and case.clients > 1 else "" for s in (c, p)]
        lines.append(
            f"| {case.name} | {case.clients} | {c_t * 1000:.1f} | {p_t * 1000:.1f} "
            f"| {p_t / c_t:.2f}x | {rate} | {cpu_ratio} | {tails[0]} | {tails[1]} |"
        )
    return "\n".join(lines)
