"""Run one view of a base over a vault: filter the files, compute the columns and formulas,
sort, group, limit and summarise (the rules are the fixtures' README, after Obsidian's help)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vaultkit.bases.errors import ExpressionError
from vaultkit.bases.evaluate import compiled, evaluate
from vaultkit.bases.files import FileRecord, VaultFiles
from vaultkit.bases.methods import file_field
from vaultkit.bases.scope import Scope
from vaultkit.bases.spec import BaseSpec, Filter, SortKey, View, property_id
from vaultkit.bases.summaries import DEFAULT_SUMMARIES
from vaultkit.bases.values import (
    ErrorValue,
    FileValue,
    Link,
    as_datetime,
    date_text,
    sort_key,
    to_json,
    to_text,
    truthy,
)

Value = Any

#: What a function given the wrong arguments raises (``"abc".contains()``, ``[1].slice("a")``):
#: a failure of that cell or that row's filter statement, never of the view.
CELL_FAILURES = (ExpressionError, ArithmeticError, LookupError, TypeError, ValueError,
                 AttributeError, RecursionError)


@dataclass(frozen=True, slots=True)
class BaseResult:
    """A view's answer. ``rows`` hold typed values (see :mod:`vaultkit.bases.values`); in a
    grouped view each row starts with its group key and ``groups`` lists the keys in order.
    ``summaries`` maps a column header to its summary, or, grouped, a group key (as text)
    to such a map; None when the view has no summaries."""

    view: View
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    paths: tuple[str, ...]
    groups: tuple[Value, ...] | None
    summaries: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        """The ``vaultkit base --format json`` shape: ``{"columns", "rows"}``, plus
        ``"groups"`` when grouped and ``"summaries"`` when the view has them."""
        out: dict[str, Any] = {"columns": list(self.columns),
                               "rows": [[to_json(v) for v in row] for row in self.rows]}
        if self.groups is not None:
            out["groups"] = [to_json(g) for g in self.groups]
        if self.summaries is not None:
            out["summaries"] = to_json(self.summaries)
        return out


def group_text(value: Value) -> str:
    """A group key as the text that keys its summaries (``null`` for the null group)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Link, FileValue)):
        return value.path
    if isinstance(value, dt.date):
        return date_text(value)
    return to_text(value)


class _Run:
    """One evaluation of a view: the spec, the files, ``this`` and the clock."""

    def __init__(self, spec: BaseSpec, files: VaultFiles, this: FileRecord | None,
                 now: dt.datetime) -> None:
        self.spec = spec
        self.files = files
        self.this = this
        self.now = now

    def scope(self, row: FileRecord | None, **names: Value) -> Scope:
        return Scope(self.files, self.now, row, self.this, self._formula, dict(names))

    def _formula(self, scope: Scope, name: str, column: int) -> Value:
        if name in scope.cache:
            return scope.cache[name]
        node = self.spec.formulas.get(name)
        if node is None:
            return None
        # A formula sees the row, not the local names of the expression that uses it.
        inner = scope if not scope.locals else Scope(
            scope.files, scope.now, scope.row, scope.this, scope.formula, {}, scope.cache)
        function = compiled(node)
        value = _safely(lambda: function(inner), name)
        scope.cache[name] = value
        return value

    def passes(self, node: Filter, scope: Scope) -> bool:
        if node.op == "expr":
            assert node.expr is not None
            try:
                return truthy(evaluate(node.expr, scope))
            except CELL_FAILURES:
                return False
        if node.op == "and":
            return all(self.passes(c, scope) for c in node.children)
        if node.op == "or":
            return any(self.passes(c, scope) for c in node.children)
        return not any(self.passes(c, scope) for c in node.children)

    def value(self, pid: str, scope: Scope) -> Value:
        """The value of a property id (``note.x``, ``file.x``, ``formula.x``) for a row."""
        kind, name = pid.split(".", 1)
        if kind == "formula":
            return self._formula(scope, name, 1)
        assert scope.row is not None
        if kind == "file":
            row = scope.row
            return _safely(lambda: file_field(row, name), name)
        return scope.row.prop(name)

    def header(self, written: str) -> str:
        return self.spec.display_names.get(property_id(written), written)

    def summary(self, name: str, values: list[Value]) -> Value:
        custom = self.spec.summaries.get(name)
        if custom is None:
            return DEFAULT_SUMMARIES[name](values)
        scope = self.scope(None, values=values)
        return _safely(lambda: evaluate(custom, scope), name)


def _safely(compute: Any, name: str) -> Value:
    """A cell's value, or the cell's error: one bad cell never stops a view."""
    try:
        return compute()
    except ExpressionError as exc:
        return ErrorValue(name, exc.message)
    except CELL_FAILURES as exc:
        return ErrorValue(name, str(exc) or type(exc).__name__)


