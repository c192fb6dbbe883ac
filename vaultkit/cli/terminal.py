"""The terminal side of human output: a console sized for the reader's terminal, vault text
as plain :class:`rich.text.Text` (never markup), and the shorteners for long names.

Every piece of text that comes from a note goes through :func:`plain`: rich reads
``[red]5%[/red]`` or ``[[obsidian-outliner]]`` in a *string* as markup and would restyle or
drop it, whereas a ``Text`` is shown exactly as written.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from vaultkit.cli.plain_table import plain_table_lines
from vaultkit.cli.styled_table import plain_console, table_lines

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

#: Width when the output is not a terminal (a pipe, a file, a test) and COLUMNS is unset:
#: the views are designed to read well at 100 columns.
PIPE_WIDTH = 100
#: The narrowest layout we lay out for; below it rich wraps as best it can.
MIN_WIDTH = 60
ELLIPSIS = "…"


def width() -> int:
    """The width to lay out for: ``$COLUMNS``, else the terminal's, else :data:`PIPE_WIDTH`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return max(MIN_WIDTH, int(columns))
    if sys.stdout.isatty():
        return max(MIN_WIDTH, shutil.get_terminal_size((PIPE_WIDTH, 40)).columns)
    return PIPE_WIDTH


def console() -> Console:
    """A console on standard output. Colour only on a terminal and without ``$NO_COLOR``
    (rich's rules); no markup, emoji codes or highlighting are ever read into the text."""
    from rich.console import Console

    return Console(file=sys.stdout, width=width(), markup=False, emoji=False,
                   highlight=False, soft_wrap=False)


def plain(value: Any, style: str = "") -> Text:
    """``value`` as text shown exactly as written (lists joined with ``, ``)."""
    from rich.text import Text

    return Text(cell(value), style=style)


def lines(parts: Iterable[Text | str], style: str = "") -> Text:
    """Several pieces, one per line, in one cell; ``str`` parts are ours (labels), never
    markup either."""
    from rich.text import Text

    out = Text(style=style)
    for number, part in enumerate(parts):
        if number:
            out.append("\n")
        out.append(part)
    return out


def cell(value: Any) -> str:
    """How a scalar reads in a table: floats to 4 significant digits, lists comma-joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def new_table(*columns: str, title: str | Text | None = None, no_wrap: Sequence[str] = (),
              right: Sequence[str] = (), names: Sequence[str] = ()) -> Table:
    """A borderless table with a header rule: more room for text than boxes leave. The
    ``names`` columns (a note's name and folder) get at most a third of the width, so the
    evidence beside them is not squeezed into a thin strip."""
    from rich import box
    from rich.table import Table

    table = Table(title=plain(title) if isinstance(title, str) else title,
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  show_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, no_wrap=column in no_wrap,
                         justify="right" if column in right else "left",
                         overflow="ellipsis" if column in no_wrap else "fold",
                         max_width=max(20, width() // 3 + 4) if column in names else None)
    return table


def show_rows(columns: Sequence[str], rows: Sequence[Sequence[str]],
              title: str | None = None) -> None:
    """Print ``new_table(*columns, title=title)`` holding ``rows`` of plain text. Written
    line by line when rich's layout is not needed: from the strings themselves without
    colour (:mod:`vaultkit.cli.plain_table`), else as :func:`show` writes a table; the
    same characters, in a fraction of the time."""
    out = console()
    found = None
    if out.color_system is None and not out.is_terminal and plain_console(out):
        found = plain_table_lines(columns, rows, title, out.width)
    if found is not None:
        out.file.write("".join(line + "\n" for line in found))
        return
    table = new_table(*columns, title=title)
    for row in rows:
        table.add_row(*(plain(text) for text in row))
    _print(out, table)


def show(*renderables: RenderableType) -> None:
    """Print to standard output; a table none of whose cells needs rich's layout line by
    line (:mod:`vaultkit.cli.styled_table`), the same characters in a fraction of the time."""
    out = console()
    for renderable in renderables:
        _print(out, renderable)


def _print(out: Console, renderable: RenderableType) -> None:
    from rich.table import Table

    found = table_lines(renderable, out) if isinstance(renderable, Table) else None
    if found is None:
        out.print(renderable)
    else:
        out.file.write("".join(line + "\n" for line in found))


def name_of(path: str) -> str:
    """A note's name: its file name without ``.md``."""
    return PurePosixPath(path).name.removesuffix(".md")


def folder_of(path: str) -> str:
    """The folder of a vault path, ``""`` at the vault root."""
    parent = PurePosixPath(path).parent.as_posix()
    return "" if parent == "." else parent


def shorten(text: str, limit: int) -> str:
    """``text`` cut in the middle to at most ``limit`` characters (the end stays: it is
    where names differ, ``…2026-02-20 Is the factor``)."""
    if len(text) <= limit or limit < 5:
        return text
    head = (limit - 1) // 2
    return text[:head] + ELLIPSIS + text[len(text) - (limit - 1 - head):]


def short_folder(folder: str, limit: int = 32) -> str:
    """A folder in at most ``limit`` characters: whole if it fits, else its first and last
    parts (``02 - Community Expansions/…/Themes``), else the last one (``…/Themes``), cut in
    the middle if even that is too long."""
    if len(folder) <= limit:
        return folder
    parts = folder.split("/")
    if len(parts) > 2 and len(parts[0]) + len(parts[-1]) + 3 <= limit:
        return f"{parts[0]}/{ELLIPSIS}/{parts[-1]}"
    return shorten(f"{ELLIPSIS}/{parts[-1]}", limit)


def folder_limit() -> int:
    """How much of a folder fits under a name: the name column gets about a third."""
    return max(16, width() // 3 + 2)


def spot(path: str, line: Any, what: str = "", limit: int = 24) -> str:
    """``file.md:line what``: the file's name only (the folder is in the JSON and --long),
    cut in the middle past ``limit`` characters."""
    file = PurePosixPath(path).name
    short = f"{shorten(file[:-3], limit)}.md" if file.endswith(".md") else shorten(file, limit)
    return f"{short}:{line} {what}".rstrip()


def more(total: int, shown: int) -> str:
    """``+N more`` for what a compact view leaves out, ``""`` when nothing is."""
    return f"+{total - shown} more" if total > shown else ""
