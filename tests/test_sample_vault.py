"""The sample vault `vault/` is what the README, the benchmarks and `make refresh` run on.

These tests pin its design: the seed note verbatim, source notes with frontmatter, entity
notes some of the seed's links now resolve to, ghost entities that stay unresolved, and
well-formed managed-region markers in the tracker notes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
from pathlib import Path

import pytest

from vaultkit.vault import Vault
from vaultkit.views.lint import lint_vault

ROOT = Path(__file__).resolve().parent.parent
VAULT = ROOT / "vault"
SEED = "Sector Rotation.md"
# sha256 of ../shared/seeds/001_*.txt, so a fresh clone (without ../shared) still checks it.
SEED_SHA256 = "4abdafa0eecb7d3d5c7edd44ddabbabd2853f3e6bb438a458b4af9763ced6e78"

# Links of the seed note that now resolve to an entity note of the sample vault.
SEED_RESOLVED = {
    "NVIDIA": "Entities/NVIDIA.md",
    "Palantir": "Entities/Palantir.md",
    "Michael Burry": "Entities/Michael Burry.md",
    "Small cap rotation 2026": "Entities/Small cap rotation 2026.md",
    "AI workflow disruption basket": "Entities/AI workflow disruption basket.md",
    "Energy and Utilities": "Entities/Energy and Utilities.md",
}
# Entities discussed across the vault that deliberately have no note.
GHOSTS = ("Exxon", "Chevron", "IEA", "Europe", "Microsoft", "Apple", "Tesla", "Nasdaq",
          "Morgan Stanley", "VIX", "Oil", "Claude Cowork disruption February 2026")
ALIASES = {
    "NVDA": "Entities/NVIDIA.md",
    "PLTR": "Entities/Palantir.md",
    "Burry": "Entities/Michael Burry.md",
    "R2K": "Entities/Russell 2000.md",
    "Energy & Utilities": "Entities/Energy and Utilities.md",
    "SaaSpocalypse basket": "Entities/AI workflow disruption basket.md",
}
TRACKERS = {
    "Rotation tracker.md": {"xle-igv", "iwm-qqq", "mag7-returns", "iwm-spy-streak",
                            "sector-breadth", "macro-drivers", "rotation-signature",
                            "updates"},
    "Historical rotations.md": {"rot-2000", "rot-2016", "rot-2018", "rot-2020", "rot-2022"},
    "Sector Rotation.md": {"thesis-check"},
}
KINDS = {"pair", "returns", "streak", "breadth", "series", "signature", "updates", "audit",
         "base", "query"}

# A value with spaces is quoted (view="By sector").
BEGIN = re.compile(r'^<!-- vaultkit:begin (?P<spec>(?:[a-z]+=(?:"[^"]*"|\S+) )*'
                   r'[a-z]+=(?:"[^"]*"|\S+)) -->$')
END = re.compile(r"^<!-- vaultkit:end id=(?P<id>[a-z0-9-]+)(?: sum=[0-9a-f]+)? -->$")
ANY_MARKER = re.compile(r"vaultkit:(?:begin|end)")
SPEC_ITEM = re.compile(r'([a-z]+)=(?:"([^"]*)"|(\S+))')
# Characters Obsidian refuses in file names, or that break links to them.
FORBIDDEN_IN_NAME = re.compile(r'[#|^\[\]:?*"<>\\]')


@pytest.fixture(scope="module")
def vault() -> Vault:
    return Vault.load(VAULT)


def links_to(vault: Vault, target: str) -> list[tuple[str, str | None]]:
    """(source path, resolved path) of every link whose target is ``target``."""
    return [(ref.source, ref.resolved) for ref in vault.link_refs()
            if ref.link.target.casefold() == target.casefold()]


def regions(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(begin line, spec) of each region; asserts markers are well-formed and matched."""
    found: list[tuple[int, dict[str, str]]] = []
    open_region: tuple[int, dict[str, str]] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not ANY_MARKER.search(line):
            continue
        where = f"{path.name}:{number}"
        if begin := BEGIN.match(line):
            assert open_region is None, f"{where}: begin inside an open region"
            spec = {k: quoted or bare for k, quoted, bare in SPEC_ITEM.findall(begin["spec"])}
            assert {"id", "kind"} <= spec.keys(), f"{where}: begin without id or kind"
            assert spec["kind"] in KINDS, f"{where}: unknown kind {spec['kind']}"
            open_region = (number, spec)
        elif end := END.match(line):
            assert open_region is not None, f"{where}: end without begin"
            assert end["id"] == open_region[1]["id"], f"{where}: end id does not match"
            found.append(open_region)
            open_region = None
        else:
            pytest.fail(f"{where}: malformed marker: {line}")
    assert open_region is None, f"{path.name}:{open_region[0]}: begin without end"
    return found


def test_seed_note_is_verbatim() -> None:
    # The pristine seed is tests/data/seed; the sample vault's copy may only gain lines
    # (sections with managed regions, such as the thesis check): none changed or removed.
    pristine = (ROOT / "tests" / "data" / "seed" / SEED).read_bytes()
    assert hashlib.sha256(pristine).hexdigest() == SEED_SHA256
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("001_*.txt"))
    if seeds:
        assert pristine == seeds[0].read_bytes()
    ours = (VAULT / SEED).read_text(encoding="utf-8").splitlines(keepends=True)
    theirs = pristine.decode("utf-8").splitlines(keepends=True)
    changes = difflib.SequenceMatcher(None, theirs, ours, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in changes} <= {"equal", "insert"}
    assert sum(j2 - j1 for tag, _, _, j1, j2 in changes if tag == "equal") == len(theirs)


