"""The date a table's figures are stated for: note-local, so the index keeps it per table."""

from __future__ import annotations

import datetime as dt

from vaultkit.model import Note, Table
from vaultkit.parse.values import parse_cell


def table_date(note: Note, table: Table) -> str | None:
    """The date of the dated update section ``table`` sits in, as an ISO string, or None.

    A table belongs to the nearest update heading above it with no heading of the same or
    a higher level in between (a ``##`` update holds the ``###`` sections under it).
    """
    for update in reversed(note.updates):
        if update.line > table.line:
            continue
        if not any(update.line < h.line < table.line and h.level <= update.level
                   for h in note.headings):
            return update.date
    return None


def frontmatter_date(value: object) -> str | None:
    """Frontmatter ``date`` as ISO: YAML gives a date for ``2026-01-16``; a string that is
    not a date is not used."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        day = parse_cell(value).value
        return day.isoformat() if isinstance(day, dt.date) else None
    return None


def stated_date(note: Note, table: Table) -> str | None:
    """The date ``table``'s facts are stated for: its update section's, else the note's."""
    return table_date(note, table) or frontmatter_date(note.frontmatter.get("date"))
