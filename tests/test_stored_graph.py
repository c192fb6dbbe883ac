"""``related`` and ``path`` answered from the index a node at a time give exactly what the
in-memory lookup gives, and the index's ``degrees`` table stays each node's number of
distinct neighbours (the link graph's, either way) through every kind of change.

The in-memory queries are the reference, as in ``tests/test_stored.py``; degrees are
counted here from the in-memory mentions, independently of the table's own upkeep.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_vault
from tests.vault_files import write_files
from vaultkit import Vault
from vaultkit.cli.graph import records
from vaultkit.index import degrees
from vaultkit.index.store import INDEX_DIR, INDEX_FILE
from vaultkit.queries import hubs, orphans, path, related, stored
from vaultkit.queries.tags import tag_counts
from vaultkit.views.mentions import mention_columns
from vaultkit.views.serialize import scan_json

#: Ambiguous names, self links, an attachment, a missing embed, an entity, a lonely note.
TRICKY = {
    "Desk/Plan.md": "# Plan\n[[Plan]] here, [[#Plan|self]] and [[Desk/Plan]]\n",
    "Other/Plan.md": "# Plan\n[[Ghost Co]] and [[Root note]] ![[chart.png]]\n",
    "chart.png": b"\x89PNG",
    "Root note.md": ("---\ntags: [alpha]\naliases: [RN]\n---\n# Root\n[[Plan]] and "
                     "![[missing.png]] and [[Ghost Co]] [[ghost co]] #alpha\n\n| A | B |\n"
                     "|---|---|\n| [[Ghost Co\\|g]] | [[Desk/Plan]] |\n"),
    "Daily/Day.md": "# Day\n#daily [[Ghost Co]] with [[Root note]] and [[Desk/Plan]]\n",
    "Lonely.md": "# Lonely\nno links at all\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    generate_vault(root, 40, seed=7)
    write_files(root, TRICKY)
    return root


def _names(vault: Vault) -> list[str]:
    names = [note.rsplit("/", 1)[-1].removesuffix(".md") for note in list(vault.notes)[:10]]
    return [*names, "Ghost Co", "Plan", "Desk/Plan", "RN", "Lonely", "chart.png",
            "missing.png", "Day", "Nothing by this name"]


def _same(table_backed: Callable[..., Any], twin: Callable[..., Any], *args: Any,
          **kwargs: Any) -> None:
    """Both give the same rows for the same arguments, or raise the same error."""
    try:
        expected = records(twin(*args, **kwargs))
    except Exception as exc:
        with pytest.raises(type(exc)):
            table_backed(*args, **kwargs)
        return
    assert table_backed(*args, **kwargs) == expected


def _degrees(root: Path) -> dict[str, int]:
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        return dict(conn.execute("SELECT node, degree FROM degrees"))


def _counted(vault: Vault) -> dict[str, int]:
    """Each node's distinct neighbours, counted from the in-memory mentions table."""
    columns = mention_columns(vault)
    neighbours: dict[str, set[str]] = {}
    for source, target in zip(columns["source"], columns["target"], strict=True):
        neighbours.setdefault(source, set()).add(target)
        neighbours.setdefault(target, set()).add(source)
    return {node: len(found) for node, found in neighbours.items()}


def test_related_and_path_from_the_index_equal_the_in_memory_ones(vault: Path) -> None:
    Vault.load(vault)
    warm = Vault.load(vault)
    assert stored.graph_lookup(warm) is not None
    names = _names(warm)
    for name in names:
        _same(stored.related, related, warm, name, top=None)
        _same(stored.related, related, warm, name, top=3, unlinked_only=True)
        _same(stored.related, related, warm, name, exclude_folder=("Daily",),
              exclude_tag=("alpha",))
        for end in names[::3]:
            _same(stored.path, path, warm, name, end)