def test_vault_parses_without_problems(vault: Vault) -> None:
    assert vault.problems == []
    assert len(vault.notes) >= 18


def test_lint_finds_nothing_but_charts_not_yet_drawn(vault: Vault) -> None:
    # The chart PNGs are written by `make refresh`; everything else must be clean,
    # in particular every wikilink inside a table has its pipe escaped.
    found = [str(p) for p in lint_vault(vault)
             if not p.message.startswith("embedded attachment not found")]
    assert found == []


def test_file_names_are_safe_for_obsidian(vault: Vault) -> None:
    for path in (*vault.notes, *vault.attachments):
        assert not FORBIDDEN_IN_NAME.search(path.rsplit("/", 1)[-1]), path


def test_obsidian_settings_and_attachment_folder() -> None:
    settings = json.loads((VAULT / ".obsidian" / "app.json").read_text(encoding="utf-8"))
    assert settings == {"attachmentFolderPath": "attachments"}
    attachments = VAULT / "attachments"
    assert attachments.is_dir()
    assert not list(attachments.rglob("*.md"))


def test_source_notes_have_frontmatter(vault: Vault) -> None:
    sources = [note for path, note in vault.notes.items() if path.startswith("Sources/")]
    assert len(sources) == 4
    for note in sources:
        meta = note.frontmatter
        assert {"date", "source", "tags"} <= meta.keys(), note.path
        date = dt.date.fromisoformat(str(meta["date"]))
        assert note.name.startswith(date.isoformat()), note.path
        assert isinstance(meta["tags"], list) and "source" in meta["tags"], note.path
        assert meta["source"], note.path
        assert [t.heading for t in note.tables] == ["Key figures"], note.path
        assert any(link.display for t in note.tables for link in note.links
                   if t.line <= link.line <= t.end_line), f"{note.path}: no aliased link in table"


def test_entity_notes_have_aliases_and_kind_tags(vault: Vault) -> None:
    entities = [note for path, note in vault.notes.items() if path.startswith("Entities/")]
    assert len(entities) >= 12
    for note in entities:
        assert note.aliases, note.path
        assert any(t.startswith("entity/") or t == "theme" for t in note.tags), note.path


@pytest.mark.parametrize(("target", "path"), sorted(SEED_RESOLVED.items()))
def test_seed_links_resolve_to_entity_notes(vault: Vault, target: str, path: str) -> None:
    from_seed = [resolved for source, resolved in links_to(vault, target) if source == SEED]
    assert from_seed and set(from_seed) == {path}


@pytest.mark.parametrize("ghost", GHOSTS)
def test_ghost_entities_stay_unresolved(vault: Vault, ghost: str) -> None:
    found = links_to(vault, ghost)
    assert found, f"nothing links to {ghost}"
    assert {resolved for _, resolved in found} == {None}


def test_resolution_is_case_insensitive_and_follows_subpaths(vault: Vault) -> None:
    source = "Sources/2026-01-16 Leadership rotates away from mega-cap tech.md"
    nvidia = next(link for link in vault.notes[source].links if link.target == "Nvidia")
    assert vault.resolve(nvidia, source) == "Entities/NVIDIA.md"

    burry = "Entities/Michael Burry.md"
    block = next(link for link in vault.notes[burry].links if link.block)
    assert (block.target, block.block) == ("NVIDIA", "key-thesis")
    assert vault.resolve(block, burry) == "Entities/NVIDIA.md"
    assert "key-thesis" in {b.id for b in vault.notes["Entities/NVIDIA.md"].block_ids}


def test_heading_links_point_at_existing_headings(vault: Vault) -> None:
    checked = 0
    for ref in vault.link_refs():
        if ref.link.heading is None or ref.resolved is None or ref.source == SEED:
            continue
        headings = {h.text for h in vault.notes[ref.resolved].headings}
        assert ref.link.heading in headings, f"{ref.source}:{ref.link.line}"
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize(("alias", "path"), sorted(ALIASES.items()))
def test_aliases_find_their_note(vault: Vault, alias: str, path: str) -> None:
    assert vault.find(alias) == path


def test_obsidian_features_are_exercised(vault: Vault) -> None:
    nvidia = vault.notes["Entities/NVIDIA.md"]
    assert ("conviction", "high") in {(f.key, f.value) for f in nvidia.fields}
    notes = vault.notes.values()
    assert any(note.callouts for note in notes)
    assert any(task.done for note in notes for task in note.tasks)
    assert any(not task.done for note in notes for task in note.tasks)


@pytest.mark.parametrize("name", sorted(TRACKERS))
def test_region_markers_are_well_formed(name: str) -> None:
    found = regions(VAULT / name)
    ids = [spec["id"] for _, spec in found]
    assert len(ids) == len(set(ids))
    assert set(ids) == TRACKERS[name]


def test_region_ids_are_unique_across_the_vault(vault: Vault) -> None:
    ids = [spec["id"] for path in vault.notes for _, spec in regions(VAULT / path)]
    assert len(ids) == len(set(ids))


def test_pair_regions_draw_every_chart_the_seed_embeds(vault: Vault) -> None:
    drawn = {spec["chart"] for name in TRACKERS for _, spec in regions(VAULT / name)
             if spec["kind"] == "pair"}
    embedded = {link.target for link in vault.notes[SEED].links if link.embed}
    assert drawn == embedded


def test_updates_region_sits_under_the_updates_heading() -> None:
    lines = (VAULT / "Rotation tracker.md").read_text(encoding="utf-8").splitlines()
    begin = next(n for n, spec in regions(VAULT / "Rotation tracker.md")
                 if spec["kind"] == "updates")
    heading = next(line for line in reversed(lines[:begin - 1]) if line.startswith("#"))
    assert heading == "## Updates"
