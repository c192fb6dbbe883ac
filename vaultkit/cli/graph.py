"""Commands over the link graph: backlinks, links, related, path, orphans, unresolved, hubs,
unlinked mentions, and graph export. Each wraps one function of ``vaultkit.queries``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vaultkit.cli.app import (
    Context,
    Findings,
    cli,
    echo_rows,
    library_errors,
    output_format,
    pass_vault_context,
)
from vaultkit.queries import links as link_queries
from vaultkit.queries import related as related_query
from vaultkit.queries import stored, structure
from vaultkit.queries import unlinked as unlinked_query
from vaultkit.views.graph import export_graph

if TYPE_CHECKING:
    import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as plain JSON-ready dicts: missing values become None."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for row in frame.to_dict("records"):
        rows.append({str(k): None if _missing(v, pd) else _native(v) for k, v in row.items()})
    return rows


def _missing(value: Any, pd: Any) -> bool:
    return not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value))


def _native(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


@cli.command()
@click.argument("name")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def backlinks(ctx: Context, name: str, fmt: str) -> None:
    """Every note and line that links NAME (a note, attachment or unresolved entity)."""
    vault = ctx.vault()
    rows = stored.backlinks(vault, name)  # from the index's tables when they hold the vault
    echo_rows(rows if rows is not None else records(link_queries.backlinks(vault, name)), fmt,
              link_queries.BACKLINK_COLUMNS,
              title=f"Links to {name}")


@cli.command()
@click.argument("name")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def links(ctx: Context, name: str, fmt: str) -> None:
    """Every link written in note NAME, in document order, with where it resolves."""
    vault = ctx.vault()
    rows = stored.links(vault, name)
    echo_rows(rows if rows is not None else records(link_queries.links(vault, name)), fmt,
              link_queries.LINK_COLUMNS, title=f"Links in {name}")


@cli.command()
@click.argument("name")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many to list.")
@click.option("--exclude-folder", multiple=True, metavar="FOLDER",
              help="Leave out notes in FOLDER, as results and as evidence (repeatable).")
@click.option("--exclude-tag", multiple=True, metavar="TAG",
              help="Leave out notes tagged TAG or TAG/..., as results and as evidence.")
@click.option("--unlinked-only", is_flag=True, help="Only those not linked either way yet.")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def related(ctx: Context, name: str, top: int, exclude_folder: tuple[str, ...],
            exclude_tag: tuple[str, ...], unlinked_only: bool, fmt: str) -> None:
    """Notes and entities related to NAME, best first, with the reason for each."""
    frame = related_query.related(ctx.vault(), name, top=top, exclude_folder=exclude_folder,
                  exclude_tag=exclude_tag, unlinked_only=unlinked_only)
    columns = (related_query.COLUMNS if fmt == "json"
               else [c for c in related_query.COLUMNS if c != "evidence"])
    echo_rows(records(frame), fmt, columns, title=f"Related to {name}")


@cli.command("path")
@click.argument("start")
@click.argument("end")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def path_command(ctx: Context, start: str, end: str, fmt: str) -> None:
    """The shortest chain of links between START and END, with the link behind each hop.

    Exits 1 when the two are not connected.
    """
    frame = structure.path(ctx.vault(), start, end)
    if frame.empty:
        raise Findings(f"no path between {start!r} and {end!r}")
    echo_rows(records(frame), fmt, structure.PATH_COLUMNS, title=f"{start} → {end}")


@cli.command()
@output_format("json", "csv")
@pass_vault_context
def orphans(ctx: Context, fmt: str) -> None:
    """Notes that link nowhere and that nothing links to."""
    rows = stored.orphans(ctx.vault())
    echo_rows(rows if rows is not None else records(link_queries.orphans(ctx.vault())), fmt,
              link_queries.ORPHAN_COLUMNS, title="Orphan notes")


@cli.command()
@output_format("json", "csv")
@pass_vault_context
def unresolved(ctx: Context, fmt: str) -> None:
    """Link targets with no file (entities, missing attachments), most linked first."""
    rows = stored.unresolved(ctx.vault())
    echo_rows(rows if rows is not None else records(link_queries.unresolved(ctx.vault())), fmt,
              link_queries.UNRESOLVED_COLUMNS, title="Unresolved targets")


@cli.command()
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many to list.")
@output_format("json", "csv")
@pass_vault_context
def hubs(ctx: Context, top: int, fmt: str) -> None:
    """The most connected notes and entities: degree and PageRank."""
    echo_rows(records(structure.hubs(ctx.vault(), top=top)), fmt, structure.HUB_COLUMNS,
              title="Hubs")


@cli.command()
@click.argument("name")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def unlinked(ctx: Context, name: str, fmt: str) -> None:
    """Plain-text mentions of NAME (or its aliases) that are not links yet."""
    echo_rows(records(unlinked_query.unlinked(ctx.vault(), name)), fmt, unlinked_query.COLUMNS,
              title=f"Unlinked mentions of {name}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "csv"]),
              default="graphml", show_default=True,
              help="graphml/gexf for Gephi, json (node-link) for D3, csv edge list.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@pass_vault_context
def graph(ctx: Context, fmt: str, out: Path | None) -> None:
    """Export the link graph (notes, attachments, unresolved entities)."""
    text = export_graph(ctx.vault().graph, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
