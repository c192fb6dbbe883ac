"""``vaultkit base``: evaluate a view of an Obsidian base (a ``.base`` file or a note's
``base`` code blocks) and print it as a table, JSON, CSV or markdown."""

from __future__ import annotations

from pathlib import Path

import click

from vaultkit.bases import BaseResult, block_sources, evaluate_source, file_source
from vaultkit.bases.output import cell_text, to_csv, to_markdown
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


@cli.command()
@click.argument("base_file", metavar="FILE.base", required=False)
@click.option("--view", "view_name", metavar="NAME", help="The view to evaluate (default: the "
              "first).")
@click.option("--note", "note_name", metavar="NOTE",
              help="Evaluate the ```base code blocks of this note instead of a .base file.")
@click.option("--block", type=click.IntRange(min=1), metavar="N",
              help="With --note: only the N-th base block (1-based).")
@output_format("json", "csv", "md")
@pass_vault_context
@library_errors
def base(ctx: Context, base_file: str | None, view_name: str | None, note_name: str | None,
         block: int | None, fmt: str) -> None:
    """Evaluate a view of an Obsidian base over the vault (see docs/bases.md).

    JSON is {"columns", "rows"}, plus "groups" when the view is grouped (the group key is
    the first column) and "summaries" when it has summaries. With --note and no --block,
    JSON is a list with one such object per block, each with its "block" number.
    """
    vault = ctx.vault()
    if (base_file is None) == (note_name is None):
        raise UsageProblem("give a FILE.base or --note NOTE (one of them)")
    if note_name is None:
        if block is not None:
            raise UsageProblem("--block goes with --note")
        assert base_file is not None
        # A path that exists from here is taken as written; anything else is looked up in
        # the vault (vault path or name).
        given = Path(base_file)
        named = given.resolve() if given.is_file() else given
        _echo(evaluate_source(vault, file_source(vault, named), view_name), fmt)
        return
    sources = block_sources(vault, note_name)
    if not sources:
        raise UsageProblem(f"{note_name}: no base code block")
    if block is not None:
        if block > len(sources):
            raise UsageProblem(f"{note_name}: no base code block {block} "
                               f"(it has {len(sources)})")
        _echo(evaluate_source(vault, sources[block - 1], view_name), fmt)
        return
    results = [evaluate_source(vault, source, view_name) for source in sources]
    if fmt == "json":
        echo_json([{"block": i, **r.to_json()} for i, r in enumerate(results, start=1)])
        return
    echo_blocks([(f"{source.label} — {result.view.name}", result)
                 for source, result in zip(sources, results, strict=True)], fmt, _echo)


def _echo(result: BaseResult, fmt: str) -> None:
    echo_answer(fmt, data=result.to_json, markdown=lambda: to_markdown(result),
                csv=lambda: to_csv(result), table=lambda: _rich(result))


def _rich(result: BaseResult) -> None:
    """Vault text exactly as written: Text cells, a console that reads no markup."""
    show_rows(result.columns, [[cell(cell_text(v, links=False)) for v in row]
                               for row in result.rows], title=cell(result.view.name))
    if result.summaries:
        for key, value in result.summaries.items():
            shown = ", ".join(f"{k}: {cell_text(v)}" for k, v in value.items()) \
                if isinstance(value, dict) else cell_text(value)
            click.echo(f"{key}: {shown}")
