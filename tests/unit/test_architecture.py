"""The layering rules, checked by reading the source (not by memory).

- SQL lives only in ``cairn/db/`` (and ``sql/`` migrations).
- Strawberry and graphql-core are imported only in ``cairn/graphql/``.
- Imports run one way: ``db`` and ``storage`` know nothing of services, GraphQL, the app
  or the CLI; ``services`` knows nothing of GraphQL, the app or the CLI.
- Names with one home: the NOTIFY channel and the database roles are spelled out in one
  module each; each artifact-type fact is assigned in one module.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "cairn"

# Statements, not words: upper-case keywords in the shapes SQL has. Prose and GraphQL
# documents do not look like this.
SQL = re.compile(
    r"\bSELECT\s+(?:[\w*.,()'$\s-]+?\s+FROM\b|\d|\*|pg_\w+\(|set_config\()"
    r"|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+(?:\w+\s+)?SET\b|\bDELETE\s+FROM\b"
    r"|\b(?:CREATE|DROP|ALTER)\s+(?:TABLE|ROLE|INDEX|POLICY|FUNCTION)\b"
    r"|\bGRANT\s+\w+|\bSET\s+LOCAL\b|\bpg_notify\b"
)
GRAPHQL_LIBRARIES = ("strawberry", "graphql")
# package -> the cairn packages/modules it must not import
FORBIDDEN_IMPORTS = {
    "cairn.db": ("cairn.services", "cairn.graphql", "cairn.app", "cairn.cli", "cairn.storage"),
    "cairn.storage": ("cairn.db", "cairn.services", "cairn.graphql", "cairn.app", "cairn.cli"),
    "cairn.services": ("cairn.graphql", "cairn.app", "cairn.cli"),
}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(), filename=str(path))


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring nodes (module, class, function)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every string literal that is not a docstring; an f-string as its literal parts
    joined with a placeholder."""
    skip = _docstrings(tree)
    parts_of_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            pieces = []
            for value in node.values:
                parts_of_fstrings.add(id(value))
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    pieces.append(value.value)
                else:
                    pieces.append("x")
            yield node.lineno, "".join(pieces)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and id(node) not in parts_of_fstrings
        ):
            yield node.lineno, node.value


def _sql_in(tree: ast.Module) -> list[str]:
    return [
        f"line {line}: {text.strip()[:60]!r}"
        for line, text in sorted(_strings(tree))
        if SQL.search(text)
    ]


def _imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_sql_detector_sees_sql_and_not_prose() -> None:
    code = '''
"""Docstrings may say SELECT 1 FROM t."""
A = "SELECT 1"
B = f"UPDATE {table} SET status = $3 WHERE org_id = $1"
C = "WITH x AS (SELECT id FROM artifacts) DELETE FROM artifacts"
D = "SELECT set_config('cairn.org_id', $1, true)"
E = "CREATE ROLE r LOGIN"
F = "query { artifacts { nodes { id } } }"
G = "select the file to upload, then update the description"
'''
    found = _sql_in(ast.parse(code))
    assert [entry.split(":")[0] for entry in found] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
    ], found


def test_sql_lives_only_in_db() -> None:
    outside: dict[str, list[str]] = {}
    inside: list[str] = []
    for name, tree in _modules():
        found = _sql_in(tree)
        if _inside(name, "cairn.db"):
            inside.extend(name for _ in found[:1])
        elif found:
            outside[name] = found
    assert outside == {}, "move these statements into a module of cairn/db/"
    # the detector is not blind: every table group's module is seen to hold SQL
    assert {"cairn.db.artifacts", "cairn.db.runs", "cairn.db.listing", "cairn.db.sessions"} <= set(
        inside
    )


def test_strawberry_and_graphql_core_only_in_the_graphql_package() -> None:
    offenders = {
        name: sorted(m for m in _imports(tree) if m.split(".")[0] in GRAPHQL_LIBRARIES)
        for name, tree in _modules()
        if not _inside(name, "cairn.graphql")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}
    importers = [
        name
        for name, tree in _modules()
        if any(m.split(".")[0] == "strawberry" for m in _imports(tree))
    ]
    assert "cairn.graphql.schema" in importers  # the check sees imports at all


def test_imports_run_one_way() -> None:
    broken: list[str] = []
    for name, tree in _modules():
        for package, forbidden in FORBIDDEN_IMPORTS.items():
            if not _inside(name, package):
                continue
            broken += [
                f"{name} imports {m}"
                for m in _imports(tree)
                if any(_inside(m, f) for f in forbidden)
            ]
    assert broken == []


def _literal_homes(value: str) -> set[str]:
    return {
        name
        for name, tree in _modules()
        if not _inside(name, "cairn.sdk") and any(text == value for _, text in _strings(tree))
    }


@pytest.mark.parametrize(
    ("literal", "home"),
    [
        ("cairn_artifact_published", "cairn.db.sessions"),
        ("cairn_service", "cairn.db.sessions"),
        ("cairn_app", "cairn.db.pool"),
    ],
)
def test_names_are_spelled_out_once(literal: str, home: str) -> None:
    assert _literal_homes(literal) == {home}


@pytest.mark.parametrize(
    "name",
    ["INLINE_TYPES", "DATA_FILE_TYPES", "DEFAULT_MIME", "ACTIVE_TYPES", "SAFE_DOWNLOAD_MIME"],
)
def test_artifact_type_facts_have_one_home(name: str) -> None:
    homes = {
        module
        for module, tree in _modules()
        if not _inside(module, "cairn.sdk")
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id == name
    }
    assert homes == {"cairn.services.kinds"}
