"""No test module reads the clock when it is imported: a value computed at collection (a
parametrize list of 'today + 3 days', a module constant 'NOW') is fixed before any test can hold
the clock still, and its tests change meaning with the time of day the suite starts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLOCK_READS = {"now", "localdate", "localtime", "today", "utcnow", "monotonic"}


def _module_level_clock_reads(tree: ast.Module) -> list[int]:
    """Lines of calls that run at import: everything outside function bodies, including
    decorators (parametrize lists) and default argument values."""
    roots: list[ast.AST] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            if not isinstance(node, ast.Lambda):
                roots.extend(node.decorator_list)
            roots.extend(node.args.defaults)
            roots.extend(d for d in node.args.kw_defaults if d is not None)
        elif isinstance(node, ast.ClassDef):
            roots.extend(node.decorator_list)
            todo.extend(node.body)
        else:
            roots.append(node)
    lines = []
    for root in roots:
        for node in _walk_outside_functions(root):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                module = getattr(getattr(func, "value", None), "id", "")
                if name in CLOCK_READS or (module == "time" and name == "time"):
                    lines.append(node.lineno)
    return lines


def _walk_outside_functions(root: ast.AST):
    todo = [root]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue  # runs when called, not at import
            todo.append(child)


def _test_modules() -> list[Path]:
    return sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")])


def test_no_test_module_reads_the_clock_at_import():
    offenders = []
    for path in _test_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        offenders += [
            f"{path.relative_to(ROOT)}:{line}" for line in _module_level_clock_reads(tree)
        ]
    assert offenders == []


def test_the_check_sees_a_parametrize_list_and_a_constant():
    source = (
        "import datetime as dt\n"
        "from django.utils import timezone\n"
        "TODAY = timezone.localdate()\n"
        "@pytest.mark.parametrize('day', [dt.date.today()])\n"
        "def test_x(day, when=timezone.now()):\n"
        "    return timezone.now()\n"
        "class TestY:\n"
        "    start = dt.datetime.now()\n"
        "    def test_z(self):\n"
        "        return dt.date.today()\n"
    )
    assert sorted(_module_level_clock_reads(ast.parse(source))) == [3, 4, 5, 8]


APPS = [
    "config",
    "accounts",
    "branches",
    "members",
    "activities",
    "venues",
    "volunteers",
    "reports",
]


def test_the_code_reads_only_djangos_clock():
    """`date.today()` and `datetime.now()` read the machine's clock in the machine's zone (UTC on
    the servers): from 16:00 UTC they name yesterday in Shanghai, and no test can hold them."""
    pattern = re.compile(r"\b(date\.today|datetime\.(now|today|utcnow))\(")
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
