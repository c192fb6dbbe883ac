"""One note as rows of the index's relational tables (``docs/index-schema.md``).

Everything here depends on the note's own bytes only, so it is computed once, where the
note is parsed (in a worker process on a cold load), and stored beside it. What depends on
the rest of the vault, where each link resolves, is filled in by
:mod:`vaultkit.index.relational` when the rows are written.

Tables whose records the model simply lists (headings, tasks, block ids, ... and any kind
of record the parser adds later) are read generically: one row per record, one column per
record field, after ``path`` and ``seq`` (the record's place in the note).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import operator
import os
import re
import stat
import typing
from pathlib import Path
from typing import Any

from vaultkit import model
from vaultkit.index.link_rows import SECTION_SEPARATOR, edge_kind
from vaultkit.index.note_lint import note_lint
from vaultkit.index.table_dates import stated_date
from vaultkit.model import Link, Note, note_name
from vaultkit.parse.values import parse_cell, plain_text

#: Text that Dataview and Obsidian's date properties read as a date, or a date and time.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")

#: A note's rows by table name; each row a tuple in the table's column order.
NoteRows = dict[str, list[tuple[Any, ...]]]

#: Note fields stored by a table of their own shape, not generically.
SPECIAL_FIELDS = frozenset({"path", "title", "frontmatter", "aliases", "tags",
                            "tag_occurrences", "links", "tables", "errors"})
#: Generic tables whose model field name reads ambiguously as a table name.
RENAMED = {"fields": "inline_fields"}


@functools.cache
def record_fields() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The generic tables: table name -> (Note field, the record's field names).

    Any ``tuple[Record, ...]`` field of :class:`~vaultkit.model.Note` not in
    :data:`SPECIAL_FIELDS` is one, so a record kind the parser adds becomes a table.
    """
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    hints = _note_record_types()
    for name, record in hints.items():
        if name in SPECIAL_FIELDS:
            continue
        found[RENAMED.get(name, name)] = (name, tuple(f.name for f in dataclasses.fields(record)))
    return found


def _note_record_types() -> dict[str, type]:
    """Note fields holding a tuple of dataclass records, with the record class."""
    hints = typing.get_type_hints(model.Note, vars(model))
    found: dict[str, type] = {}
    for field in dataclasses.fields(model.Note):
        hint = hints[field.name]
        args = typing.get_args(hint)
        if (typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis
                and isinstance(args[0], type) and dataclasses.is_dataclass(args[0])):
            found[field.name] = args[0]
    return found


def note_rows(root: str, note: Note) -> NoteRows:
    """Every relational row of ``note`` (the file at ``root``/``note.path``)."""
    path = note.path
    rows: NoteRows = {
        "files": [_file_row(root, note)],
        "properties": [(path, seq, *r) for seq, r in enumerate(
            r for key, value in note.frontmatter.items() for r in _property_rows(str(key), value))],
        "aliases": [(path, i, alias) for i, alias in enumerate(note.aliases)],
        "tags": [(path, i, t.name, t.line, t.source)
                 for i, t in enumerate(note.tag_occurrences)],
        "links": _link_rows(note),
        "tables": [],
        "cells": [],
        "problems": [(path, i, p.line, p.message, p.severity)
                     for i, p in enumerate(note.errors)],
        "lint": [(path, i, p.line, p.message, p.severity)
                 for i, p in enumerate(note_lint(Path(root), note))],
    }
    cells = rows["cells"]
    for number, table in enumerate(note.tables, start=1):
        rows["tables"].append((
            path, number, table.line, table.end_line, table.heading,
            SECTION_SEPARATOR.join(table.section),
            SECTION_SEPARATOR.join(plain_text(h) for h in table.section),
            json.dumps(list(table.columns)), len(table.columns), len(table.rows),
            stated_date(note, table)))
        headers = [plain_text(c) for c in table.columns]
        labelled = len(headers) > 1  # a one-column table has no label column
        for row_number, (row, line) in enumerate(zip(table.rows, table.row_lines,
                                                     strict=True), start=1):
            label = plain_text(row[0]) if labelled and row else ""
            cells.extend((path, number, row_number, line, position,
                          headers[position] if position < len(headers) else None, label,
                          *_cell_columns(raw))
                         for position, raw in enumerate(row))
    for table_name, (field, names) in record_fields().items():
        fields = _getter(names)
        rows[table_name] = [_record_row(path, i, fields(r))
                            for i, r in enumerate(getattr(note, field))]
    return rows


