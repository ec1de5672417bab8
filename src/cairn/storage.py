"""Object storage behind one small interface, implemented with the MinIO client.

The minio client is synchronous: every call runs in a worker thread. Presigning is
local (the region is configured, so it never asks the server for it).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import queue
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import quote, urlsplit

import urllib3
from minio import Minio
from minio.commonconfig import CopySource
from minio.error import MinioException, S3Error

from cairn.errors import StorageUnavailable

ACTIVE_CONTENT_TYPES = frozenset({"HTML", "SVG", "XML"})
PART_SIZE = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SignedUrl:
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class StoredObject:
    size: int
    sha256: str


class BlobStore(Protocol):
    bucket: str

    async def ensure_bucket(self) -> None: ...
    async def ping(self) -> bool: ...
    def presign_get(
        self, path: str, *, filename: str, content_type: str | None, ttl: int
    ) -> SignedUrl: ...
    def presign_put(self, path: str, *, ttl: int) -> SignedUrl: ...
    async def put_stream(
        self, path: str, chunks: AsyncIterator[bytes], content_type: str
    ) -> None: ...
    async def put_bytes(self, path: str, data: bytes, content_type: str) -> None: ...
    async def hash_object(self, path: str) -> StoredObject | None: ...
    async def copy(self, source: str, target: str) -> None: ...
    async def delete(self, *paths: str) -> None: ...
    async def read(self, path: str) -> bytes: ...


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
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
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
        self._client = Minio(
            host,
            access_key=access_key,
            secret_key=secret_key,
            secure=use_tls,
            region=region,
            http_client=_http_client(),
        )
        if public_endpoint:
            public_host, public_tls = _endpoint(public_endpoint)
            self._signer = Minio(
                public_host,
                access_key=access_key,
                secret_key=secret_key,
                secure=public_tls,
                region=region,
            )
        else:
            self._signer = self._client

    async def _run(self, fn: object, *args: object) -> object:
        try:
            return await asyncio.to_thread(fn, *args)  # type: ignore[arg-type]
        except S3Error:
            raise
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable("object storage is unavailable; retry shortly") from exc

    async def ensure_bucket(self) -> None:
        if not await self._run(self._client.bucket_exists, self.bucket):
            try:
                await self._run(self._client.make_bucket, self.bucket)
            except S3Error as exc:
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    async def ping(self) -> bool:
        try:
            return bool(await self._run(self._client.bucket_exists, self.bucket))
        except Exception:
            return False

    def presign_get(
        self, path: str, *, filename: str, content_type: str | None, ttl: int
    ) -> SignedUrl:
        headers: dict[str, str | list[str] | tuple[str]] = {
            "response-content-disposition": content_disposition(filename)
        }
        if content_type:
            headers["response-content-type"] = content_type
        expires = timedelta(seconds=ttl)
        now = datetime.now(UTC)
        url = self._signer.presigned_get_object(
            self.bucket, path, expires=expires, response_headers=headers, request_date=now
        )
        return SignedUrl(url=url, expires_at=now + expires)

    def presign_put(self, path: str, *, ttl: int) -> SignedUrl:
        expires = timedelta(seconds=ttl)
        now = datetime.now(UTC)
        url = self._signer.presigned_put_object(self.bucket, path, expires=expires)
        return SignedUrl(url=url, expires_at=now + expires)

    async def put_bytes(self, path: str, data: bytes, content_type: str) -> None:
        await self._run(
            lambda: self._client.put_object(
                self.bucket, path, io.BytesIO(data), len(data), content_type=content_type
            )
        )

    async def put_stream(self, path: str, chunks: AsyncIterator[bytes], content_type: str) -> None:
        """Upload chunks of unknown total length as an S3 multipart upload."""
        reader = _QueueReader(asyncio.get_running_loop())
        upload = asyncio.create_task(
            self._run(
                lambda: self._client.put_object(
                    self.bucket,
                    path,
                    reader,  # type: ignore[arg-type]
                    -1,
                    content_type=content_type,
                    part_size=PART_SIZE,
                )
            )
        )
        try:
            async for chunk in chunks:
                if upload.done():
                    break
                await reader.feed(chunk)
            await reader.feed(b"")
            await upload
        except BaseException:
            reader.abort()
            upload.cancel()
            raise

    async def hash_object(self, path: str) -> StoredObject | None:
        def work() -> StoredObject | None:
            try:
                response = self._client.get_object(self.bucket, path)
            except S3Error as exc:
                if exc.code in ("NoSuchKey", "NoSuchObject"):
                    return None
                raise
            digest = hashlib.sha256()
            size = 0
            try:
                for chunk in response.stream(1024 * 1024):
                    digest.update(chunk)
                    size += len(chunk)
            finally:
                response.close()
                response.release_conn()
            return StoredObject(size=size, sha256=digest.hexdigest())

        result = await self._run(work)
        assert result is None or isinstance(result, StoredObject)
        return result

    async def read(self, path: str) -> bytes:
        def work() -> bytes:
            response = self._client.get_object(self.bucket, path)
            try:
                return bytes(response.read())
            finally:
                response.close()
                response.release_conn()

        data = await self._run(work)
        assert isinstance(data, bytes)
        return data

    async def copy(self, source: str, target: str) -> None:
        await self._run(
            lambda: self._client.copy_object(self.bucket, target, CopySource(self.bucket, source))
        )

    async def delete(self, *paths: str) -> None:
        for path in paths:
            await self._run(self._client.remove_object, self.bucket, path)


class _QueueReader:
    """A file-like object the minio thread reads while the event loop feeds it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._buffer = bytearray()
        self._eof = False

    async def feed(self, chunk: bytes) -> None:
        # put() blocks when the queue is full: run it in a thread to keep memory bounded
        await asyncio.to_thread(self._queue.put, chunk if chunk else None)

    def abort(self) -> None:
        self._eof = True
        with contextlib.suppress(queue.Full):  # full: the reader is being torn down anyway
            self._queue.put_nowait(None)

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buffer) < size):
            item = self._queue.get()
            if item is None:
                self._eof = True
                break
            self._buffer.extend(item)
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


def iter_chunks(data: bytes, size: int = 1024 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
