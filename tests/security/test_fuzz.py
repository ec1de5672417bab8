"""Fuzzing: thousands of damaged tokens (seeded, plus hypothesis) and schemathesis over
the live GraphQL schema. Nothing damaged is accepted; nothing answers 5xx or
INTERNAL_SERVER_ERROR."""

from __future__ import annotations

import base64
import binascii
import json
import random
import string
import time
from datetime import UTC
from typing import Any

import httpx
import pytest
import schemathesis
from graphql import IntValueNode, StringValueNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.auth import TokenVerifier
from cairn.errors import Unauthenticated
from tests.support.http import Client, Server
from tests.support.stack import JWT_SECRET
from tests.support.tokens import claims, hand_made, rsa_pair, segment, sign, token_settings

SEED = 20240601
ALPHABET = string.ascii_letters + string.digits + "-_.=+/ \x00é"


def _decoded(token: str) -> tuple[bytes, ...] | None:
    """A token's three parts decoded as a lenient decoder would, or None if it can't be."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        return tuple(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in parts)
    except (binascii.Error, ValueError):
        return None


def mutate(rng: random.Random, token: str) -> str:
    """One random kind of damage."""
    kind = rng.randrange(9)
    chars = list(token)
    spot = rng.randrange(len(chars))
    if kind == 0:  # flip one character
        chars[spot] = rng.choice(ALPHABET)
    elif kind == 1:  # truncate
        return token[: rng.randrange(len(token))]
    elif kind == 2:  # insert junk
        chars.insert(spot, "".join(rng.choices(ALPHABET, k=rng.randint(1, 8))))
    elif kind == 3:  # drop a part
        parts = token.split(".")
        del parts[rng.randrange(3)]
        return ".".join(parts)
    elif kind == 4:  # swap parts between two tokens of different organizations
        other = sign(claims(org="org-b"), JWT_SECRET, "HS256").split(".")
        parts = token.split(".")
        index = rng.randrange(3)
        parts[index] = other[index]
        return ".".join(parts)
    elif kind == 5:  # re-sign a modified header with the wrong key or no key
        alg = rng.choice(["none", "None", "NONE", "nOnE", "HS256", "RS256", "ES256", "", "HS512"])
        payload = claims(org=rng.choice(["org-a", "org-b", "", "x" * 70]))
        secret = rng.choice([None, b"", b"guess", rsa_pair().public_pem.encode()])
        return hand_made({"alg": alg, "typ": "JWT"}, payload, secret)
    elif kind == 6:  # a valid header and signature around a forged payload
        head, _, sig = token.split(".")
        forged = claims(org=rng.choice(["org-b", "org-a"]), scope="artifacts:delete")
        forged["exp"] = int(time.time()) + rng.randint(-1000, 10**9)
        return f"{head}.{segment(forged)}.{sig}"
    elif kind == 7:  # random bytes, base64url-encoded, in the shape of a JWT
        return ".".join(
            base64.urlsafe_b64encode(rng.randbytes(rng.randint(0, 64))).decode().rstrip("=")
            for _ in range(3)
        )
    else:  # duplicate or reorder segments
        parts = token.split(".")
        rng.shuffle(parts)
        return ".".join(parts + parts[: rng.randint(0, 2)])
    return "".join(chars)


def damaged_tokens(count: int, seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    good = sign(claims(), JWT_SECRET, "HS256")
    original = _decoded(good)
    tokens: list[str] = []
    while len(tokens) < count:
        token = mutate(rng, good)
        if _decoded(token) == original:
            continue  # a non-canonical spelling of the same token: not damage
        tokens.append(token)
    return tokens


@pytest.mark.unit
def test_seeded_token_fuzz_accepts_nothing() -> None:
    verifier = TokenVerifier(token_settings())
    tokens = damaged_tokens(3000)
    assert len(set(tokens)) > 1500  # distinct damage, not one token 3,000 times
    for token in tokens:
        with pytest.raises(Unauthenticated):
            verifier.verify(token)


@pytest.mark.unit
@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
def test_hypothesis_garbage_tokens(token: str) -> None:
    with pytest.raises(Unauthenticated):
        TokenVerifier(token_settings()).verify(token)


@pytest.mark.unit
@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    header=st.dictionaries(st.sampled_from(["alg", "kid", "typ", "jku", "x5u", "crit"]), st.text()),
    payload=st.dictionaries(st.text(max_size=10), st.one_of(st.text(), st.integers(), st.none())),
    secret=st.binary(max_size=40),
)
def test_hypothesis_hand_made_tokens(
    header: dict[str, str], payload: dict[str, Any], secret: bytes
) -> None:
    with pytest.raises(Unauthenticated):
        TokenVerifier(token_settings()).verify(hand_made(header, payload, secret))


def test_damaged_tokens_over_http(server: Server, client: Client) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        good = http.post(
            "/graphql",
            json={"query": "{ viewer { organizationId } }"},
            headers={"Authorization": f"Bearer {client.token}"},
        )
        assert good.status_code == 200
        sendable = [  # what an HTTP header can carry
            t for t in damaged_tokens(400, seed=SEED + 1) if t.isascii() and t.isprintable()
        ][:150]
        assert len(sendable) == 150
        for token in sendable:
            response = http.post(
                "/graphql",
                json={"query": "{ viewer { organizationId } }"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 401, (token, response.text)
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- schemathesis over the live schema ------------------------------------------------

schemathesis.graphql.scalar(
    "DateTime",
    st.datetimes(timezones=st.just(UTC)).map(lambda d: StringValueNode(value=d.isoformat())),
)
schemathesis.graphql.scalar(
    "BigInt",
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(lambda n: IntValueNode(value=str(n))),
)
schemathesis.graphql.scalar(
    "JSON",
    st.sampled_from(['{"a": 1}', "[1, 2]", '"text"', "3", "null"]).map(
        lambda s: StringValueNode(value=s)
    ),
)
schemathesis.graphql.scalar("Upload", st.just(StringValueNode(value="")))


def test_schemathesis(server: Server, client: Client) -> None:
    """Every query and mutation (uploads and the WebSocket-only subscription excluded),
    a dozen generated cases each, with a valid token."""
    auth = {"Authorization": f"Bearer {client.token}"}
    schema = schemathesis.graphql.from_url(server.graphql_url, headers=auth).exclude(
        name_regex="uploadArtifact|artifactPublished"
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    seen: list[str] = []

    for operation in operations:

        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(headers=auth)
            assert response.status_code < 500, response.text
            body = json.loads(response.text)
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
            assert "INTERNAL_SERVER_ERROR" not in codes, (case.body, body)
            assert None not in codes, body
            seen.append(case.operation.label)

        check()
    assert len(set(seen)) == len(operations)