#: Two shortest chains from Start to End: through Mid then Zed, or through Next then Cee.
#: Breadth-first, Start's neighbours in sorted order are [Mid, Next], so the next level is
#: [Zed, Cee] (Mid's first): the chain goes through Zed, though "Cee" sorts first.
LEVELS = {
    "Start.md": "[[Next]] and [[Mid]]\n",
    "Mid.md": "[[Zed]]\n",
    "Next.md": "[[Cee]]\n",
    "Zed.md": "[[End]]\n",
    "Cee.md": "[[End]]\n",
    "End.md": "the end\n",
    "Island.md": "[[Islet]]\n",
}


def test_path_takes_the_chain_through_the_first_node_of_each_level(tmp_path: Path) -> None:
    write_files(tmp_path, LEVELS)
    Vault.load(tmp_path)
    warm = Vault.load(tmp_path)
    for find in (stored.path, lambda *args: records(path(*args))):
        rows = find(warm, "Start", "End") or []
        assert [(r["from"], r["to"], r["direction"]) for r in rows] == [
            ("Start", "Mid", "→"), ("Mid", "Zed", "→"), ("Zed", "End", "→")]
        back = find(warm, "End", "Start") or []  # End's neighbours sorted: Cee before Zed
        assert [(r["from"], r["to"]) for r in back] == [
            ("End", "Cee"), ("Cee", "Next"), ("Next", "Start")]
        assert find(warm, "Start", "Island") == []
        assert find(warm, "Islet", "Start") == []


#: One unresolved target, ``chart.png``, that one link makes a missing attachment and
#: another an entity (``[[chart.png/]]``): the graph takes its kind from its first link.
MIXED = {
    "attachment first": {"A.md": "[[chart.png]] [[B]]\n", "B.md": "[[chart.png/]] [[A]]\n",
                         "C.md": "[[B]] [[chart.png/]]\n"},
    "entity first": {"A.md": "[[chart.png/]] [[B]]\n", "B.md": "[[chart.png]] [[A]]\n",
                     "C.md": "[[B]] [[chart.png/]]\n"},
}


@pytest.mark.parametrize("case", MIXED)
def test_hubs_rank_a_target_of_two_kinds_as_the_graph_does(tmp_path: Path, case: str) -> None:
    write_files(tmp_path, MIXED[case])
    Vault.load(tmp_path)
    warm = Vault.load(tmp_path)
    expected = records(hubs(warm, top=None))
    # A node (named as written, "chart.png/") only when its first link makes it an entity.
    assert [row["kind"] for row in expected].count("entity") == (case == "entity first")
    assert stored.hubs(warm, top=None) == expected


def test_related_evidence_is_what_the_note_says(vault: Path) -> None:
    Vault.load(vault)
    rows = stored.related(Vault.load(vault), "Ghost Co", top=None)
    assert rows is not None
    by_path = {row["path"]: row for row in rows}
    # Root note links Ghost Co; Desk/Plan sits in the same table row as [[Ghost Co|g]];
    # [[Plan]] at the root is ambiguous: an entity of its own, with no path.
    assert by_path["Root note.md"]["direct"] == 1.0
    assert any(e["kind"] == "same table row" and e["path"] == "Root note.md"
               for e in by_path["Desk/Plan.md"]["evidence"])
    assert any(row["path"] is None and row["name"] == "Plan" for row in rows)


#: X cited four times in A (each citation there is as close as the nearest of them), Y
#: twice in one sentence, every level of closeness, a left-out folder cited by others, and
#: names holding the control character the index packs co-citations with.
CLOSE = {
    "A.md": ("# A\n\nSee [[X]] and [[Odd\x1fName]] with [[Desk/C]].\n\n## Later\n\n"
             "[[X]] again with [[Y]], and [[Y]] once more in [[Z]].\n\n| P | Q |\n"
             "|---|---|\n| [[X]] | [[T]] |\n| [[U]] | [[W]] |\n\n- item [[X]] and [[L]]\n"
             "- other [[M]]\n"),
    "B.md": "# B\n[[X]] [[Odd\x1fName]] [[Z]] [[Y]]\n\nLater [[T]] and [[Desk/C]].\n",
    "Odd\x1fFile.md": "# Odd\nfile [[X]] and [[A]] and [[Y]]\n",
    "Desk/C.md": "# C\n[[Y]] with [[T]] and [[X]]\n\n[[B]]\n",
    "D.md": "# D\n[[Y]] [[Z]] [[X]]\n\n## Other\n\n[[T]] [[A]]\n",
}


