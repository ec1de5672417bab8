"""Generated typed clients work against Cairn's schema (DESIGN.md section 4).

TypeScript: `@graphql-codegen/cli` (typescript + typescript-operations) generates types for the
operations in tests/clients/operations from the committed schema.graphql; `tsc --strict`
checks tests/clients/ts/usage.ts against them (its @ts-expect-error lines prove the types are
precise). Python: `ariadne-codegen`, in its own venv (it needs graphql-core < 3.3, Strawberry
needs 3.3), generates an async client package into a temporary directory; `mypy --strict` (with
the pydantic plugin) checks tests/clients/python/usage.py against it, and the test imports it and
drives the running test server with it.

Tools install on first use into gitignored caches (tests/clients/ts/node_modules,
tests/clients/.venv-codegen), re-installed when their lock file changes. A failed install fails
the test loudly; only missing `node`/`npm` binaries skip it.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from cairn.auth import ALL_SCOPES, issue_token
from tests.support.http import Server, new_org
from tests.support.typed_clients import (
    PACKAGE,
    PY_CONFIG,
    PY_USAGE,
    TS_DIR,
    ensure_codegen_venv,
    ensure_node_modules,
    mypy_usage,
    run_tool,
)

pytestmark = pytest.mark.slow


# -- TypeScript -----------------------------------------------------------------------


def test_typescript_types_generate_and_check_strict(tmp_path: Path) -> None:
    node, npm, npx = shutil.which("node"), shutil.which("npm"), shutil.which("npx")
    if node is None or npm is None or npx is None:
        pytest.skip("node/npm/npx are not installed: the TypeScript client check needs Node 20+")
    ensure_node_modules(npm, node)

    for name in ("usage.ts", "tsconfig.json"):
        shutil.copy(TS_DIR / name, tmp_path / name)
    out = tmp_path / "generated"
    env = {"CAIRN_CODEGEN_OUT": str(out)}
    run_tool(
        [npx, "--no", "--", "graphql-codegen", "--config", "codegen.ts"],
        TS_DIR,
        timeout=180,
        env=env,
    )

    generated = (out / "graphql.ts").read_text()
    # Nullable stays nullable (inline kinds have no signedUrl), BigInt is a number, the
    # connection has edges/nodes/pageInfo/totalCount, enums are the schema's.
    assert (
        "signedUrl: { __typename?: 'SignedUrl', url: string, expiresAt: string } | null, "
        "workflow: { __typename?: 'Workflow', id: string, name: string } | null } }> } };"
    ) in generated
    assert "sizeBytes: number, sha256: string, status: ArtifactStatus, data: unknown | null" in (
        generated
    )
    assert "export type ArtifactQuery = { __typename?: 'Query', artifact: {" in generated
    assert "totalCount: number, nodes: Array<{ __typename?: 'Artifact', id: string," in generated
    assert "export type ArtifactSort =\n  | 'CREATED_ASC'\n  | 'CREATED_DESC'\n  | 'KEY_ASC'" in (
        generated
    )
    assert re.search(r"[:<|]\s*any\b", generated) is None  # strictScalars: no `any` leaked in

    tsconfig = tmp_path / "tsconfig.json"
    run_tool(
        [npx, "--no", "--", "tsc", "--strict", "--noEmit", "-p", str(tsconfig)], TS_DIR, timeout=180
    )

    # The check can fail: the same usage with one unguarded nullable read does not compile.
    usage = (tmp_path / "usage.ts").read_text()
    guarded = "page.artifacts.edges[0]?.node.signedUrl?.url;"
    assert guarded in usage
    (tmp_path / "usage.ts").write_text(usage.replace(guarded, guarded.replace("?.url", ".url")))
    broken = subprocess.run(
        [npx, "--no", "--", "tsc", "--strict", "--noEmit", "-p", str(tsconfig)],
        cwd=TS_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert broken.returncode != 0
    line = next(i for i, text in enumerate(usage.splitlines(), 1) if guarded in text)
    errors = [text for text in broken.stdout.splitlines() if "error TS" in text]
    assert len(errors) == 1, broken.stdout
    assert f"usage.ts({line}," in errors[0]
    assert errors[0].endswith("error TS2531: Object is possibly 'null'.")


# -- Python -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the ariadne-codegen client package (`cairn_client`)."""
    codegen = ensure_codegen_venv()
    target = tmp_path_factory.mktemp("ariadne")
    header = "[tool.ariadne-codegen]\n"
    config = PY_CONFIG.read_text()
    assert header in config
    assert "target_package_path =" not in config
    (target / "codegen.toml").write_text(
        config.replace(header, header + f"target_package_path = {json.dumps(str(target))}\n")
    )
    # Relative paths in the config resolve against the config's own directory.
    run_tool(
        [str(codegen), "--config", str(target / "codegen.toml"), "client"],
        PY_CONFIG.parent,
        timeout=120,
    )
    return target


