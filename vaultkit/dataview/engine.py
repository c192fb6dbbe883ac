"""Run a parsed DQL query over a vault's pages, as Dataview's ``src/query/engine.ts`` does.

The FROM source picks notes (in path order); the data commands run in the order written,
each over the rows the previous one left: WHERE keeps truthy rows, SORT orders by its keys
(stable, Dataview's total order), GROUP BY makes one row per distinct key (sorted by key)
holding its ``rows``, FLATTEN makes one row per element, LIMIT keeps the first n. A row
whose expression fails is dropped; when every row fails, the query fails.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from vaultkit.dataview import ast
from vaultkit.dataview.evaluate import Compiled, Context, EvalError, Row, compile_expr
from vaultkit.dataview.functions import build_functions
from vaultkit.dataview.parser import parse_query
from vaultkit.dataview.sources import select
from vaultkit.errors import VaultkitError
from vaultkit.index.collector import gc_paused
from vaultkit.lang.pages import Pages
from vaultkit.lang.values import Link, Value, compare, sort_key, to_json, truthy

#: Column names of each result shape (``docs/dataview.md``).
FILE, GROUP, VALUE = "File", "Group", "Value"
TASK_COLUMNS = ("Task", "Status", "Line")


class QueryError(VaultkitError, ValueError):
    """A query that parsed but cannot run (every row failed, LIMIT not a number…)."""


@dataclass(frozen=True, slots=True)
class Result:
    """A query's answer: column names and rows of typed values (JSON via :meth:`to_json`).

    ``kind`` is the query type; ``grouped`` whether the first column is a GROUP BY key.
    ``tasks`` holds, for a TASK query, each row's task object (status, text, children…).
    """

    kind: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    grouped: bool = False
    tasks: tuple[dict[str, Value], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """``{"columns": [...], "rows": [[...], ...]}`` with JSON values."""
        return {"columns": list(self.columns),
                "rows": [[to_json(v) for v in row] for row in self.rows]}


@dataclass(slots=True)
class _Row:
    id: Value
    data: Row


def run_query(text: str | ast.Query, pages: Pages, *, origin: str | None = None,
              now: dt.datetime | None = None) -> Result:
    """Run DQL ``text`` over ``pages``; ``origin`` is the note the query is written in
    (``this``, and where its links resolve from); ``now`` fixes the clock of
    ``date(today)``.

    Raises :class:`~vaultkit.dataview.parser.DQLSyntaxError` or :class:`QueryError`.
    """
    query = parse_query(text) if isinstance(text, str) else text
    # A query builds many small acyclic records (decoded notes, typed fields, rows): the
    # cyclic GC rescanning the growing heap made it superlinear (7 s again at 10,000 notes).
    with gc_paused():
        return _run(query, pages, origin, now)


def _run(query: ast.Query, pages: Pages, origin: str | None,
         now: dt.datetime | None) -> Result:
    context = Context(pages, origin, now or dt.datetime.now())
    context.functions = build_functions(context)
    paths = sorted(select(query.source, pages, origin))
    if query.kind == "task":
        rows = [_Row((path, task["line"]), _task_row(task, pages, path))
                for path in paths for task in pages[path].file["tasks"]]
    else:
        rows = [_Row(Link(path, resolved=True), pages[path].row()) for path in paths]
    group_names: list[str] = []
    for operation in query.operations:
        rows = _apply(operation, rows, context, group_names)
    grouped = bool(group_names)
    if query.kind == "task":
        return _tasks(rows, grouped)
    if query.kind == "list":
        return _list(query, rows, context, grouped)
    return _table(query, rows, context, grouped)


def _task_row(task: dict[str, Value], pages: Pages, path: str) -> Row:
    row = dict(task)
    for key, value in pages[path].row().items():
        row.setdefault(key, value)
    return row


def _compile(expr: ast.Expr, context: Context) -> Compiled:
    try:
        return compile_expr(expr, context)
    except EvalError as exc:
        raise QueryError(str(exc)) from None


def _apply(operation: ast.Operation, rows: list[_Row], context: Context,
           group_names: list[str]) -> list[_Row]:
    errors: list[str] = []
    if isinstance(operation, ast.Limit):
        amount = _evaluate(_compile(operation.amount, context), {}, errors)
        if errors or not isinstance(amount, (int, float)) or isinstance(amount, bool):
            raise QueryError(f"LIMIT needs a number, not {amount!r}")
        return rows[: max(0, int(amount))]
    incoming = len(rows)
    if isinstance(operation, ast.Where):
        test = _compile(operation.expr, context)
        kept = []
        for row in rows:
            value = _evaluate(test, row.data, errors)
            if value is not _FAILED and truthy(value):
                kept.append(row)
        result = kept
    elif isinstance(operation, ast.Sort):
        result = _sort(operation, rows, context, errors)
    elif isinstance(operation, ast.Group):
        result = _group(operation.field, rows, context, errors)
        group_names.append(operation.field.name)
    else:
        result = _flatten(operation.field, rows, context, errors)
        if group_names and group_names[-1] == operation.field.name:
            group_names.pop()
    if incoming and len(errors) >= incoming:
        name = type(operation).__name__.upper().replace("GROUP", "GROUP BY")
        raise QueryError(f"every row failed in {name}; first: {'; '.join(errors[:3])}")
    return result


_FAILED: Any = object()


def _evaluate(func: Compiled, data: Row, errors: list[str]) -> Value:
    try:
        return func(data)
    except EvalError as exc:
        errors.append(str(exc))
        return _FAILED
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError,
            OverflowError, RecursionError) as exc:
        # A value of a shape no function variant expected: that row fails, as in Dataview.
        errors.append(f"{type(exc).__name__}: {exc}")
        return _FAILED


def _sort(operation: ast.Sort, rows: list[_Row], context: Context,
          errors: list[str]) -> list[_Row]:
    keys = [(_compile(k.expr, context), k.descending) for k in operation.keys]
    tagged = []
    for row in rows:
        values = [_evaluate(func, row.data, errors) for func, _ in keys]
        if _FAILED not in values:
            tagged.append((values, row))
    directions = [-1 if descending else 1 for _, descending in keys]

    def order(a: tuple[list[Value], _Row], b: tuple[list[Value], _Row]) -> int:
        for index, direction in enumerate(directions):
            result = compare(a[0][index], b[0][index])
            if result:
                return result * direction
        return 0

    tagged.sort(key=functools.cmp_to_key(order))
    return [row for _, row in tagged]


def _group(named: ast.Named, rows: list[_Row], context: Context,
           errors: list[str]) -> list[_Row]:
    func = _compile(named.expr, context)
    keyed: list[tuple[Value, _Row]] = []
    for row in rows:
        key = _evaluate(func, row.data, errors)
        if key is not _FAILED:
            keyed.append((key, row))
    keyed.sort(key=lambda pair: sort_key(pair[0]))
    groups: list[_Row] = []
    previous: Any = _FAILED
    for key, row in keyed:
        if previous is not _FAILED and compare(previous, key) == 0:
            groups[-1].data["rows"].append(row.data)
        else:
            groups.append(_Row(key, {"key": key, "rows": [row.data], named.name: key}))
        previous = key
    return groups


def _flatten(named: ast.Named, rows: list[_Row], context: Context,
             errors: list[str]) -> list[_Row]:
    func = _compile(named.expr, context)
    out = []
    for row in rows:
        value = _evaluate(func, row.data, errors)
        if value is _FAILED:
            continue
        for item in value if isinstance(value, list) else [value]:
            out.append(_Row(row.id, {**row.data, named.name: item}))
    return out


def _extract(fields: list[tuple[str, Compiled]], rows: list[_Row]
             ) -> list[tuple[_Row, list[Value]]]:
    errors: list[str] = []
    out = []
    for row in rows:
        values = [_evaluate(func, row.data, errors) for _, func in fields]
        if _FAILED not in values:
            out.append((row, values))
    if rows and len(out) == 0 and errors:
        raise QueryError(f"every row failed computing the columns; first: "
                         f"{'; '.join(errors[:3])}")
    return out


def _table(query: ast.Query, rows: list[_Row], context: Context, grouped: bool) -> Result:
    fields = [(f.name, _compile(f.expr, context)) for f in query.fields]
    names = tuple(name for name, _ in fields)
    extracted = _extract(fields, rows)
    if query.show_id:
        return Result("table", ((GROUP if grouped else FILE), *names),
                      tuple((row.id, *values) for row, values in extracted), grouped)
    return Result("table", names, tuple(tuple(values) for _, values in extracted), grouped)


def _list(query: ast.Query, rows: list[_Row], context: Context, grouped: bool) -> Result:
    first = GROUP if grouped else FILE
    if query.list_expr is None:
        return Result("list", (first,), tuple((row.id,) for row in rows), grouped)
    extracted = _extract([(VALUE, _compile(query.list_expr, context))], rows)
    if query.show_id:
        return Result("list", (first, VALUE),
                      tuple((row.id, values[0]) for row, values in extracted), grouped)
    return Result("list", (VALUE,), tuple((values[0],) for _, values in extracted), grouped)


def _tasks(rows: list[_Row], grouped: bool) -> Result:
    if grouped:
        return Result("task", (GROUP, VALUE), tuple(
            (row.id, [_task_text(r) for r in row.data["rows"]]) for row in rows), True,
            tuple(row.data for row in rows))
    return Result("task", (FILE, *TASK_COLUMNS), tuple(
        (Link(str(r.data["path"]), resolved=True), r.data["text"], r.data["status"],
         r.data["line"] + 1) for r in rows), False, tuple(r.data for r in rows))


def _task_text(task: Row) -> Value:
    return task.get("text")

