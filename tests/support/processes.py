"""Shared helpers for the foundation tests: the ``cairn`` CLI as a subprocess, processes
found by command line, and fresh databases on the session's PostgreSQL."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psutil

from cairn.cli.embedded import free_ports
from tests.support.stack import Stack, fetch

REPO = Path(__file__).resolve().parents[2]


def cairn_env(**values: str) -> dict[str, str]:
    """The current environment without any CAIRN_* variable, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    env.update(values)
    return env


def run_cairn(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cairn.cli.main", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def fresh_database(stack: Stack) -> str:
    """Create an empty database on the session's server; return its owner DSN."""
    name = "cairn_fresh_" + secrets.token_hex(4)
    fetch(stack.owner_dsn, f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(stack.owner_dsn)._replace(path=f"/{name}"))


def processes_mentioning(text: str) -> list[psutil.Process]:
    """Live processes whose command line mentions ``text`` (e.g. one data dir)."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or ())
            if text in cmdline and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


@dataclass
class Served:
    """A ``cairn serve`` subprocess and what it printed."""

    process: subprocess.Popen[str]
    port: int
    data_dir: Path
    stdout_path: Path
    stderr_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stdout(self) -> str:
        return self.stdout_path.read_text()

    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def token(self) -> str:
        match = re.search(r"Token for organization 'default'.*\n(\S+)\n", self.stdout())
        assert match, self.stdout()
        return match.group(1)

    def graphql(self, query: str, token: str | None = None) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {token or self.token()}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return dict(body["data"])

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"cairn serve exited with {self.process.returncode}:\n{self.stderr()}"
                )
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"cairn serve did not become healthy:\n{self.stderr()}")

    def kill_all(self) -> None:
        """Last resort for a failed test: end the serve process and what it started."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        for proc in processes_mentioning(str(self.data_dir)):
            proc.kill()


def start_serve(data_dir: Path, cwd: Path, *args: str, **env: str) -> Served:
    port = free_ports(1)[0]
    stdout_path = cwd / f"serve-{port}.out"
    stderr_path = cwd / f"serve-{port}.err"
    with stdout_path.open("w") as out, stderr_path.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "cairn.cli.main", "serve", "--port", str(port), *args],
            env=cairn_env(CAIRN_DATA_DIR=str(data_dir), **env),
            cwd=cwd,
            stdout=out,
            stderr=err,
            text=True,
        )
    return Served(process, port, data_dir, stdout_path, stderr_path)
