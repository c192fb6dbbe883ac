"""The index's tables after loads that write in several batches, or replace some notes'
rows, hold exactly what a cold build of the same files holds (the index is a cache: how
it was reached must not show)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_vault
from tests.vault_files import write_files
from vaultkit import Vault
from vaultkit.index.load import SAVE_EVERY
from vaultkit.index.relational import Targets, note_tables
from vaultkit.index.store import INDEX_DIR, INDEX_FILE


def _tables(root: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the index keeps about notes and files, in a fixed order."""
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for name in [*note_tables(), "attachments", "degrees"]}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault that a cold load writes in more than one batch."""
    root = tmp_path_factory.mktemp("writes") / "vault"
    generate_vault(root, SAVE_EVERY + 60, seed=7)
    return root


def test_a_cold_load_in_batches_stores_every_note_once(big: Path) -> None:
    shutil.rmtree(big / INDEX_DIR, ignore_errors=True)
    vault = Vault.load(big, workers=2)
    assert vault.load_stats is not None and vault.load_stats.stored
    tables = _tables(big)
    assert sorted(path for path, *_ in tables["files"]) == sorted(vault.notes)
    # The same rows as a load in one process, which writes the same batches in order.
    shutil.rmtree(big / INDEX_DIR)
    Vault.load(big, workers=1)
    assert _tables(big) == tables


def test_changed_added_and_removed_notes_leave_the_tables_of_a_cold_build(
        tmp_path: Path) -> None:
    root = tmp_path / "vault"
    generate_vault(root, 40, seed=11)
    write_files(root, {"Desk/Plan.md": "# Plan\n[[Gone]] and [[Ghost]]\n\n| A | B |\n"
                                       "|---|---|\n| x | 5% |\n",
                       "Gone.md": "# Gone\n[[Desk/Plan]]\n"})
    Vault.load(root)
    write_files(root, {"Desk/Plan.md": "# Plan v2\n[[Ghost]] #new\n\n| A |\n|---|\n| — |\n",
                       "New.md": "# New\n[[Plan]] and [[Gone]]\n"})
    (root / "Gone.md").unlink()
    vault = Vault.load(root)
    assert vault.load_stats is not None and vault.load_stats.parsed == 2
    incremental = _tables(root)
    shutil.rmtree(root / INDEX_DIR)
    Vault.load(root)
    assert incremental == _tables(root)


def test_resolved_links_equal_one_resolution_per_row() -> None:
    notes = ("Desk/Plan.md", "Other/Plan.md", "Root.md")
    targets = Targets(notes, ("img/chart.png",))
    rows = [(source, seq, 1, target) for seq, (source, target) in enumerate([
        ("Root.md", "Plan"), ("Desk/Plan.md", "Plan"), ("Other/Plan.md", "Plan"),
        ("Root.md", ""), ("Root.md", "chart.png"), ("Root.md", "Ghost Co.md"),
        ("Root.md", "Root"), ("Root.md", "Ghost Co")])]
    expected = [row + Targets(notes, ("img/chart.png",))(row[3], row[0]) for row in rows]
    assert targets.resolved(rows) == expected
    # The folder decides between the two Plans; an empty target is the note itself.
    assert expected[1][4:] == ("Desk/Plan.md", "Desk/Plan.md", "Plan", "note")
    assert expected[2][4:] == ("Other/Plan.md", "Other/Plan.md", "Plan", "note")
    assert expected[3][4:] == ("Root.md", "Root.md", "Root", "note")
    assert expected[5][4:] == (None, "ghost co", "Ghost Co", "entity")
