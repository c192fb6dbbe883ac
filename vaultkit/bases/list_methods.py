"""Methods of lists ("Functions": List type), including those taking an expression over
``value``/``index``/``acc``, and the statistics custom summaries use (``values.mean()``)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterator
from typing import Any

from vaultkit.bases import ast
from vaultkit.bases.scope import Scope
from vaultkit.bases.values import equal, order, sort_key, to_text, truthy

Value = Any
Method = Callable[[list[Value], list[Value]], Value]
#: Turns an argument into a function of the scope (the evaluator's compiler).
Compile = Callable[[ast.Node], Callable[[Scope], Value]]
LazyMethod = Callable[[list[Value], ast.Method, Scope, Compile], Value]


def contains(items: list[Value], wanted: Value) -> bool:
    return any(equal(item, wanted) for item in items)


def unique(items: list[Value]) -> list[Value]:
    kept: list[Value] = []
    for item in items:
        if not contains(kept, item):
            kept.append(item)
    return kept


def _flat(items: list[Value]) -> list[Value]:
    out: list[Value] = []
    for item in items:
        out.extend(item if isinstance(item, list) else [item])
    return out


def _list_order(value: Value) -> tuple[Any, ...]:
    """The view comparator (numbers numerically, text ignoring case), null last."""
    return (1,) if value is None else (0, *sort_key(value))


def _numbers(items: list[Value]) -> list[float]:
    return [v for v in items if isinstance(v, (int, float)) and not isinstance(v, bool)
            and not math.isnan(v)]


def _whole(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def _mean(items: list[Value], args: list[Value]) -> Value:
    numbers = _numbers(items)
    return _whole(sum(numbers) / len(numbers)) if numbers else None


def _median(items: list[Value], args: list[Value]) -> Value:
    numbers = _numbers(items)
    return _whole(statistics.median(numbers)) if numbers else None


def _stddev(items: list[Value], args: list[Value]) -> Value:
    numbers = _numbers(items)
    return _whole(statistics.pstdev(numbers)) if numbers else None


def _sum(items: list[Value], args: list[Value]) -> Value:
    return _whole(sum(_numbers(items)))


def _extreme(pick: int) -> Method:
    def extreme(items: list[Value], args: list[Value]) -> Value:
        best = None
        for item in items:
            if item is not None and (best is None or order(item, best) == pick):
                best = item
        return best

    return extreme


def _slice(items: list[Value], args: list[Value]) -> Value:
    start = int(args[0]) if args and args[0] is not None else 0
    end = int(args[1]) if len(args) > 1 and args[1] is not None else None
    return items[start:end]


def _join(items: list[Value], args: list[Value]) -> Value:
    separator = to_text(args[0]) if args and args[0] is not None else ","
    return separator.join(to_text(item) for item in items)


LIST: dict[str, Method] = {
    "contains": lambda items, a: contains(items, a[0] if a else None),
    "containsAll": lambda items, a: all(contains(items, v) for v in a),
    "containsAny": lambda items, a: any(contains(items, v) for v in a),
    "isEmpty": lambda items, a: len(items) == 0,
    "flat": lambda items, a: _flat(items),
    "join": _join,
    "reverse": lambda items, a: items[::-1],
    "slice": _slice,
    "sort": lambda items, a: sorted(items, key=_list_order),
    "unique": lambda items, a: unique(items),
    "mean": _mean, "average": _mean, "median": _median, "stddev": _stddev, "sum": _sum,
    "min": _extreme(-1), "max": _extreme(1),
}


def _each(items: list[Value], node: ast.Method, scope: Scope, compile: Compile
          ) -> Iterator[tuple[Value, Value]]:
    """Each item with the value of the method's expression for it (``value``, ``index``)."""
    expression = compile(node.args[0])
    inner = scope.with_locals(value=None, index=0)
    names = inner.locals
    for i, item in enumerate(items):
        names["value"], names["index"] = item, i
        yield item, expression(inner)


def _filter(items: list[Value], node: ast.Method, scope: Scope, compile: Compile) -> Value:
    if not node.args:
        return [item for item in items if truthy(item)]
    return [item for item, keep in _each(items, node, scope, compile) if truthy(keep)]


def _map(items: list[Value], node: ast.Method, scope: Scope, compile: Compile) -> Value:
    if not node.args:
        return list(items)
    return [value for _, value in _each(items, node, scope, compile)]


def _reduce(items: list[Value], node: ast.Method, scope: Scope, compile: Compile) -> Value:
    acc = compile(node.args[1])(scope) if len(node.args) > 1 else None
    if not node.args:
        return acc
    expression = compile(node.args[0])
    inner = scope.with_locals(value=None, index=0, acc=acc)
    names = inner.locals
    for i, item in enumerate(items):
        names["value"], names["index"], names["acc"] = item, i, acc
        acc = expression(inner)
    return acc


LAZY_LIST: dict[str, LazyMethod] = {"filter": _filter, "map": _map, "reduce": _reduce}
