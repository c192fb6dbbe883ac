"""The persistent parse index: ``<vault>/.vaultkit/index.sqlite3``, one row per note.

Obsidian ignores dot-folders, so the index is invisible to it. A row holds the note's
parse result with the identity of the bytes it was parsed from: size, ``mtime_ns`` and a
BLAKE2b digest. A warm load trusts a row whose size and mtime match the file; when they
differ it hashes the file and reparses only if the digest differs too.

The whole index is keyed by :func:`parser_fingerprint`, a hash of the source of every
module that decides what a note parses to, plus the versions of the libraries doing the
reading. Any change to the parser therefore discards the cached rows; nobody has to
remember to bump a constant (``FORMAT`` covers only the table layout and blob encoding).

A warm load decodes nothing: :class:`NoteMap` holds each reused note's blob and decodes
it on first access, so a command that looks at one note decodes one note. A load reads
the identities of the rows only in the blocks of the listing that changed
(``meta.listing``, :mod:`vaultkit.index.listing`): none for an unchanged vault. The aliases
have their own column, read when first asked for, and so have each note's link rows
(:mod:`vaultkit.index.link_rows`), which graph queries read instead of whole notes.

The index is a cache: if it is corrupt, locked or unwritable the load goes on without
it (with an :class:`IndexWarning` for the first two), and notes are parsed afresh. A row
whose blob turns out damaged when decoded is parsed afresh then, for that note alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import operator
import os
import pickle
import sqlite3
import stat
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from vaultkit import errors, model
from vaultkit.index import relational
from vaultkit.index.code_digest import code_digest
from vaultkit.index.listing import Listing, make_listing

INDEX_DIR = ".vaultkit"
INDEX_FILE = "index.sqlite3"
#: Bump when the table layout or the blob encoding changes (``meta.schema_version``).
FORMAT = 5
#: How long to wait for another vaultkit process holding the index before going without it:
#: longer than a reader streaming 10,000 rows (~0.1 s) or a writer storing them (~0.5 s).
LOCK_TIMEOUT = 5.0
#: A file modified this recently may change again within the same mtime tick, so its identity
#: is not trusted next time ("racy git"); the next load re-hashes it instead.
RACY_NS = 2_000_000_000

#: What decides a note's parse and its stored form, relative to the package: not the facade
#: (``vault.py``) nor the views, so editing those keeps every user's index.
_PARSER_SOURCES = ("errors.py", "model.py", "parse", "syntax", "index/store.py",
                   "index/link_rows.py", "index/rows.py", "index/relational.py",
                   "index/note_lint.py", "index/table_dates.py", "index/degrees.py",
                   "index/hub_table.py", "index/totals.py", "index/resolve.py",
                   "index/flags.py")


T = TypeVar("T")


#: The libraries that read a note, whose versions the fingerprint covers.
_PARSER_LIBRARIES = ("markdown_it", "mdit_py_plugins", "yaml")


class IndexWarning(UserWarning):
    """The index could not be used; the vault was loaded without it."""


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """What identifies the bytes a note was parsed from."""

    size: int
    mtime_ns: int
    digest: bytes


def file_digest(data: bytes) -> bytes:
    """The content hash stored in the index (BLAKE2b, 16 bytes)."""
    return hashlib.blake2b(data, digest_size=16).digest()


def identify_file(file: str | Path) -> FileIdentity | None:
    """Stat, then hash, a note file; None for symlinks and unreadable files (never cached).

    The stat comes first so that a write racing with the read leaves a identity older than
    the bytes, which the next load sees as a change.
    """
    try:
        st = os.stat(file, follow_symlinks=False)
        if not stat.S_ISREG(st.st_mode):
            return None
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    mtime = st.st_mtime_ns if time.time_ns() - st.st_mtime_ns > RACY_NS else 0
    return FileIdentity(st.st_size, mtime, file_digest(data))


@cache
def parser_fingerprint() -> str:
    """Hash of the parser's source files and the versions of the libraries it uses."""
    return code_digest(f"{FORMAT}|{sys.version_info[:2]}", _PARSER_LIBRARIES, _PARSER_SOURCES)


# -- the blob codec --------------------------------------------------------------------
# Pickle, but each model record is reduced to ``(cls, field values)``: unpickling then calls
# the constructor, about twice as fast as the dataclass ``__setstate__``. Equal strings in
# fields are pickled as one object (a link target, a tag), so they are decoded once per
# note. Loading accepts only the model classes, so a planted index file cannot run code.

