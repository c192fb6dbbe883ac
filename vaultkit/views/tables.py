"""Every table in the vault as a pandas DataFrame.

Tables are numbered from 1 within their note, in document order: ``vault.table("Sector
Rotation", 16)`` is the sixteenth table of that note. A table's *heading path* is the plain
text of its enclosing headings joined with ``" > "`` (``"Sector Rotation > Rotation 1: … >
Historical Mag 7 annual returns (2021-2025)"``), so a heading that is itself a link
(``### [[XMAG]] ETF``) reads as the researcher sees it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultkit.errors import NoteNotFound, VaultkitError
from vaultkit.index.reader import open_tables
from vaultkit.index.resolve import normalise
from vaultkit.model import Table
from vaultkit.parse.values import Unit, parse_cell, plain_text

if TYPE_CHECKING:
    import pandas as pd

    from vaultkit.vault import Vault

INDEX_COLUMNS = ("path", "number", "line", "heading", "columns", "rows")


@dataclass(frozen=True, slots=True)
class TableRef:
    """A table together with the note it is in and its 1-based number there."""

    path: str
    table: Table

    @property
    def number(self) -> int:
        return self.table.number

    @property
    def heading(self) -> str:
        return heading_path(self.table.section)


def heading_path(section: Sequence[str]) -> str:
    """``("A", "[[XMAG]] ETF")`` → ``"A > XMAG ETF"``."""
    return " > ".join(plain_text(heading) for heading in section)


def iter_tables(vault: Vault, note: str | None = None, heading: str | None = None
                ) -> Iterator[TableRef]:
    """Tables in path then document order, optionally of one note and under one heading.

    ``note`` is a path, name or alias; ``heading`` keeps the tables under a heading (at any
    level) that contains it, case-insensitively, as written or as plain text.
    """
    paths = sorted(vault.notes)
    if note is not None:
        found = vault.find(note)
        if found is None:
            raise NoteNotFound(f"no note named {note!r} in {vault.root}")
        paths = [found]
    wanted = normalise(heading) if heading is not None else None
    for path in paths:
        for table in vault.notes[path].tables:
            if wanted is None or any(wanted in normalise(h) or wanted in normalise(plain_text(h))
                                     for h in table.section):
                yield TableRef(path, table)


def find_table(vault: Vault, note: str, number: int) -> TableRef:
    """Table ``number`` (1-based) of ``note`` (a path, name or alias)."""
    path = vault.find(note)
    if path is None:
        raise NoteNotFound(f"no note named {note!r} in {vault.root}")
    tables = vault.notes[path].tables
    if not 1 <= number <= len(tables):
        raise VaultkitError(f"{path} has {len(tables)} table(s); there is no table {number}",
                            path)
    return TableRef(path, tables[number - 1])


def table_list(vault: Vault) -> pd.DataFrame:
    """One row per table: path, number, line, heading path, column names, row count.

    Sorted by path, then number; ``columns`` are the names :func:`table_frame` uses.
    """
    import pandas as pd

    records = [
        {"path": ref.path, "number": ref.number, "line": ref.table.line,
         "heading": ref.heading, "columns": column_names(ref.table.columns),
         "rows": len(ref.table.rows)}
        for ref in iter_tables(vault)
    ]
    frame = pd.DataFrame(records, columns=list(INDEX_COLUMNS))
    return frame.astype({"number": "int64", "line": "int64", "rows": "int64"})


def column_names(columns: Sequence[str]) -> list[str]:
    """Header cells made usable as DataFrame columns, deterministically.

    An empty header becomes ``column N`` (its 1-based position); a repeated one gets
    `` (2)``, `` (3)``… in order of appearance, skipping names already taken.

    >>> column_names(["", "A", "A", "A (2)"])
    ['column 1', 'A', 'A (3)', 'A (2)']
    """
    taken = {c for c in columns if c}
    names: list[str] = []
    seen: set[str] = set()
    for position, header in enumerate(columns, start=1):
        name = header or f"column {position}"
        if name in seen:
            suffix = 2
            while f"{name} ({suffix})" in taken | seen:
                suffix += 1
            name = f"{name} ({suffix})"
        seen.add(name)
        names.append(name)
    return names


def table_frame(table: Table) -> pd.DataFrame:
    """The table's cells as written (markdown source, trimmed), header as columns."""
    import pandas as pd

    names = column_names(table.columns)
    rows = [_fit(row, len(names)) for row in table.rows]
    return pd.DataFrame(rows, columns=names, dtype="str")


