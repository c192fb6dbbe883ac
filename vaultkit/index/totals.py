"""The ``totals`` and ``total_keys`` tables: ``scan``'s whole-vault counts, kept current.

``scan`` prints counts over whole tables — every link, the resolved ones, the distinct
unresolved targets (normalised as :func:`~vaultkit.index.resolve.normalise` does, which
SQLite cannot), the distinct tags (casefolded), the tables. Counting them again reads a
million links on 100,000 notes, about a second; so they are kept up to date inside the
index's write transaction, as :mod:`vaultkit.index.degrees` keeps the degrees. A small
write adjusts them by the rows it deletes and inserts (:class:`Change`); a distinct count
moves only when a key's number of rows leaves or reaches zero, so ``total_keys`` keeps
that number for every unresolved target and tag. A bulk or re-resolving write counts
everything again in one pass (:func:`rebuild`).

``meta.totals`` is ``'1'`` while the tables hold the counts of the rows stored.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from vaultkit.index import flags
from vaultkit.index.resolve import normalise

#: The counts kept, by the names ``scan --format json`` prints them under.
NAMES = ("links", "resolved", "unresolved_targets", "tags", "tables")
_TOTALS = ("CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, "
           "value INTEGER NOT NULL) WITHOUT ROWID")
#: How many rows name each distinct key: ``kind`` is ``unresolved`` or ``tag``.
_KEYS = ("CREATE TABLE IF NOT EXISTS total_keys (kind TEXT NOT NULL, key TEXT NOT NULL, "
         "count INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
#: The distinct count each kind of key makes.
_DISTINCT = {"unresolved": "unresolved_targets", "tag": "tags"}
#: A link to "" (the note itself) always resolves: the unresolved links are exactly the
#: rows of the narrow ``links_unresolved`` index.
_UNRESOLVED = "resolved IS NULL AND target <> ''"


def create(conn: sqlite3.Connection) -> None:
    """Create the tables if they are missing."""
    conn.execute(_TOTALS)
    conn.execute(_KEYS)


def current(conn: sqlite3.Connection) -> bool:
    """Whether the tables hold the counts of the rows stored."""
    return flags.is_set(conn, "totals")


def invalidate(conn: sqlite3.Connection) -> None:
    """Mark the counts stale (an early write of a big load changed rows)."""
    flags.clear(conn, "totals")


def read(conn: sqlite3.Connection) -> dict[str, int] | None:
    """The kept counts by name, or None when they are not current."""
    try:
        # One statement, so the flag and the counts are of the same committed write.
        rows = conn.execute(
            "SELECT name, value FROM totals WHERE EXISTS "
            "(SELECT 1 FROM meta WHERE key = 'totals' AND value = '1')").fetchall()
    except sqlite3.Error:
        return None
    found = {str(name): int(value) for name, value in rows}
    return found if all(name in found for name in NAMES) else None


def rebuild(conn: sqlite3.Connection) -> None:
    """Count everything again: one pass over the links' unresolved index and the tags."""
    (links,) = conn.execute("SELECT count(*) FROM links").fetchone()
    keys: dict[str, Counter[str]] = {"unresolved": Counter(), "tag": Counter()}
    for target, count in conn.execute(
            f"SELECT target, count(*) FROM links WHERE {_UNRESOLVED} GROUP BY target"):
        keys["unresolved"][normalise(target)] += count
    for tag, count in conn.execute("SELECT tag, count(*) FROM tags GROUP BY tag"):
        keys["tag"][tag.casefold()] += count
    (tables,) = conn.execute("SELECT count(*) FROM tables").fetchone()
    missing = keys["unresolved"].total()
    totals = {"links": links, "resolved": links - missing, "tables": tables,
              **{name: len(keys[kind]) for kind, name in _DISTINCT.items()}}
    conn.execute("DELETE FROM totals")
    conn.execute("DELETE FROM total_keys")
    conn.executemany("INSERT INTO totals VALUES (?, ?)", totals.items())
    conn.executemany("INSERT INTO total_keys VALUES (?, ?, ?)", (
        (kind, key, count) for kind, counted in keys.items() for key, count in counted.items()))
    mark_current(conn)


def mark_current(conn: sqlite3.Connection) -> None:
    flags.mark(conn, "totals")


class Change:
    """What a small write does to the counts: the rows of the notes it deletes are
    :meth:`removed` before they go, those it inserts :meth:`added` once they are in, and
    :meth:`apply` writes the difference."""

    def __init__(self) -> None:
        self._totals: Counter[str] = Counter()
        self._keys: Counter[tuple[str, str]] = Counter()

    def removed(self, conn: sqlite3.Connection, paths: Iterable[str]) -> None:
        """Count out the rows the notes at ``paths`` have now."""
        self._count(conn, paths, -1)

    def added(self, conn: sqlite3.Connection, paths: Iterable[str]) -> None:
        """Count in the rows the notes at ``paths`` have now."""
        self._count(conn, paths, 1)

    def _count(self, conn: sqlite3.Connection, paths: Iterable[str], sign: int) -> None:
        for path in paths:
            (links,) = conn.execute("SELECT count(*) FROM links WHERE path = ?",
                                    (path,)).fetchone()
            (tables,) = conn.execute("SELECT count(*) FROM tables WHERE path = ?",
                                     (path,)).fetchone()
            missing = 0
            for (target,) in conn.execute(
                    f"SELECT target FROM links WHERE path = ? AND {_UNRESOLVED}", (path,)):
                self._keys["unresolved", normalise(target)] += sign
                missing += 1
            for (tag,) in conn.execute("SELECT tag FROM tags WHERE path = ?", (path,)):
                self._keys["tag", tag.casefold()] += sign
            self._totals["links"] += sign * links
            self._totals["resolved"] += sign * (links - missing)
            self._totals["tables"] += sign * tables

    def apply(self, conn: sqlite3.Connection) -> None:
        """Write the counts out: a key's count moved, and a distinct count with each key
        that no row names any more, or that a first row names now."""
        totals = self._totals.copy()
        for (kind, key), delta in self._keys.items():
            if not delta:
                continue
            row = conn.execute("SELECT count FROM total_keys WHERE kind = ? AND key = ?",
                               (kind, key)).fetchone()
            before = 0 if row is None else int(row[0])
            after = before + delta
            if after > 0:
                conn.execute("INSERT OR REPLACE INTO total_keys VALUES (?, ?, ?)",
                             (kind, key, after))
            else:
                conn.execute("DELETE FROM total_keys WHERE kind = ? AND key = ?", (kind, key))
            totals[_DISTINCT[kind]] += (after > 0) - (before > 0)
        conn.executemany("UPDATE totals SET value = value + ? WHERE name = ?",
                         ((delta, name) for name, delta in totals.items() if delta))