def test_cocited_codes_say_how_close_each_citation_sits(tmp_path: Path) -> None:
    root = write_files(tmp_path / "close", CLOSE)
    Vault.load(root)
    lookup = stored.graph_lookup(Vault.load(root))
    assert lookup is not None
    by_note = {found.note: found for found in lookup.cocited(["x"], {"Desk/C.md"})[0]}
    assert list(by_note) == ["A.md", "B.md", "D.md", "Odd\x1fFile.md"]  # by path, C left out
    a = by_note["A.md"]
    assert list(zip(a.targets, a.closeness, strict=True)) == [
        ("x", "-"), ("odd\x1fname", "S"), ("Desk/C.md", "-"),   # X itself, a left-out note
        ("x", "-"), ("y", "S"), ("y", "S"), ("z", "S"),
        ("x", "-"), ("t", "R"), ("u", "T"), ("w", "T"),      # X's table row, its table
        ("x", "-"), ("l", "S"), ("m", "C")]                  # X's list item, its section
    d = by_note["D.md"]
    assert (d.targets, d.closeness) == (["y", "z", "x", "t", "A.md"], "SS-NN")


def test_related_from_the_index_counts_repeated_citations_as_the_notes_do(
        tmp_path: Path) -> None:
    root = write_files(tmp_path / "close", CLOSE)
    Vault.load(root)
    warm = Vault.load(root)
    for name in ["X", "Y", "Z", "T", "A", "B", "Desk/C", "Odd\x1fName", "Odd\x1fFile", "M"]:
        _same(stored.related, related, warm, name, top=None)
        _same(stored.related, related, warm, name, top=2, exclude_folder=("Desk",))
        _same(stored.related, related, warm, name, top=None, unlinked_only=True)


@pytest.mark.parametrize("change", ["edit", "new note", "delete", "attachment", "rename"])
def test_degrees_follow_every_change(vault: Path, change: str) -> None:
    Vault.load(vault)
    assert _degrees(vault) == _counted(Vault.load(vault, cache=False))
    if change == "edit":  # new links out, old ones gone
        write_files(vault, {"Daily/Day.md": "# Day\n[[Lonely]] and [[New entity]]\n"})
    elif change == "new note":
        write_files(vault, {"Fresh.md": "# Fresh\n[[Ghost Co]] [[Root note]] [[Lonely]]\n"})
    elif change == "delete":
        (vault / "Root note.md").unlink()
    elif change == "attachment":
        write_files(vault, {"missing.png": b"\x89PNG"})  # ![[missing.png]] now resolves
    else:
        (vault / "Other/Plan.md").rename(vault / "Other/Plan B.md")
    loaded = Vault.load(vault)
    assert loaded.load_stats is not None and loaded.load_stats.stored
    assert _degrees(vault) == _counted(Vault.load(vault, cache=False))
    _same(stored.related, related, loaded, "Ghost Co", top=None)


def _meta(root: Path) -> dict[str, str]:
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        return dict(conn.execute("SELECT key, value FROM meta"))


def test_hubs_are_ranked_once_and_read_back_until_the_links_change(vault: Path) -> None:
    Vault.load(vault)
    warm = Vault.load(vault)
    expected = records(hubs(warm, top=None))
    assert "hubs" not in _meta(vault)
    assert stored.hubs(warm, top=None) == expected  # ranked now, and kept
    meta = _meta(vault)
    assert meta["hubs"] == meta["links"]
    again = Vault.load(vault)
    assert stored.hubs(again, top=None) == expected  # read back
    assert stored.hubs(again, top=5) == expected[:5]
    write_files(vault, {"Lonely.md": "# Lonely\n[[Ghost Co]] [[Root note]] [[Desk/Plan]]\n"})
    changed = Vault.load(vault)
    meta = _meta(vault)
    assert meta["hubs"] != meta["links"]  # the kept ranking is of the links before
    assert stored.hubs(changed, top=None) == records(hubs(changed, top=None))
    assert stored.hubs(Vault.load(vault), top=None) == records(hubs(changed, top=None))


