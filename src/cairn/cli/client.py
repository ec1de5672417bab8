"""``cairn artifact ...``: the SDK behind a command line, over CAIRN_API_URL with CAIRN_API_TOKEN.

Human-readable tables by default, ``--json`` for machines. Every failure is one line on
stderr, ``cairn: <CODE>: <message>``, and exit status 1; usage errors exit 2. Uploads and
downloads draw a progress bar on stderr when it is a terminal (nothing otherwise);
deleting every version of a key asks first on a terminal and needs ``--yes`` elsewhere; a
download never overwrites a file without ``--force``; a closed stdout pipe (``| head``)
ends the command quietly.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from cairn.cli.arguments import positive_int
from cairn.sdk import Artifact, AuditEvent, Cairn, CairnApiError, Progress, ops

ARTIFACT_TYPES: tuple[str, ...] = ("MARKDOWN", "TABLE", "LINK", "JSON", "TEXT", "PNG", "JPEG")
ARTIFACT_TYPES += ("WEBP", "GIF", "SVG", "PDF", "CSV", "XML", "HTML", "BINARY")
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a process killed by the closed pipe returns
ALL_STATUSES = ["PENDING", "AVAILABLE", "FAILED"]


class UsageError(Exception):
    """The command line cannot be carried out as given (exit status 2)."""


T = TypeVar("T")


def silence_stdout() -> None:
    """After EPIPE on stdout: point it at /dev/null so the interpreter's final flush of
    whatever is still buffered does not print 'Exception ignored ... BrokenPipeError'."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (captured in tests)
        pass


Command = Callable[[argparse.Namespace], int]


def _artifact_type(value: str) -> str:
    upper = value.upper()
    if upper not in ARTIFACT_TYPES:
        raise argparse.ArgumentTypeError(
            f"unknown artifact type {value!r} (choose from {', '.join(ARTIFACT_TYPES)})"
        )
    return upper


def _connect() -> Cairn:
    if not os.environ.get("CAIRN_API_TOKEN"):
        raise CairnApiError(
            "UNAUTHENTICATED",
            "CAIRN_API_TOKEN is not set; export a token (cairn token --org ORG prints one)",
        )
    return Cairn()


