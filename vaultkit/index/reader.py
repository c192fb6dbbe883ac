"""Reading the index's relational tables for a loaded vault, when they hold exactly it.

A load that reused or stored every note leaves the tables in step with the files it saw
(:attr:`LoadStats.stored <vaultkit.index.load.LoadStats>`); :func:`open_tables` then
hands out a connection that commands query instead of decoding notes. When the tables
cannot be trusted (no index, a read-only vault with changes, another parser version, a
file the index does not keep) it returns None and callers answer from the notes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.index.relational import files_key
from vaultkit.index.store import INDEX_DIR, INDEX_FILE, LOCK_TIMEOUT, parser_fingerprint

if TYPE_CHECKING:
    from vaultkit.vault import Vault


def index_file(root: str) -> str:
    """Where the index of the vault at ``root`` lives."""
    return f"{root}/{INDEX_DIR}/{INDEX_FILE}"


def connect_read_only(file: str) -> sqlite3.Connection:
    """A connection to the index that cannot write (``vaultkit sql`` uses it too)."""
    uri = Path(file).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn


def open_tables(vault: Vault) -> sqlite3.Connection | None:
    """A read-only connection to ``vault``'s index tables if they hold exactly the notes
    and files of this load, else None. Made once per vault (:meth:`Vault.derived`)."""
    return vault.derived(_open)


def _open(vault: Vault) -> sqlite3.Connection | None:
    stats = vault.load_stats
    if stats is None or not stats.stored:
        return None
    try:
        conn = connect_read_only(index_file(str(vault.root)))
    except (sqlite3.Error, OSError):
        return None
    try:
        # Only the keys it checks: kept answers (``kept:orphans``) are megabytes at 100k.
        meta = dict(conn.execute("SELECT key, value FROM meta "
                                 "WHERE key IN ('parser', 'files', 'links')").fetchall())
        # The tables the load checked or wrote, still unchanged (every write of the rows
        # renews meta.links): nothing more to check.
        same = (meta.get("parser") == parser_fingerprint() and stats.version is not None
                and meta.get("links") == stats.version)
        if not same:
            (count,) = conn.execute("SELECT count(*) FROM files").fetchone()
            same = (meta.get("parser") == parser_fingerprint() and count == len(vault.notes)
                    and meta.get("files") == files_key(tuple(vault.notes), vault.attachments))
    except sqlite3.Error:
        same = False
    if not same:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        return None
    return conn
