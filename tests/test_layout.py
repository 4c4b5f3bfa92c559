"""The house rules of the source tree, checked: no import cycle (between modules or
between stage subpackages), imports of presspack at module top, modules of at most
MAX_MODULE_LINES lines, functions of at most MAX_FUNCTION_LINES lines unless their
docstring says why they are long, and `presspack --help` loading no pipeline stage."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "presspack"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Stages in data-flow order: a stage imports only the ones before it (and the foundation).
FOUNDATION = ("_version", "errors", "config", "progress", "package")
STAGES = ("ingest", "normalize", "nlp", "entities", "claims", "quotations", "learn", "annotate", "audit", "extras", "orchestrate", "release", "validate", "explore", "cli")


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(SRC.rglob("*.py")):
        parts = p.relative_to(SRC).with_suffix("").parts
        name = ".".join(("presspack", *parts)).removesuffix(".__init__")
        out[name] = p
    return out


MODULES = _modules()


def _imports(path: Path, *, top_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_only else list(ast.walk(tree))
    found = set()
    for n in nodes:
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("presspack"):
            if n.module != "presspack":
                found.add(n.module)
            found.update(f"{n.module}.{a.name}" for a in n.names if f"{n.module}.{a.name}" in MODULES)
        elif isinstance(n, ast.Import):
            found.update(a.name for a in n.names if a.name.startswith("presspack"))
    return {m for m in found if m in MODULES}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(u: str) -> list[str] | None:
        state[u] = 1
        stack.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                return stack[stack.index(v):] + [v]
            if v not in state and (found := visit(v)):
                return found
        stack.pop()
        state[u] = 2
        return None

    for u in sorted(graph):
        if u not in state and (found := visit(u)):
            return found
    return None


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "presspack"


def test_no_import_cycle_between_modules():
    graph = {m: _imports(p, top_only=False) - {m} for m, p in MODULES.items()}
    assert _cycle(graph) is None


def test_stages_import_only_earlier_stages():
    order = {s: i for i, s in enumerate(STAGES)}
    wrong = []
    for m, p in MODULES.items():
        here = _stage(m)
        for dep in _imports(p, top_only=False):
            there = _stage(dep)
            if there in FOUNDATION or there == here or here not in order:
                continue
            if there not in order or order[there] > order[here]:
                wrong.append(f"{m} -> {dep}")
    assert wrong == []


def test_cycle_finder_finds_a_cycle():  # the checks above could fail
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", [m for m in MODULES if _stage(m) != "cli"])
def test_presspack_imports_are_at_module_top(module):
    """The cli package alone imports lazily (each command loads its own stage, so --help is fast)."""
    path = MODULES[module]
    assert _imports(path, top_only=False) <= _imports(path, top_only=True)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module):
    assert len(MODULES[module].read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES


def test_long_functions_say_why():
    long = []
    for m, p in MODULES.items():
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES:
                doc = ast.get_docstring(n) or ""
                if "long because" not in doc.lower():
                    long.append(f"{m}.{n.name} ({n.end_lineno - n.lineno + 1} lines)")
    assert long == []


def test_help_loads_no_stage():
    code = "import sys; from presspack.cli import make_parser; make_parser().format_help(); print(sorted(m for m in sys.modules if m.startswith('presspack')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = eval(out)  # noqa: S307 - our own output
    assert [m for m in loaded if not m.startswith("presspack.cli.")] == ["presspack", "presspack._version", "presspack.cli", "presspack.errors"]


def test_ruff_passes():
    """The rules of pyproject.toml's [tool.ruff.lint] hold (ruff is in the dev extra; it
    takes well under a second)."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -c constraints.txt -e '.[dev]')")
    root = SRC.parent.parent
    proc = subprocess.run([ruff, "check", "src", "tests", "scripts", "benchmarks"], cwd=root, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
