"""The dependency rule of docs/architecture.md, checked over the import graph of the source tree
(every ``import``, also those inside functions):

- the kernel (``approval.core``) imports nothing of the app, and neither Flask nor a database;
- the base (models, permissions, platform, audit, extensions, config) imports the kernel and the
  base, never ``publication``, a capability or the shell;
- ``publication`` imports the base and itself; capabilities hang on it (signals), never the reverse;
- a capability imports the base, ``publication`` and other capabilities, with no cycle among them;
- nothing but the shell imports the shell.
"""

from __future__ import annotations

import ast
import shutil
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "approval"
SHELL = {"approval", "approval.cli", "approval.jobs", "approval.demo", "approval.wsgi"}
BASE = {"extensions", "config", "models", "permissions", "platform", "audit"}
KERNEL_MAY_NOT_USE = (
    "flask",
    "flask_babel",
    "flask_login",
    "flask_wtf",
    "sqlalchemy",
    "werkzeug",
    "jinja2",
    "wtforms",
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str, modules) -> set[str]:
    """The modules ``path`` imports (absolute names; ``from a import b`` gives a.b when it is a
    module, else a)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return found


def graph(root: Path = APP) -> dict[str, set[str]]:
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    return {
        name: {
            m
            for m in imports_of(path, name, modules)
            if m in modules or m.split(".")[0] != "approval"
        }
        for name, path in modules.items()
    }


def area(module: str) -> str:
    """shell, core, base, publication or capability:<name>."""
    if module in SHELL or module.startswith("approval.migrations."):
        return "shell"  # the migrations know every capability's tables
    top = module.split(".")[1]
    if top == "core":
        return "core"
    if top in BASE:
        return "base"
    if top == "publication":
        return "publication"
    return f"capability:{top}"


ALLOWED = {
    "core": {"core"},
    "base": {"core", "base"},
    "publication": {"core", "base", "publication"},
}


def violations(root: Path = APP) -> list[str]:
    found = []
    edges = graph(root)
    packages: dict[str, set[str]] = defaultdict(set)
    for module, imported in sorted(edges.items()):
        mine = area(module)
        for target in sorted(imported):
            if not target.startswith("approval"):
                if mine == "core" and target.split(".")[0] in KERNEL_MAY_NOT_USE:
                    found.append(
                        f"{module} imports {target}: the kernel uses no Flask and no database"
                    )
                continue
            theirs = area(target)
            if theirs == mine:
                continue
            if theirs == "shell":
                found.append(f"{module} imports the shell ({target})")
            elif (
                mine in ALLOWED
                and theirs not in ALLOWED[mine]
                and not (mine != "core" and theirs == "core")
            ):
                found.append(f"{module} ({mine}) imports {target} ({theirs})")
            if mine.startswith("capability:") and theirs.startswith("capability:"):
                packages[mine].add(theirs)
    found.extend(
        f"capabilities import each other in a cycle: {' → '.join(cycle)}"
        for cycle in _cycles(packages)
    )
    return found


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    cycles, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return cycles


def test_the_tree_keeps_the_dependency_rule():
    assert violations() == []


def test_the_check_sees_every_area():
    areas = {area(m) for m in graph()}
    assert {"shell", "core", "base", "publication"} <= areas
    assert {"capability:portal", "capability:notifications", "capability:screening"} <= areas


def _planted(tmp_path, module: str, line: str) -> list[str]:
    copy = tmp_path / "approval"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "translations"))
    target = copy.joinpath(*module.split(".")[1:]).with_suffix(".py")
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return violations(copy)


def test_a_kernel_module_that_imports_flask_is_caught(tmp_path):
    found = _planted(tmp_path, "approval.core.workflow", "from flask import current_app")
    assert found == [
        "approval.core.workflow imports flask: the kernel uses no Flask and no database"
    ]


def test_publication_importing_a_capability_is_caught(tmp_path):
    found = _planted(
        tmp_path,
        "approval.publication.transitions",
        "    from approval.notifications import operations  # inside a function too",
    )
    assert found == [
        "approval.publication.transitions (publication) imports "
        "approval.notifications.operations (capability:notifications)"
    ]


def test_the_base_importing_publication_is_caught(tmp_path):
    found = _planted(tmp_path, "approval.models.items", "from approval.publication import drafts")
    assert found == [
        "approval.models.items (base) imports approval.publication.drafts (publication)"
    ]


def test_a_cycle_between_capabilities_is_caught(tmp_path):
    clean = violations()
    found = _planted(
        tmp_path, "approval.statistics.operations", "from approval.api import routes as _api"
    )
    found += _planted(
        tmp_path / "second",
        "approval.api.routes",
        "from approval.statistics import operations as _statistics",
    )
    assert clean == []
    # the two plants are in separate copies: neither alone is a cycle
    assert not any("cycle" in line for line in found)
    both = tmp_path / "both"
    _planted(both, "approval.statistics.operations", "from approval.api import routes as _api")
    copy = both / "approval"
    routes = copy / "api" / "routes.py"
    routes.write_text(
        routes.read_text(encoding="utf-8")
        + "\nfrom approval.statistics import operations as _statistics\n",
        encoding="utf-8",
    )
    assert any(
        "cycle" in line and "capability:api" in line and "capability:statistics" in line
        for line in violations(copy)
    )


def test_the_kernel_importing_the_app_is_caught(tmp_path):
    found = _planted(tmp_path, "approval.core.clock", "from approval.models import Item")
    assert found == ["approval.core.clock (core) imports approval.models (base)"]
