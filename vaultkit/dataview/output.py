"""A query result as text: a markdown table or list for a note (links as ``[[wikilinks]]``),
CSV and plain cells for the terminal."""

from __future__ import annotations

from vaultkit.dataview.engine import Result
from vaultkit.lang.csv_text import csv_text
from vaultkit.lang.values import NULL_TEXT, Link, Value, iso_date, to_text, type_name


def cell_markdown(value: Value, *, in_table: bool = True) -> str:
    """One value as markdown: a link as a wikilink, a date as ISO 8601, a list as its
    items joined by ", ", null as Dataview's ``\\-``; ``|`` escaped inside a table."""
    kind = type_name(value)
    if kind == "link":
        text = value.wikilink()
    elif kind == "date":
        text = iso_date(value)
    elif kind == "array":
        text = ", ".join(cell_markdown(v, in_table=False) for v in value)
    elif kind == "object":
        text = ", ".join(f"{k}: {cell_markdown(v, in_table=False)}" for k, v in value.items())
    elif kind == "null":
        text = NULL_TEXT
    else:
        text = to_text(value)
    text = " ".join(text.split("\n"))
    return text.replace("|", "\\|").replace("\\\\|", "\\|") if in_table else text


def to_markdown(result: Result) -> str:
    """The result as a note shows it: TABLE (and TASK) as a table, LIST as a list; an
    empty result says so, so the region never reads as broken."""
    if not result.rows:
        return "*No results.*"
    if result.kind == "list":
        return "\n".join(_list_item(result, row) for row in result.rows)
    if result.kind == "task" and not result.grouped:
        # Tasks are written as a table, not as "- [ ]" items, so the copy is not itself a
        # task the next run would find.
        rows = [(f"`[{row[2]}]`", row[1], row[0]) for row in result.rows]
        return _table(("Status", "Task", "Note"), rows)
    return _table(result.columns, result.rows)


def _list_item(result: Result, row: tuple[Value, ...]) -> str:
    cells = [cell_markdown(v, in_table=False) for v in row]
    return "- " + ": ".join(cells)


def _table(columns: tuple[str, ...], rows: list[tuple[Value, ...]] | tuple[
        tuple[Value, ...], ...]) -> str:
    head = "| " + " | ".join(c.replace("|", "\\|") for c in columns) + " |"
    rule = "| " + " | ".join("---" for _ in columns) + " |"
    body = ["| " + " | ".join(cell_markdown(v) for v in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def cell_text(value: Value) -> str:
    """A value for a terminal table or CSV cell: links as vault paths, dates ISO."""
    kind = type_name(value)
    if kind == "link":
        return str(value.path)
    if kind == "date":
        return iso_date(value)
    if kind == "duration":
        return str(value.normalized().iso())
    if kind == "null":
        return ""
    if kind == "array":
        return ", ".join(cell_text(v) for v in value)
    return to_text(value)


def to_csv(result: Result) -> str:
    """The result as CSV with a header row."""
    return csv_text(result.columns, ([cell_text(v) for v in row] for row in result.rows))


__all__ = ["Link", "cell_markdown", "cell_text", "to_csv", "to_markdown"]
