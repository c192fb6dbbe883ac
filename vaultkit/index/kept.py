"""Whole-vault answers kept in the index until its next write.

Some answers read every row of a table (``scan``'s count of distinct unresolved targets
reads a million links on 100,000 notes; ``tags``, ``orphans``, ``unresolved``, ``lint``)
although the tables change only when a load writes them. Such an answer is kept in
``meta`` (key ``kept:<name>``, as ``{"version": …, "value": …}``) with the value of
``meta.links`` it was computed under — every write of the tables renews that value
(:func:`vaultkit.index.hub_table.renew`) — so it is read back only while nothing was
written since, and by the code that computed it (``meta.answers``). Keeping one never
waits: a locked or read-only index keeps nothing.

The value is JSON text in whatever layout its keeper chose, and is handed back as that
text (:func:`read_text`): an answer kept in the layout a command prints is printed without
being decoded and encoded again (``unresolved``: 5 MB on 10,000 notes).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from vaultkit.index.hub_table import answers_current, links_version, write_at_version


def read(conn: sqlite3.Connection, name: str) -> Any | None:
    """The answer ``name`` kept for the tables as they are now, decoded, else None."""
    text = read_text(conn, name)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def read_text(conn: sqlite3.Connection, name: str) -> str | None:
    """The JSON text of the answer ``name`` kept for the tables as they are now, else None."""
    version = links_version(conn)
    if version is None or not answers_current(conn):
        return None
    head = _head(version)
    try:
        # The version is compared here, not in the query: SQLite would read the value twice
        # (35 ms more for the 54 MB of ``unresolved`` on 100,000 notes).
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (f"kept:{name}",)).fetchone()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    text: str = row[0]
    if not text.startswith(head) or not text.endswith("}"):
        return None
    return text[len(head):-1]


def keep(file: str, version: str | None, name: str, value: Any) -> bool:
    """Keep ``value``, computed from the tables at ``version``, unless they changed since."""
    return keep_text(file, version, name, json.dumps(value))


def keep_text(file: str, version: str | None, name: str, text: str) -> bool:
    """Keep the JSON text ``text`` as the answer ``name`` (see :func:`keep`)."""
    if version is None:
        return False
    return write_at_version(file, version, lambda conn: conn.execute(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"kept:{name}", f"{_head(version)}{text}}}")))


def answer(conn: sqlite3.Connection, file: str, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s answer (a JSON value), read back from the index ``file`` if it was
    kept since the last write of its tables, else computed now and kept."""
    found = read(conn, name)
    if found is not None:
        return found
    version = links_version(conn)
    value = compute()
    keep(file, version, name, value)
    return value


def _head(version: str) -> str:
    """What a kept answer's row starts with: ``json.dumps`` of ``{"version": version,
    "value": …}`` up to the value (the layout older rows were written in, too)."""
    return f'{{"version": {json.dumps(version)}, "value": '
