"""Publishing exactly the verified bytes: PUTs to the upload URL racing
``completeArtifactUpload``.

The presigned PUT URL stays valid for its whole lifetime, so whoever holds it can change
``staging/<id>`` at any moment: before, during and after completing. Whatever happens,
an artifact that comes out AVAILABLE must serve bytes whose sha256 is the one it shows
(and the one declared at begin).

Each trial keeps the staging object flipping between the declared bytes and other bytes
(of the same size, or 52 bytes of HTML) with back-to-back PUTs from a thread, from a
moment before the complete until a few PUTs after it answered, with one or two completes
in flight. With the staging object flipping about every 10 ms and a complete taking tens
of ms, hashing one version and publishing another is likely in every trial: against the
old code (hash ``staging/<id>``, then copy it) this test failed in its first trials.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.support.http import Client
from tests.support.publish import BEGIN, COMPLETE, GET, download, sha, spec

TRIALS = 20
SIZE = 512 * 1024
HTML = b"<html><script>alert(document.domain)</script></html>"


class Flipper(threading.Thread):
    """PUTs ``versions`` in turn to one upload URL, back to back, until stopped."""

    def __init__(self, ticket: dict[str, Any], versions: list[bytes]) -> None:
        super().__init__(daemon=True)
        self.url = ticket["uploadUrl"]["url"]
        self.headers = ticket["headers"]
        self.versions = versions
        self.stop = threading.Event()
        self.puts = 0
        self.failures: list[str] = []

    def put_one(self, http: httpx.Client) -> None:
        body = self.versions[self.puts % len(self.versions)]
        response = http.put(self.url, content=body, headers=self.headers)
        if response.status_code != 200:
            self.failures.append(f"{response.status_code} {response.text[:200]}")
        self.puts += 1

    def run(self) -> None:
        with httpx.Client(timeout=30) as http:
            while not self.stop.is_set():
                self.put_one(http)

    def put_until(self, count: int) -> None:
        """Wait until ``count`` PUTs were sent in all (no sleeping: polls the counter)."""
        while self.puts < count and self.is_alive():
            self.stop.wait(0.001)


def _complete(client: Client, art_id: str) -> dict[str, Any]:
    return dict(client.raw(COMPLETE, {"id": art_id}).json())


@pytest.mark.slow
def test_puts_racing_complete_never_publish_unverified_bytes(
    client: Client, client_factory: Callable[..., Client]
) -> None:
    declared = os.urandom(SIZE)
    helpers = [client_factory(org_id=client.org_id) for _ in range(2)]
    outcomes: dict[str, int] = {"AVAILABLE": 0, "rejected": 0}
    raced = 0
    for trial in range(TRIALS):
        other = os.urandom(SIZE) if trial % 2 else HTML
        ticket = client(
            BEGIN,
            {
                "input": spec("BINARY", f"race-{trial}.bin", key="race"),
                "size": SIZE,
                "sha": sha(declared),
            },
        )["beginArtifactUpload"]
        art_id = ticket["artifact"]["id"]
        flipper = Flipper(ticket, [declared, other])
        with httpx.Client(timeout=30) as http:
            flipper.put_one(http)  # the declared bytes are there first
        flipper.start()
        flipper.put_until(1 + trial % 3)  # a varying number of flips before completing
        completers = helpers[: 1 + trial % 2]  # one complete, or two at once
        before = flipper.puts
        with ThreadPoolExecutor(len(completers)) as pool:
            answers = list(pool.map(_complete, completers, [art_id] * len(completers)))
        during = flipper.puts - before
        flipper.put_until(flipper.puts + 3)  # and a few PUTs after it answered
        flipper.stop.set()
        flipper.join(30)
        assert not flipper.failures, flipper.failures
        raced += during > 0

        for answer in answers:
            if answer.get("errors"):
                codes = [e["extensions"]["code"] for e in answer["errors"]]
                # rejected (the other bytes were copied), or a concurrent complete's
                # rejection won over this one's publish: never a 500 or internal error
                assert set(codes) <= {"BAD_USER_INPUT", "CONFLICT"}, answer
            else:
                done = answer["data"]["completeArtifactUpload"]
                assert (done["status"], done["sha256"]) == ("AVAILABLE", sha(declared))

        artifact = client(GET, {"id": art_id})["artifact"]
        if artifact["status"] != "AVAILABLE":
            assert artifact["status"] == "FAILED", artifact
            assert artifact["signedUrl"] is None
            outcomes["rejected"] += 1
            continue
        outcomes["AVAILABLE"] += 1
        got = download(artifact["signedUrl"]["url"])
        assert got.status_code == 200
        served = hashlib.sha256(got.content).hexdigest()
        assert (served, len(got.content)) == (artifact["sha256"], artifact["sizeBytes"]), (
            f"trial {trial}: AVAILABLE with sha256 {artifact['sha256']} but serves "
            f"{len(got.content)} bytes hashing to {served}"
        )
        assert artifact["sha256"] == sha(declared)
        assert got.content == declared

    for helper in helpers:
        helper.http.close()
    # The race really ran, and both outcomes happened (else this proved nothing).
    assert raced >= TRIALS // 2, raced
    assert outcomes["AVAILABLE"] >= 1, outcomes
    assert outcomes["rejected"] >= 1, outcomes
