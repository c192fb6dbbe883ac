"""Start-up stays light: help and a note lookup on a warm index import no heavy library,
and a warm graph command neither the note parser nor a query engine."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import vaultkit
import vaultkit.parse
from benchmarks.generate import generate_vault
from vaultkit import Vault
from vaultkit.cli import cli
from vaultkit.cli.app import COMMAND_MODULES, SUMMARIES

HEAVY = ("pandas", "matplotlib", "networkx")
#: What a command answered from a warm index has no use for: the note parser (it parses no
#: note), the query languages (it runs none) and the libraries behind them.
ENGINES = ("vaultkit.parse.note", "vaultkit.syntax", "vaultkit.bases", "vaultkit.dataview",
           "vaultkit.lang", "lark", "pandas", "concurrent.futures.process")
#: The two the index itself still imports on every load: ``index/store.py``'s
#: ``parser_fingerprint`` imports them to read their versions.
PARSER_LIBRARIES = ("markdown_it", "yaml")


def imported_modules(*args: str, whole: bool = False) -> set[str]:
    """Top-level packages (``whole``: every module) a ``vaultkit`` command imports
    (``python -X importtime``)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "vaultkit", *args],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    found = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            found.add(name if whole else name.split(".")[0])
    return found


def test_help_imports_no_heavy_library() -> None:
    assert not imported_modules("--help") & set(HEAVY)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_note_on_a_warm_index_imports_no_heavy_library(tmp_path: Path, fmt: str) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 20, seed=5)
    name = next(iter(Vault.load(root).notes.values())).name  # builds the index
    assert not imported_modules("--vault", str(root), "note", name, "--format", fmt) & set(HEAVY)


def test_a_command_imports_its_own_module_and_no_other_command_module(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 5, seed=5)
    listing = tmp_path / "modules.txt"
    program = ("import sys\nfrom vaultkit.cli import main\n"
               f"sys.argv = ['vaultkit', '--vault', {str(root)!r}, 'scan']\n"
               "try:\n    main()\nexcept SystemExit:\n    pass\n"
               f"open({str(listing)!r}, 'w').write('\\n'.join(sys.modules))\n")
    subprocess.run([sys.executable, "-c", program], check=True, capture_output=True)
    found = set(listing.read_text().splitlines())
    assert found & set(COMMAND_MODULES.values()) == {"vaultkit.cli.notes"}


@pytest.mark.parametrize("args", [["--help"], []])
def test_the_list_of_commands_imports_no_command_module(args: list[str]) -> None:
    found = imported_modules(*args, whole=True)
    assert found & set(COMMAND_MODULES.values()) == set()


def test_each_summary_is_the_first_paragraph_of_its_commands_help() -> None:
    # click shortens the first paragraph of a help text word by word: equal words, equal lists.
    for name, command in cli.every_command().items():
        assert not (command.hidden or command.deprecated or command.short_help), name
        first = (command.help or "").split("\n\n")[0]
        assert SUMMARIES[name].split() == first.split(), name
    assert set(SUMMARIES) == set(COMMAND_MODULES)


@pytest.mark.parametrize("args", [["--help"], []])
@pytest.mark.parametrize("columns", ["100", "61"])
def test_a_fresh_list_of_commands_reads_as_the_commands_own(args: list[str],
                                                             columns: str) -> None:
    env = {**os.environ, "COLUMNS": columns}
    fresh = subprocess.run([sys.executable, "-m", "vaultkit", *args], capture_output=True,
                           text=True, check=True, env=env)
    # Every module imported first: the list is made from the commands themselves.
    program = ("import sys\nfrom vaultkit.cli import cli, main\ncli.every_command()\n"
               "sys.argv = ['vaultkit', *sys.argv[1:]]\nmain()\n")
    loaded = subprocess.run([sys.executable, "-c", program, *args], capture_output=True,
                            text=True, check=True, env=env)
    assert "Commands" in fresh.stdout
    assert fresh.stdout == loaded.stdout


def test_every_command_is_in_its_registered_module() -> None:
    # A command registered without an entry in COMMAND_MODULES would never be found.
    for name, command in cli.every_command().items():
        assert command.callback is not None
        assert COMMAND_MODULES[name] == command.callback.__module__, name
    assert set(cli.every_command()) == set(COMMAND_MODULES)


