"""The index's ``totals`` stay ``scan``'s counts through every kind of change.

The reference is ``scan_json`` of a cold load (no index at all): every link occurrence,
those that resolve, distinct unresolved targets as Obsidian compares names (NFC, trimmed,
lower-cased), distinct tags casefolded, tables. A small write must adjust the kept counts
(these tests fail if it counted everything again), and whatever a write does, the counts
read back equal the reference.
"""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_vault
from tests.vault_files import write_files
from vaultkit import Vault
from vaultkit.index import totals
from vaultkit.index.store import INDEX_DIR, INDEX_FILE
from vaultkit.queries import stored
from vaultkit.views.serialize import scan_json

COUNTS = ("links", "resolved", "unresolved_targets", "tags", "tables")
FILES = {
    "Desk/Plan.md": "# Plan\n[[Plan]] here, [[#Plan|self]] and [[Desk/Plan]] #Alpha\n",
    "Other/Plan.md": "# Plan\n[[Ghost Co]] and [[Root note]] ![[chart.png]]\n",
    "chart.png": b"\x89PNG",
    "Root note.md": ("---\ntags: [alpha]\n---\n# Root\n[[Plan]] and ![[missing.png]] and "
                     "[[Ghost Co]] [[ghost co]] [[ Ghost Co ]] #alpha #ÉTÉ\n\n| A | B |\n"
                     "|---|---|\n| [[Ghost Co\\|g]] | [[Desk/Plan]] |\n"),
    "Daily/Day.md": "# Day\n#daily #été [[Ghost Co]] with [[Root note]] and [[Café]]\n",
    "Lonely.md": "# Lonely\nno links at all\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    generate_vault(root, 30, seed=3)
    write_files(root, FILES)
    Vault.load(root)
    return root


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the writes that count everything again."""
    calls: list[int] = []
    rebuild = totals.rebuild

    def counted(conn: sqlite3.Connection) -> None:
        calls.append(1)
        rebuild(conn)

    monkeypatch.setattr(totals, "rebuild", counted)
    return calls


def _reference(root: Path) -> dict[str, Any]:
    expected = scan_json(Vault.load(root, cache=False))
    return {name: expected[name] for name in COUNTS}


def _kept(root: Path) -> dict[str, int] | None:
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        return totals.read(conn)


def _check(root: Path) -> None:
    """The kept counts, and ``scan`` answered from the index, equal a cold load's."""
    loaded = Vault.load(root)
    assert loaded.load_stats is not None and loaded.load_stats.stored
    assert _kept(root) == _reference(root)
    assert stored.scan_totals(loaded) == scan_json(Vault.load(root, cache=False))


def test_a_cold_load_counts_them(vault: Path) -> None:
    kept = _kept(vault)
    assert kept == _reference(vault)
    assert kept is not None and kept["unresolved_targets"] > 0 and kept["tags"] > 0


@pytest.mark.parametrize("files", [
    # a note's only distinct target and tag go: both distinct counts move down
    {"Daily/Day.md": "# Day\nplain text now\n"},
    # the same target and tag spelt otherwise: no distinct count moves
    {"Lonely.md": "# Lonely\n[[GHOST CO]] [[Ghost Co.md]] #ALPHA #Été\n"},
    # new targets, tags and a table; the old note's links gone
    {"Desk/Plan.md": "# Plan\n[[Brand New]] #fresh/tag\n\n| x |\n|---|\n| [[Nowhere]] |\n"},
    # a NFC and an NFD spelling of one name are one target
    {"Lonely.md": "# Lonely\n[[Cafe\u0301]] [[Caf\u00e9]]\n"},
])
def test_an_edit_adjusts_them(vault: Path, rebuilds: list[int], files: dict[str, str]) -> None:
    write_files(vault, files)
    _check(vault)
    assert rebuilds == []


def test_edits_in_a_row_keep_them_exact(vault: Path, rebuilds: list[int]) -> None:
    rng = random.Random(11)
    pieces = ["[[Ghost Co]]", "[[ghost co]]", "[[Plan]]", "[[Root note]]", "[[Café]]",
              "![[missing.png]]", "![[chart.png]]", "#alpha", "#Alpha", "#beta/x", "#été",
              "[[New one]]", "[[#Day]]", "\n\n| a |\n|---|\n| [[In a table]] |\n\n", "text"]
    notes = ["Lonely.md", "Daily/Day.md", "Desk/Plan.md", "Root note.md"]
    for _ in range(8):
        note = rng.choice(notes)
        body = " ".join(rng.choice(pieces) for _ in range(rng.randrange(0, 7)))
        write_files(vault, {note: f"# {note}\n{body}\n"})
        _check(vault)
    assert rebuilds == []


@pytest.mark.parametrize("change", ["new note", "delete", "rename", "attachment",
                                    "made resolvable"])
def test_every_change_of_the_file_set_counts_them_right(vault: Path, change: str) -> None:
    if change == "new note":
        write_files(vault, {"Fresh.md": "# Fresh\n[[Ghost Co]] [[Another]] #fresh\n"})
    elif change == "delete":
        (vault / "Root note.md").unlink()
    elif change == "rename":  # [[Root note]] stops resolving; [[Plan]] is no longer ambiguous
        (vault / "Root note.md").rename(vault / "Root B.md")
        (vault / "Other/Plan.md").rename(vault / "Other/Plan B.md")
    elif change == "attachment":
        write_files(vault, {"missing.png": b"\x89PNG"})  # ![[missing.png]] now resolves
    else:  # a new note gives the links to an entity somewhere to go
        write_files(vault, {"Entities/Ghost Co.md": "# Ghost Co\n"})
    _check(vault)


def test_an_index_without_them_counts_them_at_its_next_write(vault: Path) -> None:
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:  # as an older vaultkit left it
        conn.execute("DROP TABLE totals")
        conn.execute("DROP TABLE total_keys")
        conn.execute("DELETE FROM meta WHERE key = 'totals'")
    loaded = Vault.load(vault)
    assert _kept(vault) is None
    assert stored.scan_totals(loaded) == scan_json(Vault.load(vault, cache=False))
    write_files(vault, {"Lonely.md": "# Lonely\n[[Ghost Co]] #new\n"})
    _check(vault)


def test_they_are_not_read_while_stale(vault: Path) -> None:
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        conn.execute("UPDATE totals SET value = value + 1000")
        conn.execute("DELETE FROM meta WHERE key = 'totals'")  # as a big load's early write
    assert _kept(vault) is None
    loaded = Vault.load(vault)
    assert stored.scan_totals(loaded) == scan_json(Vault.load(vault, cache=False))


def _edit_and_load(root: str, note: str, rounds: int) -> None:
    for i in range(rounds):
        write_files(Path(root), {note: f"# {note}\n[[Ghost Co]] [[Racer {note} {i}]] #race{i}\n"})
        Vault.load(Path(root))


def test_loads_racing_each_other_leave_them_exact(vault: Path) -> None:
    """Two processes editing and loading at once: each write adjusts the counts inside
    its own transaction, so whichever order they commit in, the counts stay exact."""
    context = multiprocessing.get_context("spawn")
    racers = [context.Process(target=_edit_and_load, args=(str(vault), note, 4))
              for note in ("Lonely.md", "Daily/Day.md")]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(120)
        assert racer.exitcode == 0
    _check(vault)
