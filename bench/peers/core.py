"""What both peer benches share: server processes, interleaved timed blocks, the report."""

from __future__ import annotations

import json
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

from bench.peers import wrk
from bench.peers.wrk import Tail, Wire
from bench.proc import cairn_env, cpu, load, wait
from bench.stack import Stack
from cairn.cli.embedded import free_ports

CACHE = Path(os.environ.get("CAIRN_BENCH_CACHE", "~/.cache/cairn-bench-peers")).expanduser()
CLIENTS = 8
WARM_UP = 3  # requests per client before each timed block


def tail_seconds(quick: bool) -> float:
    """How long each measured wrk run lasts."""
    return 1 if quick else 5


# A request: (client, request index) -> anything; it raises if the answer is wrong.
Request = Callable[[httpx.Client, int], Any]


@dataclass
class Server:
    """A server process and its HTTP clients (one per concurrent load-generator thread)."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    headers: dict[str, str]
    health: str = "/healthz"
    clients: list[httpx.Client] = field(init=False)

    def __post_init__(self) -> None:
        self.clients = [
            httpx.Client(
                base_url=f"http://127.0.0.1:{self.port}", headers=self.headers, timeout=120
            )
            for _ in range(CLIENTS)
        ]


@dataclass
class Case:
    """One operation, sent ``n`` times by ``clients`` threads to each system; a cheap read
    at 8 clients also has the ``wire`` form of its requests for the wrk tail phase (made
    when the phase runs: some ids exist only once the systems are seeded)."""

    name: str
    clients: int
    n: int
    requests: dict[str, Request]
    wire: dict[str, Callable[[Server], list[Wire]]] | None = None


@dataclass
class Samples:
    """Per repetition: median latency, throughput, server CPU per request, wrk's tail; all
    latencies."""

    medians: list[float] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    tails: list[Tail] = field(default_factory=list)


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
        return Server("Cairn", process, port, {"authorization": f"Bearer {stack.token(org)}"})

    return start


def graphql(query: str, variables: dict[str, Any] | None = None) -> Request:
    """A Cairn/PostGraphile GraphQL request; raises on an HTTP or GraphQL error."""
    body = {"query": query, "variables": variables or {}}

    def send(client: httpx.Client, _: int) -> Any:
        return answer(client.post("/graphql", json=body))["data"]

    return send


def graphql_wire(
    headers: dict[str, str], query: str, variables: dict[str, Any] | None = None
) -> Wire:
    """``graphql(query, variables)`` as wrk sends it, with the server's ``headers``."""
    body = json.dumps({"query": query, "variables": variables or {}})
    return Wire("POST", "/graphql", body, {**headers, "content-type": "application/json"})


def answer(response: httpx.Response) -> Any:
    """The JSON of a 2xx response without GraphQL errors; AssertionError otherwise."""
    assert response.is_success, (response.status_code, response.text[:500])
    data = response.json()
    assert not (isinstance(data, dict) and data.get("errors")), data
    return data


def _drive(server: Server, case: Case, indices: range) -> list[float]:
    """Send request ``i`` for every ``i`` in ``indices`` over ``case.clients`` threads;
    the latencies."""
    send = case.requests[server.name]
    counter = iter(indices)
    lock = threading.Lock()
    latencies: list[float] = []

    def worker(client: httpx.Client) -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            t = time.perf_counter()
            send(client, i)
            latencies.append(time.perf_counter() - t)

    if case.clients == 1:
        worker(server.clients[0])
    else:
        with ThreadPoolExecutor(case.clients) as pool:
            list(pool.map(worker, server.clients[: case.clients]))
    return latencies


def _block(server: Server, case: Case, samples: Samples) -> None:
    # Warm-up over all of the case's clients at once, so every pool connection the timed
    # requests will use exists; negative indices, and the same count for creates and
    # deletes, which therefore still balance.
    _drive(server, case, range(-1, -1 - WARM_UP * case.clients, -1))
    before = cpu(server.process.pid)
    start = time.perf_counter()
    latencies = _drive(server, case, range(case.n))
    wall = time.perf_counter() - start
    samples.cpus.append((cpu(server.process.pid) - before) / case.n)
    samples.medians.append(statistics.median(latencies))
    samples.rates.append(case.n / wall)
    samples.latencies.extend(latencies)


