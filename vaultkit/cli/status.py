"""``vaultkit status``: every managed region's as-of, source, staleness and hand edits."""

from __future__ import annotations

import datetime as dt

import click

from vaultkit.cli.app import (
    Context,
    Findings,
    UsageProblem,
    cli,
    echo_rows,
    library_errors,
    output_format,
    pass_vault_context,
)
from vaultkit.refresh.status import region_status

COLUMNS = ["path", "id", "kind", "asof", "provider", "stale", "sessions_behind",
           "hand_edited", "state", "reason"]


@cli.command()
@click.option("--provider", type=click.Choice(["csv", "yfinance"]), default="csv",
              show_default=True, help="Where prices come from.")
@click.option("--as-of", "asof", metavar="YYYY-MM-DD",
              help="Judge staleness at the end of this day (default: now).")
@click.option("--offline", is_flag=True, help="Use cached data only; never fetch.")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def status(ctx: Context, provider: str, asof: str | None, offline: bool, fmt: str) -> None:
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
    echo_rows([r.to_dict() for r in regions], fmt, COLUMNS, title="Regions")
    unhealthy = [r for r in regions if not r.healthy]
    if unhealthy:
        raise Findings(f"{len(unhealthy)} of {len(regions)} region(s) stale, edited by hand, "
                       "out of date or failing")
