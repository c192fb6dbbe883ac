"""Evaluate DQL expressions: each syntax tree is compiled once into a Python closure over a
row (a dict of fields), then called per row.

Semantics follow Dataview's ``src/expression/context.ts`` and ``binaryop.ts``: a missing
field is null; an operator with no implementation for its operand types (``number +
null``) is an :class:`EvalError`, which drops that row, not the query; ``and``/``or``
evaluate both sides and answer with a boolean.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vaultkit.dataview import ast
from vaultkit.lang import dates
from vaultkit.lang.literals import parse_link
from vaultkit.lang.pages import Pages
from vaultkit.lang.values import (
    Duration,
    Link,
    Value,
    compare,
    to_text,
    truthy,
    type_name,
)

Row = dict[str, Any]
Compiled = Callable[[Row], Value]


class EvalError(Exception):
    """An expression could not be evaluated for one row (Dataview's per-row failure)."""


@dataclass
class Context:
    """What expressions see besides their row: the vault's pages, the note the query is
    written in (``this``, and where links in the query resolve from) and the clock."""

    pages: Pages
    origin: str | None = None
    now: dt.datetime = field(default_factory=dt.datetime.now)
    functions: dict[str, Callable[..., Value]] = field(default_factory=dict)

    def globals(self) -> Row:
        if self.origin is not None and self.origin in self.pages:
            return {"this": self.pages[self.origin].row()}
        return {"this": {}}

    def resolve_link(self, link: Link) -> Row | None:
        """The row of the note a link points to (indexing ``[[X]].field``), or None."""
        path = link.path if link.path in self.pages else self.pages.resolve(link.path,
                                                                            self.origin)
        if path is None or path not in self.pages:
            return None
        return self.pages[path].row()

    def link(self, inner: str, embed: bool = False) -> Link:
        return parse_link(inner, embed, lambda t: self.pages.resolve(t, self.origin))


def compile_expr(node: ast.Expr, context: Context) -> Compiled:
    """A function of a row computing ``node``'s value (raising :class:`EvalError`)."""
    build = _BUILDERS[type(node)]
    return build(node, context)


def _literal(node: Any, context: Context) -> Compiled:
    value = node.value
    return lambda row: value


def _link(node: Any, context: Context) -> Compiled:
    value = context.link(node.inner, node.embed)
    return lambda row: value


def _shorthand(node: Any, context: Context) -> Compiled:
    value = dates.shorthand(node.name, context.now)
    return lambda row: value


def _variable(node: Any, context: Context) -> Compiled:
    name = node.name
    glob = context.globals() if name == "this" else {}
    if name in glob:
        default = glob[name]
        return lambda row: row.get(name, default)
    return lambda row: row.get(name)


def _negate(node: Any, context: Context) -> Compiled:
    child = compile_expr(node.child, context)
    return lambda row: not truthy(child(row))


def _list(node: Any, context: Context) -> Compiled:
    items = [compile_expr(i, context) for i in node.items]
    return lambda row: [item(row) for item in items]


def _object(node: Any, context: Context) -> Compiled:
    entries = [(k, compile_expr(v, context)) for k, v in node.entries]
    return lambda row: {k: v(row) for k, v in entries}


def _lambda(node: Any, context: Context) -> Compiled:
    body = compile_expr(node.body, context)
    params = node.params

    def make(row: Row) -> Callable[..., Value]:
        def call(*args: Value) -> Value:
            scope = dict(row)
            scope.update(zip(params, args, strict=False))
            return body(scope)
        return call
    return make


def _call(node: Any, context: Context) -> Compiled:
    args = [compile_expr(a, context) for a in node.args]
    if isinstance(node.func, ast.Variable):
        name = node.func.name
        func = context.functions.get(name.lower()) or context.functions.get(name)
        if func is None:
            raise EvalError(f"unknown function {name}()")
        return lambda row: func(*[a(row) for a in args])
    target = compile_expr(node.func, context)

    def dynamic(row: Row) -> Value:
        value = target(row)
        if not callable(value):
            raise EvalError(f"cannot call a {type_name(value)} as a function")
        return value(*[a(row) for a in args])
    return dynamic


def _index(node: Any, context: Context) -> Compiled:
    index = compile_expr(node.index, context)
    if isinstance(node.object, ast.Variable) and node.object.name == "row":
        glob = context.globals()
        return lambda row: index_value({**glob, **row}, index(row), context)
    obj = compile_expr(node.object, context)
    if isinstance(node.index, ast.Literal) and isinstance(node.index.value, str):
        key = node.index.value

        def dotted(row: Row) -> Value:
            value = obj(row)
            if isinstance(value, dict):
                return value.get(key)
            return index_value(value, key, context)
        return dotted
    return lambda row: index_value(obj(row), index(row), context)


def index_value(value: Value, index: Value, context: Context) -> Value:
    """``value[index]`` / ``value.index`` with Dataview's rules per type."""
    if index is None:
        return None
    if not isinstance(index, (str, int, float)) or isinstance(index, bool):
        raise EvalError("can only index with a string or number")
    kind = type_name(value)
    if kind == "object":
        if not isinstance(index, str):
            raise EvalError('can only index into objects with strings (a.b or a["b"])')
        return value.get(index)
    if kind == "link":
        if not isinstance(index, str):
            raise EvalError('can only index into links with strings (a.b or a["b"])')
        target = context.resolve_link(value)
        return None if target is None else target.get(index)
    if kind == "array":
        if isinstance(index, str):
            out = []
            for item in value:
                try:
                    out.append(index_value(item, index, context))
                except EvalError:
                    continue
            return out
        if index != int(index) or not 0 <= index < len(value):
            return None
        return value[int(index)]
    if kind == "string":
        if isinstance(index, str):
            raise EvalError("string indexing requires a numeric index (string[index])")
        if index != int(index) or not 0 <= index < len(value):
            return None
        return value[int(index)]
    if kind == "date":
        if not isinstance(index, str):
            raise EvalError("date indexing requires a string representing the unit")
        return dates.part(value, index)
    if kind == "duration":
        if not isinstance(index, str):
            raise EvalError("duration indexing requires a string representing the unit")
        return dates.in_unit(value, index)
    return None


def _binary(node: Any, context: Context) -> Compiled:
    left, right = compile_expr(node.left, context), compile_expr(node.right, context)
    op = node.op
    if op in _COMPARISONS:
        test = _COMPARISONS[op]
        return lambda row: test(compare(left(row), right(row)))
    if op == "&":
        return lambda row: _both(truthy(left(row)), truthy(right(row)))
    if op == "|":
        return lambda row: _either(truthy(left(row)), truthy(right(row)))
    return lambda row: arithmetic(op, left(row), right(row))


def _both(a: bool, b: bool) -> bool:
    return a and b


def _either(a: bool, b: bool) -> bool:
    return a or b


_COMPARISONS: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0, "!=": lambda c: c != 0, "<": lambda c: c < 0,
    "<=": lambda c: c <= 0, ">": lambda c: c > 0, ">=": lambda c: c >= 0,
}


