"""Process helpers shared by ``bench.ab`` and ``bench.peers``: a server process's CPU time,
the load average, the ``cairn serve`` environment of a stack, and waiting for a server."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx

from cairn.config import Settings


def cpu(pid: int) -> float:
    """utime + stime of ``pid`` in seconds (plus its waited-for children's)."""
    fields = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def secret(value: Any) -> str:
    """A setting's plain value, whether or not it is a pydantic secret."""
    return str(value.get_secret_value() if hasattr(value, "get_secret_value") else value)


def load() -> str:
    """The 1-minute load average."""
    return Path("/proc/loadavg").read_text().split()[0]


def cairn_env(s: Settings) -> dict[str, str]:
    """The environment of a ``cairn serve`` subprocess on the stack with settings ``s``."""
    return dict(
        os.environ,
        CAIRN_DATABASE_URL=str(s.database_url),
        CAIRN_S3_ENDPOINT=str(s.s3_endpoint),
        CAIRN_S3_ACCESS_KEY=str(s.s3_access_key),
        CAIRN_S3_SECRET_KEY=secret(s.s3_secret_key),
        CAIRN_S3_BUCKET="cairn-bench",
        CAIRN_JWT_SECRET=secret(s.jwt_secret),
        CAIRN_LOG_LEVEL="WARNING",
        CAIRN_DB_POOL_MAX="20",
        CAIRN_MAX_QUERY_COST="200000",
    )


def wait(client: httpx.Client, path: str = "/healthz", seconds: float = 60) -> None:
    """Poll ``path`` until it answers 200; RuntimeError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if client.get(path).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"a server did not answer {path} in {seconds:.0f} s")
