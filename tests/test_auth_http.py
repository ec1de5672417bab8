"""Tokens end to end: an RS256 server whose keys come from a JWKS URL (served locally)."""

from __future__ import annotations

import httpx

from tests.conftest import Stack, make_settings, serve
from tests.helpers_security import claims, hand_made, jwks_server, rsa_pair, sign


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
