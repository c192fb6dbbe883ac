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
    echo_view,
    library_errors,
    long_option,
    output_format,
    pass_vault_context,
)
from vaultkit.cli.views import (
    backlinks_view,
    hubs_view,
    links_view,
    path_view,
    related_view,
    unlinked_view,
    unresolved_view,
)
from vaultkit.queries import backlinks as note_backlinks
from vaultkit.queries import hubs as hub_table
from vaultkit.queries import links as note_links
from vaultkit.queries import orphans as orphan_notes
from vaultkit.queries import path as shortest_path
from vaultkit.queries import related as related_to
from vaultkit.queries import stored
from vaultkit.queries import unlinked as unlinked_mentions
from vaultkit.queries import unresolved as unresolved_targets
from vaultkit.queries.links import (
    BACKLINK_COLUMNS,
    LINK_COLUMNS,
    ORPHAN_COLUMNS,
    UNRESOLVED_COLUMNS,
)
from vaultkit.queries.related import COLUMNS as RELATED_COLUMNS
from vaultkit.queries.structure import HUB_COLUMNS, PATH_COLUMNS
from vaultkit.queries.unlinked import COLUMNS as UNLINKED_COLUMNS
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
@long_option
@pass_vault_context
@library_errors
def backlinks(ctx: Context, name: str, fmt: str, long: bool) -> None:
    """Every note and line that links NAME (a note, attachment or unresolved entity).

    One row per linking note, its first two links and +N more; --long or --format json
    for every link.

    \b
    Example, on the sample vault:
      vaultkit --vault vault backlinks NVIDIA
    """
    vault = ctx.vault()
    rows = stored.backlinks(vault, name)  # from the index's tables when they hold the vault
    echo_view(rows if rows is not None else records(note_backlinks(vault, name)), fmt,
              BACKLINK_COLUMNS, f"Links to {name}", backlinks_view, long)


@cli.command()
@click.argument("name")
@output_format("json", "csv")
@long_option
@pass_vault_context
@library_errors
def links(ctx: Context, name: str, fmt: str, long: bool) -> None:
    """Every link written in note NAME, in document order, with where it resolves.

    One row per target, its first two places and +N more; --long or --format json for
    every link.

    \b
    Example, on the sample vault:
      vaultkit --vault vault links NVIDIA
    """
    vault = ctx.vault()
    rows = stored.links(vault, name)
    echo_view(rows if rows is not None else records(note_links(vault, name)), fmt, LINK_COLUMNS,
              f"Links in {name}", links_view, long)


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
@long_option
@pass_vault_context
@library_errors
def related(ctx: Context, name: str, top: int, exclude_folder: tuple[str, ...],
            exclude_tag: tuple[str, ...], unlinked_only: bool, fmt: str, long: bool) -> None:
    """Notes and entities related to NAME, best first, with the reason for each.

    Score = links + co-citation + two-hop. The table shows each one's best two pieces of
    evidence as file:line what; --long or --format json lists them all.

    \b
    Example, on the sample vault:
      vaultkit --vault vault related NVIDIA --top 5
    """
    vault = ctx.vault()
    found = stored.related(vault, name, top=top, exclude_folder=exclude_folder,
                           exclude_tag=exclude_tag, unlinked_only=unlinked_only)
    rows = found if found is not None else records(related_to(
        vault, name, top=top, exclude_folder=exclude_folder, exclude_tag=exclude_tag,
        unlinked_only=unlinked_only))
    if fmt == "table" and long:
        rows = [{**row, "evidence": [f"{e['path']}:{e['line']} {e['kind']} ({e['weight']:.3g})"
                                     for e in row["evidence"]]} for row in rows]
    columns = (RELATED_COLUMNS if fmt == "json" or long
               else [c for c in RELATED_COLUMNS if c != "evidence"])
    echo_view(rows, fmt, columns, f"Related to {name}", related_view, long)


@cli.command("path")
@click.argument("start")
@click.argument("end")
@output_format("json", "csv")
@long_option
@pass_vault_context
@library_errors
def path_command(ctx: Context, start: str, end: str, fmt: str, long: bool) -> None:
    """The shortest chain of links between START and END, with the link behind each hop.

    Exits 1 when the two are not connected.

    \b
    Example, on the sample vault:
      vaultkit --vault vault path NVIDIA XLE
    """
    vault = ctx.vault()
    rows = stored.path(vault, start, end)
    if rows is None:
        rows = records(shortest_path(vault, start, end))
    if not rows:
        raise Findings(f"no path between {start!r} and {end!r}")
    echo_view(rows, fmt, PATH_COLUMNS, f"{start} → {end}", path_view, long)


@cli.command()
@output_format("json", "csv")
@pass_vault_context
def orphans(ctx: Context, fmt: str) -> None:
    """Notes that link nowhere and that nothing links to.

    \b
    Example, on the sample vault:
      vaultkit --vault vault orphans
    """
    rows = stored.orphans(ctx.vault())
    echo_rows(rows if rows is not None else records(orphan_notes(ctx.vault())), fmt,
              ORPHAN_COLUMNS,
              title="Orphan notes")


@cli.command()
@output_format("json", "csv")
@long_option
@pass_vault_context
def unresolved(ctx: Context, fmt: str, long: bool) -> None:
    """Link targets with no file (entities, missing attachments), most linked first.

    \b
    Example, on the sample vault:
      vaultkit --vault vault unresolved
    """
    vault = ctx.vault()
    # As JSON, the text the index keeps (5 MB on 10,000 notes): printed as read.
    text = stored.unresolved_json(vault) if fmt == "json" else None
    if text is not None:
        click.echo(text)
        return
    rows = stored.unresolved(vault)
    echo_view(rows if rows is not None else records(unresolved_targets(vault)), fmt,
              UNRESOLVED_COLUMNS, "Unresolved targets", unresolved_view, long)


@cli.command()
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many to list.")
@output_format("json", "csv")
@long_option
@pass_vault_context
def hubs(ctx: Context, top: int, fmt: str, long: bool) -> None:
    """The most connected notes and entities: degree and PageRank.

    \b
    Example, on the sample vault:
      vaultkit --vault vault hubs --top 10
    """
    rows = stored.hubs(ctx.vault(), top=top)  # kept in the index until the links change
    echo_view(rows if rows is not None else records(hub_table(ctx.vault(), top=top)), fmt,
              HUB_COLUMNS, "Hubs", hubs_view, long)


@cli.command()
@click.argument("name")
@output_format("json", "csv")
@long_option
@pass_vault_context
@library_errors
def unlinked(ctx: Context, name: str, fmt: str, long: bool) -> None:
    """Plain-text mentions of NAME (or its aliases) that are not links yet.

    One row per note, its first two mentions with the text around them, and +N more.

    \b
    Example, on the sample vault:
      vaultkit --vault vault unlinked XLE
    """
    echo_view(records(unlinked_mentions(ctx.vault(), name)), fmt,
              UNLINKED_COLUMNS, f"Unlinked mentions of {name}", unlinked_view, long)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "csv"]),
              default="graphml", show_default=True,
              help="graphml/gexf for Gephi, json (node-link) for D3, csv edge list.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@pass_vault_context
def graph(ctx: Context, fmt: str, out: Path | None) -> None:
    """Export the link graph (notes, attachments, unresolved entities).

    \b
    Example, on the sample vault:
      vaultkit --vault vault graph --format csv
    """
    text = export_graph(ctx.vault().graph, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