def _command(func: Callable[[Cairn, argparse.Namespace], int]) -> Command:
    """Give ``func`` a connected client and turn failures into one line and exit status 1."""

    @wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            with _connect() as cairn:
                status = func(cairn, args)
            sys.stdout.flush()  # an EPIPE shows here, not at exit
            return status
        except BrokenPipeError:  # the reader went away (| head): nothing more to say
            silence_stdout()
            return EXIT_BROKEN_PIPE
        except UsageError as exc:
            print(f"cairn: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except CairnApiError as exc:
            message = exc.message.replace("\n", " ")
            print(f"cairn: {exc.code}: {message}", file=sys.stderr)
            return EXIT_ERROR
        except FileExistsError as exc:
            print(
                f"cairn: BAD_USER_INPUT: {exc.filename} already exists; "
                "pass --force to overwrite it",
                file=sys.stderr,
            )
            return EXIT_ERROR
        except OSError as exc:
            print(f"cairn: BAD_USER_INPUT: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
            return EXIT_ERROR

    return run


@contextmanager
def _progress(description: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when stderr is a terminal; no callback otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )
    from rich.progress import Progress as Bar

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Bar(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _confirm(question: str) -> bool:
    """Ask on the terminal (the question on stderr, so stdout stays clean)."""
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        sys.stderr.write("\n")  # end of input: leave the prompt line finished
    return answer.strip().lower() in {"y", "yes"}


# -- output ----------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def _print_json(value: Any) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    elif isinstance(value, list):
        value = [dataclasses.asdict(v) for v in value]
    print(json.dumps(value, indent=2, default=_jsonable))


def _print_list(items: list[T], as_json: bool, table: Callable[[list[T]], str], empty: str) -> None:
    """``items`` as JSON, as a table, or the line saying there are none."""
    if as_json:
        _print_json(items)
    else:
        print(table(items) if items else empty)


def human_size(size: int) -> str:
    amount = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if amount < 1024 or unit == "TiB":
            return f"{size} B" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _listing(artifacts: list[Artifact]) -> str:
    rows = [
        [
            a.id,
            a.key or "-",
            "-" if a.version is None else str(a.version),
            a.type,
            human_size(a.size_bytes),
            _when(a.created_at),
            a.display_name,
        ]
        for a in artifacts
    ]
    return _table(["ID", "KEY", "VERSION", "TYPE", "SIZE", "CREATED (UTC)", "NAME"], rows)


def _versions(artifacts: list[Artifact]) -> str:
    rows = [
        [
            "-" if a.version is None else str(a.version),
            "yes" if a.is_latest else "",
            a.id,
            a.type,
            human_size(a.size_bytes),
            a.sha256[:12],
            _when(a.created_at),
            a.display_name,
        ]
        for a in artifacts
    ]
    headers = ["VERSION", "LATEST", "ID", "TYPE", "SIZE", "SHA256", "CREATED (UTC)", "NAME"]
    return _table(headers, rows)


def _details(artifact: Artifact) -> str:
    fields = [
        ("id", artifact.id),
        ("key", artifact.key or "-"),
        ("version", "-" if artifact.version is None else str(artifact.version)),
        ("type", artifact.type),
        ("name", artifact.display_name),
        ("mime type", artifact.mime_type),
        ("size", f"{artifact.size_bytes} bytes ({human_size(artifact.size_bytes)})"),
        ("sha256", artifact.sha256),
        ("status", artifact.status),
        ("run", artifact.workflow_run_id or "-"),
    ]
    return "\n".join(f"{name + ':':<11}{value}" for name, value in fields)


# -- commands --------------------------------------------------------------------------------


@_command
def cmd_ls(cairn: Cairn, args: argparse.Namespace) -> int:
    artifacts = cairn.list_artifacts(
        key=args.key, type=args.type, workflow_run_id=args.run, limit=args.limit
    )
    _print_list(artifacts, args.json, _listing, "no artifacts")
    return 0


@_command
def cmd_inspect(cairn: Cairn, args: argparse.Namespace) -> int:
    versions = cairn.list_artifacts(key=args.key, sort="VERSION_DESC", limit=None)
    if not versions:
        raise CairnApiError(
            "NOT_FOUND", f"no artifact has key {args.key!r}; see 'cairn artifact ls'"
        )
    if args.json:
        _print_json(versions)
    else:
        print(f"key {args.key}: {len(versions)} version(s)")
        print(_versions(versions))
    return 0


@_command
def cmd_delete(cairn: Cairn, args: argparse.Namespace) -> int:
    if args.id is not None:
        cairn.delete_artifact(args.id)
        print(f"deleted artifact {args.id}")
        return 0
    if not args.yes and not sys.stdin.isatty():
        raise UsageError(
            f"refusing to delete every version of key {args.key!r} without confirmation: "
            "stdin is not a terminal, so pass --yes"
        )
    if not args.yes:
        listed = cairn.count_artifacts(key=args.key, status=ALL_STATUSES)
        if listed == 0:
            raise CairnApiError(
                "NOT_FOUND", f"no artifact has key {args.key!r}; nothing was deleted"
            )
        question = f"Delete all {listed} version(s) of key {args.key!r}? This cannot be undone."
        if not _confirm(question):
            print("cairn: nothing was deleted", file=sys.stderr)
            return EXIT_ERROR
    count = cairn.delete_key(args.key)
    if count == 0:
        raise CairnApiError("NOT_FOUND", f"no artifact has key {args.key!r}; nothing was deleted")
    print(f"deleted {count} artifact(s) with key {args.key}")
    return 0


@_command
def cmd_upload(cairn: Cairn, args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.is_file():
        raise CairnApiError("BAD_USER_INPUT", f"{args.path} is not a readable file")
    with _progress(f"upload {path.name}") as progress:
        artifact = cairn.publish_file(
            path,
            type=args.type,
            workflow_run_id=args.run,
            key=args.key,
            category=args.category,
            description=args.description,
            progress=progress,
        )
    if args.json:
        _print_json(artifact)
    else:
        print(_details(artifact))
    return 0


@_command
def cmd_download(cairn: Cairn, args: argparse.Namespace) -> int:
    if args.run is not None:
        return _download_run(cairn, args.run, Path(args.output or "."), args.force)
    with _progress(f"download {args.id}") as progress:
        target = cairn.download(args.id, args.output, progress=progress, overwrite=args.force)
    print(f"downloaded {target.stat().st_size} bytes to {target} (sha256 verified)")
    return 0


def _download_run(cairn: Cairn, run_id: str, directory: Path, force: bool) -> int:
    """Every AVAILABLE artifact of a run into ``directory``, each through a URL minted just
    before its download; two artifacts with one display name get distinct files (the later
    ones named ``<stem>-<first 8 of id><suffix>``)."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--run downloads into a directory, and {directory} is a file")
    artifacts = cairn.list_artifacts(workflow_run_id=run_id, sort="CREATED_ASC", limit=None)
    if not artifacts:
        print(f"run {run_id} has no AVAILABLE artifacts: nothing downloaded", file=sys.stderr)
        return 0
    directory.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    total = 0
    for artifact in artifacts:
        name = ops.download_target(artifact.display_name, artifact.id, directory).name
        if name in taken:
            stem, suffix = Path(name).stem, Path(name).suffix
            name = f"{stem}-{artifact.id[:8]}{suffix}"
        taken.add(name)
        with _progress(f"download {name}") as progress:
            target = cairn.download(
                artifact.id, directory / name, progress=progress, overwrite=force
            )
        size = target.stat().st_size
        total += size
        print(f"downloaded {size} bytes to {target} (sha256 verified)")
    print(f"downloaded {len(artifacts)} artifact(s) of run {run_id}, {total} bytes, to {directory}")
    return 0


@_command
def cmd_revoke(cairn: Cairn, args: argparse.Namespace) -> int:
    artifact = cairn.revoke_signed_urls(args.id)
    if artifact.status == "FAILED":
        print(f"revoked: artifact {args.id} is FAILED (its upload can no longer complete)")
    else:
        print(f"revoked every signed URL of artifact {args.id}; new reads mint working ones")
    return 0


def _since(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 time such as 2026-12-01T09:00:00Z, got {value!r}"
        ) from None
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _audit_table(found: list[AuditEvent]) -> str:
    rows = [
        [
            _when(e.created_at),
            e.action,
            e.subject,
            e.artifact_id or "-",
            e.request_id,
            " ".join(f"{k}={v}" for k, v in sorted(e.details.items())) or "-",
        ]
        for e in found
    ]
    headers = ["TIME (UTC)", "ACTION", "SUBJECT", "ARTIFACT", "REQUEST", "DETAILS"]
    return _table(headers, rows)


@_command
def cmd_audit_ls(cairn: Cairn, args: argparse.Namespace) -> int:
    found = cairn.audit_events(
        artifact_id=args.artifact, subject=args.subject, since=args.since, limit=args.limit
    )
    _print_list(found, args.json, _audit_table, "no audit events")
    return 0


def add_audit_commands(sub: Any) -> None:
    """Add the ``audit`` command group (needs a token with audit:read)."""
    group = sub.add_parser(
        "audit", help="read the audit trail (CAIRN_API_URL, a CAIRN_API_TOKEN with audit:read)"
    )
    commands = group.add_subparsers(dest="audit_command", required=True)
    ls = commands.add_parser("ls", help="audit events, newest first")
    ls.add_argument("--artifact", metavar="ID", help="only events of this artifact")
    ls.add_argument("--subject", metavar="S", help="only events of this token subject")
    ls.add_argument(
        "--since", metavar="T", type=_since, help="only events at or after this ISO 8601 time"
    )
    ls.add_argument("--limit", type=positive_int, default=50, help="at most N (default 50)")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=cmd_audit_ls)


def add_commands(sub: Any) -> None:
    """Add the ``artifact`` command group to the top-level parser's subparsers."""
    group = sub.add_parser(
        "artifact",
        help="list, inspect, upload, download and delete artifacts (CAIRN_API_URL, CAIRN_API_TOKEN)",
    )
    commands = group.add_subparsers(dest="artifact_command", required=True)

    ls = commands.add_parser("ls", help="list artifacts, newest first")
    ls.add_argument("--key", help="only this key (all its versions)")
    ls.add_argument("--type", type=_artifact_type, help="only this artifact type")
    ls.add_argument("--run", metavar="ID", help="only artifacts of this workflow run")
    ls.add_argument("--limit", type=positive_int, default=50, help="at most N (default 50)")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=cmd_ls)

    inspect = commands.add_parser("inspect", help="every version of KEY, newest first")
    inspect.add_argument("key", metavar="KEY")
    inspect.add_argument("--json", action="store_true", help="print JSON")
    inspect.set_defaults(func=cmd_inspect)

    delete = commands.add_parser("delete", help="delete all versions of KEY, or one artifact")
    which = delete.add_mutually_exclusive_group(required=True)
    which.add_argument("key", metavar="KEY", nargs="?", help="delete every version of this key")
    which.add_argument("--id", metavar="ID", help="delete only this artifact")
    delete.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help="do not ask before deleting every version of KEY (required off a terminal)",
    )
    delete.set_defaults(func=cmd_delete)

    upload = commands.add_parser("upload", help="publish a file (large ones go straight to S3)")
    upload.add_argument("path", metavar="PATH")
    upload.add_argument("--run", metavar="ID", help="attach to this workflow run")
    upload.add_argument("--key", help="lineage key: lowercase letters, digits and dashes")
    upload.add_argument(
        "--type", type=_artifact_type, help="artifact type (default: from the extension)"
    )
    upload.add_argument("--category", help="free-form, e.g. extracted_data, log_file")
    upload.add_argument("--description", help="markdown")
    upload.add_argument("--json", action="store_true", help="print JSON")
    upload.set_defaults(func=cmd_upload)

    download = commands.add_parser(
        "download", help="download bytes, checking sha256 (one artifact, or all of a run)"
    )
    which = download.add_mutually_exclusive_group(required=True)
    which.add_argument("id", metavar="ID", nargs="?", help="the artifact")
    which.add_argument(
        "--run", metavar="RUN_ID", help="every AVAILABLE artifact of this workflow run"
    )
    download.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file or directory (default: its name, here); with --run, a directory",
    )
    download.add_argument(
        "-f", "--force", action="store_true", help="overwrite the file if it exists"
    )
    download.set_defaults(func=cmd_download)

    revoke = commands.add_parser(
        "revoke", help="make every signed URL of an artifact minted so far stop working"
    )
    revoke.add_argument("id", metavar="ID")
    revoke.set_defaults(func=cmd_revoke)
