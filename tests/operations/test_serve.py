"""``cairn serve`` as a user runs it: a subprocess with its own data dir and port.

These start real PostgreSQL and SeaweedFS servers, so they are few and each does a lot.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.support.processes import (
    Served,
    cairn_env,
    fresh_database,
    processes_mentioning,
    run_cairn,
    start_serve,
)
from tests.support.stack import JWT_SECRET, Stack, fetch

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data dir outside pytest's basetemp (see the ``stack`` fixture for why)."""
    base = Path(tempfile.mkdtemp(prefix="cairn-serve-test-"))
    yield base / "data"
    shutil.rmtree(base, ignore_errors=True)


def _children(served: Served) -> dict[str, psutil.Process]:
    """The embedded servers this ``serve`` started, found by their data dir."""
    found: dict[str, psutil.Process] = {}
    for proc in processes_mentioning(f"{served.data_dir}/"):
        name = proc.name()
        if name == "postgres" and "-D" in proc.cmdline():
            found["postgres"] = proc
        elif name == "weed":
            found["weed"] = proc
    return found


def _stop(served: Served, sig: signal.Signals) -> int:
    served.process.send_signal(sig)
    try:
        return served.process.wait(90)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"serve did not exit within 90 s:\n{served.stderr()}") from None


def _assert_gone(procs: dict[str, psutil.Process], served: Served) -> None:
    for name, proc in procs.items():
        with contextlib.suppress(psutil.TimeoutExpired):
            proc.wait(5)  # already exited: returns at once; reaped by its parent
        assert not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE, (
            f"{name} (pid {proc.pid}) still runs after serve exited"
        )
    assert processes_mentioning(f"{served.data_dir}/") == []


