"""``vaultkit watch``: refresh notes as they and their data change, until Ctrl-C."""

from __future__ import annotations

import datetime as dt

import click

from vaultkit.cli.app import Context, cli, library_errors, pass_vault_context
from vaultkit.refresh.report import RefreshReport
from vaultkit.refresh.run import DEFAULT_SETTLE
from vaultkit.refresh.watch import DEFAULT_DEBOUNCE, watch


def _line(rel: str, result: RefreshReport | Exception) -> str:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    if isinstance(result, Exception):
        return f"{stamp} {rel}: not refreshed: {result}"
    parts = [f"{len(result.regenerated)} region(s) regenerated"]
    parts += [f"skipped {r.id or 'note'}: {r.reason}" for r in result.skipped]
    parts += [f"stale {r.id}: {r.freshness.message()}" for r in result.stale if r.freshness]
    return f"{stamp} {rel}: " + "; ".join(parts)


@cli.command(name="watch")
@click.option("--provider", type=click.Choice(["csv", "yfinance"]), default="csv",
              show_default=True, help="Where prices come from.")
@click.option("--offline", is_flag=True, help="Use cached data only; never fetch.")
@click.option("--debounce", type=click.FloatRange(min=0), default=DEFAULT_DEBOUNCE,
              show_default=True, metavar="SECONDS",
              help="Wait this long after the last change before refreshing.")
@click.option("--settle", type=click.FloatRange(min=0), default=DEFAULT_SETTLE,
              show_default=True, metavar="SECONDS",
              help="Leave notes another program wrote less than this long ago.")
@pass_vault_context
@library_errors
def watch_command(ctx: Context, provider: str, offline: bool, debounce: float,
                  settle: float) -> None:
    """Re-render a note's regions when the note or its data files change.

    Keeps the index warm, waits for edits to settle (never overwrites an editor's save),
    survives notes deleted or renamed, and stops cleanly on Ctrl-C (exit 0). Exit 2 on
    usage or input errors.
    """
    click.echo(f"watching {ctx.vault_path} (Ctrl-C to stop)", err=True)
    watch(ctx.vault_path, provider=provider, offline=offline, debounce=debounce,
          settle=settle, report=lambda rel, result: click.echo(_line(rel, result)))
    click.echo("stopped", err=True)