def loaded_modules(*args: str, cwd: Path | None = None) -> set[str]:
    """Every module in ``sys.modules`` after ``vaultkit ARGS`` ran in a fresh interpreter."""
    program = ("import contextlib, io, sys\nfrom vaultkit.cli import main\n"
               "sys.argv = ['vaultkit', *sys.argv[1:]]\n"
               "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
               "    main()\n"
               "print(' '.join(sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", program, *args], capture_output=True,
                         text=True, check=False, cwd=cwd)
    assert run.returncode == 0, run.stderr[-2000:]
    return set(run.stdout.split())


def among(modules: set[str], names: tuple[str, ...]) -> set[str]:
    """The packages or modules of ``names`` that ``modules`` holds (or a submodule of)."""
    return {n for n in names if any(m == n or m.startswith(n + ".") for m in modules)}


@pytest.fixture(scope="module")
def warm_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A generated vault whose index is built, and a note name in it."""
    root = tmp_path_factory.mktemp("warm") / "vault"
    generate_vault(root, 20, seed=5)
    name = next(iter(Vault.load(root).notes.values())).name
    return root, name


@pytest.mark.parametrize("command", [["scan"], ["backlinks", "{name}"], ["related", "{name}"],
                                     ["tags"], ["note", "{name}"],
                                     ["sql", "SELECT count(*) FROM notes"]])
def test_a_warm_command_imports_no_parser_and_no_query_engine(
        warm_vault: tuple[Path, str], command: list[str]) -> None:
    root, name = warm_vault
    args = [part.format(name=name) for part in command]
    found = loaded_modules("--vault", str(root), *args, "--format", "json")
    assert "vaultkit.index.load" in found  # it did load the vault
    assert among(found, ENGINES) == set()


@pytest.mark.parametrize("command", [["scan"], ["backlinks", "{name}"]])
def test_a_warm_command_imports_no_markdown_parser(warm_vault: tuple[Path, str],
                                                  command: list[str]) -> None:
    root, name = warm_vault
    args = [part.format(name=name) for part in command]
    found = loaded_modules("--vault", str(root), *args, "--format", "json")
    assert among(found, PARSER_LIBRARIES) == set()


def test_a_query_imports_its_engine_and_not_the_other(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 5, seed=5)
    Vault.load(root)
    found = loaded_modules("--vault", str(root), "query", "LIST FROM #macro", "--format", "json")
    assert among(found, ENGINES[:5]) == {"vaultkit.dataview", "vaultkit.lang"}


def test_importing_the_package_imports_none_of_its_modules() -> None:
    program = "import sys, vaultkit\nprint(' '.join(sys.modules))"
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert {m for m in run.stdout.split() if m.startswith("vaultkit.")} == set()


def _type_checking_names(package: object) -> set[str]:
    """The names a package's ``if TYPE_CHECKING:`` block imports (what mypy sees)."""
    tree = ast.parse(Path(str(getattr(package, "__file__", ""))).read_text(encoding="utf-8"))
    block = next(node for node in tree.body
                 if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    return {alias.asname or alias.name for node in block.body
            if isinstance(node, ast.ImportFrom) for alias in node.names}


@pytest.mark.parametrize("package", [vaultkit, vaultkit.parse])
def test_a_lazy_facade_offers_each_name_from_its_home_module(package: object) -> None:
    names = package.__all__  # type: ignore[attr-defined]
    assert sorted(names) == sorted(_type_checking_names(package))
    assert set(names) <= set(dir(package))
    for name in names:
        value = getattr(package, name)
        home = sys.modules[package._MODULE_OF[name]]  # type: ignore[attr-defined]
        assert value is getattr(home, name), name
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = package.no_such_name  # type: ignore[attr-defined]


def test_star_import_of_the_package_gives_the_public_api() -> None:
    space: dict[str, object] = {}
    exec("from vaultkit import *", space)  # the statement under test
    assert set(space) - {"__builtins__"} == set(vaultkit.__all__)
    assert space["Vault"] is Vault
