"""Write a GFM table whose cells read back exactly as given.

The inverse of what :func:`vaultkit.parse.note.parse_note` gives for a table: cells are markdown
source, so ``**+240%**`` and ``[[Claude Cowork|SaaSpocalypse]]`` are written as they are,
with every ``|`` escaped as ``\\|`` (inside wikilinks too, as Obsidian requires in tables).
The parser drops one backslash before each pipe, so a cell that already holds ``\\|`` is
written ``\\\\|`` and still reads back the same. A table that cannot read back — a cell with
a line break, or an unclosed ``%%`` comment that would hide the rest of the note — is
refused with :class:`~vaultkit.errors.VaultkitError` rather than written.

>>> rows = [["[[NVIDIA|Nvidia]]", "+240%"]]
>>> print(write_table(["Stock", "2023"], rows, align=[None, "right"]), end="")
| Stock | 2023 |
|-------|-----:|
| [[NVIDIA\\|Nvidia]] | +240% |
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from vaultkit.errors import VaultkitError
from vaultkit.syntax.comments import strip_spanning_comments

if TYPE_CHECKING:
    import pandas as pd

Align = Literal["left", "center", "right"] | None


def write_table(columns: Sequence[object], rows: Iterable[Sequence[object]], *,
                align: Sequence[Align] | None = None) -> str:
    """The GFM table for ``columns`` and ``rows``, ending in a newline.

    Cells are written with :func:`cell_text`; a short row is padded with empty cells, a long
    one is an error (GFM would silently drop the extra cells). ``align`` gives one of
    ``"left"``, ``"center"``, ``"right"`` or None per column.
    """
    header = [cell_text(c) for c in columns]
    if not header:
        raise VaultkitError("a table needs at least one column")
    aligns = list(align) if align is not None else [None] * len(header)
    if len(aligns) != len(header):
        raise VaultkitError(f"{len(aligns)} alignments for {len(header)} columns")
    lines = [_row(header), "|" + "|".join(_rule(len(h) + 2, a) for h, a in zip(header, aligns,
                                                                                strict=True)) + "|"]
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(c) for c in row]
        if len(cells) > len(header):
            raise VaultkitError(f"row {number} has {len(cells)} cells for {len(header)} columns")
        lines.append(_row(cells + [""] * (len(header) - len(cells))))
    text = "\n".join(lines) + "\n"
    # An unclosed %% would comment out everything after it, in Obsidian and in our parser.
    if strip_spanning_comments(text) != text:
        raise VaultkitError("a cell opens a %% comment that is never closed; written, it "
                            "would hide the rest of the note")
    return text


def write_frame(frame: pd.DataFrame, *, align: Sequence[Align] | None = None) -> str:
    """``frame`` as a GFM table: its columns as the header, its index dropped.

    Numeric columns are right-aligned unless ``align`` says otherwise, so figures line up
    in Obsidian's reading view.
    """
    import pandas as pd

    if align is None:
        align = ["right" if pd.api.types.is_numeric_dtype(dtype) else None
                 for dtype in frame.dtypes]
    return write_table(list(frame.columns), frame.itertuples(index=False, name=None),
                       align=align)


def cell_text(value: object) -> str:
    """One cell's markdown: strings as they are (trimmed), missing values empty, dates ISO.

    A line break cannot live in a GFM cell; rather than lose it, this refuses.
    """
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        text = stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value)
    if "\n" in text or "\r" in text:
        raise VaultkitError(f"a table cell cannot hold a line break: {text!r}")
    return text.strip().replace("|", "\\|")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rule(width: int, align: Align) -> str:
    width = max(width, 3)
    if align == "left":
        return ":" + "-" * (width - 1)
    if align == "right":
        return "-" * (width - 1) + ":"
    if align == "center":
        return ":" + "-" * (width - 2) + ":"
    return "-" * width
