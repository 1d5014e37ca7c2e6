"""The layout docs/architecture.md draws holds in the code: layers, no cycles, one home per fact.

Read from the source (every `import` and `from ... import`, inside functions and
`TYPE_CHECKING` blocks too), so a new import that breaks the layering fails here, and the
architecture page has to change with it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Where each installed package's source lives (pyproject's package-dir).
SOURCES = {
    "chimera": REPO / "chimera",
    "chimera.agents": REPO / "agents",
    "chimera.graphs": REPO / "graphs",
}
SUBPACKAGES = {
    "agents", "backends", "cli", "comparison", "config", "engine", "execution", "findings",
    "graphs", "grounding", "ingest", "pages", "sweep", "testing",
}  # fmt: skip
# Bottom to top, as docs/architecture.md lists them: a unit imports only from lower layers.
LAYERS = [
    {"document"},
    {
        "errors",
        "tokens",
        "metrics",
        "statistics",
        "logging",
        "escape",
        "host_load",
        "_version",
        "versions",
        "run_figures",
    },
    {"config", "testing"},
    {"ingest"},
    {"grounding", "backends"},
    {"findings", "prompts", "context"},
    {"state", "run_record"},
    {"agents"},
    {"graphs"},
    {"pages"},
    {"execution"},
    {"engine"},
    {"comparison"},
    {"sweep"},
    {"cli"},
    {"__init__", "__main__"},
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def modules() -> Iterator[tuple[str, Path]]:
    """(dotted name, file) of every module Chimera installs."""
    for package, root in SOURCES.items():
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if package == "chimera" and parts[0] in ("agents", "graphs"):
                continue  # not in this tree (installed from agents/, graphs/)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join([package, *parts]), path


def unit(module: str) -> str:
    """The layer unit of a module: its subpackage, or the top-level module itself."""
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def imports(path: Path, *, module_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if not module_level_only else _module_level(tree)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name == "chimera" or name.startswith("chimera.")}


def _module_level(tree: ast.Module) -> Iterator[ast.AST]:
    """Statements run at import time: the top level and its `if` blocks (TYPE_CHECKING too)."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, ast.If | ast.Try):
            pending += [*node.body, *node.orelse, *getattr(node, "handlers", [])]
        elif isinstance(node, ast.ExceptHandler):
            pending += node.body


def test_every_unit_has_a_layer() -> None:
    units = {unit(name) for name, _ in modules()}
    assert units - set(RANK) == set(), "add the new package or module to LAYERS (and the docs)"
    assert set(RANK) - units == set(), "a layer names something that no longer exists"


def test_each_unit_imports_only_from_the_layers_below_it() -> None:
    known = dict(modules())
    wrong = []
    for name, path in known.items():
        for target in imports(path):
            if target not in known:  # `from chimera.x import name`: name is not a module
                continue
            a, b = unit(name), unit(target)
            if a != b and RANK[b] >= RANK[a]:
                wrong.append(f"{name} imports {target} ({a} is not above {b})")
    assert wrong == []


def test_no_import_cycles_between_modules() -> None:
    known = dict(modules())
    graph = {
        name: {t for t in imports(path, module_level_only=True) if t in known and t != name}
        for name, path in known.items()
    }
    # A package's __init__ may import its own modules; its modules then import the package
    # only for names defined in it, which is a cycle like any other.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_top_level_stays_small() -> None:
    flat = [p.name for p in (REPO / "chimera").glob("*.py") if p.name != "__init__.py"]
    # One concept each; past this many, the next one starts a package.
    assert len(flat) <= 16, sorted(flat)


def test_production_code_never_imports_the_test_server() -> None:
    users = [
        name
        for name, path in modules()
        if unit(name) != "testing" and any(t.startswith("chimera.testing") for t in imports(path))
    ]
    assert users == []


def test_only_the_backends_decide_by_backend_name() -> None:
    """`config.backend == "ollama"` elsewhere would re-decide a fact the backend's SPEC owns."""
    pattern = re.compile(r"\.backend\s*(==|!=|\bin\b)")
    offenders = [
        f"{name}: {line.strip()}"
        for name, path in modules()
        if unit(name) != "backends"
        for line in path.read_text(encoding="utf-8").splitlines()
        if pattern.search(line)
    ]
    assert offenders == []


def test_library_code_leaves_global_state_alone() -> None:
    """Only the CLI configures logging; nothing switches matplotlib's backend for a notebook."""
    pattern = re.compile(r"matplotlib\.use\(|pyplot|structlog\.configure\(|logging\.basicConfig\(")
    offenders = [
        f"{name}: {line.strip()}"
        for name, path in modules()
        if name not in ("chimera.logging",)  # defines configure_logging, which the CLI calls
        for line in path.read_text(encoding="utf-8").splitlines()
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
