"""``cairn artifact`` as a terminal user and a shell pipeline meet it: the real command in a
subprocess, with its stderr (and stdin, for prompts) on a pseudo-terminal, or on pipes."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.artifacts import bulk_insert
from tests.support.http import Client, Server
from tests.support.processes import cairn_env
from tests.support.sdk import make_file, sdk, sha256_of
from tests.support.stack import Stack

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COMMAND = [sys.executable, "-m", "cairn.cli.main"]


@dataclass
class Done:
    status: int
    tty: str  # what reached the terminal: stderr, prompts, and the echo of what was typed
    stdout: str


def env_for(server: Server, client: Client) -> dict[str, str]:
    env = cairn_env(CAIRN_API_URL=server.graphql_url, CAIRN_API_TOKEN=client.token)
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        env.pop(name, None)
    env["TERM"] = "xterm-256color"
    return env


def on_terminal(
    args: list[str],
    env: dict[str, str],
    cwd: Path,
    *,
    stdin_on_tty: bool = False,
    answer: tuple[str, str] | None = None,
) -> Done:
    """Run ``cairn ARGS`` with stderr (and stdin if asked) on a fresh pseudo-terminal and
    stdout in a file; type ``answer[1]`` once ``answer[0]`` shows on the terminal."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    out_path = cwd / f"stdout-{os.getpid()}-{time.monotonic_ns()}"
    with out_path.open("wb") as out:
        process = subprocess.Popen(
            [*COMMAND, *args],
            stdin=slave if stdin_on_tty else subprocess.DEVNULL,
            stdout=out,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
    os.close(slave)
    seen, typed = b"", False
    deadline = time.monotonic() + 120  # a hang guard only; nothing here is timed
    try:
        while True:
            if time.monotonic() > deadline:
                raise AssertionError(f"cairn {args} did not finish; terminal so far: {seen!r}")
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last holder of the terminal has gone
                chunk = b""
            if not chunk:
                break
            seen += chunk
            if answer is not None and not typed and answer[0].encode() in seen:
                os.write(master, answer[1].encode())
                typed = True
        status = process.wait(60)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait(10)
    stdout = out_path.read_text()
    out_path.unlink()
    return Done(status, ANSI.sub("", seen.decode(errors="replace")), stdout)


def piped(
    args: list[str], env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args],
        input=stdin,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_progress_bars_on_a_terminal_and_silence_on_a_pipe(
    server: Server, client: Client, tmp_path: Path
) -> None:
    env = env_for(server, client)
    source = tmp_path / "big.bin"
    size = 12 * 1024 * 1024  # over the 8 MiB threshold: the presigned path
    digest = make_file(source, size)
    up = on_terminal(["artifact", "upload", str(source), "--key", "big"], env, tmp_path)
    assert up.status == 0, up.tty
    assert "upload big.bin" in up.tty
    assert "100%" in up.tty
    assert "━" in up.tty  # the bar itself
    assert "key:       big" in up.stdout  # the result still goes to stdout, unmixed
    assert "100%" not in up.stdout
    artifact_id = up.stdout.split()[1]

    target = tmp_path / "copy.bin"
    down = on_terminal(["artifact", "download", artifact_id, "-o", str(target)], env, tmp_path)
    assert down.status == 0, down.tty
    assert f"download {artifact_id}" in down.tty
    assert "100%" in down.tty
    assert down.stdout == f"downloaded {size} bytes to {target} (sha256 verified)\n"
    assert sha256_of(target) == digest

    quiet_up = piped(["artifact", "upload", str(source), "--key", "big"], env, tmp_path)
    assert (quiet_up.returncode, quiet_up.stderr) == (0, "")
    quiet_down = piped(
        ["artifact", "download", artifact_id, "-o", str(target), "--force"], env, tmp_path
    )
    assert (quiet_down.returncode, quiet_down.stderr) == (0, "")


def test_delete_key_asks_on_a_terminal(server: Server, client: Client, tmp_path: Path) -> None:
    env = env_for(server, client)
    with sdk(server, client) as cairn:
        for n in range(2):
            cairn.publish_text(str(n), key="doomed")

        def remaining() -> int:
            return len(cairn.list_artifacts(key="doomed"))

        args = ["artifact", "delete", "doomed"]
        declined = on_terminal(args, env, tmp_path, stdin_on_tty=True, answer=("[y/N]", "n\n"))
        assert declined.status == 1
        assert "Delete all 2 version(s) of key 'doomed'? This cannot be undone. [y/N]" in (
            declined.tty
        )
        assert "cairn: nothing was deleted" in declined.tty
        assert declined.stdout == ""
        assert remaining() == 2

        accepted = on_terminal(args, env, tmp_path, stdin_on_tty=True, answer=("[y/N]", "y\n"))
        assert accepted.status == 0, accepted.tty
        assert accepted.stdout == "deleted 2 artifact(s) with key doomed\n"
        assert remaining() == 0


def test_delete_key_off_a_terminal_needs_yes(
    server: Server, client: Client, tmp_path: Path
) -> None:
    env = env_for(server, client)
    with sdk(server, client) as cairn:
        cairn.publish_text("1", key="scripted")
        cairn.publish_text("2", key="scripted")
        refused = piped(["artifact", "delete", "scripted"], env, tmp_path, stdin="y\n")
        assert refused.returncode == 2  # a piped "y" is not a confirmation
        assert "pass --yes" in refused.stderr
        assert refused.stdout == ""
        assert len(cairn.list_artifacts(key="scripted")) == 2
        done = piped(["artifact", "delete", "scripted", "--yes"], env, tmp_path)
        assert (done.returncode, done.stderr) == (0, "")
        assert cairn.list_artifacts(key="scripted") == []


def test_a_closed_pipe_ends_quietly(
    server: Server, client: Client, stack: Stack, tmp_path: Path
) -> None:
    """``cairn artifact ls --json | head -c 10``: far more than a pipe buffer (64 KiB) of
    JSON, so cairn is still writing when head exits."""
    bulk_insert(stack, client.org_id, 300)
    env = env_for(server, client)
    cairn = subprocess.Popen(
        [*COMMAND, "artifact", "ls", "--json", "--limit", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert cairn.stdout is not None
    head = subprocess.run(
        ["head", "-c", "10"], stdin=cairn.stdout, capture_output=True, timeout=120, check=True
    )
    cairn.stdout.close()
    _, err = cairn.communicate(timeout=120)
    assert head.stdout == b"[\n  {\n    "
    assert err == b""  # no traceback, no "Broken pipe"
    assert cairn.returncode == 141  # as a process killed by SIGPIPE (128 + 13)

    full = piped(["artifact", "ls", "--json", "--limit", "300"], env, tmp_path)
    assert len(full.stdout) > 2 * 65536  # the premise: cairn had more to write


@pytest.mark.parametrize(
    "args",
    [
        ["artifact", "ls", "--bogus"],
        ["artifact", "delete"],
        ["artifact", "download"],
        ["artifact", "ls", "--limit", "0"],
        ["artifact", "nope"],
    ],
)
def test_usage_errors_exit_2(
    server: Server, client: Client, tmp_path: Path, args: list[str]
) -> None:
    done = piped(args, env_for(server, client), tmp_path)
    assert done.returncode == 2
    assert "usage: cairn" in done.stderr
    assert "Traceback" not in done.stderr
