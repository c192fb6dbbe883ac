"""The vault as a database: ``sql`` queries the index's tables, ``export`` writes them out.

``docs/sql.md`` has the usage and example queries, ``docs/index-schema.md`` the tables.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

from vaultkit.cli.app import (
    Context,
    UsageProblem,
    cli,
    echo_json,
    echo_rows,
    output_format,
    pass_vault_context,
)
from vaultkit.index.export import export_parquet
from vaultkit.index.reader import connect_read_only, index_file, open_tables


def _tables(ctx: Context) -> sqlite3.Connection:
    """A read-only connection to the vault's index, brought up to date by loading it."""
    vault = ctx.vault()
    if open_tables(vault) is None:
        raise UsageProblem(f"the index of {vault.root} is not up to date (is the vault "
                           "read-only?); run a command where it can be written first")
    conn = connect_read_only(index_file(str(vault.root)))
    conn.set_authorizer(_no_attach)
    return conn


def _no_attach(action: int, *_: Any) -> int:
    """Refuse ATTACH: a read-only query must not create or open other files."""
    return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_ATTACH else sqlite3.SQLITE_OK


@cli.command()
@click.argument("query")
@output_format("json", "csv")
@pass_vault_context
def sql(ctx: Context, query: str, fmt: str) -> None:
    """Run a read-only SQL QUERY (SQLite) over the vault's tables.

    The tables are listed in docs/index-schema.md: files, properties, aliases, tags, links,
    mentions, headings, tasks, inline_fields, tables, cells, ...
    """
    conn = _tables(ctx)
    try:
        cursor = conn.execute(query)
        columns = [d[0] for d in cursor.description or ()]
        rows = [list(map(_plain, row)) for row in cursor]
    except sqlite3.Error as exc:
        raise UsageProblem(f"SQL error: {exc}") from exc
    finally:
        conn.close()
    if fmt == "json":  # the result shape every query language shares (DESIGN.md)
        echo_json({"columns": columns, "rows": rows})
    else:
        labels = _unique(columns)
        echo_rows([dict(zip(labels, row, strict=True)) for row in rows], fmt, labels)


def _unique(columns: list[str]) -> list[str]:
    """Column labels for table and CSV output: a repeated name gets ``_2``, ``_3``, ..."""
    seen: dict[str, int] = {}
    labels = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return labels


def _plain(value: Any) -> Any:
    """A SQLite value as JSON and CSV carry it: blobs as hex."""
    return value.hex() if isinstance(value, bytes) else value


@cli.command()
@click.argument("out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet"]), default="parquet",
              show_default=True, help="File format (one file per table).")
@pass_vault_context
def export(ctx: Context, out_dir: Path, fmt: str) -> None:
    """Write every table of the vault's index into DIR as TABLE.parquet."""
    conn = _tables(ctx)
    try:
        written = export_parquet(conn, out_dir)
    finally:
        conn.close()
    for name, count in written:
        click.echo(f"{out_dir / (name + '.' + fmt)}\t{count} rows", err=True)


def echo_stream(rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    """Print records as they come, byte for byte as :func:`echo_rows` prints the whole list
    in ``json`` or ``csv`` (a long answer starts at once and is never held whole)."""
    out = _Buffered()
    if fmt == "csv":
        names = list(columns)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(name) for name in names])
            out.row_done()
    else:
        first = True
        for row in rows:
            text = json.dumps(row, indent=2, ensure_ascii=False, default=str)
            out.write(("[\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
            out.row_done()
            first = False
        out.write("[]\n" if first else "\n]\n")
    out.flush()


class _Buffered:
    """Output gathered and written in blocks (one ``click.echo`` per row would flush
    400,000 times), the first row at once so that a reader sees it start."""

    BLOCK = 1000

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._rows = 0

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def row_done(self) -> None:
        self._rows += 1
        if self._rows == 1 or self._rows % self.BLOCK == 0:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            click.echo("".join(self._parts), nl=False)
            self._parts.clear()