_MODEL_CLASSES = {cls.__name__: cls for cls in (*vars(model).values(), errors.Problem)
                  if isinstance(cls, type) and is_dataclass(cls)
                  and cls.__module__ in (model.__name__, errors.__name__)}
_FIELDS = {cls: tuple(f.name for f in fields(cls)) for cls in _MODEL_CLASSES.values()}


def _values_getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A record's field values as a tuple, read in C (a quarter of the encoding's time)."""
    if len(names) == 1:
        (name,) = names
        return lambda record: (getattr(record, name),)
    return operator.attrgetter(*names)


_VALUES = {cls: _values_getter(names) for cls, names in _FIELDS.items()}


class _ModelPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=5)
        self._strings: dict[str, str] = {}

    def reducer_override(self, obj: Any) -> Any:
        values = _VALUES.get(type(obj))
        if values is None:
            return NotImplemented
        share = self._strings.setdefault
        return type(obj), tuple([share(v, v) if type(v) is str else v for v in values(obj)])


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        cls = _MODEL_CLASSES.get(name)
        if cls is None or cls.__module__ != module:
            raise pickle.UnpicklingError(f"not a vaultkit record: {module}.{name}")
        return cls


def encode_note(note: model.Note) -> bytes:
    """Serialise a note for the index."""
    buffer = io.BytesIO()
    _ModelPickler(buffer).dump(note)
    return buffer.getvalue()


def decode_note(blob: bytes) -> model.Note | None:
    """The note stored in ``blob``, or None if the blob is damaged or not a note."""
    try:
        note = _ModelUnpickler(io.BytesIO(blob)).load()
    except Exception:  # any damage in a cache row just means "parse again"
        return None
    return note if isinstance(note, model.Note) else None


# -- the SQLite store ------------------------------------------------------------------

_META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_NOTES_TABLE = """CREATE TABLE IF NOT EXISTS notes (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    digest BLOB NOT NULL, note BLOB NOT NULL, aliases TEXT NOT NULL, links BLOB NOT NULL
)"""

#: What a warm load reads of every row, without the blobs: a scan of the table itself
#: walks every blob's overflow pages to reach ``aliases``: most of the file.
_NOTES_IDENTITY = ("CREATE INDEX IF NOT EXISTS notes_identity ON notes "
                   "(path, size, mtime_ns, digest, aliases)")

#: One row of the ``notes`` table: path, identity, encoded note, the note's aliases, and its
#: encoded :mod:`link rows <vaultkit.index.link_rows>`.
Row = tuple[str, FileIdentity, bytes, tuple[str, ...], bytes]
#: A row as read back, without its blobs (:class:`BlobReader` reads those when asked):
#: path, size, mtime_ns and digest.
StoredRow = tuple[str, int, int, bytes]


def encode_aliases(aliases: tuple[str, ...]) -> str:
    """The ``aliases`` column: empty for none (most notes), else a JSON list."""
    return json.dumps(aliases) if aliases else ""


def decode_aliases(text: str) -> tuple[str, ...] | None:
    """The aliases stored by :func:`encode_aliases`, or None if the text is damaged."""
    if not text:
        return ()
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if isinstance(found, list) and all(isinstance(a, str) for a in found):
        return tuple(found)
    return None


class NoteIndex:
    """An open index. Use :meth:`open`; every method degrades to "no cache" on failure."""

    def __init__(self, file: Path, conn: sqlite3.Connection) -> None:
        self.file = file
        self._conn = conn
        self._read_version: int | None = None  # see rows()
        #: ``meta.links`` as this connection last read or wrote it: it changes with every
        #: write of the rows (:func:`vaultkit.index.hub_table.renew`).
        self.version: str | None = None

    @classmethod
    def open(cls, root: Path) -> NoteIndex | None:
        """Open (creating if needed) the index of the vault at ``root``; None if impossible."""
        folder = root / INDEX_DIR
        file = folder / INDEX_FILE
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            if not file.is_file():
                return None  # a read-only vault without an index: parse, store nothing
        for attempt in range(2):
            try:
                conn = sqlite3.connect(file, timeout=LOCK_TIMEOUT, isolation_level=None)
            except sqlite3.Error:
                return None
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return cls(file, conn)
            except sqlite3.OperationalError as exc:
                conn.close()
                _warn(f"index {file} unavailable ({exc}); parsing every note")
                return None
            except sqlite3.DatabaseError as exc:
                conn.close()
                if attempt:
                    return None
                _warn(f"index {file} is damaged ({exc}); rebuilding it")
                with contextlib.suppress(OSError):
                    file.unlink()
        return None

    def listing(self) -> Listing | None:
        """What the index keeps of the listing its rows were made from
        (:mod:`vaultkit.index.listing`), if this parser made them; else None."""
        try:
            self._read_version = self._data_version()
            meta = dict(self._conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('parser', 'listing', 'links')"))
        except sqlite3.Error:
            return None
        self.version = meta.get("links")
        if meta.get("parser") != parser_fingerprint():
            return None
        return Listing.from_json(meta.get("listing"))

    def rows(self, ranges: list[tuple[str, str | None]] | None = None) -> list[StoredRow]:
        """The rows made by this parser version (none if the parser changed): every row,
        or those whose paths fall in ``ranges`` (``[low, high)``, high None: to the end).

        One snapshot. Call :meth:`listing` first: what it read is what the load trusts, and
        :meth:`save` then knows whether another process wrote since
        (``PRAGMA data_version``).
        """
        conn = self._conn
        try:
            conn.execute("BEGIN")
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'parser'").fetchone()
                if row is None or row[0] != parser_fingerprint():
                    return []
                sql = "SELECT path, size, mtime_ns, digest FROM notes"
                if ranges is None:
                    return conn.execute(sql).fetchall()
                found: list[StoredRow] = []
                for low, high in ranges:
                    found += conn.execute(f"{sql} WHERE path >= ? AND path < ?", (low, high)) \
                        if high is not None else conn.execute(f"{sql} WHERE path >= ?", (low,))
                return found
            finally:
                conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                _warn(f"index {self.file} unreadable ({exc}); parsing the other notes")
        except sqlite3.DatabaseError as exc:
            _warn(f"index {self.file} is damaged ({exc}); parsing the other notes")
        return []

    def _data_version(self) -> int:
        """Changes when another connection commits to the index (never for this one's)."""
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def save(self, rows: Iterable[Row], reidentified: Iterable[tuple[str, FileIdentity]],
             gone: Iterable[str] | None, keep: set[str] | None = None,
             batch: relational.Batch | None = None, listing: Listing | None = None) -> bool:
        """Store new rows, refresh identities, and drop the rows of ``gone`` (None drops
        nothing: a big load's early writes, which leave the rows incomplete).

        ``gone`` and ``listing`` (what :mod:`vaultkit.index.listing` should keep after this
        write) are the caller's reckoning from the rows it read: they hold if no other
        process wrote since :meth:`rows`. If one did, every row whose path is not in
        ``keep`` is dropped and the listing is made from the rows as they are.
        ``batch`` updates the relational tables alike, in the same transaction.
        Returns False (writing nothing) when the index is read-only, locked or damaged.
        """
        fingerprint = parser_fingerprint()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(_META_TABLE)
            row = conn.execute("SELECT value FROM meta WHERE key = 'parser'").fetchone()
            if row is None or row[0] != fingerprint:
                # Dropped, not emptied: an older FORMAT may have had other columns.
                relational.drop_all(conn)
                conn.execute("DELETE FROM meta")
                conn.execute("INSERT INTO meta VALUES ('parser', ?)", (fingerprint,))
                conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(FORMAT),))
            conn.execute(_NOTES_TABLE)
            conn.execute(_NOTES_IDENTITY)
            exact = self._read_version == self._data_version()  # no other writer since
            dropped = list(gone or ())
            if gone is not None and not exact and keep is not None:
                dropped = [path for (path,) in conn.execute("SELECT path FROM notes")
                           if path not in keep]
            conn.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?)",
                             ((p, s.size, s.mtime_ns, s.digest, b, encode_aliases(a), k)
                              for p, s, b, a, k in rows))
            conn.executemany("UPDATE notes SET size = ?, mtime_ns = ? WHERE path = ? AND "
                             "digest = ?", ((s.size, s.mtime_ns, p, s.digest)
                                            for p, s in reidentified))
            conn.executemany("DELETE FROM notes WHERE path = ?", [(path,) for path in dropped])
            if batch is not None:
                stored = conn.execute("SELECT value FROM meta WHERE key = 'files'").fetchone()
                relational.write(conn, batch, dropped, None if stored is None else stored[0])
            if gone is None or batch is None or not batch.final:
                conn.execute("DELETE FROM meta WHERE key = 'listing'")  # rows incomplete
            elif listing is not None and exact:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('listing', ?)",
                             (listing.to_json(),))
            else:
                _keep_listing(conn, batch.attachments)
            version = conn.execute("SELECT value FROM meta WHERE key = 'links'").fetchone()
            conn.execute("COMMIT")
            self.version = None if version is None else str(version[0])
            return True
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if "readonly" not in str(exc):
                _warn(f"could not update index {self.file} ({exc}); it will catch up next time")
            return False

    def close(self) -> None:
        self._conn.close()


