"""``vaultkit refresh``: regenerate managed regions, a thin layer over ``refresh_vault``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from vaultkit.cli.app import (
    Context,
    Findings,
    UsageProblem,
    cli,
    echo_json,
    output_format,
    pass_vault_context,
)
from vaultkit.cli.refresh_view import print_summary
from vaultkit.errors import VaultkitError
from vaultkit.refresh.lock import LockHeld
from vaultkit.refresh.report import RefreshReport
from vaultkit.refresh.run import refresh_vault


@cli.command()
@click.option("--provider", type=click.Choice(["csv", "yfinance"]), default="csv",
              show_default=True, help="Where prices come from.")
@click.option("--as-of", "asof", metavar="YYYY-MM-DD",
              help="Replay this session (default: the latest one the data has).")
@click.option("--offline", is_flag=True, help="Use cached data only; never fetch.")
@click.option("--note", metavar="NOTE", help="Refresh only this note (path or name).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if anything would change (for CI and pre-commit).")
@click.option("--diff", is_flag=True, help="Print the unified diff of every changed note.")
@click.option("--force", multiple=True, metavar="ID",
              help="Overwrite this region even if edited by hand (repeatable).")
@click.option("--settle", type=click.FloatRange(min=0), default=2.0, show_default=True,
              metavar="SECONDS",
              help="Skip notes another program wrote less than this long ago.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bar and no report; problems still go to standard error.")
@output_format("json")
@pass_vault_context
def refresh(ctx: Context, provider: str, asof: str | None, offline: bool, note: str | None,
            dry_run: bool, check: bool, diff: bool, force: tuple[str, ...], settle: float,
            quiet: bool, fmt: str) -> None:
    """Regenerate managed regions, charts and dated updates from market data.

    Everything outside the <!-- vaultkit:begin/end --> markers stays byte-for-byte. Exit 0
    when all is refreshed or unchanged, 1 when a region or note was skipped (hand edit,
    conflict, marker error) or --check found changes, 2 on usage or input errors.

    \b
    Example, on the sample vault:
      vaultkit --vault vault refresh --offline --dry-run
    """

    if dry_run and check:
        raise UsageProblem("--dry-run and --check cannot be combined")
    try:
        day = dt.date.fromisoformat(asof) if asof else None
    except ValueError as exc:
        raise UsageProblem(f"--as-of {asof}: not a date (YYYY-MM-DD)") from exc
    try:
        with _progress(quiet) as progress:
            report = refresh_vault(ctx.vault_path, provider=provider, asof=day,
                                   offline=offline, note=note, dry_run=dry_run, check=check,
                                   force=force, settle=settle, diff=diff, progress=progress)
    except LockHeld as exc:
        raise Findings(str(exc)) from exc
    except VaultkitError as exc:
        raise UsageProblem(str(exc)) from exc
    except OSError as exc:  # e.g. .vaultkit/ cannot be created for the lock: nothing written
        raise UsageProblem(f"{ctx.vault_path}: cannot refresh: {exc}") from exc
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for record in report.stale:
        assert record.freshness is not None
        click.echo(f"warning: {record.path}#{record.id}: {record.freshness.message()}", err=True)
    if fmt == "json":
        if diff:
            click.echo(report.diff, err=True, nl=False)
        echo_json(report.to_json())
    elif not quiet:
        click.echo(report.diff, nl=False)
        print_summary(report, ctx.vault_path)
    unknown_force = sorted(set(force) - {r.id for r in report.records})
    if unknown_force:
        raise UsageProblem(f"--force: no region with id {', '.join(unknown_force)}")
    if report.skipped:
        raise Findings(f"{len(report.skipped)} region(s) or note(s) skipped")
    if check and report.stale:
        raise Findings(_stale_finding(report))
    if check and report.changed_notes:
        raise Findings(f"{len(report.changed_notes)} note(s) would change; "
                       "run `vaultkit refresh` (or `make refresh`)")


def _stale_finding(report: RefreshReport) -> str:
    names = [f"{r.path}#{r.id} ({r.freshness.sessions_behind} sessions behind)"
             for r in report.stale if r.freshness]
    return f"{len(names)} region(s) on stale data: {', '.join(names)}"


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int, int, str], None] | None]:
    """A rich progress bar over notes on stderr, only when stderr is a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("refresh", total=None)

        def update(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=path or "done")

        yield update
