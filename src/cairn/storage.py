"""Object storage behind one small interface, implemented with the MinIO client.

The minio client is synchronous: every call runs in a bounded thread pool of the store's
own (never asyncio's default executor, which DNS look-ups for the database share), and
every call has a deadline, ``CAIRN_S3_TIMEOUT_SECONDS`` (``timeout``):

* urllib3 connects and waits for each read at most ``timeout`` seconds, so a thread
  stuck on a hung store ends by itself;
* a call that moves a bounded, small amount of data (stat, list a page, ping, start-up
  check, a small PUT) must finish, retries included, within ``timeout``;
* a call that moves an object's bytes (streamed upload, hashing, server-side copy,
  reading, deleting in batches) fails once it has made no progress for ``timeout``
  seconds (a server-side copy is allowed ``size / COPY_RATE`` more, since S3 reports no
  progress while copying); a slow *client* of an upload does not count against storage.

A call past its deadline raises :class:`StorageTimeout`; the thread may linger until
urllib3's own timeouts end it, which is why the pool is bounded (calls queued behind a
full pool time out too, and are cancelled before they start). Only idempotent requests
are retried by urllib3 (GET, HEAD, DELETE: the same request twice has the effect of
one); a PUT or POST is sent once, since a copy retried after its source changed, or a
multipart step repeated, would not be the same request. A connection that could not be
made is retried for any method (nothing was sent).

Presigning is local and makes no network call: :mod:`cairn.sigv4` signs (~3x cheaper
than minio-py, the same URLs), minio-py where it does not apply, with the region
configured so that it never asks the server. Every failure to reach storage surfaces as
:class:`~cairn.errors.StorageUnavailable`; its message names neither the endpoint nor
the driver, and neither do the log lines (which never carry a URL).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import io
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar
from urllib.parse import quote, urlsplit

import urllib3
from minio import Minio
from minio.commonconfig import REPLACE, CopySource
from minio.deleteobjects import DeleteObject
from minio.error import MinioException, S3Error

from cairn import metrics
from cairn.errors import StorageUnavailable
from cairn.sigv4 import Presigner
from cairn.tracing import Tracing

log = logging.getLogger("cairn.storage")
# urllib3 logs each request's URL at DEBUG (a presigned one's signature with it) and the
# endpoint and object key of every retry at WARNING: none of that may reach the logs
# (this module logs storage failures itself, without URLs). Unless configured otherwise.
if logging.getLogger("urllib3").level == logging.NOTSET:
    logging.getLogger("urllib3").setLevel(logging.ERROR)

# Parts of a streamed upload. minio holds about three copies of one part in memory while
# sending it, so this bounds the memory of an upload of any size (10,000 parts: 80 GiB).
PART_SIZE = 8 * 1024 * 1024
MAX_SINGLE_PUT = 5 * 1024**3  # S3's limit for one PUT
READ_CHUNK = 1024 * 1024
DELETE_BATCH = 1000
LIST_PAGE = 1000  # S3's largest page
DEFAULT_TIMEOUT_SECONDS = 10.0
# Threads for storage calls (and urllib3 connections to keep). A hung store can hold
# at most this many threads; calls beyond it wait in the pool's queue, within their
# deadline.
STORAGE_THREADS = 32
# The least throughput a server-side copy or a PUT from memory is allowed (bytes/s).
COPY_RATE = 16 * 1024 * 1024
# /readyz: one probe in flight at a time, each answering within this (and its own
# connect/read timeouts at most this, never retried), so probes never pile up threads.
PROBE_TIMEOUT_SECONDS = 2.0
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "DELETE"})
# Calls whose failure their caller reports in its own words (start-up stops with one line).
_REPORTED_BY_CALLER = frozenset({"start-up check"})
_MISSING = ("NoSuchKey", "NoSuchObject")

T = TypeVar("T")
ChunkObserver = Callable[[bytes], None]


class StorageTimeout(StorageUnavailable):
    """Storage did not answer (or made no progress) within the deadline: it may be hung,
    so callers should not wait on it again right away (e.g. to clean up)."""


@dataclass(frozen=True, slots=True)
class SignedUrl:
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class StoredObject:
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """One listed object: its key, size and when it was last written (storage's clock)."""

    key: str
    size: int
    modified: datetime


class BlobStore(Protocol):
    """Keys are object keys inside ``bucket`` (never user text)."""

    bucket: str

    async def ensure_bucket(self) -> None: ...
    async def ping(self) -> bool: ...
    async def close(self) -> None: ...
    def presign_get(
        self,
        key: str,
        *,
        filename: str,
        content_type: str | None,
        ttl: int,
        disposition: str = "attachment",
    ) -> SignedUrl: ...
    def presign_put(self, key: str, *, ttl: int) -> SignedUrl: ...
    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...
    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        size: int | None = None,
    ) -> None:
        """Store streamed chunks (exactly ``size`` bytes when given). If the chunks fail,
        the error propagates and nothing is left at ``key`` by this call."""
        ...

    async def stat(self, key: str) -> int | None:
        """The stored object's size, or None if there is none."""
        ...

    async def hash_object(
        self, key: str, observe: ChunkObserver | None = None
    ) -> StoredObject | None:
        """Size and sha256 of the stored bytes (None if absent); ``observe`` sees every
        chunk, in a worker thread."""
        ...

    async def copy(self, source: str, target: str, content_type: str) -> None: ...
    async def delete(self, *keys: str) -> None: ...
    async def read(self, key: str) -> bytes: ...
    async def read_range(self, key: str, offset: int, length: int) -> bytes:
        """At most ``length`` bytes from ``offset`` (a ranged GET: never the whole object);
        fewer at the object's end."""
        ...

    async def list_page(
        self, prefix: str, *, start_after: str | None = None, limit: int = LIST_PAGE
    ) -> list[ObjectInfo]:
        """Up to ``limit`` objects under ``prefix`` in key order, after ``start_after``:
        page on with the last key until a page comes back short."""
        ...


