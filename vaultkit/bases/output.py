"""A view's answer for people and programs: markdown (group headings, a summary row,
links as ``[[wikilinks]]``), plain text cells, and a pandas DataFrame."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from vaultkit.bases.engine import BaseResult, group_text
from vaultkit.bases.spec import property_id
from vaultkit.bases.values import (
    Duration,
    ErrorValue,
    FileValue,
    Link,
    Rendered,
    as_datetime,
    date_text,
    number_text,
    to_json,
    to_text,
    wikilink,
)
from vaultkit.lang.csv_text import csv_text

if TYPE_CHECKING:
    import pandas as pd

Value = Any


def cell_text(value: Value, *, links: bool = True) -> str:
    """How a value reads in a table cell: empty for null, ISO dates, JavaScript numbers,
    links and files as ``[[wikilinks]]`` (or their paths with ``links=False``), lists
    joined with ", "."""
    if value is None:
        return ""
    if isinstance(value, Link):
        return wikilink(value) if links else value.path
    if isinstance(value, FileValue):
        return wikilink(Link(value.path, resolved=True)) if links else value.path
    if isinstance(value, list):
        return ", ".join(cell_text(v, links=links) for v in value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    if isinstance(value, (bool, int, float)):
        return number_text(value)
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, Duration):
        return number_text(value.millis())
    if isinstance(value, ErrorValue):
        return f"error: {to_json(value)['error']}"
    if isinstance(value, Rendered):
        return value.text
    return to_text(value)


def _escape(text: str) -> str:
    return text.replace("\\|", "|").replace("|", "\\|").replace("\n", " ")


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_escape(c) for c in columns) + " |",
             "|" + "|".join(" --- " for _ in columns) + "|"]
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in rows]
    return lines


def _summary_row(columns: list[str], summaries: dict[str, Value],
                 names: dict[str, str]) -> list[str]:
    row = []
    for column in columns:
        if column in summaries:
            row.append(f"**{names.get(column, '')}:** {cell_text(summaries[column])}".strip())
        else:
            row.append("")
    return row


def to_csv(result: BaseResult) -> str:
    """The view's columns and rows as CSV, links as vault paths (no summaries)."""
    return csv_text(result.columns,
                    ([cell_text(v, links=False) for v in row] for row in result.rows))


def to_markdown(result: BaseResult, *, heading: str = "###") -> str:
    """The view as markdown: one table, or under a grouped view a ``heading`` per group
    with its own table; a summary row closes each table that has summaries."""
    names = _summary_names(result)
    if result.groups is None:
        columns = list(result.columns)
        rows = [[cell_text(v) for v in row] for row in result.rows]
        if result.summaries:
            rows.append(_summary_row(columns, result.summaries, names))
        return "\n".join(_table(columns, rows))
    columns = list(result.columns[1:])
    parts = []
    for key in result.groups:
        text = group_text(key)
        rows = [[cell_text(v) for v in row[1:]] for row in result.rows
                if group_text(row[0]) == text]
        group_summaries = (result.summaries or {}).get(text)
        if group_summaries:
            rows.append(_summary_row(columns, group_summaries, names))
        title = "(none)" if key is None else cell_text(key)
        parts.append("\n".join([f"{heading} {title}", "", *_table(columns, rows)]))
    return "\n\n".join(parts)


def _summary_names(result: BaseResult) -> dict[str, str]:
    """Column header → the summary's name (``Average``), for the summary row's labels."""
    headers = {}
    order = [property_id(p) for p in result.view.order]
    offset = 1 if result.groups is not None else 0
    for written, name in result.view.summaries:
        pid = property_id(written)
        header = result.columns[order.index(pid) + offset] if pid in order else written
        headers[header] = name
    return headers


def to_frame(result: BaseResult) -> pd.DataFrame:
    """The view as a DataFrame: one row per file, the columns as headed (the group key
    first when grouped); dates as Timestamps, links and files as vault paths, lists as
    lists. ``frame.attrs`` holds ``"groups"`` and ``"summaries"`` when the view has them."""
    import pandas as pd

    def cell(value: Value) -> Any:
        if isinstance(value, dt.date):
            return pd.Timestamp(as_datetime(value))
        return to_json(value)

    frame = pd.DataFrame([[cell(v) for v in row] for row in result.rows],
                         columns=range(len(result.columns)))
    frame.columns = pd.Index(list(result.columns))
    frame.index = pd.Index(list(result.paths), name="path")
    if result.groups is not None:
        frame.attrs["groups"] = [to_json(g) for g in result.groups]
    if result.summaries is not None:
        frame.attrs["summaries"] = to_json(result.summaries)
    return frame