def test_whole_vault_answers_are_kept_until_the_tables_change(vault: Path) -> None:
    Vault.load(vault)
    warm = Vault.load(vault)
    expected = (scan_json(warm), tag_counts(warm), records(orphans(warm)))
    answers = (stored.scan_totals, stored.tag_counts, stored.orphans)
    assert tuple(answer(warm) for answer in answers) == expected  # computed now, and kept
    meta = _meta(vault)
    for name in ("tags", "orphans"):
        assert json.loads(meta[f"kept:{name}"])["version"] == meta["links"]
    assert "kept:scan" not in meta  # its counts are kept current by every write instead
    again = Vault.load(vault)
    assert tuple(answer(again) for answer in answers) == expected  # read back
    # A new tag, a new entity, and Lonely.md is no orphan any more.
    write_files(vault, {"Lonely.md": "# Lonely\n[[Brand new entity]] #newtag\n"})
    changed = Vault.load(vault)
    now = (scan_json(changed), tag_counts(changed), records(orphans(changed)))
    assert tuple(answer(changed) for answer in answers) == now
    assert all(a != b for a, b in zip(now, expected, strict=True))


def test_degrees_follow_edits_of_notes_that_link_each_other(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small writes adjust the degrees (never count them all again) and stay exact when
    the notes rewritten together link each other, a hub, or drop their last link."""
    Vault.load(vault)
    counted_again: list[int] = []
    monkeypatch.setattr(degrees, "rebuild", lambda conn: counted_again.append(1))
    rounds = [
        {"Lonely.md": "# Lonely\n[[Daily/Day]] [[Root note]]\n",
         "Daily/Day.md": "# Day\n[[Lonely]] and [[Ghost Co]]\n"},  # a pair linked both ways
        {"Lonely.md": "# Lonely\nno links\n"},  # Day still links Lonely: still neighbours
        {"Daily/Day.md": "# Day\nnone either\n", "Lonely.md": "# Lonely\n[[Lonely]]\n"},
        {"Root note.md": "# Root\n[[Ghost Co]] [[ghost co]] [[Desk/Plan]] [[Daily/Day]]\n",
         "Desk/Plan.md": "# Plan\n[[Root note]] [[Ghost Co]] [[Root note#Root]]\n"},
    ]
    for files in rounds:
        write_files(vault, files)
        loaded = Vault.load(vault)
        assert loaded.load_stats is not None and loaded.load_stats.stored
        assert _degrees(vault) == _counted(Vault.load(vault, cache=False))
    assert counted_again == []


def _median(degrees: dict[str, int]) -> float:
    """The upper median, as ``related`` reads the hub threshold."""
    found = sorted(degrees.values())
    return float(found[len(found) // 2])


def test_the_median_degree_is_kept_until_the_links_change(vault: Path) -> None:
    Vault.load(vault)
    warm = Vault.load(vault)
    lookup = stored.graph_lookup(warm)
    assert lookup is not None
    expected = _median(_counted(warm))
    assert lookup.median_degree() == expected
    meta = _meta(vault)
    assert json.loads(meta["kept:median degree"]) == {"version": meta["links"],
                                                      "value": expected}
    again = stored.graph_lookup(Vault.load(vault))
    assert again is not None and again.median_degree() == expected  # read back
    # Thirty entities linked once each: many nodes of degree one pull the median down.
    write_files(vault, {"Lonely.md": " ".join(f"[[New entity {i}]]" for i in range(30))})
    changed = Vault.load(vault)
    now = _median(_counted(changed))
    assert now < expected
    lookup = stored.graph_lookup(changed)
    assert lookup is not None and lookup.median_degree() == now