def _endpoint(url: str) -> tuple[str, bool]:
    """``http://host:port`` -> (``host:port``, secure)."""
    if "://" not in url:
        return url, False
    parts = urlsplit(url)
    return parts.netloc, parts.scheme == "https"


def _http_client(timeout: float) -> urllib3.PoolManager:
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        maxsize=STORAGE_THREADS,
        retries=urllib3.Retry(
            total=2,
            connect=2,
            read=2,
            status=2,
            other=0,
            allowed_methods=IDEMPOTENT_METHODS,
            status_forcelist=(500, 502, 503, 504),
            backoff_factor=0.2,
            raise_on_status=False,  # minio reads the S3 error of the last answer
            respect_retry_after_header=False,  # never sleep what a server asks
        ),
    )


def _probe_client(timeout: float) -> urllib3.PoolManager:
    limit = min(timeout, PROBE_TIMEOUT_SECONDS)
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=limit, read=limit), maxsize=1, retries=False
    )


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """``attachment`` or ``inline``, with the name in ASCII and in RFC 5987 UTF-8."""
    if disposition not in ("attachment", "inline"):
        raise ValueError(f"unknown disposition {disposition!r}")
    ascii_name = "".join(c for c in filename if " " <= c < "\x7f" and c not in '"\\')
    return f"{disposition}; filename=\"{ascii_name or 'download'}\"; filename*=UTF-8''{quote(filename)}"


class _Progress:
    """What a worker thread reports to the deadline watching it."""

    def __init__(self) -> None:
        self._last = time.monotonic()
        self._elsewhere = 0
        self.allowance = 0.0  # seconds more the current step may take without progress

    def tick(self) -> None:
        self._last = time.monotonic()

    def waiting_elsewhere(self, waiting: bool) -> None:
        """Waiting on something that is not storage (an upload's client): not a stall."""
        self._elsewhere += 1 if waiting else -1
        self._last = time.monotonic()

    def stalled(self) -> float:
        return 0.0 if self._elsewhere else time.monotonic() - self._last - self.allowance


def _describe(exc: BaseException) -> str:
    """The failure for the log: the class and the S3 error code, never a URL or a key."""
    code = f" {exc.code}" if isinstance(exc, S3Error) else ""
    return f"{type(exc).__name__}{code}"


