"""Facts: every table cell in the vault as one long table of figures with their context.

A table row states facts about its *row label* (the first cell, as plain text); each other
non-blank cell is one fact, keyed by its column header. Per fact:

- ``path``/``line`` — the note and the row's own line, so ``path:line`` opens it;
- ``heading`` — the table's heading path, plain text joined with ``" > "`` (the full path
  rather than the nearest heading: ``Value`` tables under several dated updates would be
  indistinguishable otherwise);
- ``raw``, ``value``, ``unit``, ``approx``, ``bound`` — from
  :func:`vaultkit.parse.values.parse_cell`;
  ``value`` is a float, an ISO date string for date cells, or None for text;
- ``date`` — the date the fact is stated for: the dated update section the table sits in
  (``### February 27, 2026 update``, up to the next heading of the same or higher level),
  else the note's frontmatter ``date``, else None;
- ``entities`` — the link targets anywhere in the row, as note names where they resolve
  and as written where they do not, in order, without repeats.

The frame also carries ``table_line`` (the table's first line) and ``subjects``: what the
whole table is about — the note's own name and the links in the table's nearest heading
(``### [[XMAG]] ETF`` makes every row below it a fact about XMAG). A fact is *about* an
entity when its row label names it, its row links to it, or it is one of its subjects.

Empty cells and lone dashes state nothing and give no fact.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from vaultkit.index.reader import open_tables
from vaultkit.index.resolve import normalise
from vaultkit.index.table_dates import frontmatter_date, table_date
from vaultkit.model import Link, Note
from vaultkit.parse.values import parse_cell, plain_text
from vaultkit.views.tables import heading_path

if TYPE_CHECKING:
    import pandas as pd

    from vaultkit.vault import Vault

FACT_COLUMNS = ("path", "line", "heading", "row", "column", "raw", "value", "unit",
                "approx", "bound", "date", "entities")
_DTYPES = {"path": "str", "line": "int64", "heading": "str", "row": "str", "column": "str",
           "raw": "str", "value": "object", "unit": "object", "approx": "bool",
           "bound": "object", "date": "object", "entities": "object",
           "table_line": "int64", "subjects": "object"}


def build_facts(vault: Vault, *, entity: str | None = None, column: str | None = None
                ) -> pd.DataFrame:
    """The facts of every table in the vault, in path, line and column order.

    ``entity`` keeps the facts about it (see the module docstring), matched
    case-insensitively by note name, path or alias (as :meth:`Vault.find` resolves them).
    ``column`` keeps facts whose column header, as plain text, equals it case-insensitively.
    The frame has :data:`FACT_COLUMNS` plus ``table_line`` and ``subjects``; ``value`` is an
    object column (floats, ISO date strings, None), so select a unit before doing sums.
    """
    records: list[dict[str, Any]] = []
    for path in sorted(vault.notes):
        records.extend(note_facts(vault, vault.notes[path]))
    if entity is not None:
        names = entity_names(vault, entity)
        records = [r for r in records if any(
            normalise(name) in names for name in (r["row"], *r["entities"], *r["subjects"]))]
    if column is not None:
        wanted = normalise(column)
        records = [r for r in records if normalise(r["column"]) == wanted]
    return _frame(records)


def note_facts(vault: Vault, note: Note) -> list[dict[str, Any]]:
    """The facts of one note's tables as records with :data:`FACT_COLUMNS` keys."""
    row_links: dict[int, list[Link]] = defaultdict(list)
    heading_links: dict[int, list[Link]] = defaultdict(list)
    for link in note.links:
        if link.context is not None and link.context.block == "table_row":
            row_links[link.context.block_line].append(link)
        elif link.context is not None and link.context.block == "heading":
            heading_links[link.context.block_line].append(link)
    stated = frontmatter_date(note.frontmatter.get("date"))
    records: list[dict[str, Any]] = []
    for table in note.tables:
        heading = heading_path(table.section)
        date = table_date(note, table) or stated
        headers = [plain_text(h) for h in table.columns]
        above = [h.line for h in note.headings if h.line < table.line]
        subjects = [note.name, *_entity_names(vault, note.path,
                                              heading_links.get(above[-1], []) if above else [])]
        # A one-column table has no label column: its cells are the facts.
        first = 1 if len(headers) > 1 else 0
        for row, line in zip(table.rows, table.row_lines, strict=True):
            label = plain_text(row[0]) if first and row else ""
            entities = _entity_names(vault, note.path, row_links.get(line, []))
            for position in range(first, min(len(row), len(headers))):
                cell = parse_cell(row[position])
                if cell.blank:
                    continue
                records.append({
                    "path": note.path, "line": line, "heading": heading, "row": label,
                    "column": headers[position], "raw": cell.raw,
                    "value": cell.json_value(), "unit": cell.unit, "approx": cell.approx,
                    "bound": cell.bound, "date": date, "entities": list(entities),
                    "table_line": table.line, "subjects": subjects,
                })
    return records


