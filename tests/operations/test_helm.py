"""The Helm chart: its YAML parses, it only sets contract settings, and Helm renders it.

Rendering uses Helm's own engine (the Helm v4 Go SDK in the ``helm-python-sdk`` wheel),
in a subprocess so a native crash cannot take the test run down. Without that wheel the
render tests skip; the static checks always run.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cairn.config import Settings

pytestmark = pytest.mark.unit

CHART = Path(__file__).resolve().parents[2] / "helm" / "cairn"
TEMPLATES = CHART / "templates"
# CONTRACT.md section 1: the server settings users may set.
CONTRACT_SETTINGS = {
    "CAIRN_DATABASE_URL",
    "CAIRN_S3_ENDPOINT",
    "CAIRN_S3_PUBLIC_ENDPOINT",
    "CAIRN_S3_ACCESS_KEY",
    "CAIRN_S3_SECRET_KEY",
    "CAIRN_S3_BUCKET",
    "CAIRN_S3_REGION",
    "CAIRN_S3_SECURE",
    "CAIRN_JWT_SECRET",
    "CAIRN_JWT_PUBLIC_KEY",
    "CAIRN_JWT_JWKS",
    "CAIRN_JWT_ALGORITHMS",
    "CAIRN_JWT_AUDIENCE",
    "CAIRN_JWT_ISSUER",
    "CAIRN_JWT_ORG_CLAIM",
    "CAIRN_SIGNED_URL_TTL",
    "CAIRN_MAX_UPLOAD_BYTES",
    "CAIRN_DATA_DIR",
}
# Settings Cairn adds beyond the contract (documented in the README).
EXTRA_SETTINGS = {
    "CAIRN_SWEEP_INTERVAL_SECONDS",
    "CAIRN_SWEEP_GRACE_SECONDS",
    "CAIRN_S3_TIMEOUT_SECONDS",  # CONTRACT.md section 6
    "CAIRN_RETENTION_DAYS",  # CONTRACT.md section 6
    "CAIRN_DB_POOL_TIMEOUT_SECONDS",
    "CAIRN_MAX_QUERY_COST",
    "CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS",
    "CAIRN_HTTP_MAX_CONNECTIONS",
    "CAIRN_PERSISTED_QUERIES",  # CONTRACT.md section 6
    "CAIRN_LOG_FORMAT",  # CONTRACT.md section 6
    "CAIRN_LOG_LEVEL",
    "CAIRN_CORS_ORIGINS",  # CONTRACT.md section 6
    "CAIRN_DB_POOL_MIN",
    "CAIRN_DB_POOL_MAX",
    "CAIRN_JWT_LEEWAY_SECONDS",
    "CAIRN_MAX_INLINE_BYTES",
    "CAIRN_MAX_REQUEST_BYTES",
    "CAIRN_MAX_QUERY_DEPTH",
    "CAIRN_MAX_ALIASES",
    "CAIRN_MAX_QUERY_TOKENS",
    "CAIRN_INTROSPECTION",
    "CAIRN_AUDIT_RETENTION_DAYS",  # CONTRACT.md section 6
}
REQUIRED = {
    "config": {"s3Endpoint": "http://minio:9000"},
    "secrets": {
        "databaseUrl": "postgresql://cairn@postgres/cairn",
        "jwtSecret": "s" * 40,
        "s3AccessKey": "access",
        "s3SecretKey": "secret",
    },
}
HAS_HELM = importlib.util.find_spec("helm_python") is not None


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _template_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.iterdir()))


def test_chart_and_values_parse() -> None:
    chart = _load(CHART / "Chart.yaml")
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == "cairn"
    assert chart["type"] == "application"
    assert re.fullmatch(r"\d+\.\d+\.\d+", chart["version"])
    values = _load(CHART / "values.yaml")
    assert values["securityContext"]["readOnlyRootFilesystem"] is True
    assert values["securityContext"]["allowPrivilegeEscalation"] is False
    assert values["podSecurityContext"]["runAsNonRoot"] is True
    assert values["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert values["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert values["migrations"]["mode"] == "initContainer"
    assert values["resources"]["requests"]
    assert values["resources"]["limits"]


def test_every_env_var_in_templates_is_a_contract_setting() -> None:
    names = set(re.findall(r"\bCAIRN_[A-Z0-9_]+\b", _template_text()))
    assert names - CONTRACT_SETTINGS - EXTRA_SETTINGS == set()
    # ... and one Cairn's Settings really reads.
    fields = {"CAIRN_" + name.upper() for name in Settings.model_fields}
    assert names - fields == set()
    # The four secrets the brief names are wired.
    assert {
        "CAIRN_DATABASE_URL",
        "CAIRN_JWT_SECRET",
        "CAIRN_S3_ACCESS_KEY",
        "CAIRN_S3_SECRET_KEY",
    } <= names


def test_every_setting_is_in_the_chart() -> None:
    """Each CAIRN_* setting Cairn reads can be set through the chart (values + ConfigMap,
    or the Secret for the four secret ones): a new setting must be wired here too."""
    names = set(re.findall(r"\bCAIRN_[A-Z0-9_]+\b", _template_text()))
    fields = {"CAIRN_" + name.upper() for name in Settings.model_fields}
    assert fields - names == set(), "add these settings to values.yaml and configmap.yaml"


def test_every_values_path_the_templates_use_exists() -> None:
    values = _load(CHART / "values.yaml")
    paths = set(re.findall(r"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)", _template_text()))
    assert len(paths) > 30
    missing = []
    for path in sorted(paths):
        node: Any = values
        for part in path.strip(".").split("."):
            if not isinstance(node, dict) or part not in node:
                missing.append(path)
                break
            node = node[part]
    assert missing == []


def test_template_actions_are_balanced() -> None:
    for path in sorted(TEMPLATES.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert text.count("{{") == text.count("}}"), path.name
        opens = len(re.findall(r"\{\{-?\s*(?:if|with|range|define)\b", text))
        ends = len(re.findall(r"\{\{-?\s*end\s*-?\}\}", text))
        assert opens == ends, path.name


def test_probe_paths_are_routes_of_the_app() -> None:
    from cairn.app import create_app

    app = create_app(Settings(_env_file=None, database_url="postgresql://x/y", jwt_secret="j" * 40))  # type: ignore[call-arg]
    paths = {getattr(route, "path", None) for route in app.routes}
    assert {"/healthz", "/readyz", "/graphql"} <= paths


# --- rendering with Helm's engine -------------------------------------------------------

_RENDER = """
import json, sys
import helm_python as helm
values = json.loads(sys.argv[2])
try:
    with helm.Chart.load(sys.argv[1]) as chart:
        out = chart.render(values, name="demo", namespace="prod")
    lint = helm.lint(sys.argv[1], values=values)
    print(json.dumps({"manifests": out, "lint_errors": lint["errors"]}))