def _sorted(items: list[Any], keys: list[tuple[Value, ...]], descending: tuple[bool, ...]
            ) -> list[Any]:
    """``items`` ordered by ``keys``, the first key first; null last in both directions;
    ties keep their order (ascending path), even when descending."""
    order = list(range(len(items)))
    # Stable sorts from the last key to the first; reverse=True keeps ties in order.
    for position in reversed(range(len(descending))):
        down = descending[position]

        def key(i: int, position: int = position, down: bool = down) -> tuple[Any, ...]:
            value = keys[i][position]
            if value is None:
                return (0,) if down else (1,)
            return ((1,) if down else (0,)) + sort_key(value)

        order.sort(key=key, reverse=down)
    return [items[i] for i in order]


def run_view(spec: BaseSpec, view: View, files: VaultFiles, *, this: FileRecord | None,
             now: dt.datetime) -> BaseResult:
    """Evaluate ``view`` of ``spec`` over every file in ``files``."""
    run = _Run(spec, files, this, now)
    filters = [f for f in (spec.filters, view.filters) if f is not None]
    scopes = []
    for record in files.records:
        scope = run.scope(record)
        if all(run.passes(f, scope) for f in filters):
            scopes.append(scope)
    if view.sort:
        keys = [tuple(run.value(s.property, sc) for s in view.sort) for sc in scopes]
        scopes = _sorted(scopes, keys, tuple(s.descending for s in view.sort))
    group_keys: list[Value] | None = None
    if view.group_by is not None:
        scopes, group_keys = _grouped(run, scopes, view.group_by)
    if view.limit is not None:
        scopes = scopes[:view.limit]
        if group_keys is not None:
            group_keys = group_keys[:view.limit]
    columns = [run.header(p) for p in view.order]
    pids = [property_id(p) for p in view.order]
    rows = [[run.value(p, sc) for p in pids] for sc in scopes]
    groups = None
    if group_keys is not None:
        columns.insert(0, run.header(view.group_by.written if view.group_by else ""))
        rows = [[key, *row] for key, row in zip(group_keys, rows, strict=True)]
        groups = _distinct(group_keys)
    summaries = None
    if view.summaries:
        summaries = _summaries(run, view, scopes, pids, columns, group_keys)
    return BaseResult(view, tuple(columns), tuple(tuple(r) for r in rows),
                      tuple(sc.row.path for sc in scopes if sc.row is not None),
                      tuple(groups) if groups is not None else None, summaries)


def _group_id(value: Value) -> str:
    if isinstance(value, dt.date):
        return "date:" + date_text(as_datetime(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"number:{float(value)!r}"
    return f"{type(value).__name__}:{to_json(value)!r}"


def _distinct(keys: Iterable[Value]) -> list[Value]:
    seen: dict[str, Value] = {}
    for key in keys:
        seen.setdefault(_group_id(key), key)
    return list(seen.values())


def _grouped(run: _Run, scopes: list[Scope], group: SortKey
             ) -> tuple[list[Scope], list[Value]]:
    """Rows reordered group by group (groups in key order, the null group last), each
    group keeping the sorted order; with each row's group key."""
    values = [run.value(group.property, sc) for sc in scopes]
    ids = [_group_id(v) for v in values]
    distinct = _distinct(values)
    ordered = _sorted(distinct, [(v,) for v in distinct], (group.descending,))
    position = {_group_id(v): i for i, v in enumerate(ordered)}
    indexed = sorted(range(len(scopes)), key=lambda i: position[ids[i]])
    return [scopes[i] for i in indexed], [values[i] for i in indexed]


def _summaries(run: _Run, view: View, scopes: list[Scope], pids: list[str],
               columns: list[str], group_keys: list[Value] | None) -> dict[str, Any]:
    offset = 1 if group_keys is not None else 0

    def for_rows(chosen: list[Scope]) -> dict[str, Value]:
        out = {}
        for written, name in view.summaries:
            pid = property_id(written)
            key = columns[pids.index(pid) + offset] if pid in pids else written
            out[key] = run.summary(name, [run.value(pid, sc) for sc in chosen])
        return out

    if group_keys is None:
        return for_rows(scopes)
    members: dict[str, list[Scope]] = {}
    firsts: dict[str, Value] = {}
    for sc, key in zip(scopes, group_keys, strict=True):
        gid = _group_id(key)
        members.setdefault(gid, []).append(sc)
        firsts.setdefault(gid, key)
    return {group_text(firsts[gid]): for_rows(chosen) for gid, chosen in members.items()}
