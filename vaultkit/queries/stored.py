"""The graph and structure queries answered from the index's tables (no note decoded).

Each function returns exactly what its in-memory twin gives (the same rows, order and
values: ``tests/test_stored.py`` compares them on every command), or None when the index
does not hold this vault's notes (:func:`vaultkit.index.reader.open_tables`); callers then
ask the twin. Rows are plain dicts, as the commands print them.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar, cast

from vaultkit.errors import NoteNotFound, Problem
from vaultkit.index import degrees, hub_table, kept, totals
from vaultkit.index.reader import index_file, open_tables
from vaultkit.index.relational import entity_key
from vaultkit.index.resolve import normalise
from vaultkit.model import note_name
from vaultkit.queries.excluded import excluded_notes
from vaultkit.queries.neighbourhood import SEPARATOR, StoredLookup
from vaultkit.queries.related import related_rows
from vaultkit.queries.structure import hub_rows, path_rows, rank_hubs
from vaultkit.vault import Vault
from vaultkit.views import json_text

Records = list[dict[str, Any]]
T = TypeVar("T")


def find_key(vault: Vault, conn: sqlite3.Connection, name: str) -> str:
    """:func:`vaultkit.queries.lookup.find_node`, with the link targets read from the index."""
    found = vault.find(name)
    if found is not None:
        return found

    def known(key: str) -> bool:
        return (key in vault.notes or key in _attachments(vault) or conn.execute(
            "SELECT 1 FROM mentions WHERE target = ? LIMIT 1", (key,)).fetchone() is not None)

    if known(name):
        return name
    attachment = vault.resolver.resolve(name).path
    if attachment is not None:
        return attachment
    key = entity_key(name)
    if known(key):
        return key
    raise NoteNotFound(f"nothing named {name!r} in {vault.root}: no note, attachment "
                       "or link target has that name")


def _attachments(vault: Vault) -> frozenset[str]:
    return vault.derived(_attachment_set)


def _attachment_set(vault: Vault) -> frozenset[str]:
    return frozenset(vault.attachments)


def backlinks(vault: Vault, name: str) -> Records | None:
    """:func:`vaultkit.queries.links.backlinks` as records."""
    conn = open_tables(vault)
    if conn is None:
        return None
    key = find_key(vault, conn, name)
    rows = conn.execute(
        'SELECT source, line, kind, display, section, block, "column" FROM mentions '
        "WHERE target = ? ORDER BY source, line, seq", (key,)).fetchall()
    counts = Counter(row[0] for row in rows)
    return [{"path": source, "line": line, "count": counts[source], "kind": kind,
             "display": display, "section": section, "block": block, "column": column}
            for source, line, kind, display, section, block, column in rows]


def links(vault: Vault, name: str) -> Records | None:
    """:func:`vaultkit.queries.links.links` as records."""
    conn = open_tables(vault)
    if conn is None:
        return None
    key = find_key(vault, conn, name)
    rows = conn.execute(
        "SELECT target_name, resolved, target_kind, line, target, kind, heading, display, "
        'section, block, "column" FROM mentions WHERE source = ? ORDER BY line, seq',
        (key,)).fetchall()
    counts = Counter(row[4] for row in rows)
    return [{"name": name, "path": path, "target_kind": target_kind, "line": line,
             "count": counts[target], "kind": kind, "heading": heading, "display": display,
             "section": section, "block": block, "column": column}
            for (name, path, target_kind, line, target, kind, heading, display, section,
                 block, column) in rows]


def link_paths(vault: Vault, path: str) -> list[str | None] | None:
    """Where each link of note ``path`` resolves, in the note's order (None: nowhere), as
    the links table keeps it: no resolver of the whole vault is made for one note."""
    conn = open_tables(vault)
    if conn is None:
        return None
    return [resolved for (resolved,) in conn.execute(
        "SELECT resolved FROM links WHERE path = ? ORDER BY seq", (path,))]


def graph_lookup(vault: Vault) -> StoredLookup | None:
    """The link graph read from the index a node at a time, or None when its tables do not
    hold the vault (or their ``degrees`` table is not current). Made once per vault."""
    return vault.derived(_graph_lookup)


def _graph_lookup(vault: Vault) -> StoredLookup | None:
    conn = open_tables(vault)
    if conn is None or not degrees.current(conn):
        return None
    # The median sorts every node's degree (~70 ms at 100,000 notes, a sixth of a
    # ``related``): kept until the tables change, like the other whole-graph answers.
    return StoredLookup(conn, vault.notes, _attachments(vault), median=lambda: _kept(
        vault, conn, "median degree", lambda: degrees.median(conn)))


def related(vault: Vault, name: str, *, top: int | None = 20,
            exclude_folder: tuple[str, ...] = (), exclude_tag: tuple[str, ...] = (),
            unlinked_only: bool = False) -> Records | None:
    """:func:`vaultkit.queries.related.related` as records, reading the subject's
    neighbourhood from the index (the notes near it, not the whole graph)."""
    index = graph_lookup(vault)
    conn = open_tables(vault)
    if index is None or conn is None:
        return None
    subject = find_key(vault, conn, name)

    def tagged() -> list[tuple[str, str]]:
        return conn.execute("SELECT DISTINCT path, tag FROM tags").fetchall()

    excluded = excluded_notes(vault, exclude_folder, exclude_tag, tagged)
    return related_rows(index, subject, excluded, top=top, unlinked_only=unlinked_only)


def path(vault: Vault, start: str, end: str) -> Records | None:
    """:func:`vaultkit.queries.structure.path` as records: a breadth-first search that
    reads each node's neighbours from the index as it reaches them."""
    index = graph_lookup(vault)
    conn = open_tables(vault)
    if index is None or conn is None:
        return None
    a, b = find_key(vault, conn, start), find_key(vault, conn, end)
    return path_rows(index, a, b)


