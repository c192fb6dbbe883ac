"""Commands about notes themselves: scan, note, lint, tags."""

from __future__ import annotations

import click

from vaultkit.cli.app import (
    Context,
    Findings,
    cli,
    echo_json,
    echo_rows,
    library_errors,
    output_format,
    pass_vault_context,
)
from vaultkit.cli.terminal import show
from vaultkit.cli.views import note_links_view
from vaultkit.queries import stored
from vaultkit.queries.tags import tag_counts
from vaultkit.views.lint import lint_vault
from vaultkit.views.serialize import note_json, scan_json


@cli.command()
@output_format("json")
@pass_vault_context
def scan(ctx: Context, fmt: str) -> None:
    """Totals for the vault: notes, attachments, links, tags, tables, errors.

    \b
    Example, on the sample vault:
      vaultkit --vault vault scan
    """

    summary = stored.scan_totals(ctx.vault()) or scan_json(ctx.vault())
    if fmt == "json":
        echo_json(summary)
        return
    rows = [{"what": k, "count": v} for k, v in summary.items() if k != "errors"]
    echo_rows(rows, fmt, ["what", "count"], title=f"Vault {ctx.vault_path}")
    for problem in summary["errors"]:
        click.echo(f"{problem['path']}:{problem['line']}: {problem['message']}")


@cli.command()
@click.argument("name")
@output_format("json")
@pass_vault_context
@library_errors
def note(ctx: Context, name: str, fmt: str) -> None:
    """Everything parsed from one note (by path, name or alias).

    \b
    Example, on the sample vault:
      vaultkit --vault vault note "Sector Rotation"
    """

    vault = ctx.vault()
    found = vault.note(name)
    data = note_json(vault, found, stored.link_paths(vault, found.path))
    if fmt == "json":
        echo_json(data)
        return
    click.echo(f"{data['title']}  ({data['path']})")
    click.echo(f"tags: {', '.join('#' + t for t in data['tags']) or '-'}")
    if data["aliases"]:
        click.echo(f"aliases: {', '.join(data['aliases'])}")
    show(note_links_view(data["links"], "Links"))
    echo_rows(
        [{"line": t["line"], "heading": t["heading"], "columns": " | ".join(t["columns"]),
          "rows": len(t["rows"])} for t in data["tables"]],
        fmt, ["line", "heading", "columns", "rows"], title="Tables")
    for problem in data["errors"]:
        click.echo(f"{problem['path']}:{problem['line']}: {problem['message']}")


@cli.command()
@output_format("json")
@pass_vault_context
def lint(ctx: Context, fmt: str) -> None:
    """Report problems as path:line: message; exit 1 when there is an error.

    \b
    Example, on the sample vault:
      vaultkit --vault vault lint
    """

    vault = ctx.vault()
    problems = lint_vault(vault)
    errors = sum(p.severity == "error" for p in problems)
    if fmt == "json":
        echo_json([{**p.to_dict(), "severity": p.severity} for p in problems])
    else:
        # path:line: message, one a line and nothing else: what editors and CI read.
        for problem in problems:
            click.echo(f"{problem} [{problem.severity}]")
    tally = (f"lint: {errors} error(s), {len(problems) - errors} warning(s) in "
             f"{len({p.path for p in problems})} of {len(vault.notes)} notes")
    if errors:
        raise Findings(tally)
    if problems and fmt != "json":
        click.echo(tally, err=True)


@cli.command()
@output_format("json", "csv")
@pass_vault_context
def tags(ctx: Context, fmt: str) -> None:
    """Every tag with the number of notes that carry it.

    \b
    Example, on the sample vault:
      vaultkit --vault vault tags
    """

    rows = stored.tag_counts(ctx.vault())
    echo_rows(rows if rows is not None else tag_counts(ctx.vault()), fmt,
              ["tag", "notes", "occurrences"], title="Tags")
