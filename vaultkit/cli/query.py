"""``vaultkit query``: run a Dataview (DQL) query over the vault, or a note's ```dataview
blocks, and print the result as a table, JSON, CSV or markdown."""

from __future__ import annotations

import click

from vaultkit.cli.answers import echo_answer, echo_blocks
from vaultkit.cli.app import (
    Context,
    UsageProblem,
    cli,
    echo_json,
    library_errors,
    output_format,
    pass_vault_context,
)
from vaultkit.cli.terminal import cell, show_rows
from vaultkit.dataview import QueryError, Result, run_query
from vaultkit.dataview.blocks import dataview_blocks
from vaultkit.dataview.output import cell_text, to_csv, to_markdown
from vaultkit.dataview.parser import DQLSyntaxError
from vaultkit.errors import VaultkitError
from vaultkit.lang.pages import Pages


@cli.command()
@click.argument("dql", metavar="'DQL'", required=False)
@click.option("--note", "note_name", metavar="NOTE",
              help="Run this note's ```dataview blocks, in order, instead of DQL.")
@output_format("json", "csv", "md")
@pass_vault_context
@library_errors
def query(ctx: Context, dql: str | None, note_name: str | None, fmt: str) -> None:
    """Run a Dataview query (TABLE, LIST or TASK) over the vault (see docs/dataview.md).

    JSON is {"columns": [...], "rows": [[...], ...]}: links as vault paths, dates and
    durations as ISO 8601, a GROUP BY key in the first column. With --note, JSON is a list
    of such objects, one per block, each with its "block" number and "line".
    """
    if (dql is None) == (note_name is None):
        raise UsageProblem("give a 'DQL' query or --note NOTE (one of them)")
    vault = ctx.vault()
    pages = vault.derived(Pages)
    if dql is not None:
        _echo(run_query(dql, pages), fmt)
        return
    assert note_name is not None
    note = vault.note(note_name)
    text = (vault.root / note.path).read_text(encoding="utf-8")
    blocks = dataview_blocks(text)
    if not blocks:
        raise UsageProblem(f"{note.path}: no dataview code block")
    results = []
    for block in blocks:
        try:
            results.append(run_query(block.query, pages, origin=note.path))
        except (DQLSyntaxError, QueryError) as exc:
            raise VaultkitError(exc.message, note.path, block.line + 1) from exc
    if fmt == "json":
        echo_json([{"block": i, "line": b.line, **r.to_json()}
                   for i, (b, r) in enumerate(zip(blocks, results, strict=True), start=1)])
        return
    echo_blocks([(f"{note.path}:{block.line}", result)
                 for block, result in zip(blocks, results, strict=True)], fmt, _echo)


def _echo(result: Result, fmt: str) -> None:
    # The table: vault text exactly as written (Text cells, a console that reads no markup).
    echo_answer(fmt, data=result.to_json, markdown=lambda: to_markdown(result),
                csv=lambda: to_csv(result), table=lambda: show_rows(
                    result.columns, [[cell(cell_text(v)) for v in row] for row in result.rows]))
