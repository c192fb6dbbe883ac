"""Evaluate an expression tree for one row: operators, property references, calls."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from vaultkit.bases import ast
from vaultkit.bases.dates import add, parse_duration
from vaultkit.bases.errors import ExpressionError
from vaultkit.bases.files import FileRecord
from vaultkit.bases.functions import GLOBALS, LAZY_GLOBALS
from vaultkit.bases.methods import call_method, field_of
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


def evaluate(node: ast.Node, scope: Scope) -> Value:
    """The value of ``node`` for ``scope``'s row; :class:`ExpressionError` for an error that
    makes the whole expression meaningless (an unknown function, a bad regex)."""
    value = _reference(node, scope)
    if isinstance(value, Namespace):
        # ``this`` on its own is the embedding file (``author == this``); ``note`` is the
        # row's properties.
        if value.record is None:
            return None
        if value.kind == "this":
            return FileValue(value.record)
        if value.kind == "note":
            return dict(value.record.properties())
        return None
    return value


def _reference(node: ast.Node, scope: Scope) -> Value:
    """:func:`evaluate`, except that ``note``, ``formula`` and ``this`` stay namespaces for
    the member or index applied to them."""
    kind = type(node)
    if kind is ast.Literal:
        return node.value  # type: ignore[attr-defined]
    if kind is ast.Name:
        return _name(node.name, scope)  # type: ignore[attr-defined]
    if kind is ast.Member:
        return _member(node, scope)  # type: ignore[arg-type]
    if kind is ast.Binary:
        return _binary(node, scope)  # type: ignore[arg-type]
    if kind is ast.Method:
        assert isinstance(node, ast.Method)
        return call_method(evaluate(node.target, scope), node, scope, evaluate)
    if kind is ast.Call:
        assert isinstance(node, ast.Call)
        return _call(node, scope)
    if kind is ast.Unary:
        return _unary(node, scope)  # type: ignore[arg-type]
    if kind is ast.Index:
        return _index(node, scope)  # type: ignore[arg-type]
    if kind is ast.ListOf:
        return [evaluate(item, scope) for item in node.items]  # type: ignore[attr-defined]
    if kind is ast.ObjectOf:
        return {k: evaluate(v, scope) for k, v in node.pairs}  # type: ignore[attr-defined]
    if kind is ast.Regex:
        from vaultkit.bases.functions import make_pattern

        assert isinstance(node, ast.Regex)
        return make_pattern(node.pattern, node.flags, node.column)
    raise ExpressionError(f"cannot evaluate {kind.__name__}", node.column)


def _name(name: str, scope: Scope) -> Value:
    if name in scope.locals:
        return scope.locals[name]
    if name == "file":
        return FileValue(scope.row) if scope.row is not None else None
    if name in ("note", "formula"):
        return Namespace(name, scope.row)
    if name == "this":
        return Namespace("this", scope.this)
    return scope.row.prop(name) if scope.row is not None else None


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


def _member(node: ast.Member, scope: Scope) -> Value:
    target = _reference(node.target, scope)
    if isinstance(target, Namespace):
        return _property(target, node.name, scope, node.column)
    return field_of(target, node.name, scope)


def _index(node: ast.Index, scope: Scope) -> Value:
    target = _reference(node.target, scope)
    key = evaluate(node.key, scope)
    if isinstance(target, Namespace):
        return _property(target, to_text(key), scope, node.column)
    if isinstance(target, (list, str)) and isinstance(key, (int, float)) \
            and not isinstance(key, bool):
        position = int(key)
        return target[position] if float(key).is_integer() and 0 <= position < len(target) \
            else None
    if isinstance(target, dict):
        return target.get(to_text(key))
    if isinstance(key, str):
        return field_of(target, key, scope)
    return None


def _call(node: ast.Call, scope: Scope) -> Value:
    lazy = LAZY_GLOBALS.get(node.name)
    if lazy is not None:
        return lazy(node, scope, evaluate)
    function = GLOBALS.get(node.name)
    if function is None:
        raise ExpressionError(f"unknown function {node.name}()", node.column)
    return function(node, scope, [evaluate(a, scope) for a in node.args])


def _unary(node: ast.Unary, scope: Scope) -> Value:
    value = evaluate(node.operand, scope)
    if node.op == "!":
        return not truthy(value)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return -value if node.op == "-" else value
    if isinstance(value, Duration) and node.op == "-":
        return -value
    return ErrorValue(node.op, f"cannot apply {node.op} to {to_text(value)}")


def _binary(node: ast.Binary, scope: Scope) -> Value:
    op = node.op
    if op == "&&":
        return truthy(evaluate(node.left, scope)) and truthy(evaluate(node.right, scope))
    if op == "||":
        return truthy(evaluate(node.left, scope)) or truthy(evaluate(node.right, scope))
    left, right = evaluate(node.left, scope), evaluate(node.right, scope)
    if op == "==":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    if op in ("<", ">", "<=", ">="):
        if isinstance(left, dt.date) and isinstance(right, str):
            right = _as_date(right)
        elif isinstance(right, dt.date) and isinstance(left, str):
            left = _as_date(left)
        sign = order(left, right)
        if sign is None:
            return False
        return {"<": sign < 0, ">": sign > 0, "<=": sign <= 0, ">=": sign >= 0}[op]
    return arithmetic(op, left, right)


def _as_date(text: str) -> Value:
    from vaultkit.bases.dates import parse_date

    return parse_date(text) or text


def _number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def arithmetic(op: str, left: Value, right: Value) -> Value:
    """``+ - * / %`` with Bases' rules for text, dates and durations; a missing operand
    makes the result missing."""
    if op == "+" and (isinstance(left, str) or isinstance(right, str)) \
            and not isinstance(left, dt.date) and not isinstance(right, dt.date):
        return to_text(left) + to_text(right)
    if isinstance(left, ErrorValue):
        return left
    if isinstance(right, ErrorValue):
        return right
    if left is None or right is None:
        return None
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
