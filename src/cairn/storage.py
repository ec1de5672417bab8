"""Object storage behind one small interface, implemented with the MinIO client.

The minio client is synchronous: every call runs in a worker thread. Presigning is
local and makes no network call: :mod:`cairn.sigv4` signs (~3x cheaper than minio-py,
the same URLs), minio-py where it does not apply, with the region configured so that
it never asks the server. Every failure to reach storage surfaces as
:class:`~cairn.errors.StorageUnavailable`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import io
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar
from urllib.parse import quote, urlsplit

import urllib3
from minio import Minio
from minio.commonconfig import REPLACE, CopySource
from minio.deleteobjects import DeleteObject
from minio.error import MinioException, S3Error

from cairn.errors import StorageUnavailable
from cairn.sigv4 import Presigner

# Parts of a streamed upload. minio holds about three copies of one part in memory while
# sending it, so this bounds the memory of an upload of any size (10,000 parts: 80 GiB).
PART_SIZE = 8 * 1024 * 1024
MAX_SINGLE_PUT = 5 * 1024**3  # S3's limit for one PUT
READ_CHUNK = 1024 * 1024
DELETE_BATCH = 1000

T = TypeVar("T")
ChunkObserver = Callable[[bytes], None]


@dataclass(frozen=True, slots=True)
class SignedUrl:
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class StoredObject:
    size: int
    sha256: str


class BlobStore(Protocol):
    """Keys are object keys inside ``bucket`` (never user text)."""

    bucket: str

    async def ensure_bucket(self) -> None: ...
    async def ping(self) -> bool: ...
    def presign_get(
        self, key: str, *, filename: str, content_type: str | None, ttl: int
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

    async def hash_object(
        self, key: str, observe: ChunkObserver | None = None
    ) -> StoredObject | None:
        """Size and sha256 of the stored bytes (None if absent); ``observe`` sees every
        chunk, in a worker thread."""
        ...

    async def copy(self, source: str, target: str, content_type: str) -> None: ...
    async def delete(self, *keys: str) -> None: ...
    async def read(self, key: str) -> bytes: ...


def _endpoint(url: str) -> tuple[str, bool]:
    """``http://host:port`` -> (``host:port``, secure)."""
    if "://" not in url:
        return url, False
    parts = urlsplit(url)
    return parts.netloc, parts.scheme == "https"


def _http_client() -> urllib3.PoolManager:
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=3, read=60),
        maxsize=16,
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)),
    )


def content_disposition(filename: str) -> str:
    ascii_name = "".join(c for c in filename if " " <= c < "\x7f" and c not in '"\\')
    return (
        f"attachment; filename=\"{ascii_name or 'download'}\"; filename*=UTF-8''{quote(filename)}"
    )


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
    ) -> None:
        host, scheme_secure = _endpoint(endpoint)
        use_tls = scheme_secure if secure is None else secure or scheme_secure
        self.bucket = bucket
        self._http = _http_client()
        self._client = Minio(
            host,
            access_key=access_key,
            secret_key=secret_key,
            secure=use_tls,
            region=region,
            http_client=self._http,
        )
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

    async def _run(self, fn: Callable[[], T]) -> T:
        try:
            return await asyncio.to_thread(fn)
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable("object storage is unavailable; retry shortly") from exc

    async def ensure_bucket(self) -> None:
        def work() -> None:
            if self._client.bucket_exists(self.bucket):
                return
            try:
                self._client.make_bucket(self.bucket)
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

        await self._run(work)

    async def ping(self) -> bool:
        try:
            return await self._run(lambda: bool(self._client.bucket_exists(self.bucket)))
        except Exception:
            return False

    def presign_get(
        self, key: str, *, filename: str, content_type: str | None, ttl: int
    ) -> SignedUrl:
        headers: dict[str, str] = {"response-content-disposition": content_disposition(filename)}
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
        await self._run(
            lambda: self._client.put_object(
                self.bucket, key, io.BytesIO(data), len(data), content_type=content_type
            )
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
        work = (
            functools.partial(self._put_streamed, key, source, size, content_type)
            if size is not None and size <= MAX_SINGLE_PUT
            else functools.partial(self._put_parts, key, _PullReader(source), content_type)
        )
        upload = asyncio.ensure_future(self._run(work))
        try:
            await asyncio.shield(upload)
        except BaseException as exc:
            source.abort()
            # wait for the thread to give up, so no write lands after the caller cleans up
            await asyncio.wait([upload], timeout=30)
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

    async def hash_object(
        self, key: str, observe: ChunkObserver | None = None
    ) -> StoredObject | None:
        def work() -> StoredObject | None:
            try:
                response = self._client.get_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in ("NoSuchKey", "NoSuchObject"):
                    return None
                raise
            digest = hashlib.sha256()
            size = 0
            try:
                for chunk in response.stream(READ_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if observe is not None:
                        observe(chunk)
            finally:
                response.close()
                response.release_conn()
            return StoredObject(size=size, sha256=digest.hexdigest())

        return await self._run(work)

    async def read(self, key: str) -> bytes:
        def work() -> bytes:
            response = self._client.get_object(self.bucket, key)
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        return await self._run(work)

    async def copy(self, source: str, target: str, content_type: str) -> None:
        """Server-side copy that sets the stored Content-Type (a presigned PUT lets the
        client choose it for the source; the published object must not keep that)."""
        await self._run(
            lambda: self._client.copy_object(
                self.bucket,
                target,
                CopySource(self.bucket, source),
                metadata={"Content-Type": content_type},
                metadata_directive=REPLACE,
            )
        )

    async def delete(self, *keys: str) -> None:
        """Remove objects; absent ones are fine (deleting is idempotent)."""
        if not keys:
            return

        def work() -> None:
            if len(keys) == 1:
                self._client.remove_object(self.bucket, keys[0])
                return
            for start in range(0, len(keys), DELETE_BATCH):
                batch = [DeleteObject(k) for k in keys[start : start + DELETE_BATCH]]
                for error in self._client.remove_objects(self.bucket, batch):
                    if error.code not in ("NoSuchKey", "NoSuchObject"):
                        raise StorageUnavailable(
                            "object storage refused to delete an object; retry shortly"
                        )

        await self._run(work)


class _Puller:
    """Chunks of an async iterator, pulled one at a time from a worker thread."""

    def __init__(self, chunks: AsyncIterator[bytes], loop: asyncio.AbstractEventLoop) -> None:
        self._chunks = chunks
        self._loop = loop
        self._aborted = False
        self.error: BaseException | None = None

    def abort(self) -> None:
        self._aborted = True

    def next(self) -> bytes | None:
        """The next chunk, or None at the end; raises OSError if the source failed."""
        if self._aborted:
            raise OSError("upload aborted")
        future = asyncio.run_coroutine_threadsafe(_anext_or_none(self._chunks), self._loop)
        try:
            return future.result()
        except concurrent.futures.CancelledError as exc:
            raise OSError("upload aborted") from exc
        except BaseException as exc:
            self.error = exc
            raise OSError("the upload source failed") from exc


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
