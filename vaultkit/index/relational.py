"""The index's relational tables: their layout, and writing one batch of changed notes.

``docs/index-schema.md`` documents every table. Rows that depend on the note alone come
from :func:`vaultkit.index.rows.note_rows`; where each link resolves depends on every file
in the vault, so it is computed here with the vault's :class:`~vaultkit.index.resolve.
Resolver`: for the notes just written, and for every link again only when the set of files
changed since the last write (``meta.files``). Everything runs inside the caller's
transaction, so a crash leaves the tables as they were before or after, never between.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vaultkit.index import degrees, hub_table, totals
from vaultkit.index.resolve import Resolver, lookup_name, named, normalise
from vaultkit.index.rows import NoteRows, file_times, record_fields
from vaultkit.model import note_name

#: Column lists of the tables every note has rows in (generic record tables are added),
#: each with its primary key: the tables are clustered by note, so a note's rows are
#: read, deleted and rewritten together.
_NOTE_TABLES: dict[str, tuple[str, ...]] = {
    "files": ("path TEXT NOT NULL", "name TEXT", "folder TEXT", "extension TEXT",
              "size INTEGER", "mtime TEXT", "ctime TEXT", "title TEXT", "frontmatter TEXT",
              "PRIMARY KEY (path)"),
    "properties": ("path TEXT NOT NULL", "seq INTEGER NOT NULL", "key TEXT", "item INTEGER",
                   "value", "type TEXT", "PRIMARY KEY (path, seq)"),
    "aliases": ("path TEXT NOT NULL", "seq INTEGER NOT NULL", "alias TEXT",
                "PRIMARY KEY (path, seq)"),
    "tags": ("path TEXT NOT NULL", "seq INTEGER NOT NULL", "tag TEXT", "line INTEGER",
             "source TEXT", "PRIMARY KEY (path, seq)"),
    "links": ("path TEXT NOT NULL", "seq INTEGER NOT NULL", "line INTEGER", "target TEXT",
              "heading TEXT", "block TEXT", "display TEXT", "kind TEXT", "embed INTEGER",
              "edge_kind TEXT", "section TEXT", "block_kind TEXT", "block_line INTEGER",
              "sentence INTEGER", "cell_column TEXT", "table_line INTEGER", "resolved TEXT",
              "target_key TEXT", "target_name TEXT", "target_kind TEXT",
              "PRIMARY KEY (path, seq)"),
    "tables": ("path TEXT NOT NULL", "number INTEGER NOT NULL", "line INTEGER",
               "end_line INTEGER", "heading TEXT", "section TEXT", "heading_path TEXT",
               "columns TEXT",
               "column_count INTEGER", "row_count INTEGER", "date TEXT",
               "PRIMARY KEY (path, number)"),
    "cells": ("path TEXT NOT NULL", "table_number INTEGER NOT NULL",
              "row_number INTEGER NOT NULL", "line INTEGER", "position INTEGER NOT NULL",
              "header TEXT", "label TEXT", "raw TEXT", "value REAL", "date TEXT", "unit TEXT",
              "approx INTEGER", "bound TEXT", "comment TEXT", "blank INTEGER",
              "PRIMARY KEY (path, table_number, row_number, position)"),
    "problems": ("path TEXT NOT NULL", "seq INTEGER NOT NULL", "line INTEGER", "message TEXT",
                 "severity TEXT", "PRIMARY KEY (path, seq)"),
    "lint": ("path TEXT NOT NULL", "seq INTEGER NOT NULL", "line INTEGER", "message TEXT",
             "severity TEXT", "PRIMARY KEY (path, seq)"),
}
#: The four link columns that depend on the whole vault.
RESOLUTION_COLUMNS = ("resolved", "target_key", "target_name", "target_kind")

#: ``mentions``: the link graph's edges as ``Vault.mentions`` has them (self links left out).
_MENTIONS_VIEW = """CREATE VIEW mentions AS
SELECT path AS source, seq, line, target_key AS target, target_name, target_kind, resolved,
       edge_kind AS kind, heading, block AS block_id, display, section, block_kind AS block,
       block_line, sentence, cell_column AS "column", table_line AS "table"
