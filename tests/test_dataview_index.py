"""FROM over a warm index: the tables narrow ``#tag`` before any note is decoded, and the
answer is the one the notes give."""

from __future__ import annotations

from pathlib import Path

import pytest

import vaultkit.index.store as store_module
from tests.decoding import count_decoded
from vaultkit.dataview import run_query
from vaultkit.lang.pages import Pages
from vaultkit.vault import Vault

#: Which notes carry #macro for Dataview: a body tag in any case, a nested tag, a
#: frontmatter list, and a frontmatter string Dataview splits on spaces and commas
#: (Obsidian reads ``tags: energy macro`` as no tag, so the index's tags table lacks it).
NOTES = {
    "Body.md": "# Body\n\nRates talk #macro here.\n",
    "Upper.md": "Shouting #MACRO.\n",
    "Nested.md": "Only a child tag #macro/rates.\n",
    "Themes/Listed.md": "---\ntags: [Macro, energy]\n---\nBody.\n",
    "Themes/Spaced.md": "---\ntags: energy macro\n---\nBody.\n",
    "Themes/Commas.md": "---\nTag: \"etf,macro\"\n---\nBody.\n",
    "Themes/Other.md": "---\ntags: [energy]\ncreated: 2026-01-02\n---\nA #macroeconomics note.\n",
    "Plain.md": "No tags, a #macros near-miss and [[Body]].\n",
    "Themes/Nested list.md": "---\ntags: [[macro], true]\n---\nBody.\n",
    "Zero.md": "---\ntags: [0, energy]\nTags: 0\n---\nBody.\n",
    "Archive/Old.md": "Old #energy note.\n",
}
TAGGED = {"Body.md", "Upper.md", "Nested.md", "Themes/Listed.md", "Themes/Spaced.md",
          "Themes/Commas.md", "Themes/Nested list.md"}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    for path, text in NOTES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return tmp_path


def test_from_tag_decodes_no_note(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Vault.load(vault)  # builds the index
    decoded = count_decoded(monkeypatch)
    warm = Vault.load(vault)
    assert warm.load_stats is not None and warm.load_stats.stored
    result = run_query("LIST FROM #macro SORT file.name", Pages(warm))
    assert {link.path for (link,) in result.rows} == TAGGED
    assert decoded == []


@pytest.mark.parametrize("source", [
    "#macro", "#Macro/Rates", "#energy", "#macro AND \"Themes\"", "#macro OR \"Archive\"",
    "-#macro", "#energy AND -#macro", "\"Themes\" AND -(#energy OR #macro)", "#nowhere",
    "[[Body]] OR #macro", "#0", "#true",
])
def test_from_answers_as_without_the_tables(vault: Path, source: str) -> None:
    cold = Vault.load(vault, cache=False)  # no index: every note is read
    Vault.load(vault)
    warm = Vault.load(vault)
    query = f"TABLE file.etags AS tags FROM {source} SORT file.path"
    assert run_query(query, Pages(warm)) == run_query(query, Pages(cold))


def test_from_tag_reads_the_notes_when_the_tables_are_stale(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Vault.load(vault)
    (vault / "Plain.md").write_text("Now #macro too.\n", encoding="utf-8")
    # The index cannot be written (a locked or read-only vault): its tables still hold the
    # old Plain.md, so FROM must read the notes.
    monkeypatch.setattr(store_module.NoteIndex, "save", lambda *args, **kwargs: False)
    stale = Vault.load(vault)
    assert stale.load_stats is not None and not stale.load_stats.stored
    result = run_query("LIST FROM #macro", Pages(stale))
    assert {link.path for (link,) in result.rows} == TAGGED | {"Plain.md"}


@pytest.mark.parametrize("source", ['#macro AND "Themes"', '"Themes" AND #macro'])
def test_from_tag_and_folder_decodes_no_note(
        vault: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    Vault.load(vault)
    decoded = count_decoded(monkeypatch)
    warm = Vault.load(vault)
    result = run_query(f"LIST FROM {source}", Pages(warm))
    themes = {path for path in TAGGED if path.startswith("Themes/")}
    assert {link.path for (link,) in result.rows} == themes
    assert decoded == []
