"""Commands over the vault's tables: ``tables`` (list or export them) and ``facts``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vaultkit.cli.app import (
    Context,
    UsageProblem,
    cli,
    echo_json,
    echo_rows,
    echo_view,
    library_errors,
    long_option,
    output_format,
    pass_vault_context,
)
from vaultkit.cli.db import echo_stream
from vaultkit.cli.views import facts_view
from vaultkit.views.facts import FACT_COLUMNS, build_facts, fact_records, stream_facts
from vaultkit.views.table_writer import write_table
from vaultkit.views.tables import (
    iter_tables,
    stream_tables,
    table_filename,
    table_frame,
    table_record,
)

if TYPE_CHECKING:
    from vaultkit.views.tables import TableRef

_EXTENSIONS = {"table": "md", "md": "md", "csv": "csv", "json": "json", "parquet": "parquet"}


@cli.command()
@click.option("--note", "note_name", metavar="NOTE", help="Only the tables of this note.")
@click.option("--heading", metavar="HEADING",
              help="Only tables under a heading containing this (any level, any case).")
@output_format("md", "csv", "json", "parquet")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one file per table here (PATH.table-NN.EXT); the default format "
                   "writes markdown.")
@pass_vault_context
@library_errors
def tables(ctx: Context, note_name: str | None, heading: str | None, fmt: str,
           out_dir: Path | None) -> None:
    """List the vault's tables, or export them (md, csv, json, parquet).

    Without --out: the human table and csv list one row per table (path, number, line,
    heading, columns, rows); json gives every table with its cells; md prints each table.

    \b
    Example, on the sample vault:
      vaultkit --vault vault tables --note "Sector Rotation"
    """

    stream = (stream_tables(ctx.vault(), cells=fmt == "json")  # from the index, row by row
              if note_name is None and heading is None and out_dir is None
              and fmt in ("json", "csv") else None)
    if stream is not None:
        echo_stream(stream if fmt == "json" else (
            {**row, "columns": " | ".join(row["columns"])} for row in stream),
            fmt, ["path", "number", "line", "heading", "columns", "rows"])
        return
    refs = list(iter_tables(ctx.vault(), note_name, heading))
    if out_dir is not None:
        for ref in refs:
            click.echo(_export(ref, out_dir, fmt))
    elif fmt == "parquet":
        raise UsageProblem("--format parquet writes files: give --out DIR")
    elif fmt == "json":
        echo_json([table_record(ref) for ref in refs])
    elif fmt == "md":
        click.echo("\n".join(_markdown(ref) for ref in refs), nl=False)
    else:
        rows = [{**_summary(ref), "columns": " | ".join(ref.table.columns)} for ref in refs]
        echo_rows(rows, fmt, ["path", "number", "line", "heading", "columns", "rows"],
                  title="Tables")


@cli.command()
@click.option("--entity", metavar="NAME",
              help="Only facts about this entity (name, path or alias; case-insensitive).")
@click.option("--column", metavar="HEADER", help="Only facts in columns with this header.")
@output_format("json", "csv")
@long_option
@pass_vault_context
@library_errors
def facts(ctx: Context, entity: str | None, column: str | None, fmt: str, long: bool) -> None:
    """Every figure in the vault's tables with its row, column, unit and path:line.

    Grouped by note, each figure as written and as read (value and unit); --long adds the
    heading, date and entities of each.

    \b
    Example, on the sample vault:
      vaultkit --vault vault facts --entity XLE
    """

    stream = (stream_facts(ctx.vault())  # from the index's tables, row by row
              if entity is None and column is None and fmt != "table" else None)
    if stream is not None:
        echo_stream(stream if fmt == "json" else (
            {**row, "entities": "; ".join(row["entities"])} for row in stream),
            fmt, FACT_COLUMNS)
        return
    rows = fact_records(build_facts(ctx.vault(), entity=entity, column=column))
    if fmt == "csv":
        rows = [{**row, "entities": "; ".join(row["entities"])} for row in rows]
    title = "Facts" + "".join(f" {k} {v}" for k, v in (("about", entity), ("in column", column))
                              if v)
    echo_view(rows, fmt, FACT_COLUMNS, title, facts_view, long)


def _summary(ref: TableRef) -> dict[str, Any]:
    return {"path": ref.path, "number": ref.number, "line": ref.table.line,
            "heading": ref.heading, "rows": len(ref.table.rows)}


def _markdown(ref: TableRef) -> str:

    title = f"<!-- {ref.path}:{ref.table.line} table {ref.number}: {ref.heading} -->"
    return f"{title}\n{write_table(ref.table.columns, ref.table.rows)}\n"


def _export(ref: TableRef, out_dir: Path, fmt: str) -> Path:
    """Write one table under ``out_dir`` and return the file's path."""

    target = out_dir / table_filename(ref, _EXTENSIONS[fmt])
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        table_frame(ref.table).to_csv(target, index=False)
    elif fmt == "json":
        target.write_text(json.dumps(table_record(ref), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    elif fmt == "parquet":
        table_frame(ref.table).to_parquet(target, index=False)
    else:
        target.write_text(write_table(ref.table.columns, ref.table.rows), encoding="utf-8")
    return target