class MinioStore:
    """:class:`BlobStore` on any S3 API (MinIO in production, SeaweedFS embedded)."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        region: str = "us-east-1",
        secure: bool | None = None,
        public_endpoint: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        host, scheme_secure = _endpoint(endpoint)
        use_tls = scheme_secure if secure is None else secure or scheme_secure
        self.bucket = bucket
        self.timeout = timeout
        self._pool = concurrent.futures.ThreadPoolExecutor(
            STORAGE_THREADS, thread_name_prefix="cairn-storage"
        )
        self._http = _http_client(timeout)
        self._client = Minio(
            host,
            access_key=access_key,
            secret_key=secret_key,
            secure=use_tls,
            region=region,
            http_client=self._http,
        )
        self._prober = Minio(
            host,
            access_key=access_key,
            secret_key=secret_key,
            secure=use_tls,
            region=region,
            http_client=_probe_client(timeout),
        )
        self._probe: asyncio.Future[bool] | None = None
        self._probe_loop: asyncio.AbstractEventLoop | None = None
        signer_host, signer_tls = host, use_tls
        if public_endpoint:
            signer_host, signer_tls = _endpoint(public_endpoint)
            self._signer = Minio(
                signer_host,
                access_key=access_key,
                secret_key=secret_key,
                secure=signer_tls,
                region=region,
            )
        else:
            self._signer = self._client
        # Signs presigned URLs without minio-py's per-URL overhead (the same bytes). None
        # where the endpoint is not a plain path-style host: then minio-py signs (the
        # benchmark sets it to None to measure that path).
        self.presigner: Presigner | None = Presigner.create(
            signer_host,
            secure=signer_tls,
            bucket=bucket,
            access_key=access_key,
            secret_key=secret_key,
            region=region,
        )

    # --- running calls ------------------------------------------------------------------

    def _unavailable(self, what: str, exc: BaseException) -> StorageUnavailable:
        if what not in _REPORTED_BY_CALLER:
            log.warning("storage %s failed: %s", what, _describe(exc))
        return StorageUnavailable("object storage is unavailable; retry shortly")

    def _too_slow(self, what: str) -> StorageTimeout:
        if what not in _REPORTED_BY_CALLER:
            log.warning("storage %s did not answer within %g s", what, self.timeout)
        return StorageTimeout(
            f"object storage did not answer within {self.timeout:g} s; retry shortly"
        )

    def _submit(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        try:
            return asyncio.wrap_future(self._pool.submit(fn))
        except RuntimeError as exc:  # the pool was shut down: the app is stopping
            raise self._unavailable("call", exc) from exc

    def _result(self, what: str, future: asyncio.Future[T]) -> T:
        try:
            return future.result()
        except StorageUnavailable:
            raise
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(what, exc) from exc

    async def _call(self, what: str, fn: Callable[[], T], deadline: float | None = None) -> T:
        """``fn`` in the pool, answered (retries included) within ``deadline``."""
        future = self._submit(fn)
        try:
            done, _ = await asyncio.wait({future}, timeout=deadline or self.timeout)
        except asyncio.CancelledError:
            future.cancel()
            raise
        if not done:
            future.cancel()  # if not started yet (a full pool), it never will be
            raise self._too_slow(what)
        return self._result(what, future)

    async def _watch(self, what: str, fn: Callable[[_Progress], T]) -> T:
        """``fn`` in the pool, failed once it has made no progress for ``timeout``."""
        progress = _Progress()
        future = self._submit(functools.partial(fn, progress))
        try:
            while True:
                left = self.timeout - progress.stalled()
                if left <= 0:
                    future.cancel()
                    raise self._too_slow(what)
                done, _ = await asyncio.wait({future}, timeout=left)
                if done:
                    return self._result(what, future)
        except asyncio.CancelledError:
            future.cancel()
            raise

    async def close(self) -> None:
        """Stop the pool (queued calls are cancelled; running ones end by their timeouts)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- calls ----------------------------------------------------------------------

    async def ensure_bucket(self) -> None:
        def work() -> None:
            if self._client.bucket_exists(self.bucket):
                return
            try:
                self._client.make_bucket(self.bucket)
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

        await self._call("start-up check", work)

    async def ping(self) -> bool:
        """Reachable within :data:`PROBE_TIMEOUT_SECONDS`? One probe runs at a time: while
        it is out, every caller waits on it, so probing a hung store holds one thread."""
        loop = asyncio.get_running_loop()
        if self._probe is None or self._probe.done() or self._probe_loop is not loop:
            try:
                self._probe = self._submit(lambda: bool(self._prober.bucket_exists(self.bucket)))
            except StorageUnavailable:
                return False
            self._probe_loop = loop
            self._probe.add_done_callback(_retrieve)
        try:
            return await asyncio.wait_for(
                asyncio.shield(self._probe), min(self.timeout, PROBE_TIMEOUT_SECONDS)
            )
        except Exception:
            return False

    def presign_get(
        self,
        key: str,
        *,
        filename: str,
        content_type: str | None,
        ttl: int,
        disposition: str = "attachment",
    ) -> SignedUrl:
        headers: dict[str, str] = {
            "response-content-disposition": content_disposition(filename, disposition)
        }
        if content_type:
            headers["response-content-type"] = content_type
        now = datetime.now(UTC)
        expires = timedelta(seconds=ttl)
        url = self._presign("GET", key, ttl, now, headers)
        return SignedUrl(url=url, expires_at=now + expires)

    def presign_put(self, key: str, *, ttl: int) -> SignedUrl:
        now = datetime.now(UTC)
        url = self._presign("PUT", key, ttl, now, None)
        return SignedUrl(url=url, expires_at=now + timedelta(seconds=ttl))

    def _presign(
        self, method: str, key: str, ttl: int, now: datetime, params: dict[str, str] | None
    ) -> str:
        """Local SigV4 presigning; minio-py for what :class:`Presigner` does not cover."""
        if self.presigner is not None:
            url = self.presigner.presign(method, key, expires=ttl, date=now, response_params=params)
            if url is not None:
                return url
        return self._signer.get_presigned_url(
            method,
            self.bucket,
            key,
            expires=timedelta(seconds=ttl),
            response_headers=dict(params) if params else None,
            request_date=now,
        )

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(
            "put",
            lambda: self._client.put_object(
                self.bucket, key, io.BytesIO(data), len(data), content_type=content_type
            ),
            deadline=self.timeout + len(data) / COPY_RATE,
        )

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        size: int | None = None,
    ) -> None:
        """A known size up to 5 GiB goes as one streamed PUT (a few chunks in memory, and
        S3 stores nothing unless the whole body arrives); otherwise an S3 multipart upload
        (one part in memory). A worker thread pulls each chunk from the event loop; if the
        chunks fail (too large, client gone), that error is raised here."""
        source = _Puller(chunks, asyncio.get_running_loop())

        def work(progress: _Progress) -> None:
            source.progress = progress
            if size is not None and size <= MAX_SINGLE_PUT:
                self._put_streamed(key, source, size, content_type)
            else:
                self._put_parts(key, _PullReader(source), content_type)

        upload = asyncio.ensure_future(self._watch("upload", work))
        try:
            await asyncio.shield(upload)
        except BaseException as exc:
            source.abort()
            if not isinstance(exc, StorageTimeout):
                # the thread gives up at its next chunk: wait for it, so that no write
                # lands after the caller cleans up (bounded: the watch fails on a stall)
                await asyncio.wait([upload], timeout=self.timeout + 1)
            if upload.done() and not upload.cancelled():
                upload.exception()  # retrieved: the caller gets the original error
            if source.error is not None and not isinstance(exc, asyncio.CancelledError):
                raise source.error from None
            raise
        if source.error is not None:  # the chunk source failed but the upload finished
            raise source.error

    def _put_parts(self, key: str, reader: _PullReader, content_type: str) -> None:
        self._client.put_object(
            self.bucket,
            key,
            reader,  # type: ignore[arg-type]
            -1,
            content_type=content_type,
            part_size=PART_SIZE,
        )

    def _put_streamed(self, key: str, source: _Puller, size: int, content_type: str) -> None:
        """One PUT whose body is streamed: a presigned URL (UNSIGNED-PAYLOAD, made locally)
        lets the body go out chunk by chunk, which minio's put_object cannot do."""
        url = self._client.presigned_put_object(self.bucket, key, expires=timedelta(hours=1))

        def body() -> Iterator[bytes]:
            sent = 0
            while (chunk := source.next()) is not None:
                sent += len(chunk)
                if sent > size:
                    raise OSError("the upload is longer than announced")
                yield chunk
            if sent != size:
                raise OSError("the upload is shorter than announced")

        response = self._http.request(
            "PUT",
            url,
            body=body(),
            headers={"Content-Length": str(size), "Content-Type": content_type},
            retries=False,
            preload_content=True,
        )
        if response.status != 200:
            raise OSError(f"object storage answered {response.status} to a PUT")

    async def stat(self, key: str) -> int | None:
        def work() -> int | None:
            try:
                return int(self._client.stat_object(self.bucket, key).size or 0)
            except S3Error as exc:
                if exc.code in _MISSING:
                    return None
                raise

        return await self._call("stat", work)

    async def hash_object(
        self, key: str, observe: ChunkObserver | None = None
    ) -> StoredObject | None:
        def work(progress: _Progress) -> StoredObject | None:
            try:
                response = self._client.get_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in _MISSING:
                    return None
                raise
            digest = hashlib.sha256()
            size = 0
            try:
                for chunk in response.stream(READ_CHUNK):
                    progress.tick()
                    digest.update(chunk)
                    size += len(chunk)
                    if observe is not None:
                        observe(chunk)
            finally:
                response.close()
                response.release_conn()
            return StoredObject(size=size, sha256=digest.hexdigest())

        return await self._watch("read", work)

    async def read(self, key: str) -> bytes:
        def work(progress: _Progress) -> bytes:
            response = self._client.get_object(self.bucket, key)
            data = bytearray()
            try:
                for chunk in response.stream(READ_CHUNK):
                    progress.tick()
                    data += chunk
            finally:
                response.close()
                response.release_conn()
            return bytes(data)

        return await self._watch("read", work)

    async def read_range(self, key: str, offset: int, length: int) -> bytes:
        if length <= 0:
            return b""

        def work(progress: _Progress) -> bytes:
            response = self._client.get_object(self.bucket, key, offset=offset, length=length)
            data = bytearray()
            try:
                for chunk in response.stream(READ_CHUNK):
                    progress.tick()
                    data += chunk
                    if len(data) >= length:  # a server ignoring Range: read no further
                        break
            finally:
                response.close()
                response.release_conn()
            return bytes(data[:length])

        return await self._watch("read", work)

    async def copy(self, source: str, target: str, content_type: str) -> None:
        """Server-side copy that sets the stored Content-Type (a presigned PUT lets the
        client choose it for the source; the published object must not keep that)."""

        def work(progress: _Progress) -> None:
            size = self._client.stat_object(self.bucket, source).size or 0
            progress.tick()
            progress.allowance = size / COPY_RATE  # S3 shows no progress while it copies
            self._client.copy_object(
                self.bucket,
                target,
                CopySource(self.bucket, source),
                metadata={"Content-Type": content_type},
                metadata_directive=REPLACE,
            )

        await self._watch("copy", work)

    async def delete(self, *keys: str) -> None:
        """Remove objects; absent ones are fine (deleting is idempotent)."""
        if not keys:
            return

        def work(progress: _Progress) -> None:
            if len(keys) == 1:
                self._client.remove_object(self.bucket, keys[0])
                return
            for start in range(0, len(keys), DELETE_BATCH):
                batch = [DeleteObject(k) for k in keys[start : start + DELETE_BATCH]]
                for error in self._client.remove_objects(self.bucket, batch):
                    if error.code not in _MISSING:
                        raise StorageUnavailable(
                            "object storage refused to delete an object; retry shortly"
                        )
                progress.tick()

        await self._watch("delete", work)

    async def list_page(
        self, prefix: str, *, start_after: str | None = None, limit: int = LIST_PAGE
    ) -> list[ObjectInfo]:
        def work() -> list[ObjectInfo]:
            found: list[ObjectInfo] = []
            listing = self._client.list_objects(
                self.bucket, prefix=prefix, recursive=True, start_after=start_after
            )
            for item in listing:
                if item.is_dir or item.object_name is None:
                    continue
                modified = item.last_modified or datetime.now(UTC)
                found.append(ObjectInfo(item.object_name, int(item.size or 0), modified))
                if len(found) >= limit:
                    break
            return found

        return await self._call("list", work)