FROM links WHERE target <> '' AND target_key <> path"""

_ATTACHMENTS = ("CREATE TABLE IF NOT EXISTS attachments (path TEXT PRIMARY KEY, name TEXT, "
                "folder TEXT, extension TEXT)")
#: Secondary indexes: dropped before a bulk write and made again after, which is faster.
_INDEXES = {
    "links_target_key": "links (target_key)",
    "tags_tag": "tags (tag COLLATE NOCASE)",
    "properties_key": "properties (key, value)",
    # Unresolved links (a third of a research vault's), narrow and in the graph commands'
    # order: unresolved, lint and scan read these instead of every column of every link.
    # (``resolved`` is always NULL here, but a query must find it in the index to be
    # answered from the index alone.)
    "links_unresolved": ("links (path, line, seq, target_key, target_name, target_kind, "
                         "target, embed, resolved) WHERE resolved IS NULL AND target <> ''"),
}
#: From this many notes written at once, the secondary indexes are rebuilt, not updated.
BULK = 500


def note_tables() -> dict[str, tuple[str, ...]]:
    """Every per-note table with its column definitions, generic record tables included."""
    tables = dict(_NOTE_TABLES)
    for name, (_, columns) in record_fields().items():
        tables[name] = ("path TEXT NOT NULL", "seq INTEGER NOT NULL",
                        *(_quote(c) for c in columns), "PRIMARY KEY (path, seq)")
    return tables


def _quote(column: str) -> str:
    return f'"{column}"'


def create(conn: sqlite3.Connection, indexes: bool = True) -> None:
    """Create every relational table, view and (with ``indexes``) index that is missing."""
    for name, columns in note_tables().items():
        conn.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({", ".join(columns)}) '
                     "WITHOUT ROWID")
    conn.execute(_ATTACHMENTS)
    degrees.create(conn)
    totals.create(conn)
    for name, on in _INDEXES.items() if indexes else ():
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mentions'").fetchone() is None:
        conn.execute(_MENTIONS_VIEW)


def drop_all(conn: sqlite3.Connection) -> None:
    """Drop every table and view but ``meta``: what an older layout left behind too."""
    found = conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                         "AND name NOT LIKE 'sqlite_%' AND name != 'meta'").fetchall()
    for kind, name in found:
        if kind == "view":
            conn.execute(f'DROP VIEW IF EXISTS "{name}"')
    for kind, name in found:
        if kind == "table":
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')


def files_key(notes: Sequence[str], attachments: Sequence[str]) -> str:
    """A digest of the vault's set of files: what every link's resolution depends on."""
    h = hashlib.blake2b(digest_size=16)
    for group in (notes, attachments):
        if group:  # each path followed by a NUL, in one update: 100,000 paths in 10 ms
            h.update("\0".join(group).encode("utf-8", "surrogateescape") + b"\0")
        h.update(b"\1")
    return h.hexdigest()


@dataclass
class Batch:
    """What one load changes in the relational tables."""

    root: str
    notes: tuple[str, ...]
    attachments: tuple[str, ...]
    fresh: list[tuple[str, NoteRows]] = field(default_factory=list)
    reidentified: list[str] = field(default_factory=list)
    #: Notes whose rows the load kept from the index (their links may need resolving again).
    reused: int = 0
    #: The load's last write: it also stores the file set and makes the indexes. Earlier
    #: writes of a big load store notes only, each in its own transaction.
    final: bool = True

    @functools.cached_property
    def key(self) -> str:
        return files_key(self.notes, self.attachments)

    @functools.cached_property
    def targets(self) -> Targets:
        """Where link targets resolve: one for the whole load, whose many writes share
        what it has resolved (a 10,000-note vault's links name some 20,000 targets)."""
        return Targets(self.notes, self.attachments)

    def fresh_targets(self) -> Targets:
        """Where the fresh notes' links resolve, knowing only the files named like their
        targets: enough while the file set is the one the stored links were resolved
        against (a resolver of 100,000 files takes a quarter of a second to make)."""
        names = {lookup_name(row[3]) for _, fresh in self.fresh
                 for row in fresh.get("links", ()) if row[3]}
        return Targets(named(self.notes, names, notes=True),
                       named(self.attachments, names, notes=False))


class Targets:
    """Where a link target resolves, as the links table stores it."""

    def __init__(self, notes: Sequence[str], attachments: Sequence[str]) -> None:
        self._notes = set(notes)
        self.resolver = Resolver(notes, attachments)
        self._plain: dict[str, tuple[Any, ...] | None] = {}

    def __call__(self, target: str, source: str) -> tuple[Any, ...]:
        """(resolved, target_key, target_name, target_kind) of ``target`` in ``source``."""
        if target == "":
            return source, source, note_name(source), "note"
        found = self._plain.get(target)
        if found is None:
            if target in self._plain:  # shared by several files: the folder decides
                return self._where(target, self.resolver.resolve(target, source).path)
            resolution = self.resolver.resolve(target)
            if len(resolution.candidates) >= 2:
                self._plain[target] = None
                return self(target, source)
            found = self._plain[target] = self._where(target, resolution.path)
        return found

    def resolved(self, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """``links`` rows (source path first, target fourth) with the resolution columns
        appended. Most targets are plain and seen before: one dict lookup per row."""
        plain = self._plain
        return [row + (plain.get(row[3]) or self(row[3], row[0])) for row in rows]

    def _where(self, target: str, resolved: str | None) -> tuple[Any, ...]:
        if resolved is None:
            kind = "attachment" if is_attachment_name(target) else "entity"
            return None, entity_key(target), target.removesuffix(".md"), kind
        if resolved in self._notes:
            return resolved, resolved, note_name(resolved), "note"
        return resolved, resolved, resolved.rsplit("/", 1)[-1], "attachment"


#: Extensions Obsidian treats as attachments: an unresolved ``![[chart.png]]`` is a
#: missing file, not an entity the researcher writes about.
ATTACHMENT_EXTENSIONS = frozenset({
    "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "heic", "tif", "tiff",
    "mp3", "wav", "m4a", "ogg", "flac", "3gp", "webm", "mp4", "mkv", "mov", "ogv",
    "pdf", "canvas", "csv", "xlsx", "docx", "pptx", "zip",
})


def entity_key(target: str) -> str:
    """The node key of an unresolved link target: how Obsidian groups ghost nodes.

    >>> entity_key(" NVIDIA.md ")
    'nvidia'
    """
    key = normalise(target).replace("\\", "/").strip("/")
    return key[:-3] if key.endswith(".md") else key


def is_attachment_name(name: str) -> bool:
    """Whether a (possibly unresolved) target names a file such as ``chart.png``."""
    base = name.rsplit("/", 1)[-1]
    return "." in base and base.rsplit(".", 1)[1].lower() in ATTACHMENT_EXTENSIONS


def write(conn: sqlite3.Connection, batch: Batch, gone: Iterable[str],
          stored_key: str | None) -> None:
    """Apply ``batch`` inside the caller's transaction: drop the rows of ``gone`` and of
    every fresh note, insert the fresh notes' rows, refresh file times of reidentified notes,
    and (in the final write) re-resolve every kept link when the file set differs from
    ``stored_key``."""
    # A big write, or one of a big load's (the final write makes them again), goes faster
    # without the secondary indexes to update.
    bulk = len(batch.fresh) >= BULK or not batch.final
    create(conn, indexes=not bulk)
    if not batch.final:  # until the final write, no file set is known to be resolved
        conn.execute("DELETE FROM meta WHERE key = 'files'")
    if bulk:
        for name in _INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    tables = note_tables()
    drop = [(path,) for path in gone] + [(path,) for path in _stored(conn, batch.fresh)]
    if drop or batch.fresh or not batch.final or batch.key != stored_key:
        # A ranking of the links before this write is not read again; a write that only
        # renews notes' identities (a file touched, its bytes the same) keeps it.
        hub_table.renew(conn)
    # A small final write adjusts the degrees of the nodes it touches; any other counts all.
    recount = batch.final and not bulk and degrees.current(conn)
    if not recount:
        degrees.invalidate(conn)
    linked = degrees.linked(conn, (path for (path,) in drop)) if recount else {}
    # scan's totals alike: a small write adjusts them by its rows, any other counts again.
    change = totals.Change() if batch.final and not bulk and totals.current(conn) else None
    if change is None:
        totals.invalidate(conn)
    else:
        change.removed(conn, (path for (path,) in drop))
    if drop:
        for name in tables:
            conn.executemany(f'DELETE FROM "{name}" WHERE path = ?', drop)
    # A small write into an unchanged file set resolves its own links only.
    small = batch.final and not bulk and batch.key == stored_key
    targets = batch.fresh_targets() if small else batch.targets
    for name, columns in tables.items():
        marks = ", ".join("?" * (len(columns) - 1))  # the last entry is the primary key
        # Chained in C: a Python generator's frame per row was 0.5 s of a 10,000-note load.
        rows: Iterable[tuple[Any, ...]] = itertools.chain.from_iterable(
            [fresh.get(name, ()) for _, fresh in batch.fresh])
        if name == "links":
            rows = targets.resolved(rows)
        conn.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
    times = [(*found, path) for path in batch.reidentified
             if (found := file_times(f"{batch.root}/{path}")) is not None]
    conn.executemany("UPDATE files SET mtime = ?, ctime = ? WHERE path = ?", times)
    key = batch.key
    if batch.final and key != stored_key:
        conn.execute("DELETE FROM attachments")
        conn.executemany("INSERT INTO attachments VALUES (?, ?, ?, ?)", (
            (p, p.rsplit("/", 1)[-1], p.rsplit("/", 1)[0] if "/" in p else "",
             p.rsplit(".", 1)[1] if "." in p.rsplit("/", 1)[-1] else "")
            for p in batch.attachments))
        if batch.reused:
            _resolve_all(conn, targets)
            recount, change = False, None
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('files', ?)", (key,))
    if batch.final:
        create(conn)
        if recount:
            degrees.adjust(conn, linked, degrees.linked(conn, linked))
        else:
            degrees.rebuild(conn)
        if change is not None:
            change.added(conn, (p for p, _ in batch.fresh))
            change.apply(conn)
        else:
            totals.rebuild(conn)


def _stored(conn: sqlite3.Connection, fresh: Sequence[tuple[str, NoteRows]]) -> list[str]:
    """Which fresh notes have rows to replace: one lookup in ``files`` (every stored note
    has its row there, written with the others) instead of a delete per table and note,
    which on a cold load find nothing (0.1 s of a 10,000-note cold load)."""
    paths = json.dumps([path for path, _ in fresh], ensure_ascii=False)
    return [path for (path,) in conn.execute(
        "SELECT path FROM files WHERE path IN (SELECT value FROM json_each(?))", (paths,))]


def _resolve_all(conn: sqlite3.Connection, targets: Targets) -> None:
    """Resolve every stored link again, rewriting only the rows whose resolution changed
    (adding or removing a file moves few links)."""
    assign = ", ".join(f"{c} = ?" for c in RESOLUTION_COLUMNS)
    changed = []
    for path, seq, target, *stored in conn.execute(
            "SELECT path, seq, target, resolved, target_key, target_name, target_kind "
            "FROM links WHERE target <> ''"):
        now = targets(target, path)
        if tuple(stored) != now:
            changed.append((*now, path, seq))
    conn.executemany(f"UPDATE links SET {assign} WHERE path = ? AND seq = ?", changed)
