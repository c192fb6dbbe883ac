"""The index's relational tables: their layout, and writing one batch of changed notes.

``docs/index-schema.md`` documents every table. Rows that depend on the note alone come
from :func:`vaultkit.index.rows.note_rows`; where each link resolves depends on every file
in the vault, so it is computed here with the vault's :class:`~vaultkit.index.resolve.
Resolver`: for the notes just written, and for every link again only when the set of files
changed since the last write (``meta.files``). Everything runs inside the caller's
transaction, so a crash leaves the tables as they were before or after, never between.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vaultkit.index.resolve import Resolver, normalise
from vaultkit.index.rows import NoteRows, file_times, record_fields
from vaultkit.model import note_name

#: Column lists of the tables every note has rows in (generic record tables are added).
_NOTE_TABLES: dict[str, tuple[str, ...]] = {
    "files": ("path TEXT PRIMARY KEY", "name TEXT", "folder TEXT", "extension TEXT",
              "size INTEGER", "mtime TEXT", "ctime TEXT", "title TEXT", "frontmatter TEXT"),
    "properties": ("path TEXT", "key TEXT", "item INTEGER", "value", "type TEXT"),
    "aliases": ("path TEXT", "seq INTEGER", "alias TEXT"),
    "tags": ("path TEXT", "seq INTEGER", "tag TEXT", "line INTEGER", "source TEXT"),
    "links": ("path TEXT", "seq INTEGER", "line INTEGER", "target TEXT", "heading TEXT",
              "block TEXT", "display TEXT", "kind TEXT", "embed INTEGER", "edge_kind TEXT",
              "section TEXT", "block_kind TEXT", "block_line INTEGER", "sentence INTEGER",
              "cell_column TEXT", "table_line INTEGER", "resolved TEXT", "target_key TEXT",
              "target_name TEXT", "target_kind TEXT"),
    "tables": ("path TEXT", "number INTEGER", "line INTEGER", "end_line INTEGER",
               "heading TEXT", "section TEXT", "columns TEXT", "column_count INTEGER",
               "row_count INTEGER"),
    "cells": ("path TEXT", "table_number INTEGER", "row_number INTEGER", "line INTEGER",
              "position INTEGER", "header TEXT", "raw TEXT", "value", "unit TEXT",
              "approx INTEGER", "bound TEXT", "comment TEXT", "blank INTEGER"),
    "problems": ("path TEXT", "line INTEGER", "message TEXT", "severity TEXT"),
}
#: The four link columns that depend on the whole vault.
RESOLUTION_COLUMNS = ("resolved", "target_key", "target_name", "target_kind")

#: ``mentions``: the link graph's edges as ``Vault.mentions`` has them (self links left out).
_MENTIONS_VIEW = """CREATE VIEW mentions AS
SELECT path AS source, line, target_key AS target, target_name, target_kind, resolved,
       edge_kind AS kind, heading, block AS block_id, display, section, block_kind AS block,
       block_line, sentence, cell_column AS "column", table_line AS "table"