except helm.HelmError as exc:
    print(json.dumps({"error": str(exc)}))
"""


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = json.loads(json.dumps(base))
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _render_raw(values: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, str(CHART), json.dumps(values)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def render(extra: dict[str, Any] | None = None, *, base: dict[str, Any] = REQUIRED) -> Any:
    """Render the chart; return {kind: [objects]} (and assert lint is clean)."""
    result = _render_raw(_merge(base, extra or {}))
    assert "error" not in result, result.get("error")
    assert result["lint_errors"] == []
    objects: dict[str, list[dict[str, Any]]] = {}
    for name, text in result["manifests"].items():
        if name.endswith("NOTES.txt"):
            objects.setdefault("NOTES", []).append({"text": text})
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                objects.setdefault(doc["kind"], []).append(doc)
    return objects


def render_error(extra: dict[str, Any], *, base: dict[str, Any] = REQUIRED) -> str:
    result = _render_raw(_merge(base, extra))
    assert "error" in result, "expected the chart to refuse these values"
    return str(result["error"])


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {
        e["name"]: e["valueFrom"]["secretKeyRef"]
        for e in container.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }


needs_helm = pytest.mark.skipif(not HAS_HELM, reason="helm-python-sdk is not installed")


@needs_helm
def test_default_render() -> None:
    objects = render()
    assert sorted(k for k in objects if k != "NOTES") == [
        "ConfigMap",
        "Deployment",
        "PodDisruptionBudget",
        "Secret",
        "Service",
        "ServiceAccount",
    ]
    deployment = objects["Deployment"][0]
    pod = deployment["spec"]["template"]["spec"]
    (server,) = pod["containers"]
    (migrate,) = pod["initContainers"]
    assert server["command"] == ["cairn", "serve", "--host", "0.0.0.0", "--port", "8000"]  # noqa: S104
    assert migrate["command"] == ["cairn", "migrate"]
    assert server["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert server["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert server["securityContext"]["readOnlyRootFilesystem"] is True
    assert server["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert pod["automountServiceAccountToken"] is False
    assert server["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]
    assert server["resources"]["limits"] == {"memory": "512Mi"}
    refs = _env(server)
    assert {name: ref["key"] for name, ref in refs.items()} == {
        "CAIRN_DATABASE_URL": "database-url",
        "CAIRN_JWT_SECRET": "jwt-secret",
        "CAIRN_S3_ACCESS_KEY": "s3-access-key",
        "CAIRN_S3_SECRET_KEY": "s3-secret-key",
    }
    assert {ref["name"] for ref in refs.values()} == {"demo-cairn"}
    assert _env(migrate) == {"CAIRN_DATABASE_URL": {"name": "demo-cairn", "key": "database-url"}}
    secret = objects["Secret"][0]
    assert secret["stringData"] == {
        "database-url": "postgresql://cairn@postgres/cairn",
        "jwt-secret": "s" * 40,
        "s3-access-key": "access",
        "s3-secret-key": "secret",
    }
    config = objects["ConfigMap"][0]["data"]
    assert config == {
        "CAIRN_S3_ENDPOINT": "http://minio:9000",
        "CAIRN_S3_BUCKET": "cairn-artifacts",
        "CAIRN_S3_REGION": "us-east-1",
        "CAIRN_S3_SECURE": "false",
        "CAIRN_S3_TIMEOUT_SECONDS": "10",
        "CAIRN_JWT_ALGORITHMS": "HS256",
        "CAIRN_JWT_ORG_CLAIM": "org_id",
        "CAIRN_SIGNED_URL_TTL": "900",
        "CAIRN_SWEEP_INTERVAL_SECONDS": "300",
        "CAIRN_SWEEP_GRACE_SECONDS": "3600",
        "CAIRN_RETENTION_DAYS": "0",
        "CAIRN_AUDIT_RETENTION_DAYS": "90",
        "CAIRN_DB_POOL_TIMEOUT_SECONDS": "5",
        "CAIRN_MAX_QUERY_COST": "50000",
        "CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS": "30",
        "CAIRN_HTTP_MAX_CONNECTIONS": "1000",
        "CAIRN_PERSISTED_QUERIES": "on",
        "CAIRN_LOG_FORMAT": "json",
        "CAIRN_LOG_LEVEL": "INFO",
        "CAIRN_DATA_DIR": "/tmp/cairn",
    }
    selector = {
        "app.kubernetes.io/name": "cairn",
        "app.kubernetes.io/instance": "demo",
        "app.kubernetes.io/component": "server",
    }
    assert objects["Service"][0]["spec"]["selector"] == selector
    assert deployment["spec"]["selector"]["matchLabels"] == selector
    assert objects["PodDisruptionBudget"][0]["spec"] == {
        "minAvailable": 1,
        "selector": {"matchLabels": selector},
    }
    assert "port-forward svc/demo-cairn" in objects["NOTES"][0]["text"]


@needs_helm
def test_existing_secret_job_mode_rs256_ingress_hpa() -> None:
    objects = render(
        {
            "secrets": {"existingSecret": "mine", "keys": {"migrateDatabaseUrl": "owner-url"}},
            "migrations": {"mode": "job"},
            "config": {
                "jwtAlgorithms": "RS256",
                "jwtJwks": "https://idp.example.com/jwks.json",
                "jwtAudience": "cairn",
                "maxUploadBytes": 1073741824,
            },
            "ingress": {
                "enabled": True,
                "className": "nginx",
                "tls": [{"secretName": "cairn-tls", "hosts": ["cairn.example.com"]}],
            },
            "autoscaling": {"enabled": True, "targetMemoryUtilizationPercentage": 80},
            "podDisruptionBudget": {"maxUnavailable": 1},
        },
        base={"config": REQUIRED["config"]},
    )
    assert "Secret" not in objects
    deployment = objects["Deployment"][0]
    assert "replicas" not in deployment["spec"]
    pod = deployment["spec"]["template"]["spec"]
    assert "initContainers" not in pod
    refs = _env(pod["containers"][0])
    assert set(refs) == {"CAIRN_DATABASE_URL", "CAIRN_S3_ACCESS_KEY", "CAIRN_S3_SECRET_KEY"}
    assert {ref["name"] for ref in refs.values()} == {"mine"}
    (job,) = objects["Job"]
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    job_pod = job["spec"]["template"]
    assert job_pod["metadata"]["labels"]["app.kubernetes.io/component"] == "migrate"
    assert _env(job_pod["spec"]["containers"][0]) == {
        "CAIRN_DATABASE_URL": {"name": "mine", "key": "owner-url"}
    }
    data = objects["ConfigMap"][0]["data"]
    assert data["CAIRN_JWT_JWKS"] == "https://idp.example.com/jwks.json"
    assert data["CAIRN_JWT_AUDIENCE"] == "cairn"
    assert data["CAIRN_MAX_UPLOAD_BYTES"] == "1073741824"
    assert "CAIRN_JWT_ISSUER" not in data
    ingress = objects["Ingress"][0]["spec"]
    assert ingress["ingressClassName"] == "nginx"
    assert ingress["tls"] == [{"hosts": ["cairn.example.com"], "secretName": "cairn-tls"}]
    backend = ingress["rules"][0]["http"]["paths"][0]["backend"]
    assert backend == {"service": {"name": "demo-cairn", "port": {"name": "http"}}}
    metrics = objects["HorizontalPodAutoscaler"][0]["spec"]["metrics"]
    assert [
        (m["resource"]["name"], m["resource"]["target"]["averageUtilization"]) for m in metrics
    ] == [
        ("cpu", 70),
        ("memory", 80),
    ]
    assert objects["PodDisruptionBudget"][0]["spec"]["maxUnavailable"] == 1
    assert "https://cairn.example.com/graphql" in objects["NOTES"][0]["text"]


@needs_helm
def test_chart_refuses_incomplete_values() -> None:
    assert "config.s3Endpoint (CAIRN_S3_ENDPOINT) is required" in render_error(
        {"config": {"s3Endpoint": ""}}
    )
    assert "secrets.databaseUrl (CAIRN_DATABASE_URL) is required" in render_error(
        {"secrets": {"databaseUrl": ""}}
    )
    assert "set secrets.existingSecret" in render_error({"migrations": {"mode": "job"}})
    # values.schema.json refuses it before any template runs
    assert "/migrations/mode" in render_error({"migrations": {"mode": "sidecar"}})


# --- values.schema.json and offline Kubernetes validation ------------------------------


def _leaves(node: Any, path: str = "") -> list[str]:
    if isinstance(node, dict) and node:
        return [leaf for key, value in node.items() for leaf in _leaves(value, f"{path}.{key}")]
    return [path.lstrip(".")]


def test_values_schema_covers_every_value() -> None:
    schema = json.loads((CHART / "values.schema.json").read_text(encoding="utf-8"))
    missing = []
    for leaf in _leaves(_load(CHART / "values.yaml")):
        node = schema
        for part in leaf.split("."):
            props = node.get("properties", {})
            if part not in props:
                if node.get("type") == "object" and "additionalProperties" not in node:
                    break  # a free-form Kubernetes object (resources, probes, ...)
                missing.append(leaf)
                break
            node = props[part]
    assert missing == [], "describe these values in helm/cairn/values.schema.json"


VALUE_SETS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "minimal": (REQUIRED, {}),
    "external-secret": (
        {"config": REQUIRED["config"]},
        {"secrets": {"existingSecret": "cairn-credentials"}, "migrations": {"mode": "job"}},
    ),
    "ingress-hpa-pdb": (
        REQUIRED,
        {
            "ingress": {"enabled": True, "className": "nginx"},
            "autoscaling": {"enabled": True, "targetMemoryUtilizationPercentage": 80},
            "podDisruptionBudget": {"minAvailable": None, "maxUnavailable": 1},
        },
    ),
    "monitoring-netpol-gc": (
        REQUIRED,
        {
            "metrics": {"serviceMonitor": {"enabled": True, "labels": {"release": "prom"}}},
            "networkPolicy": {
                "enabled": True,
                "ingressFrom": [{"namespaceSelector": {"matchLabels": {"team": "ci"}}}],
                "egress": {
                    "enabled": True,
                    "to": [
                        {"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"port": 5432}]}
                    ],
                },
            },
            "gc": {"enabled": True, "args": ["--dry-run"]},
            "extraEnv": [{"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel:4318"}],
        },
    ),
}
# Custom resources have no schema in Kubernetes' own; checked by hand below.
CUSTOM_KINDS = {"ServiceMonitor"}


@needs_helm
@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_rendered_manifests_are_valid_kubernetes(name: str) -> None:
    import kubernetes_validate

    base, extra = VALUE_SETS[name]
    objects = render(extra, base=base)
    checked = 0
    for kind, docs in objects.items():
        if kind == "NOTES" or kind in CUSTOM_KINDS:
            continue
        for doc in docs:
            kubernetes_validate.validate(doc, "1.33.0", strict=True)
            checked += 1
    assert checked >= 5


@needs_helm
def test_monitoring_network_policy_and_gc_cronjob() -> None:
    objects = render(VALUE_SETS["monitoring-netpol-gc"][1])
    # extraEnv (e.g. tracing) reaches the service and the gc job
    otel = {"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel:4318"}
    (deployment,) = objects["Deployment"]
    assert otel in deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    (cronjob,) = objects["CronJob"]
    assert (
        otel in cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["env"]
    )
    (monitor,) = objects["ServiceMonitor"]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["labels"]["release"] == "prom"
    assert monitor["spec"]["endpoints"] == [
        {"port": "http", "path": "/metrics", "interval": "30s", "scrapeTimeout": "10s"}
    ]
    assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["prod"]}
    service_labels = objects["Service"][0]["metadata"]["labels"]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service_labels.items()
    (policy,) = objects["NetworkPolicy"]
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert policy["spec"]["ingress"][0]["from"] == [
        {"namespaceSelector": {"matchLabels": {"team": "ci"}}}
    ]
    assert {"port": 5432} in policy["spec"]["egress"][1]["ports"]
    (cron,) = objects["CronJob"]
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["containers"][0]["command"] == ["cairn", "gc", "--json", "--dry-run"]
    assert set(_env(pod["containers"][0])) >= {"CAIRN_DATABASE_URL", "CAIRN_S3_SECRET_KEY"}
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    # the CronJob does the cleaning: the in-process sweep is off
    assert objects["ConfigMap"][0]["data"]["CAIRN_SWEEP_INTERVAL_SECONDS"] == "0"


@needs_helm
@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"replicaCount": "two"}, "/replicaCount"),
        ({"config": {"s3Secure": "yes"}}, "/config/s3Secure"),
        ({"config": {"logFormat": "xml"}}, "/config/logFormat"),
        ({"gc": {"enabled": "true"}}, "/gc/enabled"),
        ({"config": {"unknownSetting": 1}}, "unknownSetting"),
    ],
)
def test_wrong_types_fail_lint(extra: dict[str, Any], where: str) -> None:
    assert where in render_error(extra)