def hubs(vault: Vault, top: int | None = 20) -> Records | None:
    """:func:`vaultkit.queries.structure.hubs` as records: the ranking the index keeps for
    its present links, else ranked now (from the notes' link rows) and kept for next time."""
    conn = open_tables(vault)
    if conn is None:
        return None
    kept = hub_table.read(conn, top)
    if kept is not None:
        return kept
    version = hub_table.links_version(conn)
    rows = _hub_rows(vault, conn)
    hub_table.keep(index_file(str(vault.root)), version, rows)
    return rows[:top] if top is not None else rows


def _hub_rows(vault: Vault, conn: sqlite3.Connection) -> Records:
    """:func:`vaultkit.queries.structure.hub_rows` from the tables, not the in-memory graph
    of every note's links (14 s of the first ``hubs`` after a write at 100,000 notes)."""
    labels = {path: note_name(path) for path in vault.notes}
    kinds = dict.fromkeys(vault.notes, "note")
    kinds.update(dict.fromkeys(vault.attachments, "attachment"))
    # An unresolved target is named, and is an entity or a missing attachment, as its
    # first link has it (notes by path, links in line order, as the graph reads them).
    first: dict[str, str] = {}
    # The tables' kinds are the graph's unless a target is an entity in some links and an
    # attachment in others, or names a file: then the graph decides.
    mixed = False
    for key, name, kind in conn.execute(_UNRESOLVED):
        known = first.get(key)
        if known is None:
            first[key] = kind
            mixed = mixed or key in kinds
            kinds.setdefault(key, kind)
            labels.setdefault(key, name)
        elif known != kind:
            mixed = True
    if mixed or any(SEPARATOR in key for key in kinds):
        return hub_rows(vault)  # as the graph has them; or a name the packing would split
    # Every target not an attachment is a node: one row a note, its targets packed (a row
    # a link was three million Python tuples).
    cited = {source: packed.split(SEPARATOR) for source, packed in conn.execute(_CITED)}
    found_degrees = dict(conn.execute("SELECT node, degree FROM degrees").fetchall())
    return rank_hubs(sorted(key for key, kind in kinds.items() if kind != "attachment"), cited,
                     kinds.__getitem__, labels.__getitem__,
                     lambda key: found_degrees.get(key, 0))


