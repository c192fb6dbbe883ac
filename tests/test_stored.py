"""The index as a database: its tables say what the notes say, and the commands that
answer from them give exactly what the in-memory queries give.

The in-memory queries (``vaultkit.queries``) are the reference: each table-backed answer
is compared with its twin on the same vault, before and after edits that change which
file a link resolves to (an added attachment, a rename, a second note of the same name).
"""

from __future__ import annotations

import itertools
import json
import re
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
from vaultkit.index.reader import open_tables
from vaultkit.index.store import FORMAT, INDEX_DIR, INDEX_FILE
from vaultkit.queries import backlinks, links, orphans, stored, unresolved
from vaultkit.queries.tags import tag_counts
from vaultkit.views import lint as lint_module
from vaultkit.views.mentions import COLUMNS, mention_columns
from vaultkit.views.serialize import scan_json

ROOT = Path(__file__).resolve().parent.parent

TRICKY = {
    # Two notes named Plan: [[Plan]] resolves by folder, or is ambiguous at the root.
    "Desk/Plan.md": "# Plan\n[[Plan]] here, [[#Plan|self]] and [[Desk/Plan]]\n",
    "Other/Plan.md": "# Plan\n^dup\n\ntext ^dup\n",
    "Root note.md": ("---\ndate: 2026-02-27\ntags: [alpha, Beta]\nscore: 3\nok: true\n"
                     "aliases: [RN]\n---\n# Root\n[[Plan]] and ![[missing.png]] and "
                     "[[Ghost Co]] #alpha #gamma\n\n| A | B |\n|---|---|\n| [[Ghost Co\\|g]] "
                     "| 5% |\n\n- [ ] task one\nfield:: value\n"),
    "Lonely.md": "# Lonely\nno links at all\n",
    "Bad yaml.md": "---\ntags: [a\n---\n#b and [[Ghost Co]]\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    generate_vault(root, 30, seed=3)
    write_files(root, TRICKY)
    return root


def _names(vault: Vault) -> list[str]:
    """Every note name, some entities and attachments: what a user may ask about."""
    names = [note.name for note in list(vault.notes.values())[:12]]
    return [*names, "Ghost Co", "ghost co", "Plan", "Desk/Plan", "missing.png", "RN",
            *vault.attachments[:2]]


def _assert_same_answers(root: Path) -> None:
    vault = Vault.load(root)
    assert open_tables(vault) is not None
    for name in _names(vault):
        for table_backed, twin in ((stored.backlinks, backlinks),
                                   (stored.links, links)):
            try:
                expected = records(twin(vault, name))
            except Exception as exc:  # the same error, from both
                with pytest.raises(type(exc)):
                    table_backed(vault, name)
                continue
            assert table_backed(vault, name) == expected, name
    assert stored.orphans(vault) == records(orphans(vault))
    assert stored.unresolved(vault) == records(unresolved(vault))
    assert stored.tag_counts(vault) == tag_counts(vault)
    assert stored.scan_totals(vault) == scan_json(vault)


def _lint_in_memory(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    with monkeypatch.context() as m:
        m.setattr(lint_module, "open_tables", lambda v: None)
        return lint_module.lint_vault(vault)


def test_table_answers_equal_the_in_memory_queries(vault: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    Vault.load(vault)  # builds the index
    _assert_same_answers(vault)
    warm = Vault.load(vault)
    found = lint_module.lint_vault(warm)
    assert found == _lint_in_memory(warm, monkeypatch)
    messages = {p.message for p in found}
    assert "duplicate block id ^dup" in messages
    assert "embedded attachment not found: missing.png" in messages
    assert any(m.startswith("ambiguous link [[Plan]]") for m in messages)


@pytest.mark.parametrize("change", ["attachment", "rename", "third plan", "delete", "edit"])
def test_answers_follow_changes_to_the_file_set(vault: Path, change: str) -> None:
    Vault.load(vault)
    if change == "attachment":
        write_files(vault, {"Ghost Co.pdf": b"%PDF"})  # [[Ghost Co]] now resolves to it
    elif change == "rename":
        (vault / "Other/Plan.md").rename(vault / "Other/Plan B.md")  # [[Plan]] unambiguous
    elif change == "third plan":
        write_files(vault, {"Plan.md": "# Plan at the root\n"})  # the root one wins
    elif change == "delete":
        (vault / "Lonely.md").unlink()
    else:
        write_files(vault, {"Lonely.md": "# Lonely\nnow [[Root note]] #fresh\n"})
    _assert_same_answers(vault)
    mentions = _mentions_view(vault)
    assert mentions == mention_columns(Vault.load(vault, cache=False))


def _mentions_view(root: Path) -> dict[str, list[Any]]:
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        rows = conn.execute(f"SELECT {columns} FROM mentions ORDER BY source, line, seq")
        found: list[tuple[Any, ...]] = list(zip(*rows.fetchall(), strict=True))
    return {name: list(values) for name, values in zip(COLUMNS, found, strict=True)}


def test_tables_hold_what_the_notes_say(vault: Path) -> None:
    Vault.load(vault)
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        assert meta["schema_version"] == str(FORMAT)
        files = conn.execute("SELECT name, folder, extension, title FROM files "
                             "WHERE path = 'Desk/Plan.md'").fetchone()
        assert files == ("Plan", "Desk", "md", "Plan")
        props = conn.execute("SELECT key, item, value, type FROM properties "
                             "WHERE path = 'Root note.md' ORDER BY seq").fetchall()
        assert props == [("date", None, "2026-02-27", "date"), ("tags", 0, "alpha", "text"),
                         ("tags", 1, "Beta", "text"), ("score", None, 3, "number"),
                         ("ok", None, 1, "checkbox"), ("aliases", 0, "RN", "text")]
        tags = conn.execute("SELECT tag, source FROM tags WHERE path = 'Root note.md' "
                            "ORDER BY seq").fetchall()
        assert ("alpha", "frontmatter") in tags and ("gamma", "body") in tags
        link = conn.execute("SELECT resolved, target_kind, embed, edge_kind FROM links "
                            "WHERE path = 'Root note.md' AND target = 'missing.png'").fetchone()
        assert link == (None, "attachment", 1, "embed")
        plan = conn.execute("SELECT resolved FROM links WHERE path = 'Desk/Plan.md' "
                            "AND target = 'Plan'").fetchone()
        assert plan == ("Desk/Plan.md",)  # the note's own folder decides
        cell = conn.execute("SELECT header, label, value, unit, date FROM cells WHERE "
                            "path = 'Root note.md' AND position = 1").fetchone()
        assert cell == ("B", "g", 5.0, "percent", None)
        date = conn.execute("SELECT date FROM tables WHERE path = 'Root note.md'").fetchone()
        assert date == ("2026-02-27",)
        assert conn.execute("SELECT status, text FROM tasks WHERE path = 'Root note.md'"
                            ).fetchall() == [(" ", "task one")]
        assert conn.execute("SELECT key, value FROM inline_fields WHERE path = 'Root note.md'"
                            ).fetchall() == [("field", "value")]


def test_every_table_is_documented() -> None:
    doc = (ROOT / "docs" / "index-schema.md").read_text(encoding="utf-8")
    root = ROOT / "vault"
    runner = CliRunner()
    result = runner.invoke(cli, ["--vault", str(root), "sql", "--format", "json",
                                 "SELECT name FROM sqlite_master WHERE type IN "
                                 "('table', 'view') AND name NOT LIKE 'sqlite_%'"])
    assert result.exit_code == 0, result.output
    for (name,) in json.loads(result.output)["rows"]:
        assert re.search(rf"^### `{name}`", doc, re.M), name


@pytest.mark.parametrize("query", ["DELETE FROM files", "DROP TABLE links",
                                   "ATTACH DATABASE 'other.db' AS other", "SELECT nonsense"])
def test_sql_is_read_only_and_reports_errors(vault: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(vault), "sql", query])
    assert result.exit_code == 2
    assert "SQL error" in result.output
    assert not (vault / "other.db").exists()
    assert Vault.load(vault).load_stats.parsed == 0  # type: ignore[union-attr]


def test_sql_formats(vault: Path) -> None:
    query = "SELECT path, line FROM tags WHERE tag = 'gamma'"
    runner = CliRunner()
    as_json = runner.invoke(cli, ["--vault", str(vault), "sql", query, "--format", "json"])
    assert json.loads(as_json.output) == {"columns": ["path", "line"],
                                          "rows": [["Root note.md", 9]]}
    as_csv = runner.invoke(cli, ["--vault", str(vault), "sql", query, "--format", "csv"])
    assert as_csv.output == "path,line\nRoot note.md,9\n"


def test_export_writes_every_table_as_parquet(vault: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "parquet"
    assert stored.unresolved(Vault.load(vault))  # an answer kept in meta: not data
    result = CliRunner().invoke(cli, ["--vault", str(vault), "export", "--format", "parquet",
                                      str(out)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name != 'notes'")]
        kept = {key for (key,) in conn.execute("SELECT key FROM meta WHERE key LIKE 'kept:%'")}
        assert "kept:unresolved" in kept
        for name in names:
            table = pq.read_table(out / f"{name}.parquet")
            (count,) = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            assert table.num_rows == count - (len(kept) if name == "meta" else 0), name
    meta = {row["key"] for row in pq.read_table(out / "meta.parquet").to_pylist()}
    assert "links" in meta and not meta & kept
    cells = pq.read_table(out / "cells.parquet").to_pylist()
    assert {"header": "B", "value": 5.0} in [{k: c[k] for k in ("header", "value")}
                                            for c in cells]
    props = pq.read_table(out / "properties.parquet").to_pylist()
    assert {"key": "score", "value": "3"} in [{k: p[k] for k in ("key", "value")}
                                             for p in props]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_big_load_stores_as_it_goes(vault: Path, workers: int,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultkit.index import load as load_module

    monkeypatch.setattr(load_module, "SAVE_EVERY", 5)
    monkeypatch.setattr("vaultkit.index.parallel.CHUNK", 3)
    first = Vault.load(vault, workers=workers)
    cold = Vault.load(vault, cache=False, workers=1)
    assert first.load_stats is not None and first.load_stats.stored
    assert dict(first.notes) == dict(cold.notes)  # stored notes are read back when asked
    _assert_same_answers(vault)
    assert _mentions_view(vault) == mention_columns(cold)


def test_path_is_a_shortest_chain_of_the_link_graph(vault: Path) -> None:
    import networkx as nx

    from vaultkit.queries.structure import path

    loaded = Vault.load(vault)
    undirected = nx.Graph(loaded.graph.to_undirected())
    notes = sorted(loaded.notes)[:8]
    for a in notes:
        for b in notes:
            if a == b:
                continue
            hops = path(loaded, a, b)
            if nx.has_path(undirected, a, b):
                assert len(hops) == nx.shortest_path_length(undirected, a, b)
                chain = [a, *(loaded.find(h) or h for h in hops["to"])]
                assert all(undirected.has_edge(u, v) for u, v in itertools.pairwise(chain))
            else:
                assert hops.empty


@pytest.mark.parametrize("args", [["facts", "--format", "json"], ["facts", "--format", "csv"],
                                  ["tables", "--format", "json"], ["tables", "--format", "csv"]])
def test_streamed_output_is_the_in_memory_output(vault: Path, args: list[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultkit.views import facts as facts_module
    from vaultkit.views import tables as tables_module

    runner = CliRunner()
    Vault.load(vault)
    streamed = runner.invoke(cli, ["--vault", str(vault), *args])
    monkeypatch.setattr(facts_module, "open_tables", lambda v: None)
    monkeypatch.setattr(tables_module, "open_tables", lambda v: None)
    in_memory = runner.invoke(cli, ["--vault", str(vault), *args])
    assert streamed.exit_code == in_memory.exit_code == 0
    assert streamed.output == in_memory.output
    assert len(streamed.output) > 100


def test_unresolved_names_a_target_as_its_first_place_writes_it(tmp_path: Path) -> None:
    root = write_files(tmp_path / "vault", {
        "a: b.md": "# A\n[[ghost CO]] and [[Ghost Co]]\n[[Ghost Co]]\n",
        "B.md": "# B\n[[GHOST CO]] [[ghost co]] ![[gone.png]]\n",
    })
    Vault.load(root)
    vault = Vault.load(root)
    rows = stored.unresolved(vault)
    assert rows == records(unresolved(vault))
    assert rows is not None and rows[0] == {
        "name": "GHOST CO", "kind": "entity", "count": 5, "notes": 2,
        "where": ["B.md:2", "B.md:2", "a: b.md:2", "a: b.md:2", "a: b.md:3"]}
