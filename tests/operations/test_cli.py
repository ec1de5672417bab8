"""``cairn token`` and ``cairn export-schema``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from jose import jwt

from tests.support.http import Server
from tests.support.processes import REPO, cairn_env, run_cairn
from tests.support.stack import JWT_SECRET


def _viewer(server: Server, token: str) -> httpx.Response:
    return httpx.post(
        server.graphql_url,
        json={"query": "{ viewer { subject organizationId scopes } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


@pytest.mark.unit
def test_schema_graphql_is_exactly_the_export(tmp_path: Path) -> None:
    result = run_cairn("export-schema", env=cairn_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    committed = (REPO / "schema.graphql").read_text()
    assert result.stdout == committed, (
        "schema.graphql is stale: regenerate it with `cairn export-schema > schema.graphql`"
    )


@pytest.mark.unit
def test_export_schema_does_not_depend_on_the_environment(tmp_path: Path) -> None:
    plain = run_cairn("export-schema", env=cairn_env(), cwd=tmp_path)
    odd = run_cairn(
        "export-schema",
        env=cairn_env(CAIRN_SIGNED_URL_TTL="abc", CAIRN_INTROSPECTION="false"),
        cwd=tmp_path,
    )
    assert (odd.returncode, odd.stdout) == (0, plain.stdout)


def test_cairn_token_works_against_the_service(server: Server, tmp_path: Path) -> None:
    env = cairn_env(CAIRN_JWT_SECRET=JWT_SECRET)
    result = run_cairn("token", "--org", "acme-cli", "--subject", "ci-bot", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert "\n" not in token
    response = _viewer(server, token)
    assert response.status_code == 200
    assert response.json()["data"]["viewer"] == {
        "subject": "ci-bot",
        "organizationId": "acme-cli",
        "scopes": ["artifacts:delete", "artifacts:read", "artifacts:write", "audit:read"],
    }


def test_cairn_token_scopes_and_ttl(server: Server, tmp_path: Path) -> None:
    env = cairn_env(CAIRN_JWT_SECRET=JWT_SECRET)
    result = run_cairn(
        "token", "--org", "acme-cli", "--scope", "artifacts:read", "--ttl", "120",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 120
    assert claims["scope"] == "artifacts:read"
    assert _viewer(server, token).json()["data"]["viewer"]["scopes"] == ["artifacts:read"]
    write = httpx.post(
        server.graphql_url,
        json={"query": 'mutation { createWorkflow(input: {name: "x"}) { id } }'},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.unit
def test_cairn_token_in_embedded_mode_keeps_the_secret_in_the_data_dir(tmp_path: Path) -> None:
    env = cairn_env(CAIRN_DATA_DIR=str(tmp_path / "data"))
    first = run_cairn("token", "--org", "default", env=env, cwd=tmp_path)
    second = run_cairn("token", "--org", "default", env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    secret_file = tmp_path / "data" / "jwt_secret"
    secret = secret_file.read_text().strip()
    assert len(secret) >= 32
    assert secret_file.stat().st_mode & 0o077 == 0
    for out in (first.stdout, second.stdout):
        assert jwt.decode(out.strip(), secret, algorithms=["HS256"])["org_id"] == "default"


@pytest.mark.unit
def test_cairn_token_rejects_bad_arguments(tmp_path: Path) -> None:
    env = cairn_env(CAIRN_JWT_SECRET=JWT_SECRET)
    bad_org = run_cairn("token", "--org", "no spaces", env=env, cwd=tmp_path)
    assert bad_org.returncode != 0
    assert bad_org.stderr.strip() == "cairn: --org must be 1-64 letters, digits, '_' or '-'"
    bad_ttl = run_cairn("token", "--org", "a", "--ttl", "0", env=env, cwd=tmp_path)
    assert bad_ttl.returncode != 0
    assert bad_ttl.stderr.strip() == "cairn: --ttl must be a positive number of seconds"
    assert bad_org.stdout == bad_ttl.stdout == ""
