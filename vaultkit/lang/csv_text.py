"""A query language's answer as CSV: a header row, then one row of cell texts per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """``columns`` and ``rows`` (cell texts) as CSV, lines ending in ``\\n``.

    >>> csv_text(["a", "b"], [["1", "x, y"]])
    'a,b\\n1,"x, y"\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()