#: What each note links to, attachments left out, packed.
_CITED = """SELECT source, group_concat(target, char(31)) FROM mentions
WHERE target_kind <> 'attachment' GROUP BY source"""
#: Every unresolved target with its name and kind, in the graph's order, read from the
#: narrow index of unresolved links.
_UNRESOLVED = """SELECT target_key, target_name, target_kind FROM links
WHERE resolved IS NULL AND target <> '' AND target_key <> path ORDER BY path, line, seq"""


def orphans(vault: Vault) -> Records | None:
    """:func:`vaultkit.queries.links.orphans` as records."""
    conn = open_tables(vault)
    if conn is None:
        return None
    # Two index probes per note: its own links (clustered by path), links to it (by key);
    # 100,000 notes' worth, so the answer is kept until the tables change.
    return _kept(vault, conn, "orphans", lambda: [
        {"path": path, "title": title, "folder": folder}
        for path, title, folder in conn.execute(_ORPHANS)])


def _kept(vault: Vault, conn: sqlite3.Connection, name: str,
          compute: Callable[[], T]) -> T:
    """``compute()``'s answer, read back from the index if it was kept since the last
    write of the tables (:mod:`vaultkit.index.kept`), else computed now and kept."""
    return cast(T, kept.answer(conn, index_file(str(vault.root)), name, compute))


#: Notes with no mention either way (a mention leaves out self links, as the graph does).
_ORPHANS = """SELECT f.path, f.title, f.folder FROM files f
WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.path = f.path AND l.target <> ''
                  AND l.target_key <> l.path)
  AND NOT EXISTS (SELECT 1 FROM links l WHERE l.target_key = f.path AND l.target <> ''
                  AND l.path <> f.path)
ORDER BY f.path"""


def unresolved(vault: Vault) -> Records | None:
    """:func:`vaultkit.queries.links.unresolved` as records."""
    conn = open_tables(vault)
    if conn is None:
        return None
    text = kept.read_text(conn, "unresolved")
    if text is not None:
        return cast(Records, json.loads(text))
    found = _unresolved_kept(vault, conn)
    return None if found is None else found[0]


def unresolved_json(vault: Vault) -> str | None:
    """:func:`unresolved`'s records as the JSON text :func:`vaultkit.views.json_text.dumps`
    writes (what ``unresolved --format json`` prints), or None as :func:`unresolved`."""
    conn = open_tables(vault)
    if conn is None:
        return None
    # Kept as that text: 5 MB on 10,000 notes, printed as read (decoding it and writing it
    # again took three times as long as the rest of the command).
    text = kept.read_text(conn, "unresolved")
    if text is not None:
        return text
    found = _unresolved_kept(vault, conn)
    return None if found is None else found[1]


def _unresolved_kept(vault: Vault, conn: sqlite3.Connection) -> tuple[Records, str] | None:
    """The records and their JSON text, computed now and kept."""
    version = hub_table.links_version(conn)
    rows = _unresolved_rows(vault, conn)
    if rows is None:
        return None
    text = json_text.dumps(rows)
    kept.keep_text(index_file(str(vault.root)), version, "unresolved", text)
    return rows, text


