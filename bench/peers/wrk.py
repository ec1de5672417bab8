"""The tail phase's load generator: wrk (C, one thread, ``CLIENTS`` connections).

The httpx threads of the timed blocks share one GIL with each other, so their p99 holds
the load generator's own stalls as much as the server's. wrk's event loop does not; the
same requests, run through it, say what the servers' tails are.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# Lua's string literal needs escapes for quotes, backslashes and control bytes; these
# bytes are passed through as they are, every other one becomes a decimal escape.
_PLAIN = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-/:.,;")

_SCRIPT = """\
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  bad = 0
  counter = 0
  requests = {
%s
  }
end
function request()
  counter = counter + 1
  return requests[(counter %% #requests) + 1]
end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors":[', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    '{"p50_us": %%d, "p99_us": %%d, "requests": %%d, "bad": %%d, "socket_errors": %%d}\\n',
    latency:percentile(50), latency:percentile(99), summary.requests, bad_total,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class Wire:
    """One HTTP request as wrk sends it."""

    method: str
    path: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Tail:
    """What one wrk run measured."""

    p50: float  # seconds
    p99: float
    requests: int


def lua_string(value: str) -> str:
    """``value`` as a Lua string literal (bytes outside ``_PLAIN`` as ``\\ddd``)."""
    return '"' + "".join(chr(b) if b in _PLAIN else f"\\{b:03d}" for b in value.encode()) + '"'


def script(wires: list[Wire]) -> str:
    """The Lua script that cycles through ``wires`` and counts non-200 or GraphQL errors."""
    lines = []
    for wire in wires:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in wire.headers.items())
        body = lua_string(wire.body) if wire.body else "nil"
        lines.append(
            f"    wrk.format({lua_string(wire.method)}, {lua_string(wire.path)}, "
            f"{{{headers}}}, {body}),"
        )
    return _SCRIPT % "\n".join(lines)


@functools.cache
def ensure_installed() -> str:
    """The wrk executable (looked up once); installed with apt-get when missing and this
    is root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("bench.peers: wrk is missing and this is not root: apt-get install wrk")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk") or "wrk"


def run(port: int, wires: list[Wire], connections: int, seconds: float) -> Tail:
    """``wires`` for ``seconds`` over ``connections`` connections to 127.0.0.1:``port``;
    AssertionError if any answer was not a 200 without GraphQL errors."""
    with tempfile.TemporaryDirectory(prefix="cairn-bench-wrk-") as tmp:
        path = Path(tmp) / "requests.lua"
        path.write_text(script(wires))
        out = subprocess.run(
            [
                ensure_installed(),
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                str(path),
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert (result["bad"], result["socket_errors"]) == (0, 0), (result, out)
    assert result["requests"] > 0, out
    return Tail(result["p50_us"] / 1e6, result["p99_us"] / 1e6, result["requests"])
