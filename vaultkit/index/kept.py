"""Whole-vault answers kept in the index until its next write.

Some answers read every row of a table (``scan``'s count of distinct unresolved targets
reads a million links on 100,000 notes; ``tags``, ``orphans``) although the tables change
only when a load writes them. Such an answer is kept in ``meta`` (key ``kept:<name>``, as
JSON) with the value of ``meta.links`` it was computed under — every write of the tables
renews that value (:func:`vaultkit.index.hub_table.renew`) — so it is read back only while
nothing was written since. Keeping one never waits: a locked or read-only index keeps nothing.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from vaultkit.index.hub_table import links_version, write_at_version


def read(conn: sqlite3.Connection, name: str) -> Any | None:
    """The answer ``name`` kept for the tables as they are now, else None."""
    version = links_version(conn)
    if version is None:
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (f"kept:{name}",)).fetchone()
        found = json.loads(row[0]) if row is not None else None
    except (sqlite3.Error, ValueError):
        return None
    if not isinstance(found, dict) or found.get("version") != version:
        return None
    return found.get("value")


def keep(file: str, version: str | None, name: str, value: Any) -> bool:
    """Keep ``value``, computed from the tables at ``version``, unless they changed since."""
    return write_at_version(file, version, lambda conn: conn.execute(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        (f"kept:{name}", json.dumps({"version": version, "value": value}))))
