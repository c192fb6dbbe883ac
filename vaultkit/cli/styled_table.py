"""A view's table written line by line when none of its cells needs rich's layout.

The views build their tables with :func:`vaultkit.cli.terminal.new_table` and fill them
with :class:`rich.text.Text` cells, some of several lines, some with dim parts. rich lays
out every cell as a renderable (measure, wrap, pad, crop): about a third of a millisecond
a row, so ``unresolved`` on a 10,000-note vault (2,500 targets) took 0.9 s to print.

When every line of every cell fits its column as it is — one line of printable,
single-width characters without edge spaces, no column wider than its ``max_width`` and
the whole table within the console's width — rich's layout is exactly this: the title
left-justified over the table's width, the header (bold), a rule, then each row as many
lines as its tallest cell, each cell line padded to its column's width (on the left in a
right-justified column), columns three spaces apart. Styles are rendered by rich itself,
segment by segment (:meth:`rich.style.Style.render`), as :class:`rich.console.Console`
renders them. Anything else returns None and rich lays the table out; the tests compare the
two, with colour and without.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from vaultkit.cli.plain_table import GAP, RULE, simple

if TYPE_CHECKING:
    from rich.console import Console
    from rich.style import Style
    from rich.table import Column, Table
    from rich.text import Text


def table_lines(table: Table, console: Console) -> list[str] | None:
    """The lines ``console.print(table)`` writes (without their newlines), or None when
    rich's layout is needed for them. ``console`` reads no markup or emoji codes into
    strings, as :func:`vaultkit.cli.terminal.console` makes it (headers are strings)."""
    if not _house_style(table) or not plain_console(console):
        return None
    columns = table.columns
    cells: list[list[list[Text]]] = []  # by column, then row: the cell's lines
    widths: list[int] = []
    for column in columns:
        measured = _column_lines(column)
        if measured is None:
            return None
        cells.append(measured[0])
        widths.append(measured[1])
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    title, caption = _annotation(table.title, total), _annotation(table.caption, total)
    if total > console.width or title is None or caption is None:
        return None
    render = _Renderer(console)
    right = [column.justify == "right" for column in columns]
    out = [render.cell(title, total, right=False)] if title else []
    out.append(render.header([str(c.header) for c in columns], widths, right,
                             console.get_style(str(table.header_style))))
    out.append(RULE * total)
    for row in range(table.row_count):
        row_cells = [column_cells[row] for column_cells in cells]
        for index in range(max(len(lines) for lines in row_cells)):
            out.append(GAP.join(
                render.cell(lines[index] if index < len(lines) else None, width, flush)
                for lines, width, flush in zip(row_cells, widths, right, strict=True)))
    if caption:
        out.append(render.cell(caption, total, right=False))
    return out


def _annotation(text: object, total: int) -> Text | Literal[""] | None:
    """A title or caption as its one line (``""`` for none: rich shows no empty one), or
    None when rich must lay it out (a text it would justify, cut or wrap)."""
    from rich.text import Text

    if text is None or (isinstance(text, Text) and not text.plain):
        return ""
    if not isinstance(text, Text) or not _plain_text(text) or not simple(text.plain):
        return None
    return text if len(text.plain) <= total else None


def _column_lines(column: Column) -> tuple[list[list[Text]], int] | None:
    """Each cell's lines and the column's width, or None when a cell needs rich's layout."""
    from rich.text import Text

    if not isinstance(column.header, str) or not column.header or not simple(column.header):
        return None
    found: list[list[Text]] = []
    width = len(column.header)
    for cell in column.cells:
        if not isinstance(cell, Text) or not _plain_text(cell):
            return None
        # Split as rich's wrapping splits it, a blank last line kept.
        lines = cell.split("\n", allow_blank=True) if "\n" in cell.plain else [cell]
        for line in lines:
            if not simple(line.plain):
                return None
            width = max(width, len(line.plain))
        found.append(list(lines))
    if column.max_width is not None and width > column.max_width:
        return None  # rich would wrap it
    return found, width


def plain_console(console: Console) -> bool:
    """A console that writes what it is given: UTF-8 (else rich draws the rule in ASCII),
    not a legacy Windows console, colour not turned off (rich would drop colours, which
    this does not)."""
    return not console.options.ascii_only and not console.legacy_windows and not console.no_color


def _house_style(table: Table) -> bool:
    """Whether ``table`` is laid out as :func:`~vaultkit.cli.terminal.new_table` makes it,
    with rows of plain cells: what :func:`table_lines` reproduces."""
    from rich import box

    return (table.box is box.SIMPLE_HEAD and not table.show_edge and not table.pad_edge
            and table.padding == (0, 1, 0, 1) and table.show_header and not table.show_footer
            and not table.show_lines and not table.expand and table.width is None
            and table.min_width is None and not table.row_styles and table.leading == 0
            and (table.caption is None or table.caption_justify == "left")
            and not table.collapse_padding
            and table.style in ("", "none")
            and not table.border_style and table.title_justify == "left"
            and table.header_style == "bold" and bool(table.columns)
            and all(not row.style and not row.end_section for row in table.rows)
            and all(not c.style and not c.header_style and c.justify in ("left", "right")
                    and c.vertical == "top" and c.width is None and c.min_width is None
                    and c.ratio is None for c in table.columns))


def _plain_text(text: Text) -> bool:
    """A text rich would not justify or cut on its own."""
    return text.justify is None and text.end == "\n" and not text.no_wrap


class _Renderer:
    """Text with its styles, as ``console`` writes it: unstyled when it has no colour."""

    def __init__(self, console: Console) -> None:
        from rich.console import COLOR_SYSTEMS

        self.console = console
        name = console.color_system
        self.system = None if name is None else COLOR_SYSTEMS[name]

    def header(self, names: list[str], widths: list[int], right: list[bool],
               style: Style) -> str:
        """The header line: every cell, its padding included, in ``style``; the divider
        between them not."""
        justified = [name.rjust(width) if flush else name.ljust(width)
                     for name, width, flush in zip(names, widths, right, strict=True)]
        if self.system is None:
            return GAP.join(justified)
        last = len(names) - 1
        parts = []
        for number, name in enumerate(justified):
            pieces = [" "] if number else []
            pieces.append(name)
            if number < last:
                pieces.append(" ")
            parts.append("".join(self._styled(piece, style) for piece in pieces))
        return " ".join(parts)

    def cell(self, line: Text | None, width: int, right: bool) -> str:
        """One line of a cell padded to ``width``: its own style and spans where rich
        would put them (a text's style covers the padding rich adds to it)."""
        if line is None:
            return " " * width
        pad = " " * (width - len(line.plain))
        if self.system is None or (not line.style and not line.spans):
            return pad + line.plain if right else line.plain + pad
        padded = line.copy()
        if right:
            padded.pad_left(len(pad))
        else:
            padded.pad_right(len(pad))
        from rich.text import Text

        # Joined as rich joins a cell's lines, which makes the text's own style a span.
        joined = Text("\n").join([padded])
        return "".join(self._styled(segment.text, segment.style)
                       for segment in joined.render(self.console, end=""))

    def _styled(self, text: str, style: Style | None) -> str:
        if not style:
            return text
        return style.render(text, color_system=self.system,
                            legacy_windows=self.console.legacy_windows)
