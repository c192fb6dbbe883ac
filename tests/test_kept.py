"""Whole-vault answers kept in the index (``unresolved``, ``lint``) are read back only while
the tables they were computed from are unchanged, and are what the in-memory queries give.

The in-memory queries are the reference (as in ``tests/test_stored.py``); an answer read
back must equal a fresh cold load's, after every kind of change, when another process
writes while it is computed, and when the index cannot be written at all. ``note`` reads
where its links resolve from the links table: the same as resolving them now.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from benchmarks.generate import generate_vault
from tests.vault_files import write_files
from vaultkit import Vault
from vaultkit.cli import cli
from vaultkit.cli.graph import records
from vaultkit.index.store import INDEX_DIR, INDEX_FILE
from vaultkit.queries import stored, unresolved
from vaultkit.views import lint as lint_module
from vaultkit.views.serialize import note_json

#: Two notes named Plan (an ambiguous [[Plan]]), missing embeds, entities written in
#: several spellings, and a note whose path needs escaping in JSON.
TRICKY = {
    "Desk/Plan.md": "# Plan\n[[Plan]] here, [[#Plan|self]] and [[Desk/Plan]]\n",
    "Other/Plan.md": "# Plan\n^dup\n\ntext ^dup\n[[Ghost Co]] ![[gone.pdf]]\n",
    "Root note.md": "# Root\n[[Plan]] and ![[missing.png]] and [[ghost CO]] [[Ghost Co]]\n",
    'Odd\tpath "q" \\ ü.md': "# Odd\n[[Ghost Co]] ![[gone.pdf]] [[\x01ctl]] [[Ünï ⟨x⟩]]\n",
    "Lonely.md": "# Lonely\nno links at all\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    generate_vault(root, 30, seed=5)
    write_files(root, TRICKY)
    Vault.load(root)  # builds the index
    return root


def _meta(root: Path) -> dict[str, str]:
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        return dict(conn.execute("SELECT key, value FROM meta"))


def _cold(root: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    """``unresolved`` and ``lint`` answered from the notes alone, without the index."""
    cold = Vault.load(root, cache=False)
    return records(unresolved(cold)), lint_module.lint_vault(cold)


def _warm(root: Path) -> tuple[list[dict[str, Any]] | None, list[Any]]:
    warm = Vault.load(root)
    return stored.unresolved(warm), lint_module.lint_vault(warm)


def _printed(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--vault", str(root), *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_answers_are_kept_and_read_back(vault: Path) -> None:
    expected = _cold(vault)
    assert _warm(vault) == expected  # computed now, and kept
    meta = _meta(vault)
    for name in ("unresolved", "lint"):
        assert json.loads(meta[f"kept:{name}"])["version"] == meta["links"]
    assert json.loads(meta["kept:unresolved"])["value"] == expected[0]
    assert _warm(vault) == expected  # read back
    assert {"name": "Ghost Co", "kind": "entity", "count": 4, "notes": 3} in [
        {k: row[k] for k in ("name", "kind", "count", "notes")} for row in expected[0]]
    messages = {p.message for p in expected[1]}
    assert "embedded attachment not found: gone.pdf" in messages
    assert any(m.startswith("ambiguous link [[Plan]]") for m in messages)


def test_printed_json_is_the_standard_librarys_text_of_the_answer(vault: Path) -> None:
    """``unresolved --format json`` prints the kept text as it is: it must be exactly
    what ``json.dumps(indent=2)`` writes of the answer, control characters included."""
    rows, problems = _cold(vault)
    for _ in range(2):  # computed and kept, then read back
        assert _printed(vault, "unresolved", "--format", "json") == json.dumps(
            rows, indent=2, ensure_ascii=False) + "\n"
        assert _printed(vault, "lint", "--format", "json") == json.dumps(
            [{**p.to_dict(), "severity": p.severity} for p in problems], indent=2,
            ensure_ascii=False) + "\n"
    assert any(row["name"] == "\x01ctl" for row in rows)


@pytest.mark.parametrize("change", ["edit", "rename", "delete", "new note", "attachment"])
def test_a_kept_answer_is_never_read_after_the_tables_change(vault: Path,
                                                             change: str) -> None:
    before = _warm(vault)
    assert _warm(vault) == before  # kept
    if change == "edit":  # a new entity, a new missing embed
        write_files(vault, {"Lonely.md": "# Lonely\n[[Brand new entity]] ![[lost.png]]\n"})
    elif change == "rename":  # [[Plan]] is no longer ambiguous
        (vault / "Other/Plan.md").rename(vault / "Other/Plan B.md")
    elif change == "delete":
        (vault / "Root note.md").unlink()
    elif change == "new note":  # Ghost Co is a note now: no longer unresolved
        write_files(vault, {"Ghost Co.md": "# Ghost Co\n"})
    else:  # the missing embed is there now
        write_files(vault, {"missing.png": b"\x89PNG"})
    expected = _cold(vault)
    assert expected != before
    assert _warm(vault) == expected
    assert _warm(vault) == expected  # kept again, for the tables as they are now


def test_an_answer_computed_while_another_process_writes_is_not_kept(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warm = Vault.load(vault)
    compute = stored._unresolved_rows

    def written_meanwhile(*args: Any) -> Any:
        rows = compute(*args)
        write_files(vault, {"Lonely.md": "# Lonely\n[[Brand new entity]]\n"})
        Vault.load(vault)  # another writer renews the tables under the answer
        return rows

    monkeypatch.setattr(stored, "_unresolved_rows", written_meanwhile)
    old = stored.unresolved(warm)  # the answer for the vault as it was loaded
    monkeypatch.undo()
    assert "kept:unresolved" not in _meta(vault)
    assert old is not None and old != _cold(vault)[0]
    assert _warm(vault) == _cold(vault)


def test_a_read_only_index_serves_and_keeps_nothing(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    connect = sqlite3.connect

    def read_only(file: str, **kwargs: Any) -> sqlite3.Connection:
        if kwargs.pop("uri", False):  # a read-only connection already
            return connect(file, uri=True, **kwargs)
        conn: sqlite3.Connection = connect(f"file:{file}?mode=ro", uri=True, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", read_only)
    expected = _cold(vault)
    for _ in range(2):
        assert _warm(vault) == expected
        text = _printed(vault, "unresolved", "--format", "json")
        assert json.loads(text) == expected[0]
    assert not any(key.startswith("kept:") for key in _meta(vault))


def test_note_reads_where_its_links_resolve_from_the_index(vault: Path) -> None:
    warm = Vault.load(vault)
    for path in warm.notes:
        note = warm.notes[path]
        found = stored.link_paths(warm, path)
        assert found is not None and len(found) == len(note.links)
        assert note_json(warm, note, found) == note_json(warm, note), path
    resolved = [link["resolved"] for link in note_json(warm, warm.notes["Desk/Plan.md"],
                                                       stored.link_paths(warm, "Desk/Plan.md"))
                ["links"]]
    assert resolved == ["Desk/Plan.md", "Desk/Plan.md", "Desk/Plan.md"]  # own folder; self


def test_answers_kept_by_other_code_are_never_read(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade that changes how answers are computed (``meta.answers``, a digest of that
    code) must not be served the answers the code before kept, though no note changed."""
    from vaultkit.index import hub_table

    expected = _cold(vault)
    assert _warm(vault) == expected
    assert stored.hubs(Vault.load(vault)) is not None  # the ranking is kept too
    meta = _meta(vault)
    assert meta["answers"] == hub_table.answers_code() and meta["hubs"] == meta["links"]
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:  # what older code kept
        conn.execute("UPDATE meta SET value = ? WHERE key = 'kept:unresolved'", (
            json.dumps({"version": meta["links"], "value": [{"name": "stale"}]}),))
    assert stored.unresolved(Vault.load(vault)) == [{"name": "stale"}]  # same code: served
    monkeypatch.setattr(hub_table, "answers_code", lambda: "the upgraded code")
    warm = Vault.load(vault)
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        assert hub_table.read(conn, None) is None
    assert stored.unresolved(warm) == expected[0]  # computed again, and kept
    meta = _meta(vault)
    assert meta["answers"] == "the upgraded code"
    assert "hubs" not in meta and "kept:lint" not in meta  # the old code's, cleared
    assert _warm(vault) == expected