def _unresolved_rows(vault: Vault, conn: sqlite3.Connection) -> Records | None:
    notes, attachments = vault.notes, _attachments(vault)
    # Every place of every unresolved target, from the links_unresolved index alone: two
    # columns of a million rows at 100,000 notes (each more column costs a second). Grouped
    # here: SQLite's GROUP BY target sorts every place first (no index is in target order),
    # 0.10 s against this loop's 0.07 s on 10,000 notes.
    places: dict[str, list[str]] = {}
    for key, where in conn.execute(
            "SELECT target, source || ':' || line "
            "FROM mentions WHERE resolved IS NULL ORDER BY source, line, seq"):
        found = places.get(key)
        if found is None:
            found = places[key] = []
        found.append(where)
    # Name and kind as the first place writes them: one probe of that note's links each.
    rows = []
    for key, where in places.items():
        if key in notes or key in attachments:
            continue
        source, _, line = where[0].rpartition(":")
        first = conn.execute(_FIRST, (source, int(line), key)).fetchone()
        if first is None:  # another process rewrote that note since: answer from the notes
            return None
        rows.append((*first, key, where))
    rows.sort(key=lambda row: (-len(row[3]), row[0].casefold(), row[2]))
    return [{"name": name, "kind": kind, "count": len(where),
             "notes": len({w.rpartition(":")[0] for w in where}), "where": where}
            for name, kind, _, where in rows]


_FIRST = ("SELECT target_name, target_kind FROM mentions WHERE source = ? AND line = ? "
          "AND target = ? AND resolved IS NULL ORDER BY seq LIMIT 1")


def tag_counts(vault: Vault) -> Records | None:
    """:func:`vaultkit.queries.tags.tag_counts` from the tags table."""
    conn = open_tables(vault)
    if conn is None:
        return None
    return _kept(vault, conn, "tags", lambda: _tag_counts(conn))


def _tag_counts(conn: sqlite3.Connection) -> Records:
    display: dict[str, str] = {}
    notes: dict[str, set[str]] = {}
    occurrences: Counter[str] = Counter()
    for path, tag in conn.execute("SELECT path, tag FROM tags ORDER BY path, seq"):
        key = tag.casefold()
        display.setdefault(key, tag)
        notes.setdefault(key, set()).add(path)
        occurrences[key] += 1
    rows = [{"tag": display[k], "notes": len(notes[k]), "occurrences": occurrences[k]}
            for k in display]
    return sorted(rows, key=lambda r: (-int(r["notes"]), str(r["tag"]).casefold()))


def scan_totals(vault: Vault) -> dict[str, Any] | None:
    """:func:`vaultkit.views.serialize.scan_json` from the tables."""
    conn = open_tables(vault)
    if conn is None:
        return None
    # Kept current by every write (index/totals.py); counted (and kept) only after an
    # index written by an older vaultkit, or by a big load's early writes alone.
    counts = totals.read(conn) or _kept(vault, conn, "scan", lambda: table_totals(conn))
    return {
        "notes": len(vault.notes),
        "attachments": len(vault.attachments),
        **{key: counts[key] for key in totals.NAMES},
        "errors": [p.to_dict() for p in problems(vault, conn) if p.severity == "error"],
    }


def table_totals(conn: sqlite3.Connection) -> dict[str, int]:
    """``scan``'s counts that read whole tables (the distinct unresolved targets, a
    million links on 100,000 notes, most of all)."""
    # A link to "" (the note itself) always resolves, so the unresolved ones are all in
    # the narrow links_unresolved index: no pass over every column of every link.
    (links,) = conn.execute("SELECT count(*) FROM links").fetchone()
    (missing,) = conn.execute(
        "SELECT count(*) FROM links WHERE resolved IS NULL AND target <> ''").fetchone()
    unresolved = {normalise(t) for (t,) in conn.execute(
        "SELECT DISTINCT target FROM links WHERE resolved IS NULL AND target <> ''")}
    tags = {t.casefold() for (t,) in conn.execute("SELECT DISTINCT tag FROM tags")}
    (tables,) = conn.execute("SELECT count(*) FROM tables").fetchone()
    return {"links": links, "resolved": links - missing, "unresolved_targets": len(unresolved),
            "tags": len(tags), "tables": tables}


def problems(vault: Vault, conn: sqlite3.Connection) -> list[Problem]:
    """:attr:`Vault.problems` from the problems table."""
    found = [Problem(*row) for row in conn.execute(
        "SELECT path, line, message, severity FROM problems ORDER BY path, seq")]
    return sorted(found, key=lambda p: (p.path, p.line, p.message))
