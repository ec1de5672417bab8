"""Tool caches for tests/clients/test_typed_clients.py: npm's node_modules and ariadne-codegen's venv,
installed on first use (and again when their lock file changes), plus a mypy runner."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CLIENTS = Path(__file__).resolve().parents[1] / "clients"
TS_DIR = CLIENTS / "ts"
PY_CONFIG = CLIENTS / "python" / "ariadne-codegen.toml"
PY_REQUIREMENTS = CLIENTS / "python" / "requirements.txt"
PY_USAGE = CLIENTS / "python" / "usage.py"
CODEGEN_VENV = CLIENTS / ".venv-codegen"
PACKAGE = "cairn_client"  # target_package_name in ariadne-codegen.toml


@contextmanager
def install_lock(name: str) -> Iterator[None]:
    """Serialise installs into a shared cache dir (two test runs at once must not race)."""
    with (CLIENTS / f".{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_tool(
    cmd: list[str], cwd: Path, *, timeout: float, env: dict[str, str] | None = None
) -> str:
    """Run a tool; fail the test with its output (not skip) if it fails."""
    try:
        done = subprocess.run(
            cmd,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{' '.join(cmd)} timed out after {timeout}s:\n{exc.stdout}\n{exc.stderr}")
    if done.returncode != 0:
        pytest.fail(
            f"{' '.join(cmd)} (in {cwd}) exited {done.returncode}:\n"
            f"{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
        )
    return done.stdout


def fingerprint(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def ensure_node_modules(npm: str, node: str) -> None:
    """`npm ci` unless node_modules already holds exactly package-lock.json's tree."""
    version = run_tool([node, "--version"], TS_DIR, timeout=30).strip().encode()
    want = fingerprint((TS_DIR / "package-lock.json").read_bytes(), version)
    stamp = TS_DIR / "node_modules" / ".cairn-installed"
    with install_lock("npm"):
        if stamp.exists() and stamp.read_text() == want:
            return
        run_tool([npm, "ci", "--no-audit", "--no-fund"], TS_DIR, timeout=600)
        stamp.write_text(want)


def ensure_codegen_venv() -> Path:
    """The generator's own venv with requirements.txt's exact pins; returns its ariadne-codegen."""
    python = CODEGEN_VENV / "bin" / "python"
    want = fingerprint(PY_REQUIREMENTS.read_bytes(), sys.version.encode())
    stamp = CODEGEN_VENV / ".cairn-installed"
    with install_lock("venv"):
        if not (stamp.exists() and stamp.read_text() == want and python.exists()):
            run_tool(
                [sys.executable, "-m", "venv", "--clear", str(CODEGEN_VENV)], CLIENTS, timeout=120
            )
            pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
            run_tool([*pip, "install", "-r", str(PY_REQUIREMENTS)], CLIENTS, timeout=600)
            run_tool([*pip, "check"], CLIENTS, timeout=60)
            stamp.write_text(want)
    return CODEGEN_VENV / "bin" / "ariadne-codegen"


def mypy_usage(generated_dir: Path, usage: str) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` (the project's pinned mypy) over usage code and the generated package."""
    (generated_dir / "usage.py").write_text(usage)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(PY_USAGE.parent / "mypy.ini"),
            "--cache-dir",
            str(generated_dir / ".mypy_cache"),
            "usage.py",
            PACKAGE,
        ],
        cwd=generated_dir,
        env={**os.environ, "MYPYPATH": str(generated_dir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