def entity_names(vault: Vault, entity: str) -> set[str]:
    """The normalised names ``entity`` goes by: as given, and when it is a note (found by
    path, name or alias), that note's name and aliases."""
    names = {normalise(entity)}
    path = vault.find(entity)
    if path is not None and path in vault.notes:
        note = vault.notes[path]
        names.add(normalise(note.name))
        names.update(normalise(alias) for alias in note.aliases)
    return names


def stream_facts(vault: Vault) -> Iterator[dict[str, Any]] | None:
    """The records of :func:`build_facts` (no filter) as :func:`fact_records` gives them,
    read row by row from the index's tables: the first comes at once, and no note is
    decoded. None when the tables do not hold the vault."""
    conn = open_tables(vault)
    return None if conn is None else _stream_facts(conn)


def _stream_facts(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    entities = _row_entities(conn)
    key: tuple[str, int] | None = None
    names: list[str] = []
    for (path, line, heading, label, header, raw, value, day, unit, approx, bound, date
         ) in conn.execute(_FACTS_SQL):
        if (path, line) != key:
            key = (path, line)
            names = entities(path, line)
        yield {"path": path, "line": line, "heading": heading, "row": label,
               "column": header, "raw": raw, "value": value if value is not None else day,
               "unit": unit, "approx": bool(approx), "bound": bound, "date": date,
               "entities": list(names)}


#: Non-blank cells past the label column, with their table's heading and date, in order.
_FACTS_SQL = """
SELECT c.path, c.line, t.heading_path, c.label, c.header, c.raw, c.value, c.date, c.unit,
       c.approx, c.bound, t.date
FROM cells c JOIN tables t ON t.path = c.path AND t.number = c.table_number
WHERE c.blank = 0 AND c.header IS NOT NULL AND (c.position > 0 OR t.column_count = 1)
ORDER BY c.path, c.table_number, c.row_number, c.position"""


def _row_entities(conn: sqlite3.Connection) -> Callable[[str, int], list[str]]:
    """Names of the link targets in a table row, as :func:`_entity_names` gives them,
    from one pass over the table-row links in the facts' order (path, then line)."""
    links = iter(conn.cursor().execute(
        "SELECT path, block_line, CASE WHEN resolved IS NULL THEN target ELSE target_name END "
        "FROM links WHERE block_kind = 'table_row' ORDER BY path, seq"))
    held: dict[int, list[str]] = {}
    current: list[Any] = [None, next(links, None)]  # the note held, the next link row

    def names(path: str, line: int) -> list[str]:
        if current[0] != path:
            held.clear()
            current[0] = path
            row = current[1]
            while row is not None and row[0] < path:
                row = next(links, None)
            while row is not None and row[0] == path:
                found = held.setdefault(row[1], [])
                if row[2] not in found:
                    found.append(row[2])
                row = next(links, None)
            current[1] = row
        return held.get(line, [])

    return names


def fact_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame as DESIGN.md's ``facts`` JSON objects (missing values as None)."""
    plain = frame.loc[:, list(FACT_COLUMNS)].astype(object)
    return [{str(key): (None if _missing(value) else value) for key, value in record.items()}
            for record in plain.to_dict("records")]


def _entity_names(vault: Vault, path: str, links: Iterable[Link]) -> list[str]:
    names: dict[str, None] = {}
    for link in links:
        resolved = vault.resolve(link, path)
        if resolved is None:
            name = link.target
        elif resolved in vault.notes:
            name = vault.notes[resolved].name
        else:
            name = resolved.rsplit("/", 1)[-1]
        names.setdefault(name, None)
    return list(names)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    columns = {name: pd.Series([r[name] for r in records], dtype=dtype)
               for name, dtype in _DTYPES.items()}
    return pd.DataFrame(columns, columns=list(_DTYPES))