class BlobReader:
    """The blobs of the notes a load took from the index, read when first asked for.

    A warm load reads no blob; a note's blob is read when the note is, and once
    :data:`BULK_AFTER` have been asked for one by one, the rest are read in one SELECT (a
    command that walks every note). Blobs are served only while the index's rows are the
    ones the load checked or wrote: while ``meta.links``, renewed by every write of the
    rows, is still ``version`` (read in the same transaction as the blobs). Otherwise
    nothing is served, and the notes are parsed.
    """

    #: Single reads before reading all the rest at once.
    BULK_AFTER = 32
    COLUMNS = ("note", "links", "aliases")

    def __init__(self, file: Path, version: str | None) -> None:
        self._file = file
        self._version = version
        self._conn: sqlite3.Connection | None = None
        self._read: dict[str, dict[str, bytes | str]] = {c: {} for c in self.COLUMNS}
        self._asked = dict.fromkeys(self.COLUMNS, 0)

    def get(self, column: str, path: str) -> bytes | None:
        """The ``note`` or ``links`` blob of ``path``, handed out once; None if gone."""
        found = self._value(column, path)
        return found if isinstance(found, bytes) else None

    def aliases(self, path: str) -> str | None:
        """The ``aliases`` column of ``path`` (:func:`encode_aliases`); None if gone."""
        found = self._value("aliases", path)
        return found if isinstance(found, str) else None

    def _value(self, column: str, path: str) -> bytes | str | None:
        read = self._read[column]
        found = read.pop(path, None)
        if found is not None:
            return found
        self._asked[column] += 1
        if self._asked[column] == self.BULK_AFTER:
            self._query(column, f"SELECT path, {column} FROM notes", ())
            return read.pop(path, None)
        self._query(column, f"SELECT path, {column} FROM notes WHERE path = ?", (path,))
        return read.pop(path, None)

    def _query(self, column: str, sql: str, args: tuple[str, ...]) -> None:
        read = self._read[column]

        def collect(conn: sqlite3.Connection) -> None:
            read.update((path, value) for path, value in conn.execute(sql, args)
                        if isinstance(value, bytes | str))

        self._in_snapshot(collect)

    def _in_snapshot(self, read: Callable[[sqlite3.Connection], T]) -> T | None:
        """``read`` in one read transaction on the index; None (nothing read) when the rows
        changed since the load or cannot be read: then what was asked for is parsed."""
        try:
            if self._conn is None:
                self._conn = sqlite3.connect(self._file, timeout=LOCK_TIMEOUT,
                                             check_same_thread=False, isolation_level=None)
            conn = self._conn
            conn.execute("BEGIN")
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'links'").fetchone()
                if self._version is None or row != (self._version,):
                    return None
                return read(conn)
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error:
            return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _keep_listing(conn: sqlite3.Connection, attachments: tuple[str, ...]) -> None:
    """Inside a write: store the listing of the rows as they now are, read back (so it is
    exact whatever another process wrote before this transaction)."""
    rows = conn.execute("SELECT path, size, mtime_ns FROM notes INDEXED BY notes_identity "
                        "ORDER BY path").fetchall()
    paths, sizes, mtimes = zip(*rows, strict=True) if rows else ((), (), ())
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('listing', ?)",
                 (make_listing(paths, sizes, mtimes, attachments).to_json(),))


def _warn(message: str) -> None:
    warnings.warn(message, IndexWarning, stacklevel=4)
