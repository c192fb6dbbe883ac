"""What each command shows in an 80- and a 120-column terminal, on the sample vault and on
a deep-folder vault (tests/deep_vault.py), kept as golden files so that a change of layout
is a change someone reviews (issue #18).

The goldens are terminal screenshots: ``scripts/capture_golden.py`` runs each command in a
tmux pane of that width and saves ``tmux capture-pane``. This test renders the same command
in-process with ``COLUMNS`` set and compares. After an intended change of layout, run
``VAULTKIT_GOLDEN=update pytest tests/test_terminal_golden.py`` (or the capture script) and
review the diff of tests/golden/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.deep_vault import write_deep_vault
from vaultkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
WIDTHS = (80, 120)
VAULTS = ("sample", "deep")
TRACKER = "Rotation tracker (community edition)"
#: name → arguments on the sample vault, on the deep vault. ``refresh`` runs on a fresh copy.
CASES: dict[str, tuple[list[str], list[str]]] = {
    "related": (["related", "NVIDIA", "--top", "8"], ["related", "Dataview", "--top", "8"]),
    "backlinks": (["backlinks", "NVIDIA"], ["backlinks", "Dataview"]),
    "links": (["links", "NVIDIA"],
              ["links", "How to run a research literature review with Zotero, Dataview and "
                        "Templater"]),
    "unlinked": (["unlinked", "XLE"], ["unlinked", "Tasks"]),
    "facts": (["facts", "--entity", "XLE"], ["facts", "--entity", "Dataview"]),
    "hubs": (["hubs", "--top", "8"], ["hubs", "--top", "8"]),
    "path": (["path", "NVIDIA", "XLE"], ["path", "Sanctum", TRACKER]),
    "lint": (["lint"], ["lint"]),
    "refresh": (["refresh", "--offline"], ["refresh", "--offline"]),
    "scan": (["scan"], ["scan"]),
    "note": (["note", "Palantir"], ["note", "Sanctum"]),
    "tags": (["tags"], ["tags"]),
    "orphans": (["orphans"], ["orphans"]),
    "unresolved": (["unresolved"], ["unresolved"]),
    "tables": (["tables", "--note", "Rotation tracker"], ["tables"]),
    # Judged after the bundled data ends, so that stale rows show; the deep vault's second
    # region is edited by hand.
    "status": (["status", "--offline", "--as-of", "2026-12-31"],
               ["status", "--offline", "--as-of", "2026-12-31"]),
}


def make_vault(parent: Path, which: str) -> Path:
    """A fresh copy of the sample vault, or a fresh deep vault, at ``parent/which``."""
    target = parent / which
    if target.exists():
        shutil.rmtree(target)
    if which == "sample":
        shutil.copytree(ROOT / "vault", target, ignore=shutil.ignore_patterns(".vaultkit"))
    else:
        write_deep_vault(target)
    return target


def golden_path(case: str, width: int, which: str) -> Path:
    return GOLDEN / f"{case}-{width}-{which}.txt"


def normalize(screen: str) -> str:
    """Lines without trailing blanks (a terminal pads them), no blank lines at the end."""
    return "\n".join(line.rstrip() for line in screen.splitlines()).strip("\n") + "\n"


def as_terminal_shows(output: str, width: int) -> str:
    """``output`` as a ``width``-column terminal shows it: lines longer than the terminal
    (plain ``path:line: message`` lines, which are not laid out) continue on the next."""
    rows = []
    for line in output.splitlines():
        rows.extend(line[i:i + width] for i in range(0, max(len(line), 1), width))
    return "\n".join(rows)


def arguments(case: str, which: str) -> list[str]:
    return ["--vault", which, *CASES[case][VAULTS.index(which)]]


@pytest.fixture(scope="module")
def vaults(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("golden")
    for which in VAULTS:
        make_vault(parent, which)
    return parent


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("which", VAULTS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_terminal_output_matches_the_golden(vaults: Path, case: str, which: str, width: int,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if case == "refresh":  # it writes: a copy of its own, the shared ones stay as made
        make_vault(tmp_path, which)
    monkeypatch.chdir(tmp_path if case == "refresh" else vaults)
    result = CliRunner().invoke(cli, arguments(case, which), env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1) and not isinstance(result.exception, Exception), (
        result.output, result.exception)
    # lint is silent on a clean vault (the sample); every other view says something.
    assert result.stdout.strip() or (case, which) == ("lint", "sample"), f"{case}: no output"
    screen = normalize(as_terminal_shows(result.stdout, width))
    golden = golden_path(case, width, which)
    if os.environ.get("VAULTKIT_GOLDEN") == "update":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(screen, encoding="utf-8")
    assert golden.is_file(), f"no golden {golden.name}: run VAULTKIT_GOLDEN=update"
    assert screen == golden.read_text(encoding="utf-8"), (
        f"{golden.name} changed; if intended, regenerate with VAULTKIT_GOLDEN=update and "
        "review the diff")
    assert max(map(len, screen.splitlines())) <= width


def test_every_golden_belongs_to_a_case() -> None:
    expected = {golden_path(c, w, v).name for c in CASES for w in WIDTHS for v in VAULTS}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected
