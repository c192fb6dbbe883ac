"""The package's shape: imports of vaultkit modules at the top of each file, no cycles.

Only heavy modules may be imported inside a function (for start-up time), so a newcomer
reads every module's dependencies in its first lines. Heavy means the third-party libraries
in :data:`LAZY`, a few standard-library modules in :data:`LAZY_STDLIB`, and the package's
own heavy subsystems in :data:`LAZY_OWN`: a warm command reads the index and neither parses
a note nor runs a query language, so it must not pay for the markdown parser or the query
engines (``tests/test_startup.py`` checks it). This is ruff's PLC0415 with an allow-list,
which ruff cannot express.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "vaultkit"
#: Third-party libraries slow enough to import that they stay lazy.
LAZY = frozenset({"pandas", "numpy", "networkx", "matplotlib", "rich", "pyarrow", "yfinance",
                  "markdown_it", "mdit_py_plugins", "yaml", "jinja2", "lark", "duckdb",
                  "watchdog", "exchange_calendars", "requests", "curl_cffi", "regex"})
#: Standard-library modules slow enough to stay lazy: the process pool (multiprocessing,
#: socket, subprocess; ~10 ms), which only a load that parses many notes starts.
LAZY_STDLIB = frozenset({"concurrent.futures"})
#: vaultkit's own heavy subsystems, imported where first used: the markdown parser (markdown-it
#: and our plugins, ~0.07 s with the note walker) and the query languages (the Bases and
#: Dataview engines with their lark grammars, ~0.10 s and ~0.05 s, and ``lang``, the core
#: they share). Nothing else of the package may be.
LAZY_OWN = frozenset({"vaultkit.parse.note", "vaultkit.syntax", "vaultkit.bases",
                      "vaultkit.dataview", "vaultkit.lang"})


def _may_be_lazy(target: str) -> bool:
    """True when ``target`` (an imported module's name) may be imported inside a function."""
    return target.split(".")[0] in LAZY or any(
        target == name or target.startswith(name + ".") for name in LAZY_STDLIB | LAZY_OWN)


def _modules() -> dict[str, Path]:
    found = {}
    for file in PACKAGE.rglob("*.py"):
        parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = file
    return found


def _nested_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    nested = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested += [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
    return nested


def test_only_heavy_libraries_are_imported_inside_functions() -> None:
    offenders = []
    for file in _modules().values():
        for node in _nested_imports(ast.parse(file.read_text(encoding="utf-8"))):
            targets = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else ["." * node.level + (node.module or "")])
            for target in targets:
                if not _may_be_lazy(target):
                    offenders.append(f"{file.relative_to(PACKAGE.parent)}:{node.lineno} {target}")
    assert offenders == []


def _imports(name: str, file: Path, modules: dict[str, Path]) -> set[str]:
    """vaultkit modules ``name`` imports, outside ``if TYPE_CHECKING`` blocks."""
    is_package = file.name == "__init__.py"
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if "TYPE_CHECKING" in ast.unparse(node.test):
                for child in node.orelse:
                    self.visit(child)
            else:
                self.generic_visit(node)

        def visit_Import(self, node: ast.Import) -> None:
            found.update(a.name for a in node.names)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            base = node.module or ""
            if node.level:
                anchor = name if is_package else name.rsplit(".", 1)[0]
                for _ in range(node.level - 1):
                    anchor = anchor.rsplit(".", 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)

    Visitor().visit(ast.parse(file.read_text(encoding="utf-8")))
    # Importing a submodule runs its parents' __init__: not a design dependency.
    return {m for m in found if m in modules and m != name and not name.startswith(m + ".")}


def test_the_import_graph_has_no_cycle() -> None:
    import networkx as nx

    modules = _modules()
    graph = nx.DiGraph()
    for name, file in modules.items():
        graph.add_node(name)
        graph.add_edges_from((name, dep) for dep in _imports(name, file, modules))
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_the_layout_reads_as_the_data_flow() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert {"syntax", "parse", "index", "views", "queries", "refresh", "data", "cli"} <= folders
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "errors", "model", "vault"}


def test_every_module_imports_first() -> None:
    """Each module imports on its own in a fresh interpreter state: a cycle through a
    package's ``__init__`` (which the graph above does not see) fails here."""
    import subprocess
    import sys

    names = sorted(_modules())
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'vaultkit']:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=PACKAGE.parent, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
