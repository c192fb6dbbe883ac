"""The index's tables as Parquet files, one per table, for pandas, polars, DuckDB or Spark.

Each column's Parquet type follows its declared SQLite type (``INTEGER`` → int64,
``REAL`` → double, ``TEXT`` → string). A column declared without a type holds values as
they were written (``properties.value``: text, numbers, dates as ISO text); in Parquet it
becomes a string column, each value as SQL ``CAST(value AS TEXT)`` gives it. The blob
cache (``notes``) is left out: it is vaultkit's own encoding, not data; so are the answers
kept in ``meta`` (``kept:*``: vaultkit's own output, 54 MB of ``unresolved`` on 100,000
notes).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

#: Tables not exported.
INTERNAL = frozenset({"notes"})
#: Rows not exported, by table: a condition they fail.
_KEPT_BACK = {"meta": "key NOT LIKE 'kept:%'"}
#: Rows per Parquet row group (and per read from SQLite): memory stays flat on big vaults.
BATCH = 50_000


def exported_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables and views :func:`export_parquet` writes, by name."""
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name") if name not in INTERNAL]


def export_parquet(conn: sqlite3.Connection, out: Path) -> list[tuple[str, int]]:
    """Write every table of the index as ``out/<table>.parquet``; (table, rows) of each."""
    out.mkdir(parents=True, exist_ok=True)
    return [(name, _write(conn, name, out / f"{name}.parquet"))
            for name in exported_tables(conn)]


def _write(conn: sqlite3.Connection, table: str, file: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    declared = [(row[1], str(row[2]).upper()) for row in
                conn.execute(f'PRAGMA table_info("{table}")')]
    schema = pa.schema([(name, _arrow_type(pa, kind)) for name, kind in declared])
    selected = ", ".join(
        f'"{name}"' if _arrow_type(pa, kind) != pa.string() or "TEXT" in kind
        else f'CAST("{name}" AS TEXT) AS "{name}"' for name, kind in declared)
    where = f" WHERE {_KEPT_BACK[table]}" if table in _KEPT_BACK else ""
    cursor = conn.execute(f'SELECT {selected} FROM "{table}"{where}')
    count = 0
    with pq.ParquetWriter(file, schema) as writer:
        while rows := cursor.fetchmany(BATCH):
            columns: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)]
            writer.write_table(pa.table(columns, schema=schema))
            count += len(rows)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def _arrow_type(pa: Any, kind: str) -> Any:
    if "INT" in kind:
        return pa.int64()
    if "REAL" in kind:
        return pa.float64()
    return pa.string()