def _retrieve(future: asyncio.Future[bool]) -> None:
    """Mark a probe's failure as seen (nobody may be waiting on it any more)."""
    if not future.cancelled():
        future.exception()


class _Puller:
    """Chunks of an async iterator, pulled one at a time from a worker thread."""

    def __init__(self, chunks: AsyncIterator[bytes], loop: asyncio.AbstractEventLoop) -> None:
        self._chunks = chunks
        self._loop = loop
        self._aborted = False
        self.error: BaseException | None = None
        self.progress = _Progress()

    def abort(self) -> None:
        self._aborted = True

    def next(self) -> bytes | None:
        """The next chunk, or None at the end; raises OSError if the source failed.
        Storage took the previous chunk (progress); waiting for this one is the client's
        time, not storage's."""
        if self._aborted:
            raise OSError("upload aborted")
        self.progress.waiting_elsewhere(True)
        try:
            future = asyncio.run_coroutine_threadsafe(_anext_or_none(self._chunks), self._loop)
            return future.result()
        except concurrent.futures.CancelledError as exc:
            raise OSError("upload aborted") from exc
        except BaseException as exc:
            self.error = exc
            raise OSError("the upload source failed") from exc
        finally:
            self.progress.waiting_elsewhere(False)


class _PullReader:
    """A file-like object for minio's put_object: ``read(size)`` gathers one part."""

    def __init__(self, source: _Puller) -> None:
        self._source = source
        self._buffer = bytearray()
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buffer) < size):
            chunk = self._source.next()
            if chunk is None:
                self._eof = True
                break
            self._buffer += chunk
        if size < 0 or size >= len(self._buffer):
            data = bytes(self._buffer)
            self._buffer.clear()
            return data
        data = bytes(memoryview(self._buffer)[:size])
        del self._buffer[:size]
        return data


