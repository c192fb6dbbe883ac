"""The click group and the pieces every command shares (vault loading, --format, output)."""

from __future__ import annotations

import csv
import functools
import importlib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from vaultkit.cli.terminal import new_table, plain, show
from vaultkit.errors import ExitCode, VaultkitError
from vaultkit.vault import Vault
from vaultkit.views import json_text

if TYPE_CHECKING:
    from vaultkit.vault import Vault

F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(click.ClickException):
    """A usage or input error (``docs/exit-codes.md``)."""

    exit_code = ExitCode.USAGE


class Findings(click.ClickException):
    """Something was found (lint error, skipped region, --check change)."""

    exit_code = ExitCode.FINDINGS

    def show(self, file: Any = None) -> None:
        if self.message:
            click.echo(self.message, err=True)


class Context:
    def __init__(self, vault_path: Path) -> None:
        self.vault_path = vault_path
        self._vault: Vault | None = None

    def vault(self) -> Vault:
        if self._vault is None:

            try:
                self._vault = Vault.load(self.vault_path)
            except VaultkitError as exc:
                raise UsageProblem(str(exc)) from exc
        return self._vault


#: Each command's module: a command runs with its own module imported, not every other's
#: (the thesis ledger, refresh and live data cost a tenth of a second to import).
_COMMANDS_BY_MODULE = {
    "vaultkit.cli.audit": ("audit",),
    "vaultkit.cli.base": ("base",),
    "vaultkit.cli.db": ("sql", "export"),
    "vaultkit.cli.graph": ("backlinks", "links", "related", "path", "orphans", "unresolved",
                           "hubs", "unlinked", "graph"),
    "vaultkit.cli.notes": ("scan", "note", "lint", "tags"),
    "vaultkit.cli.query": ("query",),
    "vaultkit.cli.refresh": ("refresh",),
    "vaultkit.cli.status": ("status",),
    "vaultkit.cli.tables": ("facts", "tables"),
    "vaultkit.cli.watch": ("watch",),
}
COMMAND_MODULES = {command: module for module, commands in _COMMANDS_BY_MODULE.items()
                   for command in commands}