def _tail_block(server: Server, case: Case, samples: Samples, seconds: float) -> None:
    """A discarded 1 s wrk run, then one of ``seconds``: the case's wire requests cycled
    over ``case.clients`` connections."""
    assert case.wire is not None
    wires = case.wire[server.name](server)
    wrk.run(server.port, wires, case.clients, 1)
    samples.tails.append(wrk.run(server.port, wires, case.clients, seconds))


def run(
    running: dict[str, Server],
    cases: list[Case],
    repetitions: int,
    peer: str,
    tail_seconds: float,
) -> dict[tuple[str, int, str], Samples]:
    """Every case in blocks alternating Cairn/peer, then its wrk tail phase (if it has
    one) alike; the order flipped every repetition."""
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
            if case.wire:
                for name in order:
                    samples = results[(case.name, case.clients, name)]
                    _tail_block(running[name], case, samples, tail_seconds)
    return results


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _tail(samples: Samples) -> str:
    p50, p99 = (_percentile(samples.latencies, q) * 1000 for q in (0.5, 0.99))
    return f"{p50:.1f} / {p99:.1f}"


def _wrk_tail(samples: Samples) -> tuple[str, str]:
    """The median over runs of wrk's p50 and p99 (ms), and every run's p99/p50."""
    p50 = statistics.median(t.p50 for t in samples.tails) * 1000
    p99 = statistics.median(t.p99 for t in samples.tails) * 1000
    ratios = ", ".join(f"{t.p99 / t.p50:.1f}" for t in samples.tails)
    return f"{p50:.1f} / {p99:.1f}", ratios


def report(
    title: str,
    cases: list[Case],
    results: dict[tuple[str, int, str], Samples],
    peer: str,
    start_load: str,
    repetitions: int,
) -> str:
    """The markdown tables: medians, Cairn/peer ratios (>1 = Cairn better), and the p50/p99
    of the cheap reads at 8 clients of both (the peer's says how much of a tail is the
    load generator's own, which both share); then the cheap reads' tails through wrk."""
    lines = [
        f"{title}: load average (1 min) {start_load} at the start, {load()} at the end; "
        f"{repetitions} interleaved repetitions (order flipped each), {WARM_UP} warm-up "
        "requests per client per block.",
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
        tails = [_tail(s) if case.wire else "" for s in (c, p)]
        lines.append(
            f"| {case.name} | {case.clients} | {c_t * 1000:.1f} | {p_t * 1000:.1f} "
            f"| {p_t / c_t:.2f}x | {rate} | {cpu_ratio} | {tails[0]} | {tails[1]} |"
        )
    lines += [
        "",
        f"The cheap reads again through wrk (`-t1 -c{CLIENTS}`, a discarded 1 s run, then "
        "the measured one, per block): medians over runs of p50 / p99, each run's p99/p50, "
        "and the requests served.",
        "",
        f"| case | clients | Cairn p50 / p99 ms | Cairn p99/p50 per run | {peer} p50 / p99 "
        f"ms | {peer} p99/p50 per run | throughput Cairn/{peer} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        if not case.wire:
            continue
        c = results[(case.name, case.clients, "Cairn")]
        p = results[(case.name, case.clients, peer)]
        served = sum(t.requests for t in c.tails) / sum(t.requests for t in p.tails)
        (c_tail, c_ratios), (p_tail, p_ratios) = _wrk_tail(c), _wrk_tail(p)
        lines.append(
            f"| {case.name} | {case.clients} | {c_tail} | {c_ratios} | {p_tail} "
            f"| {p_ratios} | {served:.2f}x |"
        )
    return "\n".join(lines)
