"""TokenVerifier, called directly: what a token must carry, and every way to get it wrong."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cairn import auth
from cairn.auth import Principal, TokenVerifier
from cairn.errors import Unauthenticated
from tests.support.stack import JWT_SECRET
from tests.support.tokens import (
    b64url,
    claims,
    ec_pair,
    hand_made,
    rsa_pair,
    segment,
    sign,
    sign_pss,
    token_settings,
)

pytestmark = pytest.mark.unit


def rejected(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as caught:
        verifier.verify(token)
    assert caught.value.code == "UNAUTHENTICATED"
    return caught.value.message


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_algorithms_accepted(alg: str) -> None:
    verifier = TokenVerifier(token_settings(jwt_algorithms=[alg]))
    payload = claims()
    principal = verifier.verify(sign(payload, JWT_SECRET, alg))
    assert principal == Principal(
        subject="alice",
        org_id="org-a",
        scopes=frozenset({"artifacts:read", "artifacts:write", "artifacts:delete"}),
        expires_at=payload["exp"] + 30.0,  # exp + leeway: when open subscriptions end
    )


def test_algorithm_not_configured_is_rejected() -> None:
    verifier = TokenVerifier(token_settings(jwt_algorithms=["HS256"]))
    message = rejected(verifier, sign(claims(), JWT_SECRET, "HS512"))
    assert "algorithm is not one this service accepts (HS256)" in message


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_rsa_with_pem(alg: str) -> None:
    pair = rsa_pair()
    verifier = TokenVerifier(token_settings(jwt_algorithms=[alg], jwt_public_key=pair.public_pem))
    assert verifier.verify(sign(claims(), pair.private_pem, alg)).org_id == "org-a"
    rejected(verifier, sign(claims(), rsa_pair(1).private_pem, alg))  # wrong key


def test_pem_with_escaped_newlines_from_an_env_file() -> None:
    pair = rsa_pair()
    escaped = pair.public_pem.strip().replace("\n", "\\n")
    verifier = TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_public_key=escaped))
    assert verifier.verify(sign(claims(), pair.private_pem, "RS256")).subject == "alice"


def test_bad_pem_stops_start_up() -> None:
    with pytest.raises(ValueError, match="CAIRN_JWT_PUBLIC_KEY is not a PEM public key"):
        TokenVerifier(token_settings(jwt_algorithms=["RS256"], jwt_public_key="not a key"))


def test_ec_with_pem() -> None:
    pair = ec_pair()
    verifier = TokenVerifier(
        token_settings(jwt_algorithms=["ES256"], jwt_public_key=pair.public_pem)
    )
    assert verifier.verify(sign(claims(), pair.private_pem, "ES256")).org_id == "org-a"
    rejected(verifier, sign(claims(), ec_pair(1).private_pem, "ES256"))
    # An RSA-configured key never verifies an EC-signed token and vice versa.
    rsa_verifier = TokenVerifier(
        token_settings(jwt_algorithms=["RS256", "ES256"], jwt_public_key=rsa_pair().public_pem)
    )
    rejected(rsa_verifier, sign(claims(), pair.private_pem, "ES256"))


@pytest.mark.parametrize("alg", ["PS256", "PS384", "PS512"])
def test_rsa_pss(alg: str) -> None:
    pair = rsa_pair()
    verifier = TokenVerifier(token_settings(jwt_algorithms=[alg], jwt_public_key=pair.public_pem))
    assert verifier.verify(sign_pss(claims(), pair, alg)).org_id == "org-a"
    rejected(verifier, sign_pss(claims(), rsa_pair(1), alg))
    rejected(verifier, sign_pss(claims(exp=int(time.time()) - 100), pair, alg))
    tampered = sign_pss(claims(), pair, alg).split(".")
    tampered[1] = segment(claims(org="org-b"))
    rejected(verifier, ".".join(tampered))


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("configured", ["HS256", "RS256"])
def test_alg_none_in_every_casing(alg: str, configured: str) -> None:
    extra: dict[str, Any] = {"jwt_algorithms": [configured]}
    if configured == "RS256":
        extra["jwt_public_key"] = rsa_pair().public_pem
    verifier = TokenVerifier(token_settings(**extra))
    for signature in ("", b64url(b"x"), "AAAA"):
        token = hand_made({"alg": alg, "typ": "JWT"}, claims(), None)[:-1] + "." + signature
        assert "algorithm is not one" in rejected(verifier, token)


@pytest.mark.parametrize("as_der", [False, True])
def test_hs256_signed_with_the_rsa_public_key(as_der: bool) -> None:
    """The classic key-confusion attack against an RS256 server."""
    pair = rsa_pair()
    verifier = TokenVerifier(
        token_settings(jwt_algorithms=["RS256"], jwt_public_key=pair.public_pem)
    )
    secret = pair.public_der if as_der else pair.public_pem.encode()
    for header in ({"alg": "HS256", "typ": "JWT"}, {"alg": "HS256"}):
        rejected(verifier, hand_made(header, claims(), secret))
    # ... and the same with the escaped/stripped variants someone might try.
    rejected(verifier, hand_made({"alg": "HS256"}, claims(), pair.public_pem.strip().encode()))


def test_expiry_leeway_is_30_seconds() -> None:
    verifier = TokenVerifier(token_settings())
    now = int(time.time())
    assert verifier.verify(sign(claims(exp=now - 20), JWT_SECRET, "HS256")).subject == "alice"
    assert "expired" in rejected(verifier, sign(claims(exp=now - 45), JWT_SECRET, "HS256"))


def test_not_before_is_honoured() -> None:
    verifier = TokenVerifier(token_settings())
    now = int(time.time())
    assert "not yet valid" in rejected(verifier, sign(claims(nbf=now + 120), JWT_SECRET, "HS256"))
    assert verifier.verify(sign(claims(nbf=now + 10), JWT_SECRET, "HS256")).org_id == "org-a"
    rejected(verifier, sign(claims(iat="yesterday"), JWT_SECRET, "HS256"))


@pytest.mark.parametrize(
    ("missing", "expect"),
    [("exp", "exp"), ("sub", "sub"), ("org_id", "org_id")],
)
def test_required_claims(missing: str, expect: str) -> None:
    verifier = TokenVerifier(token_settings())
    token = sign({k: v for k, v in claims().items() if k != missing}, JWT_SECRET, "HS256")
    assert expect in rejected(verifier, token)


@pytest.mark.parametrize(
    "org",
    ["", "a" * 65, "org a", "org/a", "org.a", "ørg", "org\n", 42, ["org-a"], None, "a;drop"],
)
def test_bad_org_formats(org: Any) -> None:
    verifier = TokenVerifier(token_settings())
    payload = claims()
    payload["org_id"] = org
    rejected(verifier, sign(payload, JWT_SECRET, "HS256"))


def test_org_claim_name_is_configurable() -> None:
    verifier = TokenVerifier(token_settings(jwt_org_claim="https://cairn.dev/org"))
    token = sign(claims(org_id=None, **{"https://cairn.dev/org": "team_7"}), JWT_SECRET, "HS256")
    assert verifier.verify(token).org_id == "team_7"
    rejected(verifier, sign(claims(), JWT_SECRET, "HS256"))  # org_id alone no longer counts


@pytest.mark.parametrize("sub", ["", 7, None, "x" * 256])
def test_bad_subjects(sub: Any) -> None:
    payload = claims()
    payload["sub"] = sub
    rejected(TokenVerifier(token_settings()), sign(payload, JWT_SECRET, "HS256"))


def test_audience_and_issuer_enforced_when_configured() -> None:
    verifier = TokenVerifier(token_settings(jwt_audience="cairn", jwt_issuer="https://idp.example"))
    good = claims(aud="cairn", iss="https://idp.example")
    assert verifier.verify(sign(good, JWT_SECRET, "HS256")).subject == "alice"
    both = claims(aud=["other", "cairn"], iss="https://idp.example")
    assert verifier.verify(sign(both, JWT_SECRET, "HS256")).subject == "alice"
    for bad in (
        claims(aud="other", iss="https://idp.example"),
        claims(aud="cairn", iss="https://evil.example"),
        claims(iss="https://idp.example"),  # no aud at all
        claims(aud="cairn"),  # no iss at all
        claims(aud=7, iss="https://idp.example"),
    ):
        rejected(verifier, sign(bad, JWT_SECRET, "HS256"))
    # Not configured: aud/iss are not required.
    assert TokenVerifier(token_settings()).verify(sign(claims(aud="x"), JWT_SECRET, "HS256"))


def test_scopes_from_scope_or_scp() -> None:
    verifier = TokenVerifier(token_settings())
    spaced = sign(claims(scope="artifacts:read  artifacts:write"), JWT_SECRET, "HS256")
    assert verifier.verify(spaced).scopes == frozenset({"artifacts:read", "artifacts:write"})
    listed = sign(claims(scope=None, scp=["artifacts:read", 5]), JWT_SECRET, "HS256")
    assert verifier.verify(listed).scopes == frozenset({"artifacts:read"})
    none = sign(claims(scope=None), JWT_SECRET, "HS256")
    assert verifier.verify(none).scopes == frozenset()


def test_oversized_token_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = TokenVerifier(token_settings())
    big = sign(claims(pad="x" * 9000), JWT_SECRET, "HS256")

    def explode(token: str) -> None:
        raise AssertionError("parsed a token over 8 KiB")

    monkeypatch.setattr(auth.jwt, "get_unverified_header", explode)
    assert "larger than 8 KiB" in rejected(verifier, big)
    with pytest.raises(Unauthenticated, match="larger than 8 KiB"):
        verifier.verify_header("Bearer " + "a" * 9000)


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "bearer"],
)
def test_malformed_authorization_headers(header: str | None) -> None:
    with pytest.raises(Unauthenticated):
        TokenVerifier(token_settings()).verify_header(header)


def test_bearer_scheme_is_case_insensitive() -> None:
    token = sign(claims(), JWT_SECRET, "HS256")
    assert TokenVerifier(token_settings()).verify_header(f"bearer {token}").org_id == "org-a"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a",
        "a.b",
        "a.b.c",
        "....",
        "é.é.é",
        "\x00.\x00.\x00",
        segment({"alg": "HS256"}) + "." + b64url(b"not json") + ".sig",
        segment(["alg"]) + "." + segment(claims()) + ".sig",
        segment({"alg": 256}) + "." + segment(claims()) + ".sig",
        segment({"alg": "HS256"}) + "." + segment([1, 2]) + ".sig",
    ],
)
def test_garbage_tokens(token: str) -> None:
    rejected(TokenVerifier(token_settings()), token)


def test_payload_tampering_is_detected() -> None:
    verifier = TokenVerifier(token_settings())
    head, _, sig = sign(claims(), JWT_SECRET, "HS256").split(".")
    forged = f"{head}.{segment(claims(org='org-b'))}.{sig}"
    assert "Signature verification failed" in rejected(verifier, forged)


def test_issue_token_roundtrip_and_refusals() -> None:
    config = token_settings()
    token = auth.issue_token(config, org_id="acme", scopes=["artifacts:read"])
    assert TokenVerifier(config).verify(token).scopes == frozenset({"artifacts:read"})
    with pytest.raises(ValueError, match="--org"):
        auth.issue_token(config, org_id="not ok")
    rs = token_settings(jwt_algorithms=["RS256"], jwt_public_key=rsa_pair().public_pem)
    with pytest.raises(ValueError, match="CAIRN_JWT_SECRET"):
        auth.issue_token(rs, org_id="acme")


def test_a_verified_token_is_not_checked_again_until_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Verified tokens are cached, so a client's next request skips the signature check;
    a cached token still stops working the moment it expires (no leeway here)."""
    verifier = TokenVerifier(token_settings(jwt_algorithms=["HS256"], jwt_leeway_seconds=0))
    checks: list[str] = []
    check = verifier._check
    monkeypatch.setattr(verifier, "_check", lambda token: checks.append(token) or check(token))
    expires = int(time.time()) + 1
    token = sign(claims(exp=expires), JWT_SECRET, "HS256")
    first = verifier.verify(token)
    assert verifier.verify(token) == first
    assert checks == [token]
    # A token differing in one signature byte is checked (and refused), never a cache hit.
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    rejected(verifier, forged)
    assert checks == [token, forged]
    # python-jose compares whole seconds: the token is refused from second exp + 1 on.
    time.sleep(max(0.0, expires + 1 - time.time()) + 0.05)
    assert "expired" in rejected(verifier, token)
    assert checks == [token, forged, token]


def test_the_verified_token_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "VERIFIED_CACHE_SIZE", 3)
    verifier = TokenVerifier(token_settings(jwt_algorithms=["HS256"]))
    tokens = [sign(claims(sub=f"user-{n}"), JWT_SECRET, "HS256") for n in range(5)]
    for token in tokens:
        verifier.verify(token)
    assert list(verifier._verified) == tokens[2:]  # the oldest went first
    verifier.verify(tokens[2])  # a hit moves a token to the back
    verifier.verify(tokens[0])
    assert list(verifier._verified) == [tokens[4], tokens[2], tokens[0]]
