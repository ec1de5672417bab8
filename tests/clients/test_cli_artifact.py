"""``cairn artifact ...`` in-process (main([...]) with CAIRN_API_URL/CAIRN_API_TOKEN) and once
as the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cairn.cli.main import main
from cairn.sdk import Cairn
from tests.support.http import Client, Server
from tests.support.sdk import make_file, sdk, sha256_of

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(
    server: Server,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    """Run ``cairn <args>`` in-process as ``client``'s organization; (status, stdout, stderr)."""
    monkeypatch.setenv("CAIRN_API_URL", server.graphql_url)
    monkeypatch.setenv("CAIRN_API_TOKEN", client.token)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            status = main(list(args))
        except SystemExit as exit:  # argparse refuses bad usage this way
            status = int(exit.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def ok_json(cli: Cli, *args: str) -> Any:
    status, out, err = cli(*args, "--json")
    assert (status, err) == (0, ""), err
    return json.loads(out)


def upload(cli: Cli, path: Path, *args: str) -> dict[str, Any]:
    result: dict[str, Any] = ok_json(cli, "artifact", "upload", str(path), *args)
    return result


def test_upload_small_and_large_round_trip(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, large = tmp_path / "notes.md", tmp_path / "video.bin"
    small.write_text("# Notes\n")
    large_digest = make_file(large, 10 * 1024 * 1024)
    presigned: list[str] = []
    real = Cairn._upload_presigned

    def spy(self: Cairn, file: Path, artifact_input: dict[str, Any], *rest: Any) -> Any:
        presigned.append(file.name)
        return real(self, file, artifact_input, *rest)

    monkeypatch.setattr(Cairn, "_upload_presigned", spy)
    one = upload(cli, small, "--key", "notes", "--category", "docs", "--description", "*x*")
    assert (one["type"], one["display_name"], one["key"], one["version"]) == (
        "TEXT",
        "notes.md",
        "notes",
        1,
    )
    assert (one["category"], one["description"], one["size_bytes"]) == ("docs", "*x*", 8)
    two = upload(cli, large)
    assert (two["type"], two["size_bytes"], two["sha256"]) == (
        "BINARY",
        10 * 1024 * 1024,
        large_digest,
    )
    assert presigned == ["video.bin"]  # only the file over the 8 MiB threshold went presigned

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    status, out, err = cli("artifact", "download", two["id"], "-o", str(out_dir))
    assert (status, err) == (0, "")
    assert (
        out == f"downloaded {10 * 1024 * 1024} bytes to {out_dir / 'video.bin'} (sha256 verified)\n"
    )
    assert sha256_of(out_dir / "video.bin") == large_digest
    status, out, _ = cli("artifact", "download", one["id"], "-o", str(tmp_path / "copy.md"))
    assert status == 0
    assert (tmp_path / "copy.md").read_text() == "# Notes\n"
    monkeypatch.chdir(out_dir)
    assert cli("artifact", "download", one["id"])[0] == 0
    assert (out_dir / "notes.md").read_text() == "# Notes\n"


def test_upload_human_output_and_type_override(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<p>hi</p>")
    status, out, err = cli("artifact", "upload", str(path), "--type", "html", "--key", "page")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[1:5] == [
        "key:       page",
        "version:   1",
        "type:      HTML",
        "name:      page.txt",
    ]
    assert "size:      9 bytes (9 B)" in lines
    status, _, err = cli("artifact", "upload", str(path), "--type", "nope")
    assert status == 2
    assert "unknown artifact type 'nope'" in err


def test_ls_filters(cli: Cli, server: Server, client: Client, tmp_path: Path) -> None:
    with sdk(server, client) as cairn:
        run = cairn.create_workflow_run(cairn.create_workflow("cli-ls").id)
    paths = {}
    for name in ("a.json", "b.csv", "c.json", "d.log"):
        paths[name] = tmp_path / name
        paths[name].write_text(json.dumps(name))
    a = upload(cli, paths["a.json"], "--key", "alpha")
    b = upload(cli, paths["b.csv"], "--key", "beta", "--run", run.id)
    c = upload(cli, paths["c.json"], "--key", "alpha", "--run", run.id)
    d = upload(cli, paths["d.log"])
    ids = lambda rows: [r["id"] for r in rows]  # noqa: E731
    assert ids(ok_json(cli, "artifact", "ls")) == [d["id"], c["id"], b["id"], a["id"]]
    assert ids(ok_json(cli, "artifact", "ls", "--key", "alpha")) == [c["id"], a["id"]]
    assert ids(ok_json(cli, "artifact", "ls", "--type", "json")) == [c["id"], a["id"]]
    assert ids(ok_json(cli, "artifact", "ls", "--run", run.id)) == [c["id"], b["id"]]
    assert ids(ok_json(cli, "artifact", "ls", "--run", run.id, "--type", "CSV")) == [b["id"]]
    assert ids(ok_json(cli, "artifact", "ls", "--limit", "2")) == [d["id"], c["id"]]

    status, out, err = cli("artifact", "ls", "--key", "alpha")
    assert (status, err) == (0, "")
    header, first, second = out.splitlines()
    assert header.split() == ["ID", "KEY", "VERSION", "TYPE", "SIZE", "CREATED", "(UTC)", "NAME"]
    assert first.split()[:5] + first.split()[-1:] == [c["id"], "alpha", "2", "JSON", "8", "c.json"]
    assert second.split()[:3] == [a["id"], "alpha", "1"]
    assert cli("artifact", "ls", "--key", "nothing") == (0, "no artifacts\n", "")
    status, _, err = cli("artifact", "ls", "--limit", "0")
    assert status == 2
    assert "expected a whole number of at least 1" in err


def test_inspect_lists_versions_newest_first(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    made = []
    for n in range(3):
        path.write_text(json.dumps({"n": n}))
        made.append(upload(cli, path, "--key", "daily-report"))
    versions = ok_json(cli, "artifact", "inspect", "daily-report")
    assert [(v["version"], v["id"], v["is_latest"]) for v in versions] == [
        (3, made[2]["id"], True),
        (2, made[1]["id"], False),
        (1, made[0]["id"], False),
    ]
    status, out, err = cli("artifact", "inspect", "daily-report")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "key daily-report: 3 version(s)"
    assert [line.split()[:3] for line in lines[2:]] == [
        ["3", "yes", made[2]["id"]],
        ["2", made[1]["id"], "JSON"],
        ["1", made[0]["id"], "JSON"],
    ]
    assert made[2]["sha256"][:12] in lines[2].split()
    status, out, err = cli("artifact", "inspect", "no-such-key")
    assert (status, out) == (1, "")
    assert err == "cairn: NOT_FOUND: no artifact has key 'no-such-key'; see 'cairn artifact ls'\n"


def test_delete_by_key_and_by_id(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("x")
    gone = [upload(cli, path, "--key", "scratch") for _ in range(2)]
    one = upload(cli, path, "--key", "keep")
    two = upload(cli, path, "--key", "keep")
    status, _, err = cli("artifact", "delete", "scratch")  # stdin is not a terminal here
    assert status == 2
    assert err == (
        "cairn: refusing to delete every version of key 'scratch' without confirmation: "
        "stdin is not a terminal, so pass --yes\n"
    )
    assert len(ok_json(cli, "artifact", "ls", "--key", "scratch")) == 2  # nothing deleted
    assert cli("artifact", "delete", "scratch", "--yes") == (
        0,
        "deleted 2 artifact(s) with key scratch\n",
        "",
    )
    assert cli("artifact", "delete", "--id", one["id"]) == (
        0,
        f"deleted artifact {one['id']}\n",
        "",
    )
    remaining = ok_json(cli, "artifact", "ls")
    assert [(r["id"], r["version"], r["is_latest"]) for r in remaining] == [(two["id"], 2, True)]
    status, _, err = cli("artifact", "download", gone[0]["id"])
    assert status == 1
    assert err.startswith("cairn: NOT_FOUND: ")
    assert cli("artifact", "delete", "scratch", "-y")[0] == 1  # nothing left: NOT_FOUND
    status, _, err = cli("artifact", "delete")  # usage errors exit 2
    assert status == 2
    assert "one of the arguments KEY --id is required" in err
    status, _, err = cli("artifact", "delete", "keep", "--id", two["id"])
    assert status == 2
    assert "not allowed with argument" in err
    assert [r["id"] for r in ok_json(cli, "artifact", "ls")] == [two["id"]]


def test_download_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "data.txt"
    source.write_text("from the service")
    made = upload(cli, source)
    existing = tmp_path / "mine.txt"
    existing.write_text("precious")
    status, out, err = cli("artifact", "download", made["id"], "-o", str(existing))
    assert (status, out) == (1, "")
    assert (
        err == f"cairn: BAD_USER_INPUT: {existing} already exists; pass --force to overwrite it\n"
    )
    assert existing.read_text() == "precious"
    status, out, err = cli("artifact", "download", made["id"], "-o", str(tmp_path))  # a dir
    assert status == 1
    assert err.startswith(f"cairn: BAD_USER_INPUT: {source} already exists")
    assert source.read_text() == "from the service"
    status, out, err = cli("artifact", "download", made["id"], "-o", str(existing), "--force")
    assert (status, err) == (0, "")
    assert existing.read_text() == "from the service"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt", "mine.txt"]


def test_errors_are_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    status, out, err = cli("artifact", "download", "00000000-0000-0000-0000-000000000000")
    assert (status, out) == (1, "")
    assert (
        err == "cairn: NOT_FOUND: artifact '00000000-0000-0000-0000-000000000000' was not found\n"
    )
    status, _, err = cli("artifact", "delete", "--id", "not-an-id")
    assert status == 1
    assert err.startswith("cairn: NOT_FOUND: ")
    assert err.count("\n") == 1
    status, _, err = cli("artifact", "upload", str(tmp_path / "missing.txt"))
    assert (status, err) == (
        1,
        f"cairn: BAD_USER_INPUT: {tmp_path / 'missing.txt'} is not a readable file\n",
    )

    monkeypatch.setenv("CAIRN_API_TOKEN", "garbage")
    status, out, err = cli("artifact", "ls")
    assert (status, out) == (1, "")
    assert err.startswith("cairn: UNAUTHENTICATED: ")
    assert err.count("\n") == 1
    monkeypatch.delenv("CAIRN_API_TOKEN")
    status, _, err = cli("artifact", "ls")
    assert (status, err) == (
        1,
        "cairn: UNAUTHENTICATED: CAIRN_API_TOKEN is not set; "
        "export a token (cairn token --org ORG prints one)\n",
    )


def test_console_script(server: Server, client: Client, tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "cairn"
    path = tmp_path / "hello.txt"
    path.write_text("hello")
    env = {**os.environ, "CAIRN_API_URL": server.graphql_url, "CAIRN_API_TOKEN": client.token}
    done = subprocess.run(
        [str(script), "artifact", "upload", str(path), "--key", "hello", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    artifact = json.loads(done.stdout)
    listed = subprocess.run(
        [str(script), "artifact", "ls", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0
    assert [a["id"] for a in json.loads(listed.stdout)] == [artifact["id"]]
    env["CAIRN_API_TOKEN"] = "bad"
    refused = subprocess.run(
        [str(script), "artifact", "ls"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.startswith("cairn: UNAUTHENTICATED: ")


def test_download_a_whole_run_into_a_directory(
    cli: Cli,
    server: Server,
    client: Client,
    client_factory: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with sdk(server, client) as cairn:
        run = cairn.create_workflow_run(cairn.create_workflow("cli-run-download").id)
        other = cairn.create_workflow_run(cairn.create_workflow("cli-run-other").id)
        report = cairn.publish_markdown("# Report\n", workflow_run_id=run.id)
        first = cairn.publish_bytes(b"one", display_name="out.txt", workflow_run_id=run.id)
        second = cairn.publish_bytes(b"two", display_name="out.txt", workflow_run_id=run.id)
        cairn.publish_bytes(b"elsewhere", display_name="x.bin", workflow_run_id=other.id)
    minted: list[str] = []
    real = Cairn.get_artifact

    def spy(self: Cairn, artifact_id: str, *, signed_url: bool = False) -> Any:
        if signed_url:
            minted.append(artifact_id)
        return real(self, artifact_id, signed_url=signed_url)

    monkeypatch.setattr(Cairn, "get_artifact", spy)
    target = tmp_path / "run"
    status, out, err = cli("artifact", "download", "--run", run.id, "-o", str(target))
    assert (status, err) == (0, "")
    assert sorted(p.name for p in target.iterdir()) == sorted(
        ["report.md", "out.txt", f"out-{second.id[:8]}.txt"]
    )
    assert (target / "report.md").read_text() == "# Report\n"
    assert (target / "out.txt").read_bytes() == b"one"
    assert (target / f"out-{second.id[:8]}.txt").read_bytes() == b"two"
    assert (
        out.splitlines()[-1] == f"downloaded 3 artifact(s) of run {run.id}, 15 bytes, to {target}"
    )
    assert minted == [report.id, first.id, second.id]  # a URL minted for each, oldest first

    # Again: the files are there, so nothing is replaced without --force.
    (target / "out.txt").write_bytes(b"mine")
    status, _, err = cli("artifact", "download", "--run", run.id, "-o", str(target))
    assert status == 1
    assert "already exists; pass --force" in err
    assert (target / "out.txt").read_bytes() == b"mine"
    assert cli("artifact", "download", "--run", run.id, "-o", str(target), "--force")[0] == 0
    assert (target / "out.txt").read_bytes() == b"one"

    # Another organization's run downloads nothing; usage errors exit 2.
    stranger = client_factory()
    monkeypatch.setenv("CAIRN_API_TOKEN", stranger.token)
    empty = tmp_path / "stranger"
    status, out, err = cli("artifact", "download", "--run", run.id, "-o", str(empty))
    assert (status, out) == (0, "")
    assert err == f"run {run.id} has no AVAILABLE artifacts: nothing downloaded\n"
    assert not empty.exists()
    status, _, err = cli("artifact", "download")
    assert status == 2
    assert "one of the arguments ID --run is required" in err
    status, _, err = cli("artifact", "download", first.id, "--run", run.id)
    assert status == 2
    assert "argument --run: not allowed with argument ID" in err
    (tmp_path / "a-file").write_text("x")
    status, _, err = cli("artifact", "download", "--run", run.id, "-o", str(tmp_path / "a-file"))
    assert status == 2
    assert "is a file" in err