#: Each command's summary, the first paragraph of its help, word for word: ``vaultkit`` and
#: ``vaultkit --help`` list the commands from here instead of importing every command's
#: module (the refresh, the audit and both query engines: ~0.35 s). A test holds each to the
#: command's own help.
SUMMARIES = {
    "audit": "Check every table figure against price data, as of its date and as of now.",
    "backlinks": "Every note and line that links NAME (a note, attachment or unresolved "
                 "entity).",
    "base": "Evaluate a view of an Obsidian base over the vault (see docs/bases.md).",
    "export": "Write every table of the vault's index into DIR as TABLE.parquet.",
    "facts": "Every figure in the vault's tables with its row, column, unit and path:line.",
    "graph": "Export the link graph (notes, attachments, unresolved entities).",
    "hubs": "The most connected notes and entities: degree and PageRank.",
    "links": "Every link written in note NAME, in document order, with where it resolves.",
    "lint": "Report problems as path:line: message; exit 1 when there is an error.",
    "note": "Everything parsed from one note (by path, name or alias).",
    "orphans": "Notes that link nowhere and that nothing links to.",
    "path": "The shortest chain of links between START and END, with the link behind each "
            "hop.",
    "query": "Run a Dataview query (TABLE, LIST or TASK) over the vault (see "
             "docs/dataview.md).",
    "refresh": "Regenerate managed regions, charts and dated updates from market data.",
    "related": "Notes and entities related to NAME, best first, with the reason for each.",
    "scan": "Totals for the vault: notes, attachments, links, tags, tables, errors.",
    "sql": "Run a read-only SQL QUERY (SQLite) over the vault's tables.",
    "status": "List every managed region: as-of session, source, staleness, hand edits.",
    "tables": "List the vault's tables, or export them (md, csv, json, parquet).",
    "tags": "Every tag with the number of notes that carry it.",
    "unlinked": "Plain-text mentions of NAME (or its aliases) that are not links yet.",
    "unresolved": "Link targets with no file (entities, missing attachments), most linked "
                  "first.",
    "watch": "Re-render a note's regions when the note or its data files change.",
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is first asked for (click's
    documented pattern for lazily loaded subcommands); each module registers its commands
    on :data:`cli` as it is imported."""

    def __init__(self, *args: Any, modules: Mapping[str, str], summaries: Mapping[str, str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modules = dict(modules)
        self.summaries = dict(summaries)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.modules, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.modules.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(module)
        return super().get_command(ctx, cmd_name)

    def summary(self, ctx: click.Context, name: str, limit: int) -> str:
        """What the list of commands says of ``name`` in ``limit`` characters, as click
        shortens a help text: from :attr:`summaries` while its module is not imported."""
        if name not in self.commands and name in self.summaries:
            return click.Command(name, help=self.summaries[name]).get_short_help_str(limit)
        command = self.get_command(ctx, name)
        return command.get_short_help_str(limit) if command is not None else ""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """``--help``'s list of commands, laid out as click's own, without importing them."""
        names = self.list_commands(ctx)
        if names:
            limit = formatter.width - 6 - max(map(len, names))
            with formatter.section("Commands"):
                formatter.write_dl([(name, self.summary(ctx, name, limit)) for name in names])

    def every_command(self) -> dict[str, click.Command]:
        """Every command by name, each module imported (help, docs and tests list them)."""
        for module in dict.fromkeys(self.modules.values()):
            importlib.import_module(module)
        return dict(self.commands)


#: What ``vaultkit`` alone suggests trying first: what is in the vault, then what it connects.
FIRST_COMMANDS = ("vaultkit --vault vault scan", "vaultkit --vault vault related NVIDIA")


@click.group(cls=LazyGroup, modules=COMMAND_MODULES, summaries=SUMMARIES,
             context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.option("--vault", "vault_path", type=click.Path(file_okay=False, path_type=Path),
              envvar="VAULTKIT_VAULT", default=".", show_default=True,
              help="The vault folder (default: $VAULTKIT_VAULT, else the current folder).")
@click.version_option(package_name="vaultkit")
@click.pass_context
def cli(ctx: click.Context, vault_path: Path) -> None:
    """Parse, query and refresh an Obsidian research vault."""
    ctx.obj = Context(vault_path)
    if ctx.invoked_subcommand is None:
        click.echo(command_list(ctx))


def command_list(ctx: click.Context) -> str:
    """The short list ``vaultkit`` alone prints: each command in a line, then where to start."""
    group = ctx.command
    assert isinstance(group, LazyGroup)
    names = group.list_commands(ctx)
    pad = max(map(len, names))
    rows = [f"  {name:<{pad}}  {group.summary(ctx, name, 74 - pad)}" for name in names]
    return "\n".join([
        "vaultkit: parse, query and refresh an Obsidian research vault.",
        "Usage: vaultkit [--vault PATH] COMMAND [ARGS]  (vaultkit COMMAND --help for one)",
        "", "Commands:", *rows, "", "Start with (on the sample vault):",
        *(f"  {example}" for example in FIRST_COMMANDS)])


pass_vault_context = click.make_pass_decorator(Context)


def output_format(*choices: str, default: str = "table") -> Callable[[F], F]:
    """The shared ``--format`` option."""
    return click.option("--format", "fmt", type=click.Choice([default, *choices]),
                         default=default, show_default=True, help="Output format.")


def library_errors(func: F) -> F:
    """Turn library errors into CLI errors (exit 2) at the edge, nowhere else."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VaultkitError as exc:
            raise UsageProblem(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def echo_json(data: Any) -> None:
    click.echo(json_text.dumps(data))  # json.dumps(indent=2) to the byte, faster


def echo_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Iterable[str],
              title: str | None = None) -> None:
    """Print records as a rich table, JSON (list of objects) or CSV."""
    columns = list(columns)
    if fmt == "json":
        echo_json(list(rows))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        table = new_table(*columns, title=title)
        for row in rows:
            table.add_row(*(plain(row.get(c)) for c in columns))
        show(table)


def long_option(func: F) -> F:
    """The shared ``--long`` flag: every column and every piece of evidence."""
    return click.option("--long", "long", is_flag=True,
                        help="Every column and all the evidence (as in --format json), "
                             "instead of the compact view.")(func)


def echo_view(rows: Sequence[dict[str, Any]], fmt: str, columns: Iterable[str], title: str,
              view: Callable[[Sequence[dict[str, Any]], str], Any], long: bool) -> None:
    """The compact ``view`` of ``rows`` for people; every column with ``--long``, JSON or
    CSV otherwise. An empty result is one sentence, not an empty table."""
    if fmt == "table" and not rows:
        click.echo(f"{title}: none")
    elif fmt == "table" and not long:
        show(view(rows, title))
    else:
        echo_rows(rows, fmt, columns, title)
