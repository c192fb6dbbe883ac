"""A big table of plain text written line by line, as rich would print it.

``vaultkit base`` and ``vaultkit query`` can print thousands of rows; rich lays each cell
out as a renderable (measure, wrap, pad, crop), about half a millisecond a row, seconds for
a large view. When nothing needs rich's layout — no colour, every cell one line of
single-width printable characters without edge spaces, and the whole table as wide as its
widest cells fits the width — the table :func:`vaultkit.cli.terminal.new_table` makes is
exactly: the title left-justified over the table's width, the header, a rule, and each row,
every cell padded to its column's width, columns three spaces apart. This writes those
lines; anything else returns None and rich lays the table out (tests compare the two).
"""

from __future__ import annotations

from collections.abc import Sequence

#: Between two columns: the right padding of one, the divider, the left padding of the next.
GAP = "   "
RULE = "─"


def plain_table_lines(columns: Sequence[str], rows: Sequence[Sequence[str]],
                      title: str | None, width: int) -> list[str] | None:
    """The lines of the table, or None when rich's layout is needed for it."""
    title = title or None  # rich shows no empty title
    widths = [len(name) for name in columns]
    if not columns or not all(simple(name) and name for name in columns):
        return None
    for row in rows:
        if len(row) != len(columns):
            return None
        for place, text in enumerate(row):
            if not simple(text):
                return None
            if len(text) > widths[place]:
                widths[place] = len(text)
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    if total > width or (title is not None and (len(title) > total or not simple(title))):
        return None
    lines = [] if title is None else [title.ljust(total)]
    lines.append(_line(columns, widths))
    lines.append(RULE * total)
    lines.extend(_line(row, widths) for row in rows)
    return lines


def _line(cells: Sequence[str], widths: list[int]) -> str:
    return GAP.join(text.ljust(size) for text, size in zip(cells, widths, strict=True))


def simple(text: str) -> bool:
    """One line of printable characters, each one cell wide, no space at either end (rich
    may wrap or trim those)."""
    return (text.isprintable() and text == text.strip()
            and (text.isascii() or _single_width(text)))


def _single_width(text: str) -> bool:
    from rich.cells import cell_len

    return cell_len(text) == len(text)