@pytest.fixture(scope="module")
def generated(generated_dir: Path) -> Iterator[Any]:
    """The generated client package, imported."""
    sys.path.insert(0, str(generated_dir))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(generated_dir))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_python_client_types_check_strict(generated_dir: Path) -> None:
    usage = PY_USAGE.read_text()
    checked = mypy_usage(generated_dir, usage)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("Success: no issues found in ")

    # The check can fail: an unguarded read of the nullable signedUrl does not type-check.
    guarded = "return node.signed_url.url if node.signed_url is not None else None"
    assert guarded in usage
    broken = mypy_usage(generated_dir, usage.replace(guarded, "return node.signed_url.url"))
    line = next(i for i, text in enumerate(usage.splitlines(), 1) if guarded in text)
    assert broken.returncode == 1
    assert broken.stdout.splitlines()[0] == (
        f'usage.py:{line}: error: Item "None" of "SignedUrlFields | None" has no attribute "url"'
        "  [union-attr]"
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_python_client_publishes_lists_and_downloads(generated: Any, server: Server) -> None:
    g = generated
    org = new_org()
    token = issue_token(server.settings, org_id=org, subject="codegen-user", scopes=ALL_SCOPES)
    auth = {"Authorization": f"Bearer {token}"}
    started = datetime.now(UTC) - timedelta(seconds=5)

    async with g.CairnClient(url=server.graphql_url, headers=auth) as client:
        viewer = (await client.viewer()).viewer
        assert (viewer.subject, viewer.organization_id) == ("codegen-user", org)
        assert sorted(viewer.scopes) == sorted(ALL_SCOPES)

        workflow = (
            await client.create_workflow(g.CreateWorkflowInput(name="nightly-etl", tags=["etl"]))
        ).create_workflow
        assert (workflow.name, workflow.tags, workflow.description) == (
            "nightly-etl",
            ["etl"],
            None,
        )
        assert workflow.created_at.tzinfo is not None
        assert workflow.created_at >= started
        run_input = g.CreateWorkflowRunInput(
            workflow_id=workflow.id, name="run-1", parameters={"day": "2024-01-01", "n": 3}
        )
        wf_run = (await client.create_workflow_run(run_input)).create_workflow_run
        assert (wf_run.status, wf_run.workflow.id) == (g.RunStatus.RUNNING, workflow.id)
        assert wf_run.parameters == {"day": "2024-01-01", "n": 3}

        def spec(kind: str, name: str, key: str) -> Any:
            return g.ArtifactInput(
                type_=g.ArtifactType[kind], display_name=name, key=key, workflow_run_id=wf_run.id
            )

        # MARKDOWN, twice under one key: versions 1 and 2
        first_md = (
            await client.create_markdown_artifact(spec("MARKDOWN", "summary.md", "summary"), "# v1")
        ).create_artifact
        md = (
            await client.create_markdown_artifact(spec("MARKDOWN", "summary.md", "summary"), "# v2")
        ).create_artifact
        assert (first_md.version, md.version, md.is_latest) == (1, 2, True)
        assert (md.type_, md.status, md.data, md.mime_type) == (
            g.ArtifactType.MARKDOWN,
            g.ArtifactStatus.AVAILABLE,
            "# v2",
            "text/markdown",
        )
        assert (md.created_by, md.size_bytes) == ("codegen-user", len(json.dumps("# v2")))

        table_data = {"columns": ["a", "b"], "rows": [[1, "x"], [2, None]]}
        table = (
            await client.create_table_artifact(spec("TABLE", "rows", "rows"), table_data)
        ).create_artifact
        assert (table.data, table.workflow_run.id) == (table_data, wf_run.id)

        # JSON file: presigned PUT straight to storage, then complete
        payload = json.dumps({"ok": True, "rows": 2}).encode()
        ticket = (
            await client.begin_artifact_upload(
                spec("JSON", "report.json", "report"), len(payload), sha256(payload)
            )
        ).begin_artifact_upload
        assert (ticket.artifact.status, ticket.artifact.version) == (g.ArtifactStatus.PENDING, None)
        assert ticket.upload_url.expires_at > datetime.now(UTC)
        async with httpx.AsyncClient(timeout=30) as http:
            put = await http.request(
                ticket.method, ticket.upload_url.url, content=payload, headers=ticket.headers
            )
            assert put.status_code == 200, put.text
            done = (
                await client.complete_artifact_upload(ticket.artifact.id)
            ).complete_artifact_upload
            assert (done.status, done.version, done.size_bytes, done.sha_256) == (
                g.ArtifactStatus.AVAILABLE,
                1,
                len(payload),
                sha256(payload),
            )
            assert done.storage_path.endswith(f"/orgs/{org}/artifacts/{done.id}")

            # List: filter by run, KEY_ASC, two per page, edges + pageInfo + totalCount
            run_filter = g.ArtifactFilter(
                workflow_run_id=g.IDFilter(eq=wf_run.id),
                created_at=g.DateTimeFilter(after=started),
            )
            page = (
                await client.artifacts(filter_=run_filter, sort=g.ArtifactSort.KEY_ASC, first=2)
            ).artifacts
            assert page.total_count == 4
            assert [(e.node.key, e.node.version) for e in page.edges] == [
                ("report", 1),
                ("rows", 1),
            ]
            assert (page.page_info.has_next_page, page.page_info.end_cursor) == (
                True,
                page.edges[-1].cursor,
            )
            rest = (
                await client.artifacts(
                    filter_=run_filter,
                    sort=g.ArtifactSort.KEY_ASC,
                    first=2,
                    after=page.page_info.end_cursor,
                )
            ).artifacts
            assert [(e.node.key, e.node.version) for e in rest.edges] == [
                ("summary", 1),
                ("summary", 2),
            ]
            assert rest.page_info.has_next_page is False
            assert [e.node.signed_url for e in rest.edges] == [None, None]  # inline: no URL

            # The JSON artifact's signedUrl from the listing downloads its bytes
            report = page.edges[0].node
            assert (report.type_, report.workflow.name) == (g.ArtifactType.JSON, "nightly-etl")
            got = await http.get(report.signed_url.url)
            assert (got.status_code, got.content) == (200, payload)

            only_json = (
                await client.artifacts(filter_=g.ArtifactFilter(type_=[g.ArtifactType.JSON]))
            ).artifacts
            assert [e.node.id for e in only_json.edges] == [done.id]

            latest = (await client.latest_artifacts(filter_=run_filter)).latest_artifacts
            assert [(n.key, n.version, n.is_latest) for n in latest.nodes] == [
                ("report", 1, True),
                ("rows", 1, True),
                ("summary", 2, True),
            ]
            assert latest.total_count == 3

            one = (await client.artifact(done.id)).artifact
            assert (one.display_name, one.signed_url.expires_at > datetime.now(UTC)) == (
                "report.json",
                True,
            )
            assert (await http.get(one.signed_url.url)).content == payload
        versions = (await client.artifact(md.id, versions_first=5)).artifact.versions
        assert versions.total_count == 2
        assert [(n.version, n.is_latest) for n in versions.nodes] == [(2, True), (1, False)]

        deleted = (await client.delete_artifacts_by_key("summary")).delete_artifacts_by_key
        assert deleted.deleted_count == 2
        assert (await client.artifact(md.id)).artifact is None

        # Errors arrive as the generated exception, with Cairn's code
        with pytest.raises(g.GraphQLClientGraphQLMultiError) as caught:
            await client.create_markdown_artifact(spec("MARKDOWN", "x.md", "Not A Key"), "x")
        assert [e.extensions["code"] for e in caught.value.errors] == ["BAD_USER_INPUT"]

    # Without a token: HTTP 401 surfaces as the generated HTTP error
    async with g.CairnClient(url=server.graphql_url) as anonymous:
        with pytest.raises(g.GraphQLClientHttpError) as refused:
            await anonymous.viewer()
        assert refused.value.status_code == 401