FROM links WHERE target <> '' AND target_key <> path"""

_EXTRA = (
    "CREATE TABLE IF NOT EXISTS attachments (path TEXT PRIMARY KEY, name TEXT, "
    "folder TEXT, extension TEXT)",
    "CREATE INDEX IF NOT EXISTS links_target_key ON links (target_key)",
    "CREATE INDEX IF NOT EXISTS links_target ON links (target)",
    "CREATE INDEX IF NOT EXISTS tags_tag ON tags (tag COLLATE NOCASE)",
    "CREATE INDEX IF NOT EXISTS properties_key ON properties (key, value)",
)


def note_tables() -> dict[str, tuple[str, ...]]:
    """Every per-note table with its column definitions, generic record tables included."""
    tables = dict(_NOTE_TABLES)
    for name, (_, columns) in record_fields().items():
        tables[name] = ("path TEXT", "seq INTEGER", *(_quote(c) for c in columns))
    return tables


def _quote(column: str) -> str:
    return f'"{column}"'


def create(conn: sqlite3.Connection) -> None:
    """Create every relational table, index and view that is missing."""
    for name, columns in note_tables().items():
        conn.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({", ".join(columns)})')
        if name != "files":
            conn.execute(f'CREATE INDEX IF NOT EXISTS "{name}_path" ON "{name}" (path)')
    for statement in _EXTRA:
        conn.execute(statement)
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
        for path in group:
            h.update(path.encode("utf-8", "surrogateescape") + b"\0")
        h.update(b"\1")
    return h.hexdigest()


@dataclass
class Batch:
    """What one load changes in the relational tables."""

    root: str
    notes: tuple[str, ...]
    attachments: tuple[str, ...]
    fresh: list[tuple[str, NoteRows]] = field(default_factory=list)
    restamped: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return files_key(self.notes, self.attachments)


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

    def shared(self, target: str) -> bool:
        """Whether several files go by ``target`` (then each source folder may differ)."""
        self(target, "")
        return self._plain.get(target) is None

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


def write(conn: sqlite3.Connection, batch: Batch, gone: Iterable[str], stored_key: str | None,
          kept: int) -> None:
    """Apply ``batch`` inside the caller's transaction: drop the rows of ``gone`` and of
    every fresh note, insert the fresh notes' rows, refresh file times of restamped notes,
    and re-resolve every link when the file set differs from ``stored_key``. ``kept`` is
    how many notes kept their rows (none: nothing old to re-resolve)."""
    create(conn)
    tables = note_tables()
    drop = [(path,) for path in gone] + [(path,) for path, _ in batch.fresh]
    if drop:
        for name in tables:
            conn.executemany(f'DELETE FROM "{name}" WHERE path = ?', drop)
    targets = Targets(batch.notes, batch.attachments)
    for name, columns in tables.items():
        marks = ", ".join("?" * len(columns))
        if name == "links":
            rows: Iterable[tuple[Any, ...]] = (
                (*row, *targets(row[3], row[0]))
                for _, fresh in batch.fresh for row in fresh.get(name, ()))
        else:
            rows = (row for _, fresh in batch.fresh for row in fresh.get(name, ()))
        conn.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
    times = [(*found, path) for path in batch.restamped
             if (found := file_times(f"{batch.root}/{path}")) is not None]
    conn.executemany("UPDATE files SET mtime = ?, ctime = ? WHERE path = ?", times)
    key = batch.key
    if key != stored_key:
        conn.execute("DELETE FROM attachments")
        conn.executemany("INSERT INTO attachments VALUES (?, ?, ?, ?)", (
            (p, p.rsplit("/", 1)[-1], p.rsplit("/", 1)[0] if "/" in p else "",
             p.rsplit(".", 1)[1] if "." in p.rsplit("/", 1)[-1] else "")
            for p in batch.attachments))
        if kept:
            _resolve_all(conn, targets)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('files', ?)", (key,))


def _resolve_all(conn: sqlite3.Connection, targets: Targets) -> None:
    """Resolve every stored link again: once per distinct target, per link only for the
    few names several files share."""
    assign = ", ".join(f"{c} = ?" for c in RESOLUTION_COLUMNS)
    names = [t for (t,) in conn.execute("SELECT DISTINCT target FROM links WHERE target <> ''")]
    plain = [t for t in names if not targets.shared(t)]
    conn.executemany(f"UPDATE links SET {assign} WHERE target = ?",
                     ((*targets(t, ""), t) for t in plain))
    shared = set(names) - set(plain)
    each: list[tuple[int, str, str]] = []
    for target in shared:
        each.extend(conn.execute("SELECT rowid, target, path FROM links WHERE target = ?",
                                 (target,)))
    conn.executemany(f"UPDATE links SET {assign} WHERE rowid = ?",
                     ((*targets(target, path), rowid) for rowid, target, path in each))
