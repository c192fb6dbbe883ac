"""Commands over the link graph: backlinks, links, related, path, orphans, unresolved, hubs,
unlinked mentions, and graph export. Each wraps one function of ``vaultkit.queries``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .app import (
    Context,
    Findings,
    cli,
    echo_rows,
    library_errors,
    output_format,
    pass_vault_context,
)

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
    from ..queries.links import BACKLINK_COLUMNS
    from ..queries.links import backlinks as query

    echo_rows(records(query(ctx.vault(), name)), fmt, BACKLINK_COLUMNS,
              title=f"Links to {name}")


@cli.command()
@click.argument("name")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def links(ctx: Context, name: str, fmt: str) -> None:
    """Every link written in note NAME, in document order, with where it resolves."""
    from ..queries.links import LINK_COLUMNS
    from ..queries.links import links as query

    echo_rows(records(query(ctx.vault(), name)), fmt, LINK_COLUMNS, title=f"Links in {name}")


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
    from ..queries.related import COLUMNS
    from ..queries.related import related as query

    frame = query(ctx.vault(), name, top=top, exclude_folder=exclude_folder,
                  exclude_tag=exclude_tag, unlinked_only=unlinked_only)
    columns = COLUMNS if fmt == "json" else [c for c in COLUMNS if c != "evidence"]
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
    from ..queries.structure import PATH_COLUMNS, path

    frame = path(ctx.vault(), start, end)
    if frame.empty:
        raise Findings(f"no path between {start!r} and {end!r}")
    echo_rows(records(frame), fmt, PATH_COLUMNS, title=f"{start} → {end}")


@cli.command()
@output_format("json", "csv")
@pass_vault_context
def orphans(ctx: Context, fmt: str) -> None:
    """Notes that link nowhere and that nothing links to."""
    from ..queries.links import ORPHAN_COLUMNS
    from ..queries.links import orphans as query

    echo_rows(records(query(ctx.vault())), fmt, ORPHAN_COLUMNS, title="Orphan notes")


@cli.command()
@output_format("json", "csv")
@pass_vault_context
def unresolved(ctx: Context, fmt: str) -> None:
    """Link targets with no file (entities, missing attachments), most linked first."""
    from ..queries.links import UNRESOLVED_COLUMNS
    from ..queries.links import unresolved as query

    echo_rows(records(query(ctx.vault())), fmt, UNRESOLVED_COLUMNS, title="Unresolved targets")


@cli.command()
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many to list.")
@output_format("json", "csv")
@pass_vault_context
def hubs(ctx: Context, top: int, fmt: str) -> None:
    """The most connected notes and entities: degree and PageRank."""
    from ..queries.structure import HUB_COLUMNS
    from ..queries.structure import hubs as query

    echo_rows(records(query(ctx.vault(), top=top)), fmt, HUB_COLUMNS, title="Hubs")


@cli.command()
@click.argument("name")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def unlinked(ctx: Context, name: str, fmt: str) -> None:
    """Plain-text mentions of NAME (or its aliases) that are not links yet."""
    from ..queries.unlinked import COLUMNS
    from ..queries.unlinked import unlinked as query

    echo_rows(records(query(ctx.vault(), name)), fmt, COLUMNS,
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
    from ..graph import export_graph

    text = export_graph(ctx.vault().graph, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
