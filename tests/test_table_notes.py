"""A note read from the index's tables (``index/table_notes.py``) holds exactly what the
decoded note holds, for every part the query engines read, whether the tables are read one
note at a time or whole."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import vaultkit.index.table_notes as table_notes_module
from tests.decoding import count_decoded
from vaultkit.bases.files import VaultFiles
from vaultkit.index.table_notes import table_notes
from vaultkit.vault import Vault

SAMPLE = Path(__file__).parent.parent / "vault"

#: Parts that stress the JSON and row round trips: nested and typed frontmatter, tags in
#: both places and any case, tasks with fields, repeated inline fields, an empty note.
EXTRA = {
    "Extra/Typed.md": (
        "---\ntitle: Typed\nratio: 1.0\nbig: 12345678901234\nflag: false\nnone:\n"
        "when: 2026-01-15\nat: 2026-01-15T10:30:00\nnested: {a: [1, {b: c}], d: null}\n"
        "tags: [Macro/Rates, etf]\naliases: [T1, \"T 2\"]\nlink: \"[[Sector Rotation]]\"\n---\n"
        "# Typed\n\nBody #macro and #Macro/rates, price:: 12.5\n\n"
        "- [ ] open task [due:: 2026-02-01] #todo\n- [x] done task\n- item (kind:: note)\n"
        "- price:: 13\n\nSee [[Sector Rotation#Thesis|the thesis]], ![[Empty]],"
        " [md](Extra/Empty.md), [[#Typed]] and [[Nowhere^blk]].\n"),
    "Extra/Empty.md": "",
    "Extra/Only body.md": "No frontmatter. #solo\n",
}

PARTS = ("frontmatter", "aliases", "tags", "tag_occurrences", "tasks", "fields", "headings")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "vault", ignore=shutil.ignore_patterns(".vaultkit"))
    for path, text in EXTRA.items():
        target = tmp_path / "vault" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    Vault.load(tmp_path / "vault", workers=1)  # builds the index
    return tmp_path / "vault"


@pytest.mark.parametrize("whole_after", [0, 10_000])
def test_every_part_equals_the_decoded_note(root: Path, whole_after: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_notes_module, "WHOLE_AFTER", whole_after)
    monkeypatch.setattr(table_notes_module, "WHOLE_LINKS_AFTER", whole_after)
    decoded = Vault.load(root, cache=False)
    warm = Vault.load(root)
    notes = table_notes(warm)
    assert notes is not None
    assert set(warm.notes) == set(decoded.notes) and len(warm.notes) > 10
    for path in sorted(warm.notes):
        from_tables, note = notes.note(path), decoded.notes[path]
        for part in PARTS:
            assert getattr(from_tables, part) == getattr(note, part), (path, part)
        # Links without their context (where each sits): the engines never read it.
        assert from_tables.links == tuple(replace(link, context=None) for link in note.links)
        assert type(from_tables.frontmatter.get("ratio", 0.0)) is type(
            note.frontmatter.get("ratio", 0.0))


def test_reading_the_tables_decodes_no_note(root: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    decoded = count_decoded(monkeypatch)
    warm = Vault.load(root)
    notes = table_notes(warm)
    assert notes is not None
    for path in warm.notes:
        for part in PARTS:
            getattr(notes.note(path), part)
        assert notes.note(path).links is not None
    assert decoded == []


def test_no_tables_without_an_index(root: Path) -> None:
    assert table_notes(Vault.load(root, cache=False)) is None


def test_backlinks_equal_the_decoded_notes(root: Path) -> None:
    """Bases' ``file.backlinks`` read from the links table, as the notes' links give them."""
    decoded = VaultFiles(Vault.load(root, cache=False)).backlinks()
    warm = Vault.load(root)
    assert table_notes(warm) is not None
    from_tables = VaultFiles(warm).backlinks()
    assert from_tables == decoded and len(decoded) > 5