def _exercise(served: Served, token: str) -> str:
    """Health, readiness, a write and a read with the printed token; return a workflow id."""
    assert httpx.get(f"{served.url}/healthz", timeout=5).json() == {"status": "ok"}
    ready = httpx.get(f"{served.url}/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "storage": "ok"}
    data = served.graphql(
        'mutation { createWorkflow(input: {name: "from-serve"}) { id name } }', token
    )
    viewer = served.graphql("{ viewer { organizationId subject } }", token)["viewer"]
    assert viewer == {"organizationId": "default", "subject": "cairn-serve"}
    return str(data["createWorkflow"]["id"])


def test_serve_embedded_stops_everything_on_sigterm_and_sigint(
    tmp_path: Path, data_dir: Path
) -> None:
    served = start_serve(data_dir, tmp_path)
    try:
        served.wait_healthy()
        out = served.stdout()
        assert f"GraphiQL: http://127.0.0.1:{served.port}/graphql" in out
        assert f"embedded PostgreSQL ready ({data_dir / 'postgres'})" in out
        assert "embedded S3 (SeaweedFS) ready at http://127.0.0.1:" in out
        token = served.token()
        workflow_id = _exercise(served, token)
        children = _children(served)
        assert set(children) == {"postgres", "weed"}
        assert _stop(served, signal.SIGTERM) == 0
        _assert_gone(children, served)
        assert "stopped the embedded servers" in served.stderr()
        assert "Traceback" not in served.stderr()

        # Start again on the same data dir: the rows and the signing secret persist,
        # so the first token still works; this time stop it as Ctrl-C does.
        again = start_serve(data_dir, tmp_path)
        served = again
        again.wait_healthy()
        found = again.graphql('{ workflowByName(name: "from-serve") { id } }', token)
        assert found == {"workflowByName": {"id": workflow_id}}
        children = _children(again)
        assert set(children) == {"postgres", "weed"}
        assert _stop(again, signal.SIGINT) == 0
        _assert_gone(children, again)
        assert "Traceback" not in again.stderr()
    finally:
        served.kill_all()


def test_serve_stops_a_postgres_left_by_a_killed_serve(tmp_path: Path, data_dir: Path) -> None:
    """A serve killed with SIGKILL orphans its PostgreSQL; the next serve on that data dir
    attaches to it and, on exit, stops it (rather than leaving it running forever)."""
    first = start_serve(data_dir, tmp_path)
    second: Served | None = None
    try:
        first.wait_healthy()
        orphans = _children(first)
        first.process.kill()
        first.process.wait(10)
        orphans["weed"].kill()  # ours to end: SeaweedFS cannot share its directory
        orphans["weed"].wait(10)
        assert orphans["postgres"].is_running()

        second = start_serve(data_dir, tmp_path)
        second.wait_healthy()
        assert _children(second)["postgres"].pid == orphans["postgres"].pid
        second.graphql("{ viewer { organizationId } }")
        assert _stop(second, signal.SIGTERM) == 0
        _assert_gone(orphans, second)
    finally:
        first.kill_all()
        if second is not None:
            second.kill_all()


@pytest.mark.parametrize(
    ("moment", "delay"),
    [("postgres/postmaster.pid", 0.0), ("s3/weed.log", 0.0), ("s3/weed.log", 0.4)],
)
def test_sigterm_during_start_up_leaves_nothing_behind(
    tmp_path: Path, data_dir: Path, moment: str, delay: float
) -> None:
    """Stopped while an embedded server is still starting: it is stopped too."""
    served = start_serve(data_dir, tmp_path)
    try:
        marker = data_dir / moment
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert served.process.poll() is None, served.stderr()
            assert time.monotonic() < deadline, "the embedded server never began starting"
            time.sleep(0.005)
        time.sleep(delay)
        assert _stop(served, signal.SIGTERM) == 0, served.stderr()
        deadline = time.monotonic() + 15
        while processes_mentioning(f"{data_dir}/") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_mentioning(f"{data_dir}/") == []
        assert "Traceback" not in served.stderr()
    finally:
        served.kill_all()


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = cairn_env(CAIRN_DATA_DIR=str(tmp_path / "data"))
        result = run_cairn("serve", "--port", str(port), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"cairn: cannot listen on 127.0.0.1:{port} (Address already in use); pass another --port"
    )
    assert not (tmp_path / "data" / "postgres").exists()


def test_serve_with_external_database_and_storage(tmp_path: Path, stack: Stack) -> None:
    dsn = fresh_database(stack)
    data_dir = tmp_path / "data"
    served = start_serve(
        data_dir,
        tmp_path,
        CAIRN_DATABASE_URL=dsn,
        CAIRN_S3_ENDPOINT=stack.s3_url,
        CAIRN_S3_ACCESS_KEY=stack.s3_access_key,
        CAIRN_S3_SECRET_KEY=stack.s3_secret_key,
        CAIRN_S3_BUCKET="cairn-serve-external",
        CAIRN_JWT_SECRET=JWT_SECRET,
    )
    try:
        served.wait_healthy()
        assert "embedded" not in served.stdout()
        assert processes_mentioning(f"{data_dir}/") == []
        _exercise(served, served.token())
        names = [r["name"] for r in fetch(dsn, "SELECT name FROM cairn_migrations")]
        assert "0001_init" in names
        rows = fetch(dsn, "SELECT org_id, name FROM workflows")
        assert [(r["org_id"], r["name"]) for r in rows] == [("default", "from-serve")]
        assert _stop(served, signal.SIGTERM) == 0
        assert "Traceback" not in served.stderr()
    finally:
        served.kill_all()


def test_serve_with_two_workers_answers_and_stops(tmp_path: Path, stack: Stack) -> None:
    """``--workers 2``: two processes share one listening socket; both stop on SIGTERM.
    /metrics is one view of both: each worker writes its samples to the shared
    multiprocess directory, and any worker's /metrics adds them all up."""
    dsn = fresh_database(stack)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    served = start_serve(
        tmp_path / "data",
        tmp_path,
        "--workers",
        "2",
        CAIRN_DATABASE_URL=dsn,
        CAIRN_S3_ENDPOINT=stack.s3_url,
        CAIRN_S3_ACCESS_KEY=stack.s3_access_key,
        CAIRN_S3_SECRET_KEY=stack.s3_secret_key,
        CAIRN_S3_BUCKET="cairn-serve-workers",
        CAIRN_JWT_SECRET=JWT_SECRET,
        TMPDIR=str(scratch),
    )
    try:
        served.wait_healthy()
        _exercise(served, served.token())
        for _ in range(20):  # a new connection each: either worker may accept it
            assert httpx.get(f"{served.url}/healthz", timeout=5).status_code == 200
        (metrics_dir,) = scratch.glob("cairn-metrics-*")
        pids = {f.stem.rsplit("_", 1)[1] for f in metrics_dir.glob("*.db")}
        assert len(pids) == 2, sorted(metrics_dir.iterdir())
        text = httpx.get(f"{served.url}/metrics", timeout=5).text
        healthz = [
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("cairn_http_requests_total{") and 'path="/healthz"' in line
        ]
        assert sum(healthz) >= 21, text  # _exercise's one and these 20, whoever served them
        assert _stop(served, signal.SIGTERM) == 0
        assert not metrics_dir.exists()  # removed when serve ends
        assert "Traceback" not in served.stderr()
    finally:
        served.kill_all()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CAIRN_SIGNED_URL_TTL": "abc"}, "CAIRN_SIGNED_URL_TTL"),
        ({"CAIRN_SIGNED_URL_TTL": "0"}, "CAIRN_SIGNED_URL_TTL"),
        ({"CAIRN_JWT_ALGORITHMS": "none"}, "CAIRN_JWT_ALGORITHMS"),
        ({"CAIRN_JWT_ALGORITHMS": "HS256,RS256"}, "CAIRN_JWT_ALGORITHMS"),
        ({"CAIRN_JWT_SECRET": "short"}, "CAIRN_JWT_SECRET"),
        ({"CAIRN_S3_ENDPOINT": "http://127.0.0.1:9"}, "CAIRN_S3_ACCESS_KEY"),
        ({"CAIRN_S3_SECURE": "maybe"}, "CAIRN_S3_SECURE"),
        ({"CAIRN_DATABASE_URL": "postgresql://x@127.0.0.1:9/x"}, "CAIRN_JWT_SECRET"),
        (
            {"CAIRN_DATABASE_URL": "postgresql://x@127.0.0.1:9/x", "CAIRN_JWT_SECRET": "s" * 40},
            "CAIRN_DATABASE_URL",
        ),
    ],
)
def test_serve_refuses_a_bad_setting_in_one_line(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    data_dir = tmp_path / "data"
    env = cairn_env(CAIRN_DATA_DIR=str(data_dir), **env)
    result = run_cairn("serve", "--port", "9", env=env, cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cairn: ")
    assert named in lines[0]
    assert result.stdout == ""
    assert not (data_dir / "postgres").exists()
    assert not (data_dir / "s3").exists()


def test_serve_names_unreachable_storage(tmp_path: Path, stack: Stack) -> None:
    env = cairn_env(
        CAIRN_DATA_DIR=str(tmp_path / "data"),
        CAIRN_DATABASE_URL=fresh_database(stack),
        CAIRN_JWT_SECRET=JWT_SECRET,
        CAIRN_S3_ENDPOINT="http://127.0.0.1:9",
        CAIRN_S3_ACCESS_KEY="a",
        CAIRN_S3_SECRET_KEY="b",
    )
    result = run_cairn("serve", "--port", "9", env=env, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cairn: cannot reach object storage at CAIRN_S3_ENDPOINT")


def test_a_second_serve_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    holder = (data_dir / "serve.lock").open("a+")
    try:
        import fcntl

        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        env = cairn_env(CAIRN_DATA_DIR=str(data_dir))
        result = run_cairn("serve", "--port", "9", env=env, cwd=tmp_path)
    finally:
        holder.close()
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "CAIRN_DATA_DIR" in lines[0]
    assert "in use by another 'cairn serve'" in lines[0]
    assert not (data_dir / "postgres").exists()


FINALIZER_STOP = """
import gc, signal
from cairn.cli import main

class Leftover:  # like an event loop's transport left for the garbage collector
    def __del__(self):
        signal.raise_signal(signal.SIGTERM)
        sum(range(10))  # the handler runs here, inside __del__

with main._signals(main._raise_stop):
    leftover = Leftover()
    leftover.cycle = leftover
    del leftover
    gc.collect()
    print("start-up went on")
    try:
        main._checkpoint()
    except main._Stop:
        print("stopped at the checkpoint")
"""


def test_a_stop_signal_inside_a_finalizer_prints_nothing_and_still_stops(tmp_path: Path) -> None:
    """The cause of the start-up traceback: SIGTERM handled while the garbage collector ran
    a ``__del__``. Python cannot raise out of a finalizer and printed "Exception ignored in
    ... __del__" with a traceback; now the stop waits for the next checkpoint instead."""
    result = subprocess.run(
        [sys.executable, "-c", FINALIZER_STOP],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == ["start-up went on", "stopped at the checkpoint"]
    assert result.returncode == 0
