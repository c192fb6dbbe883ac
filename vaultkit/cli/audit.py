"""``vaultkit audit``: the thesis ledger, a thin layer over :func:`vaultkit.audit.audit_vault`."""

from __future__ import annotations

import datetime as dt

import click

from vaultkit.audit import DEFAULT_THRESHOLD, audit_vault
from vaultkit.audit.ledger import AUDIT_COLUMNS
from vaultkit.cli.app import (
    Context,
    UsageProblem,
    cli,
    echo_rows,
    library_errors,
    output_format,
    pass_vault_context,
)
from vaultkit.data import make_provider
from vaultkit.data.yfinance import NEW_YORK

_TABLE_COLUMNS = ("where", "text", "ticker", "metric", "window", "date", "then", "now",
                  "verdict", "reason")


@cli.command()
@click.option("--note", "note_name", metavar="NOTE", help="Only this note's figures.")
@click.option("--entity", metavar="ENTITY",
              help="Only figures about this entity (as `facts --entity` selects them).")
@click.option("--since", metavar="YYYY-MM-DD",
              help="Only figures dated on or after this day (undated ones are left out).")
@click.option("--threshold", type=click.FloatRange(min=0), default=DEFAULT_THRESHOLD,
              show_default=True, metavar="PP",
              help="A right figure has moved when now is more than this many points away.")
@click.option("--checked", is_flag=True, help="List only the figures that were checked.")
@click.option("--provider", type=click.Choice(["csv", "yfinance"]), default="csv",
              show_default=True, help="Where prices come from.")
@click.option("--as-of", "asof", metavar="YYYY-MM-DD",
              help="Measure 'now' at this session (default: the latest one the data has).")
@click.option("--offline", is_flag=True, help="Use cached data only; never fetch.")
@output_format("json", "csv")
@pass_vault_context
@library_errors
def audit(ctx: Context, note_name: str | None, entity: str | None, since: str | None,
          threshold: float, checked: bool, provider: str, asof: str | None, offline: bool,
          fmt: str) -> None:
    """Check every table figure against price data, as of its date and as of now.

    Verdicts: matches, differs, moved (right then, now more than --threshold away), not
    checked (with the reason). Rules in docs/audit.md. Exit 0, or 2 on usage errors.
    """
    if note_name and entity:
        raise UsageProblem("give --note or --entity, not both")
    first = _day(since, "--since")
    # "Now" is each claim's latest common session on or before this day, so only the
    # tickers the figures name are read.
    latest = _day(asof, "--as-of") or dt.datetime.now(NEW_YORK).date()
    prices = make_provider(provider, ctx.vault_path, offline=offline)
    rows = audit_vault(ctx.vault(), prices, latest, note=note_name, entity=entity,
                       since=first, threshold=threshold)
    records = [row.record() for row in rows if row.checked or not checked]
    if fmt == "table":
        for record in records:
            record["where"] = f"{record['path']}:{record['line']}"
        echo_rows(records, fmt, _TABLE_COLUMNS)
    else:
        echo_rows(records, fmt, (*AUDIT_COLUMNS, "code", "then_session", "now_session"))


def _day(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"{option} {text}: not a date (YYYY-MM-DD)") from None
