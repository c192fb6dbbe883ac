"""Flags in the index's ``meta`` table that say a kept table matches the rows stored.

``degrees`` and ``totals`` are each kept by the write transaction; each has a flag,
``'1'`` while the table is current, removed by a write that leaves it stale (an early write
of a big load) and set again when the table is counted or adjusted.
"""

from __future__ import annotations

import sqlite3


def is_set(conn: sqlite3.Connection, key: str) -> bool:
    """Whether ``meta.<key>`` says its table is current (False if unreadable)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == "1"


def clear(conn: sqlite3.Connection, key: str) -> None:
    """Mark the table stale."""
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))


def mark(conn: sqlite3.Connection, key: str) -> None:
    """Mark the table current."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", (key,))
