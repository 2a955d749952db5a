"""The apps are layered (docs/architecture.md): an app imports only apps below it, and no two
files import each other in a circle. A small AST scan of the code, no Django needed."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. Apps on one line are siblings and do not import each other. `config` (settings,
# URLs, the Celery app) and `demo` (seeding, above everything) stand outside the layers.
LAYERS: list[set[str]] = [
    {"accounts"},
    {"branches"},
    {"members"},
    {"committees"},
    {"venues"},
    {"activities", "volunteers", "dues"},
    {"regional", "appraisal", "grids", "community"},
    {"governance"},
    {"assessment"},
    {"points"},
    {"selfservice", "reports"},
    {"charts"},
]
RANK = {app: i for i, layer in enumerate(LAYERS) for app in layer}

# Upward imports that remain, module by module, until the pieces move up (see "What is not in
# place yet" in docs/architecture.md). The list may only shrink: a new upward import fails.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def modules() -> dict[str, Path]:
    found = {}
    for app in [*RANK, "config", "demo"]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                lines.update(n.lineno for n in ast.walk(sub) if hasattr(n, "lineno"))
    return lines


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = type_checking_lines(tree)
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skip:
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != mod:
                    graph[mod].add(target)
    return graph


def test_no_app_imports_an_app_above_it_or_beside_it():
    upward = set()
    for mod, targets in import_graph().items():
        app = mod.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if app in RANK and other in RANK and other != app and RANK[other] >= RANK[app]:
                upward.add((mod, other))
    assert upward - KNOWN_UPWARD == set(), "imports that run up the layers"
    assert KNOWN_UPWARD - upward == set(), "fixed: remove these from KNOWN_UPWARD"


def test_no_domain_app_imports_the_seeding_app():
    users = {
        mod
        for mod, targets in import_graph().items()
        if mod.split(".")[0] in RANK and any(t.split(".")[0] == "demo" for t in targets)
    }
    assert users == set()


def test_no_files_import_each_other_in_a_circle():
    graph = import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    assert circles == []