def typed_frame(table: Table) -> pd.DataFrame:
    """The table with every column that holds one kind of figure converted.

    A column whose non-blank cells are all figures of one unit becomes float64 (or
    datetime64 for dates), blanks NaN; any other column becomes plain text. The unit of each
    converted column is in ``frame.attrs["units"]``. Qualifiers (``~``, ``>``) are not kept
    here: :func:`vaultkit.views.facts.build_facts` has them cell by cell.

    >>> from vaultkit.parse import parse_note
    >>> note = parse_note("| Stock | 2023 |\\n|---|---|\\n| [[NVIDIA]] | **+240%** |", "a.md")
    >>> frame = typed_frame(note.tables[0])
    >>> frame.loc[0, "Stock"], float(frame.loc[0, "2023"]), frame.attrs["units"]
    ('NVIDIA', 240.0, {'2023': 'percent'})
    """
    import pandas as pd

    raw = table_frame(table)
    typed: dict[str, pd.Series[Any]] = {}
    units: dict[str, Unit] = {}
    for name in raw.columns:
        cells = [parse_cell(text) for text in raw[name]]
        kinds = {c.unit for c in cells if not c.blank}
        unit = next(iter(kinds)) if len(kinds) == 1 else None
        if unit is None:
            typed[name] = pd.Series([plain_text(c.raw) for c in cells], dtype="str")
            continue
        units[name] = unit
        values = [None if c.blank else c.value for c in cells]
        if unit == "date":
            typed[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            typed[name] = pd.Series(values, dtype="float64")
    frame = pd.DataFrame(typed, columns=raw.columns)
    frame.attrs["units"] = units
    return frame


def table_record(ref: TableRef) -> dict[str, Any]:
    """A table as JSON: the ``note`` JSON table shape plus where it is."""
    table = ref.table
    return {"path": ref.path, "number": ref.number, "line": table.line,
            "heading": ref.heading, "columns": list(table.columns),
            "rows": [list(row) for row in table.rows]}


def stream_tables(vault: Vault, cells: bool) -> Iterator[dict[str, Any]] | None:
    """Every table as :func:`table_record` gives it (``rows`` the row count instead when
    not ``cells``), read table by table from the index: the first comes at once and no
    note is decoded. None when the tables do not hold the vault."""
    conn = open_tables(vault)
    return None if conn is None else _stream_tables(conn, cells)


def _stream_tables(conn: sqlite3.Connection, cells: bool) -> Iterator[dict[str, Any]]:
    reader = conn.cursor()
    for path, number, line, heading, columns, count in conn.execute(
            "SELECT path, number, line, heading_path, columns, row_count FROM tables "
            "ORDER BY path, number"):
        rows: list[list[str]] | int = count
        if cells:
            grouped: dict[int, list[str]] = {}
            for row, raw in reader.execute(
                    "SELECT row_number, raw FROM cells WHERE path = ? AND table_number = ? "
                    "ORDER BY row_number, position", (path, number)):
                grouped.setdefault(row, []).append(raw)
            rows = list(grouped.values())
        yield {"path": path, "number": number, "line": line, "heading": heading,
               "columns": json.loads(columns), "rows": rows}


def table_filename(ref: TableRef, ext: str) -> str:
    """A stable relative file name for a table: the note's path, then its number.

    ``Notes/Sector Rotation.md`` table 16 → ``Notes/Sector Rotation.table-16.csv``, so the
    output mirrors the vault and two notes can never collide.
    """
    stem = re.sub(r"\.md$", "", ref.path, flags=re.I)
    return f"{stem}.table-{ref.number:02d}.{ext}"


def _fit(row: Sequence[str], width: int) -> list[str]:
    """Pad or cut a row to the header's width, as GFM renders it."""
    return [*row[:width], *([""] * (width - len(row)))]
