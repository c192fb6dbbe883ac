"""Evaluate an expression tree for one row: operators, property references, calls."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vaultkit.bases import ast
from vaultkit.bases.dates import add, parse_date, parse_duration
from vaultkit.bases.errors import ExpressionError
from vaultkit.bases.files import FileRecord
from vaultkit.bases.functions import GLOBALS, LAZY_GLOBALS, make_pattern
from vaultkit.bases.list_methods import LAZY_LIST
from vaultkit.bases.methods import call_method, field_of, file_field, methods_named
from vaultkit.bases.scope import Scope
from vaultkit.bases.values import (
    Duration,
    ErrorValue,
    FileValue,
    equal,
    millis,
    order,
    to_text,
    truthy,
)

Value = Any


@dataclass(frozen=True, slots=True)
class Namespace:
    """``note``, ``formula`` or ``this`` before a property name is applied to it."""

    kind: str  # "note" | "formula" | "this"
    record: FileRecord | None


Compiled = Callable[[Scope], Value]
# Each tree is turned into nested closures once (about three times faster than walking it
# for every row); keyed by id, holding the node so that the id cannot be reused.
_COMPILED: dict[int, tuple[ast.Node, Compiled]] = {}
_NAMESPACES = ("note", "formula", "this")


def evaluate(node: ast.Node, scope: Scope) -> Value:
    """The value of ``node`` for ``scope``'s row; :class:`ExpressionError` for an error that
    makes the whole expression meaningless (an unknown function, a bad regex)."""
    return compiled(node)(scope)


def compiled(node: ast.Node) -> Compiled:
    """``node`` as a function of the scope (made once per tree)."""
    entry = _COMPILED.get(id(node))
    if entry is None or entry[0] is not node:
        entry = (node, _value(node))
        _COMPILED[id(node)] = entry
    return entry[1]


def _plain(value: Value) -> Value:
    """``this`` on its own is the embedding file (``author == this``); ``note`` the row's
    properties; ``formula`` alone is nothing."""
    if not isinstance(value, Namespace):
        return value
    if value.record is None:
        return None
    if value.kind == "this":
        return FileValue(value.record)
    if value.kind == "note":
        return dict(value.record.properties())
    return None


def _may_be_namespace(node: ast.Node) -> bool:
    if isinstance(node, ast.Name):
        return node.name in _NAMESPACES
    if isinstance(node, (ast.Member, ast.Index)):
        return isinstance(node.target, ast.Name) and node.target.name == "this"
    return False


def _value(node: ast.Node) -> Compiled:
    reference = _reference(node)
    if _may_be_namespace(node):
        return lambda scope: _plain(reference(scope))
    return reference


def _reference(node: ast.Node) -> Compiled:
    """Like :func:`_value`, except that ``note``, ``formula`` and ``this`` stay namespaces
    for the member or index applied to them."""
    if isinstance(node, ast.Literal):
        constant = node.value
        return lambda scope: constant
    if isinstance(node, ast.Name):
        return _name(node.name)
    if isinstance(node, ast.Member):
        return _member(node)
    if isinstance(node, ast.Binary):
        return _binary(node)
    if isinstance(node, ast.Method):
        return _method(node)
    if isinstance(node, ast.Call):
        return _call(node)
    if isinstance(node, ast.Unary):
        return _unary(node)
    if isinstance(node, ast.Index):
        return _index(node)
    if isinstance(node, ast.ListOf):
        items = [_value(item) for item in node.items]
        return lambda scope: [item(scope) for item in items]
    if isinstance(node, ast.ObjectOf):
        pairs = [(key, _value(value)) for key, value in node.pairs]
        return lambda scope: {key: value(scope) for key, value in pairs}
    if isinstance(node, ast.Regex):
        pattern = make_pattern(node.pattern, node.flags, node.column)
        return lambda scope: pattern
    raise ExpressionError(f"cannot evaluate {type(node).__name__}", node.column)


def _method(node: ast.Method) -> Compiled:
    target, args = _value(node.target), [_value(a) for a in node.args]
    lazy = LAZY_LIST.get(node.name)
    by_type = methods_named(node.name)

    def method(scope: Scope) -> Value:
        value = target(scope)
        if lazy is not None and isinstance(value, list):
            return lazy(value, node, scope, compiled)
        function = by_type.get(type(value))
        if function is not None:
            return function(value, [a(scope) for a in args], scope)
        return call_method(value, node, scope, [a(scope) for a in args])

    if lazy is None and all(isinstance(a, ast.Literal) for a in node.args):
        # Literal arguments (``value.startsWith("#")`` in a filter run per list item) are
        # the same for every call: a fresh list of them, without evaluating each again.
        constants = [a.value for a in node.args if isinstance(a, ast.Literal)]

        def literal_method(scope: Scope) -> Value:
            value = target(scope)
            function = by_type.get(type(value))
            if function is not None:
                return function(value, [*constants], scope)
            return call_method(value, node, scope, [*constants])

        return literal_method
    return method


def _name(name: str) -> Compiled:
    if name == "file":
        return lambda scope: FileValue(scope.row) if scope.row is not None else None
    if name in ("note", "formula"):
        return lambda scope: Namespace(name, scope.row)
    if name == "this":
        return lambda scope: Namespace("this", scope.this)

    def note_property(scope: Scope) -> Value:
        names = scope.locals
        if names and name in names:
            return names[name]
        row = scope.row
        return row.prop(name) if row is not None else None

    return note_property


def _property(space: Namespace, name: str, scope: Scope, column: int) -> Value:
    if space.kind == "formula":
        return scope.formula(scope, name, column)
    record = space.record
    if record is None:
        return None
    if space.kind == "this":
        if name == "file":
            return FileValue(record)
        if name == "note":
            return Namespace("note", record)
    return record.prop(name)


def _member(node: ast.Member) -> Compiled:
    name, column = node.name, node.column
    if isinstance(node.target, ast.Name) and node.target.name in ("note", "formula", "file"):
        kind = node.target.name
        if kind == "note":
            return lambda scope: scope.row.prop(name) if scope.row is not None else None
        if kind == "formula":
            return lambda scope: scope.formula(scope, name, column)
        return lambda scope: file_field(scope.row, name) if scope.row is not None else None
    target = _reference(node.target)

    def member(scope: Scope) -> Value:
        value = target(scope)
        if isinstance(value, Namespace):
            return _property(value, name, scope, column)
        return field_of(value, name, scope)

    return member


def _index(node: ast.Index) -> Compiled:
    target, key, column = _reference(node.target), _value(node.key), node.column

    def index(scope: Scope) -> Value:
        container, wanted = target(scope), key(scope)
        if isinstance(container, Namespace):
            return _property(container, to_text(wanted), scope, column)
        if isinstance(container, (list, str)) and isinstance(wanted, (int, float)) \
                and not isinstance(wanted, bool):
            position = int(wanted)
            if float(wanted).is_integer() and 0 <= position < len(container):
                return container[position]
            return None
        if isinstance(container, dict):
            return container.get(to_text(wanted))
        if isinstance(wanted, str):
            return field_of(container, wanted, scope)
        return None

    return index


def _call(node: ast.Call) -> Compiled:
    lazy = LAZY_GLOBALS.get(node.name)
    if lazy is not None:
        return lambda scope: lazy(node, scope, evaluate)
    function = GLOBALS.get(node.name)
    if function is None:
        raise ExpressionError(f"unknown function: {node.name}", node.column)
    args = [_value(a) for a in node.args]
    return lambda scope: function(node, scope, [a(scope) for a in args])


def _unary(node: ast.Unary) -> Compiled:
    operand, op = _value(node.operand), node.op
    if op == "!":
        return lambda scope: not truthy(operand(scope))

    def sign(scope: Scope) -> Value:
        value = operand(scope)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if op == "-" else value
        if isinstance(value, Duration) and op == "-":
            return -value
        return ErrorValue(op, f"cannot apply {op} to {to_text(value)}")

    return sign


_ORDERS: dict[str, Callable[[int], bool]] = {
    "<": lambda sign: sign < 0, ">": lambda sign: sign > 0,
    "<=": lambda sign: sign <= 0, ">=": lambda sign: sign >= 0,
}


def _binary(node: ast.Binary) -> Compiled:
    op, left, right = node.op, _value(node.left), _value(node.right)
    if op == "&&":
        return lambda scope: truthy(left(scope)) and truthy(right(scope))
    if op == "||":
        return lambda scope: truthy(left(scope)) or truthy(right(scope))
    if op == "==":
        return lambda scope: equal(left(scope), right(scope))
    if op == "!=":
        return lambda scope: not equal(left(scope), right(scope))
    if op in _ORDERS:
        test = _ORDERS[op]

        def compare(scope: Scope) -> Value:
            a, b = left(scope), right(scope)
            if isinstance(a, dt.date) and isinstance(b, str):
                b = _as_date(b)
            elif isinstance(b, dt.date) and isinstance(a, str):
                a = _as_date(a)
            sign = order(a, b)
            return False if sign is None else test(sign)

        return compare
    return lambda scope: arithmetic(op, left(scope), right(scope))


def _as_date(text: str) -> Value:
    return parse_date(text) or text


def _number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def arithmetic(op: str, left: Value, right: Value) -> Value:
    """``+ - * / %`` with Bases' rules for text, dates and durations. A missing operand
    makes the result missing, text joined to it included (``updated + "1M"`` is empty
    for a note without ``updated``, not ``"null1M"`` as JavaScript would have it)."""
    if isinstance(left, ErrorValue):
        return left
    if isinstance(right, ErrorValue):
        return right
    if left is None or right is None:
        return None
    if op == "+" and (isinstance(left, str) or isinstance(right, str)) \
            and not isinstance(left, dt.date) and not isinstance(right, dt.date):
        return to_text(left) + to_text(right)
    if _number(left) and _number(right):
        return _numbers(op, left, right)
    if isinstance(left, dt.date) and op in ("+", "-"):
        if isinstance(right, dt.date) and op == "-":
            return _whole(millis(left) - millis(right))
        duration = _duration(right)
        if duration is not None:
            return add(left, duration, 1 if op == "+" else -1)
        if isinstance(right, str):
            return ErrorValue("duration", f"not a duration: {right!r}")
    if isinstance(left, Duration):
        if isinstance(right, Duration) and op in ("+", "-"):
            return left + (right if op == "+" else -right)
        if isinstance(right, dt.date) and op == "+":
            return add(right, left)
        if _number(right) and op in ("*", "/"):
            return left.scaled(right if op == "*" else 1 / right) if right or op == "*" \
                else None
    if isinstance(left, list) and isinstance(right, list) and op == "+":
        return left + right
    return ErrorValue(op, f"cannot compute {to_text(left)} {op} {to_text(right)}")


def _duration(value: Value) -> Duration | None:
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return parse_duration(value)
    if _number(value):
        return Duration(milliseconds=value)
    return None


def _numbers(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            return math.nan if a == 0 else math.copysign(math.inf, a)
        return _whole(a / b) if isinstance(a, int) and isinstance(b, int) else a / b
    if b == 0:
        return math.nan
    return math.fmod(a, b)


def _whole(value: float) -> float:
    return int(value) if float(value).is_integer() else value