async def _anext_or_none(chunks: AsyncIterator[bytes]) -> bytes | None:
    try:
        return await chunks.__anext__()
    except StopAsyncIteration:
        return None


def iter_chunks(data: bytes, size: int = READ_CHUNK) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


class MeteredStore:
    """A BlobStore that times every call into ``cairn_storage_request_seconds`` (and a
    ``storage <operation>`` span when tracing) and counts signed URLs
    (``cairn_signed_urls_total``); everything else is the wrapped store's."""

    def __init__(self, inner: BlobStore, tracing: Tracing | None = None) -> None:
        self.inner = inner
        self.bucket = inner.bucket
        self.tracing = tracing or Tracing(None)

    @contextmanager
    def _measure(self, operation: str) -> Iterator[None]:
        with metrics.storage_timer(operation), self.tracing.storage_span(operation):
            yield

    def __getattr__(self, name: str) -> Any:  # a store's extras (fault-injection in tests)
        return getattr(self.inner, name)

    async def ensure_bucket(self) -> None:
        with self._measure("ensure_bucket"):
            await self.inner.ensure_bucket()

    async def ping(self) -> bool:
        with self._measure("ping"):
            return await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()

    def presign_get(
        self,
        key: str,
        *,
        filename: str,
        content_type: str | None,
        ttl: int,
        disposition: str = "attachment",
    ) -> SignedUrl:
        url = self.inner.presign_get(
            key, filename=filename, content_type=content_type, ttl=ttl, disposition=disposition
        )
        metrics.SIGNED_URLS.labels("GET").inc()
        return url

    def presign_put(self, key: str, *, ttl: int) -> SignedUrl:
        url = self.inner.presign_put(key, ttl=ttl)
        metrics.SIGNED_URLS.labels("PUT").inc()
        return url

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        with self._measure("put"):
            await self.inner.put_bytes(key, data, content_type)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        size: int | None = None,
    ) -> None:
        with self._measure("put_stream"):
            await self.inner.put_stream(key, chunks, content_type, size=size)

    async def stat(self, key: str) -> int | None:
        with self._measure("stat"):
            return await self.inner.stat(key)

    async def hash_object(
        self, key: str, observe: ChunkObserver | None = None
    ) -> StoredObject | None:
        with self._measure("hash"):
            return await self.inner.hash_object(key, observe)

    async def copy(self, source: str, target: str, content_type: str) -> None:
        with self._measure("copy"):
            await self.inner.copy(source, target, content_type)

    async def delete(self, *keys: str) -> None:
        with self._measure("delete"):
            await self.inner.delete(*keys)

    async def read(self, key: str) -> bytes:
        with self._measure("read"):
            return await self.inner.read(key)

    async def read_range(self, key: str, offset: int, length: int) -> bytes:
        with self._measure("read_range"):
            return await self.inner.read_range(key, offset, length)

    async def list_page(
        self, prefix: str, *, start_after: str | None = None, limit: int = LIST_PAGE
    ) -> list[ObjectInfo]:
        with self._measure("list"):
            return await self.inner.list_page(prefix, start_after=start_after, limit=limit)
