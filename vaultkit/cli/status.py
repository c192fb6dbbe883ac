"""``vaultkit status``: every managed region's as-of, source, staleness and hand edits.

The human view fits 80 to 120 columns: ten columns of the JSON record (a file path, a
provider, ``sessions_behind``…) side by side folded every cell to a few letters. It groups
the regions under their note, as ``facts`` does, and reads three columns into two phrases:
where the data stands (``csv · stale, 27 behind``) and what a refresh would do
(``outdated``, ``edited by hand``); ``--long`` and the JSON keep every field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any

import click

from vaultkit.cli.app import (
    Context,
    Findings,
    UsageProblem,
    cli,
    echo_view,
    library_errors,
    long_option,
    output_format,
    pass_vault_context,
)
from vaultkit.cli.terminal import (
    folder_of,
    lines,
    name_of,
    new_table,
    plain,
    short_folder,
    width,
)
from vaultkit.refresh.status import CURRENT, FAILED, OUTDATED, region_status

if TYPE_CHECKING:
    from rich.table import Table

#: From this width up the data column names its provider too.
WIDE = 100
#: The room a state line claims before it wraps: a hand edit's note fits, a failure's
#: reason (a sentence with a path) wraps rather than take the note names' room.
STATE_ROOM = len("edited by hand")
#: What rich puts between the view's five columns: padding, divider, padding.
GAPS = 4 * 3
COLUMNS = ["path", "id", "kind", "asof", "provider", "stale", "sessions_behind",
           "hand_edited", "state", "reason"]


@cli.command()
@click.option("--provider", type=click.Choice(["csv", "yfinance"]), default="csv",
              show_default=True, help="Where prices come from.")
@click.option("--as-of", "asof", metavar="YYYY-MM-DD",
              help="Judge staleness at the end of this day (default: now).")
@click.option("--offline", is_flag=True, help="Use cached data only; never fetch.")
@output_format("json", "csv")
@long_option
@pass_vault_context
@library_errors
def status(ctx: Context, provider: str, asof: str | None, offline: bool, fmt: str,
           long: bool) -> None:
    """List every managed region: as-of session, source, staleness, hand edits.

    Writes nothing. Staleness is judged against the exchange calendar at the end of
    --as-of, or now. Exit 0 when every region is current, fresh and untouched; 1 when any
    is stale, edited by hand, out of date or failing; 2 on usage or input errors.
    """
    try:
        day = dt.date.fromisoformat(asof) if asof else None
    except ValueError as exc:
        raise UsageProblem(f"--as-of {asof}: not a date (YYYY-MM-DD)") from exc
    regions = region_status(ctx.vault_path, provider=provider, asof=day, offline=offline)
    rows = [r.to_dict() for r in regions]
    title = f"Regions, judged at the end of {day.isoformat()}" if day else "Regions, judged now"
    echo_view(rows, fmt, COLUMNS, title, status_view, long)
    unhealthy = [r for r in regions if not r.healthy]
    if unhealthy:
        raise Findings(f"{len(unhealthy)} of {len(regions)} region(s) stale, edited by hand, "
                       "out of date or failing")


def status_view(records: Sequence[Mapping[str, Any]], title: str) -> Table:
    """Regions under their note (name, folder dim under it), one line each: id, kind, as-of
    session, where its data stands and its state."""
    # A region whose markers do not parse has no id; its reason says where.
    rows = [(f"  {r['id'] or '(no id)'}", r["kind"] or "", r["asof"] or "", _data(r), _state(r),
             r["path"]) for r in records]
    room, state_room = _rooms(rows)
    table = new_table("region", "kind", "as of", "data", "state", title=title,
                      no_wrap=("kind", "as of"))
    table.columns[0].max_width, table.columns[-1].max_width = room, state_room
    for path, group in groupby(rows, key=lambda r: r[-1]):
        heading = plain(name_of(path), "bold")
        if folder_of(path):
            heading = lines([heading, plain(short_folder(folder_of(path), room), "dim")])
        table.add_row(heading, *(plain("") for _ in range(4)))
        for region, kind, asof, data, state, _ in group:
            table.add_row(plain(region), plain(kind), plain(asof), plain(data),
                          lines(state, "bold" if state != [CURRENT] else ""))
    return table


def _rooms(rows: Sequence[tuple[str, str, str, str, list[str], str]]) -> tuple[int, int]:
    """How wide the region column (and a note's folder in it) and the state column may be.
    The region gets a third of the terminal, less if the middle columns and a state line
    (counted up to :data:`STATE_ROOM`) need the rest; the state gets what is left, so that
    rich squeezes neither (it would fold a name or a folder mid-word)."""
    middle = sum(max((len(row[i]) for row in rows), default=0) for i in (1, 2, 3)) + GAPS
    state = min(STATE_ROOM, max((len(line) for row in rows for line in row[4]), default=0))
    region = max(16, min(width() // 3 + 4, width() - middle - state))
    return region, max(len(OUTDATED), width() - middle - region)


def _data(row: Mapping[str, Any]) -> str:
    """``csv · fresh``, ``csv · stale, 27 behind``; empty for regions that read no data.
    Below :data:`WIDE` columns the provider (nearly always the one ``--provider`` named)
    is left out, so that the line fits in 80 columns."""
    if row["stale"] is None:
        return ""
    behind = row["sessions_behind"]
    standing = "stale" if row["stale"] else "fresh"
    if behind:
        standing += f", {behind} behind"
    return f"{row['provider']} · {standing}" if row["provider"] and width() >= WIDE else standing


def _state(row: Mapping[str, Any]) -> list[str]:
    """The state, then why a failed region failed and a hand edit, each on a line."""
    parts = [row["state"]]
    if row["state"] == FAILED and row["reason"]:
        parts.append(row["reason"])
    if row["hand_edited"]:
        parts.append("edited by hand")
    return parts
