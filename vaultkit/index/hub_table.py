"""The ``hubs`` table: the whole ranking ``vaultkit hubs`` prints, kept until the links
change.

PageRank is a question about every edge of the graph: no index narrows it, and reading
300,000 edges takes longer than a warm command may. So the first ``hubs`` after the links
changed ranks the graph and keeps the ranking here; later ones read the rows they print.
Every write of the links table gives ``meta.links`` a new value (:func:`renew`); the
ranking is kept under the value it was made for (``meta.hubs``), so a ranking made before
the last write is never read, and one made while another process wrote is never kept.

Kept answers (this ranking and :mod:`vaultkit.index.kept`'s) also name the code that made
them, ``meta.answers`` (:func:`answers_code`): after an upgrade that changes how an answer
is computed, none made by the code before is read, even on a vault that did not change.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from vaultkit.index.code_digest import code_digest

#: The columns kept, in ``vaultkit hubs``' order (``rank`` orders the rows).
COLUMNS = ("name", "path", "kind", "in_degree", "out_degree", "degree", "pagerank")
_TABLE = ("CREATE TABLE IF NOT EXISTS hubs (rank INTEGER PRIMARY KEY, name TEXT, path TEXT, "
          "kind TEXT, in_degree INTEGER, out_degree INTEGER, degree INTEGER, pagerank REAL)")
#: How long a reader waits for a writer before leaving the ranking unkept this time.
WRITE_TIMEOUT = 0.5
#: What computes the kept answers, under the package (the parser's own sources need not be
#: here: a change to them rebuilds the whole index), and the library that ranks.
_ANSWER_SOURCES = ("queries", "views", "index/kept.py", "index/hub_table.py")
_ANSWER_LIBRARIES = ("networkx",)


@functools.cache
def answers_code() -> str:
    """A digest of the code that computes kept answers (its files' bytes, not imported)."""
    return code_digest("", _ANSWER_LIBRARIES, _ANSWER_SOURCES)


def answers_current(conn: sqlite3.Connection) -> bool:
    """Whether the answers kept in the index were made by this code."""
    return _meta(conn, "answers") == answers_code()


def renew(conn: sqlite3.Connection) -> None:
    """Mark the links as changed (inside the writer's transaction)."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('links', ?)", (uuid.uuid4().hex,))


def links_version(conn: sqlite3.Connection) -> str | None:
    """The value that names the links' present state, None before any write."""
    return _meta(conn, "links")


def read(conn: sqlite3.Connection, top: int | None) -> list[dict[str, Any]] | None:
    """The first ``top`` rows of the ranking kept for the present links, None if there is
    none (the caller ranks the graph and :func:`keep` s the result)."""
    version = links_version(conn)
    if version is None or _meta(conn, "hubs") != version or not answers_current(conn):
        return None
    try:
        rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM hubs ORDER BY rank LIMIT ?",
                            (-1 if top is None else top,)).fetchall()
    except sqlite3.Error:
        return None
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def keep(file: str, version: str | None, rows: Sequence[dict[str, Any]]) -> bool:
    """Keep the whole ranking ``rows``, made from the links as they were at ``version``,
    in the index ``file``; nothing when the links changed since, or the index cannot be
    written at once (read-only, locked): the next ``hubs`` ranks again."""

    def write(conn: sqlite3.Connection) -> None:
        conn.execute(_TABLE)
        conn.execute("DELETE FROM hubs")
        conn.executemany(f"INSERT INTO hubs VALUES (?, {', '.join('?' * len(COLUMNS))})",
                         ((rank, *(row[c] for c in COLUMNS)) for rank, row in enumerate(rows)))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('hubs', ?)", (version,))

    return write_at_version(file, version, write)


def write_at_version(file: str, version: str | None,
                     write: Callable[[sqlite3.Connection], object]) -> bool:
    """Run ``write`` in one transaction on the index ``file`` if its tables are still at
    ``version``; False (nothing written) when they changed since, or the index cannot be
    written at once (read-only, locked): what was to be kept is computed again next time."""
    if version is None:
        return False
    try:
        conn = sqlite3.connect(file, timeout=WRITE_TIMEOUT, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        if links_version(conn) != version:
            conn.execute("ROLLBACK")
            return False
        if not answers_current(conn):  # those kept by other code hold no more
            conn.execute("DELETE FROM meta WHERE key LIKE 'kept:%' OR key = 'hubs'")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('answers', ?)",
                         (answers_code(),))
        write(conn)
        conn.execute("COMMIT")
        return True
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])