def arithmetic(op: str, a: Value, b: Value) -> Value:
    """``a op b`` for ``+ - * / %`` by the operand types (Dataview's dispatch table)."""
    ta, tb = type_name(a), type_name(b)
    if ta == "number" and tb == "number":
        return _numeric(op, a, b)
    if op == "+" and (ta == "string" or tb == "string"):
        return (a if ta == "string" else to_text(a)) + (b if tb == "string" else to_text(b))
    if ta == "null" and tb == "null":
        return None
    if ta == "date" and tb == "null" and op in "+-":
        return None
    if ta == "null" and tb == "date" and op in "+-":
        return None
    if ta == "date" and tb == "duration" and op in "+-":
        return dates.add(a, b if op == "+" else -b)
    if ta == "duration" and tb == "date" and op == "+":
        return dates.add(b, a)
    if ta == "date" and tb == "date" and op == "-":
        return dates.subtract(a, b)
    if ta == "duration" and tb == "duration" and op in "+-":
        return (a + (b if op == "+" else -b)).normalized()
    if op == "*" and {ta, tb} == {"duration", "number"}:
        return (a.scaled(b) if ta == "duration" else b.scaled(a)).normalized()
    if op == "/" and ta == "duration" and tb == "number":
        return a.scaled(1 / b).normalized() if b else Duration()
    if op == "*" and {ta, tb} == {"string", "number"}:
        text, count = (a, b) if ta == "string" else (b, a)
        return "" if count < 0 else text * int(count)
    if op == "+" and ta == tb == "array":
        return [*a, *b]
    if op == "+" and ta == tb == "object":
        return {**a, **b}
    raise EvalError(f"No implementation found for '{ta} {op} {tb}'")


def _numeric(op: str, a: float, b: float) -> Value:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        if op == "%":
            return math.nan
        return math.nan if a == 0 else math.copysign(math.inf, a) * math.copysign(1, b)
    if op == "/":
        result = a / b
        return int(result) if isinstance(a, int) and isinstance(b, int) and result.is_integer() \
            else result
    return math.fmod(a, b)


_BUILDERS: dict[type, Callable[[Any, Context], Compiled]] = {
    ast.Literal: _literal, ast.LinkLiteral: _link, ast.DateShorthand: _shorthand,
    ast.Variable: _variable, ast.Negate: _negate, ast.ListExpr: _list,
    ast.ObjectExpr: _object, ast.Lambda: _lambda, ast.Call: _call, ast.Index: _index,
    ast.Binary: _binary,
}
