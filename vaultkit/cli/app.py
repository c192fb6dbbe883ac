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

from vaultkit.cli import json_text
from vaultkit.cli.terminal import new_table, plain, show
from vaultkit.errors import ExitCode, VaultkitError
from vaultkit.vault import Vault

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


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is first asked for (click's
    documented pattern for lazily loaded subcommands); each module registers its commands
    on :data:`cli` as it is imported."""

    def __init__(self, *args: Any, modules: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modules = dict(modules)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.modules, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.modules.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(module)
        return super().get_command(ctx, cmd_name)

    def every_command(self) -> dict[str, click.Command]:
        """Every command by name, each module imported (help, docs and tests list them)."""
        for module in dict.fromkeys(self.modules.values()):
            importlib.import_module(module)
        return dict(self.commands)


#: What ``vaultkit`` alone suggests trying first: what is in the vault, then what it connects.
FIRST_COMMANDS = ("vaultkit --vault vault scan", "vaultkit --vault vault related NVIDIA")


@click.group(cls=LazyGroup, modules=COMMAND_MODULES,
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
    assert isinstance(group, click.Group)
    names = group.list_commands(ctx)
    pad = max(map(len, names))
    rows = []
    for name in names:
        command = group.get_command(ctx, name)
        assert command is not None
        rows.append(f"  {name:<{pad}}  {command.get_short_help_str(limit=74 - pad)}")
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
