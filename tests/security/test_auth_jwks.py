"""JWKS keys: from a file at start-up, or from a URL refreshed on an unknown kid (at most
once a minute). The URL is served by a tiny HTTP server on 127.0.0.1 that counts fetches."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from cairn import jwks
from cairn.auth import TokenVerifier
from cairn.errors import Unauthenticated
from tests.support.http import serve
from tests.support.stack import JWT_SECRET, Stack, make_settings
from tests.support.tokens import (
    claims,
    ec_pair,
    hand_made,
    jwks_server,
    rsa_pair,
    sign,
    sign_pss,
    token_settings,
)


def key_set(*entries: dict[str, object]) -> dict[str, object]:
    return {"keys": list(entries)}


@pytest.mark.unit
def test_jwks_file_picks_the_key_by_kid(tmp_path: Path) -> None:
    one, two = rsa_pair(0), rsa_pair(1)
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(key_set(one.jwk("k1"), two.jwk("k2", "RS256"))))
    verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=str(path)))
    for kid, pair in (("k1", one), ("k2", two)):
        token = sign(claims(), pair.private_pem, "RS256", headers={"kid": kid})
        assert verifier.verify(token).subject == "alice"
    with pytest.raises(Unauthenticated, match="Signature verification failed"):
        verifier.verify(sign(claims(), one.private_pem, "RS256", headers={"kid": "k2"}))
    with pytest.raises(Unauthenticated, match="'kid' names no key"):
        verifier.verify(sign(claims(), one.private_pem, "RS256", headers={"kid": "nope"}))
    with pytest.raises(Unauthenticated, match="no 'kid'"):
        verifier.verify(sign(claims(), one.private_pem, "RS256"))


@pytest.mark.unit
def test_jwks_single_key_without_kid_and_mixed_families(tmp_path: Path) -> None:
    rsa_key, ec_key = rsa_pair(), ec_pair()
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(key_set(ec_key.jwk("e1"), {"kty": "oct", "k": "c2VjcmV0"})))
    verifier = TokenVerifier(token_settings(jwt_algorithms=["ES256"], jwt_jwks=str(path)))
    # The symmetric "oct" entry is ignored; the single EC key serves kid-less tokens.
    assert verifier.verify(sign(claims(), ec_key.private_pem, "ES256")).org_id == "org-a"
    with pytest.raises(Unauthenticated):
        verifier.verify(sign(claims(), rsa_key.private_pem, "RS256", headers={"kid": "e1"}))
    with pytest.raises(Unauthenticated):
        verifier.verify(hand_made({"alg": "HS256", "kid": "e1"}, claims(), b"secret"))


@pytest.mark.unit
def test_jwks_alg_pins_the_key(tmp_path: Path) -> None:
    pair = rsa_pair()
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(key_set(pair.jwk("k1", "RS256"))))
    verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256", "PS256"], jwt_jwks=str(path)))
    assert verifier.verify(sign(claims(), pair.private_pem, "RS256", headers={"kid": "k1"}))
    with pytest.raises(Unauthenticated, match="'alg' does not match"):
        verifier.verify(sign_pss(claims(), pair, "PS256", kid="k1"))


@pytest.mark.unit
def test_jwks_pss_with_a_jwk_without_alg(tmp_path: Path) -> None:
    pair = rsa_pair()
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(key_set(pair.jwk("k1"))))
    verifier = TokenVerifier(token_settings(jwt_algorithms=["PS256"], jwt_jwks=str(path)))
    assert verifier.verify(sign_pss(claims(), pair, "PS256", kid="k1")).org_id == "org-a"
    with pytest.raises(Unauthenticated):
        verifier.verify(sign_pss(claims(), rsa_pair(1), "PS256", kid="k1"))


@pytest.mark.unit
@pytest.mark.parametrize("content", ["not json", "[]", '{"keys": 5}'])
def test_unreadable_jwks_file_stops_start_up(tmp_path: Path, content: str) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(content)
    with pytest.raises(ValueError, match="CAIRN_JWT_JWKS could not be read"):
        TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=str(path)))
    with pytest.raises(ValueError, match="CAIRN_JWT_JWKS could not be read"):
        TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=str(tmp_path / "missing")))


@pytest.mark.unit
def test_file_is_read_once_at_start_up(tmp_path: Path) -> None:
    one, two = rsa_pair(0), rsa_pair(1)
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(key_set(one.jwk("k1"))))
    verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=str(path)))
    path.write_text(json.dumps(key_set(two.jwk("k2"))))
    assert verifier.verify(sign(claims(), one.private_pem, "RS256", headers={"kid": "k1"}))
    with pytest.raises(Unauthenticated):
        verifier.verify(sign(claims(), two.private_pem, "RS256", headers={"kid": "k2"}))


@pytest.mark.unit
async def test_jwks_url_fetch_refresh_and_rate_limit() -> None:
    one, two = rsa_pair(0), rsa_pair(1)
    with jwks_server(key_set(one.jwk("k1"))) as served:
        verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=served.url))
        assert served.fetches == 0  # nothing fetched until a token arrives
        good = sign(claims(), one.private_pem, "RS256", headers={"kid": "k1"})
        for _ in range(5):
            assert (await verifier.authenticate(good)).subject == "alice"
        assert served.fetches == 1

        # The issuer rotates in k2. Within the minute, unknown kids cost no fetch at all.
        served.document = key_set(one.jwk("k1"), two.jwk("k2"))
        rotated = sign(claims(), two.private_pem, "RS256", headers={"kid": "k2"})
        for kid in ("k2", "made-up-1", "made-up-2"):
            token = sign(claims(), two.private_pem, "RS256", headers={"kid": kid})
            with pytest.raises(Unauthenticated, match="'kid' names no key"):
                await verifier.authenticate(token)
        assert served.fetches == 1

        # A minute later, one unknown kid triggers exactly one refresh, which finds k2.
        assert verifier.keys is not None
        verifier.keys._attempted_at -= jwks.JWKS_REFRESH_INTERVAL_SECONDS + 1
        assert (await verifier.authenticate(rotated)).subject == "alice"
        assert served.fetches == 2
        for n in range(20):
            bogus = sign(claims(), two.private_pem, "RS256", headers={"kid": f"bogus-{n}"})
            with pytest.raises(Unauthenticated):
                await verifier.authenticate(bogus)
        assert served.fetches == 2
        assert (await verifier.authenticate_header(f"Bearer {good}")).org_id == "org-a"


@pytest.mark.unit
async def test_jwks_url_failure_keeps_old_keys_and_stale_copy_is_refreshed() -> None:
    one, two = rsa_pair(0), rsa_pair(1)
    with jwks_server(key_set(one.jwk("k1"))) as served:
        verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=served.url))
        good = sign(claims(), one.private_pem, "RS256", headers={"kid": "k1"})
        assert await verifier.authenticate(good)
        keys = verifier.keys
        assert keys is not None
        # The issuer serves garbage: the refresh fails and k1 keeps working.
        served.document = {"not": "a jwks"}
        keys._attempted_at -= 61
        with pytest.raises(Unauthenticated):
            await verifier.authenticate(
                sign(claims(), two.private_pem, "RS256", headers={"kid": "k2"})
            )
        assert served.fetches == 2
        assert await verifier.authenticate(good)
        # k1 is withdrawn upstream; once the copy is older than the max age it goes.
        served.document = key_set(two.jwk("k2"))
        keys._attempted_at -= 61
        assert keys._fetched_at is not None
        keys._fetched_at -= jwks.JWKS_MAX_AGE_SECONDS + 1
        with pytest.raises(Unauthenticated):
            await verifier.authenticate(good)
        assert served.fetches == 3


@pytest.mark.unit
async def test_unreachable_jwks_url_is_401_not_500() -> None:
    with jwks_server(key_set()) as served:
        url = served.url
    verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=url))
    token = sign(claims(), rsa_pair().private_pem, "RS256", headers={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        await verifier.authenticate(token)


@pytest.mark.unit
def test_hs_tokens_never_meet_a_jwks(tmp_path: Path) -> None:
    """HS256 with a JWKS-configured RS server: refused on the algorithm, before any key."""
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(key_set(rsa_pair().jwk("k1"))))
    verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_jwks=str(path)))
    with pytest.raises(Unauthenticated, match="algorithm is not one"):
        verifier.verify(sign(claims(), JWT_SECRET, "HS256", headers={"kid": "k1"}))


# ------------------------------------------------------------------------------------------
# Merged from tests/test_auth_http.py:
# Tokens end to end: an RS256 server whose keys come from a JWKS URL (served locally).


def ask(url: str, token: str) -> httpx.Response:
    return httpx.post(
        f"{url}/graphql",
        json={"query": "{ viewer { subject organizationId scopes } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_rs256_server_with_jwks_url(stack: Stack) -> None:
    one, two = rsa_pair(0), rsa_pair(1)
    with jwks_server({"keys": [one.jwk("k1", "RS256")]}) as served:
        settings = make_settings(
            stack, jwt_algorithms=["RS256"], jwt_jwks=served.url, jwt_secret=None
        )
        with serve(settings) as server:
            good = sign(
                claims(org="org-rs", scope="artifacts:read"),
                one.private_pem,
                "RS256",
                headers={"kid": "k1"},
            )
            response = ask(server.url, good)
            assert response.status_code == 200, response.text
            assert response.json()["data"]["viewer"] == {
                "subject": "alice",
                "organizationId": "org-rs",
                "scopes": ["artifacts:read"],
            }
            attacks = [
                # HS256 signed with the server's public key (PEM and DER), with and without kid.
                hand_made({"alg": "HS256", "kid": "k1"}, claims(), one.public_pem.encode()),
                hand_made({"alg": "HS256"}, claims(), one.public_der),
                hand_made({"alg": "none", "kid": "k1"}, claims(), None),
                sign(claims(), two.private_pem, "RS256", headers={"kid": "k1"}),  # wrong key
                sign(claims(), two.private_pem, "RS256", headers={"kid": "k2"}),  # unknown kid
            ]
            for token in attacks:
                refused = ask(server.url, token)
                assert refused.status_code == 401, token
                assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            # Fetched on first use; the unknown kid came within the minute: no refetch.
            assert served.fetches == 1
