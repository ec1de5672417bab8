"""`cairn gc`, `cairn sweep` and `cairn usage` with no settings reach the embedded
PostgreSQL and S3 of a `cairn serve` running on the same CAIRN_DATA_DIR."""

from __future__ import annotations

import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.support.processes import cairn_env, run_cairn, start_serve

pytestmark = pytest.mark.slow

PUBLISH = """mutation { createArtifact(input: {type: TEXT, displayName: "a.txt", key: "emb"},
  data: "hello") { id } }"""


@pytest.fixture
def data_dir() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="cairn-gc-test-"))
    yield base / "data"
    shutil.rmtree(base, ignore_errors=True)


def test_gc_sweep_usage_reach_the_running_serve(data_dir: Path, tmp_path: Path) -> None:
    served = start_serve(data_dir, tmp_path)
    try:
        served.wait_healthy()
        created = served.graphql(PUBLISH)["createArtifact"]
        expire = (
            f'mutation {{ updateArtifact(id: "{created["id"]}", '
            'expiresAt: "2020-01-01T00:00:00Z") { id } }'
        )
        env = cairn_env(CAIRN_DATA_DIR=str(data_dir))

        usage = run_cairn("usage", "--json", "--org", "default", env=env, cwd=tmp_path)
        assert usage.returncode == 0, usage.stderr
        assert orjson.loads(usage.stdout)["default"]["artifactCount"] == 1

        served.graphql(expire)
        dry = run_cairn("gc", "--dry-run", "--json", env=env, cwd=tmp_path)
        assert dry.returncode == 0, dry.stderr
        report = orjson.loads(dry.stdout)
        assert [(i["reason"], i["artifactId"]) for i in report["removed"]] == [
            ("expired", created["id"])
        ]
        real = run_cairn("gc", env=env, cwd=tmp_path)
        assert real.returncode == 0, real.stderr
        assert f"removed expired default {created['id']} 5" in real.stdout.splitlines()
        sweep = run_cairn("sweep", env=env, cwd=tmp_path)
        assert sweep.returncode == 0, sweep.stderr
        after = run_cairn("usage", "--json", "--org", "default", env=env, cwd=tmp_path)
        assert orjson.loads(after.stdout)["default"]["artifactCount"] == 0
        # the serve is unharmed: it still answers, and its embedded servers still run
        assert served.graphql("{ storageUsage { artifactCount } }") == {
            "storageUsage": {"artifactCount": 0}
        }
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(60) == 0
        gone = run_cairn("gc", env=env, cwd=tmp_path)
        assert gone.returncode == 1
        assert "no running 'cairn serve' found" in gone.stderr
    finally:
        served.kill_all()