def _record_row(path: str, seq: int, values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A generic table's row: the record's values, each a SQLite value already (most
    records: checked in C) or made one."""
    if _PLAIN.issuperset(map(type, values)):
        return (path, seq, *values)
    return (path, seq, *(v if type(v) in _PLAIN else _scalar(v) for v in values))


#: Cell texts repeat across a vault's tables ("—", "+5%", an entity's name): each text's
#: columns are made once per process (half the cost of a cell row).
@functools.lru_cache(maxsize=1 << 14)
def _cell_columns(raw: str) -> tuple[Any, ...]:
    """The columns of a ``cells`` row that depend on the cell's text alone, from ``raw``."""
    cell = parse_cell(raw)
    value = cell.value
    return (raw, value if isinstance(value, float) else None,
            value.isoformat() if isinstance(value, dt.date) else None,
            cell.unit, int(cell.approx), cell.bound, cell.comment, int(cell.blank))


def _file_row(root: str, note: Note) -> tuple[Any, ...]:
    name = note.path.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[1] if "." in name else ""
    size: int | None = None
    mtime = ctime = None
    with contextlib.suppress(OSError):
        st = os.stat(os.path.join(root, note.path), follow_symlinks=False)
        mtime, ctime = _iso(st.st_mtime_ns), _iso(getattr(st, "st_birthtime_ns", st.st_ctime_ns))
        if stat.S_ISREG(st.st_mode):
            size = st.st_size
    return (note.path, note_name(note.path), note.folder, extension, size, mtime, ctime,
            note.title, json.dumps(note.frontmatter, ensure_ascii=False, default=str))


def file_times(file: str) -> tuple[str, str] | None:
    """A file's modification and creation times as :func:`note_rows` stores them."""
    try:
        st = os.stat(file, follow_symlinks=False)
    except OSError:
        return None
    return _iso(st.st_mtime_ns), _iso(getattr(st, "st_birthtime_ns", st.st_ctime_ns))


def _iso(ns: int) -> str:
    """A file time as ISO 8601 in UTC, to the millisecond (what Dataview shows)."""
    moment = dt.datetime.fromtimestamp(ns / 1e9, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _property_rows(key: str, value: Any) -> list[tuple[Any, ...]]:
    """A frontmatter property: one row, or one per item of a list (``item`` its place)."""
    if isinstance(value, list):
        if not value:
            return [(key, None, None, "list")]
        return [(key, i, *_typed(v)) for i, v in enumerate(value)]
    return [(key, None, *_typed(value))]


def _typed(value: Any) -> tuple[Any, str]:
    """A property value as SQLite stores it, with its type as Obsidian's property types
    name it (text, number, checkbox, date, datetime; ISO text counts as a date, as
    Dataview reads it), else list/object/null."""
    if value is None:
        return None, "null"
    if isinstance(value, bool):
        return int(value), "checkbox"
    if isinstance(value, (int, float)):
        return value, "number"
    if isinstance(value, dt.datetime):
        return value.isoformat(), "datetime"
    if isinstance(value, dt.date):
        return value.isoformat(), "date"
    if isinstance(value, str):
        if _ISO_DATE.fullmatch(value):
            return value, "date"
        if _ISO_DATETIME.fullmatch(value):
            return value, "datetime"
        return value, "text"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, default=str), "list"
    return json.dumps(value, ensure_ascii=False, default=str), "object"


@functools.cache
def _getter(names: tuple[str, ...]) -> typing.Callable[[Any], tuple[Any, ...]]:
    """A record's values of ``names``, as a tuple (one name included)."""
    if len(names) == 1:
        (name,) = names
        return lambda record: (getattr(record, name),)
    return operator.attrgetter(*names)


#: Field values SQLite stores as they are (``bool`` is not among them: it becomes 0 or 1).
_PLAIN = frozenset({str, int, float, type(None)})


def _scalar(value: Any) -> Any:
    """A record field as one SQLite value: tuples and records as JSON."""
    if value is None or isinstance(value, (str, int, float)):
        return int(value) if isinstance(value, bool) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _link_rows(note: Note) -> list[tuple[Any, ...]]:
    """Every link of the note in document order (``seq``), self links included; the
    resolution columns are left empty here."""
    tables: dict[int, int] = {}
    for table in note.tables:
        tables[table.line] = table.line
        for row_line in table.row_lines:
            tables[row_line] = table.line
    rows = []
    for seq, link in enumerate(note.links):
        rows.append(_link_row(note.path, seq, link, tables))
    return rows


def _link_row(path: str, seq: int, link: Link, tables: dict[int, int]) -> tuple[Any, ...]:
    c = link.context
    block_line = c.block_line if c else link.line
    return (path, seq, link.line, link.target, link.heading, link.block, link.display,
            link.kind, int(link.embed), edge_kind(link),
            SECTION_SEPARATOR.join(c.section) if c else "", c.block if c else "paragraph",
            block_line, c.sentence if c else 0, c.column if c else None,
            tables.get(block_line))
