"""The global functions of the Bases documentation ("Functions", Global)."""

from __future__ import annotations

import datetime as dt
import html
import random
import re
from collections.abc import Callable
from typing import Any

from vaultkit.bases import ast
from vaultkit.bases.dates import parse_date, parse_duration
from vaultkit.bases.errors import ExpressionError
from vaultkit.bases.scope import Evaluate, Scope
from vaultkit.bases.values import (
    Duration,
    ErrorValue,
    FileValue,
    Link,
    Pattern,
    Rendered,
    millis,
    order,
    to_text,
    truthy,
)

Value = Any
Function = Callable[[ast.Call, Scope, list[Value]], Value]
LazyFunction = Callable[[ast.Call, Scope, Evaluate], Value]

_JS_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "u": 0, "y": 0, "d": 0}


def make_pattern(source: str, flags: str, column: int) -> Pattern:
    """A JavaScript regular expression as a Python one (the syntax people write in bases
    — classes, groups, quantifiers, ``\\d\\w\\s\\b`` — means the same in both)."""
    bits = 0
    for flag in flags:
        bits |= _JS_FLAGS.get(flag, 0)
    python = re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", source)
    try:
        return Pattern(re.compile(python, bits), "g" in flags, source)
    except re.error as exc:
        raise ExpressionError(f"invalid regular expression /{source}/: {exc.msg}",
                              column) from None


def _arity(node: ast.Call, args: list[Value], least: int, most: int | None = None) -> None:
    most = least if most is None else most
    if not least <= len(args) <= most:
        wanted = str(least) if least == most else f"{least} to {most}"
        raise ExpressionError(f"{node.name}() takes {wanted} argument(s), got {len(args)}",
                              node.column)


def _if(node: ast.Call, scope: Scope, evaluate: Evaluate) -> Value:
    if not 2 <= len(node.args) <= 3:
        raise ExpressionError("if() takes a condition, a result and an optional other result",
                              node.column)
    if truthy(evaluate(node.args[0], scope)):
        return evaluate(node.args[1], scope)
    return evaluate(node.args[2], scope) if len(node.args) == 3 else None


def _now(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 0)
    return scope.now


def _today(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 0)
    return scope.now.date()


def _date(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 1)
    value = args[0]
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        found = parse_date(value)
        return found if found is not None else ErrorValue("date", f"not a date: {value!r}")
    if value is None:
        return None
    return ErrorValue("date", f"not a date: {to_text(value)}")


def _duration(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 1)
    value = args[0]
    if isinstance(value, Duration) or value is None:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Duration(milliseconds=value)
    found = parse_duration(to_text(value))
    return found if found is not None else ErrorValue("duration", f"not a duration: {value!r}")


def _file(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 1)
    return file_of(args[0], scope)


def file_of(value: Value, scope: Scope) -> Value:
    """The file a file, link or path names, or null."""
    if isinstance(value, FileValue):
        return value
    if isinstance(value, Link):
        record = scope.files.by_path.get(value.path) if value.resolved else None
        return FileValue(record) if record is not None else None
    if isinstance(value, str):
        source = scope.row.path if scope.row is not None else None
        record = scope.files.find(value, source)
        return FileValue(record) if record is not None else None
    return None


def _link(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 1, 2)
    display = to_text(args[1]) if len(args) == 2 and args[1] is not None else None
    target = args[0]
    if isinstance(target, FileValue):
        return Link(target.path, display, resolved=True)
    if isinstance(target, Link):
        return Link(target.path, display or target.display, target.subpath,
                    resolved=target.resolved)
    if target is None:
        return None
    text = to_text(target)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return Link(text, display)
    source = scope.row.path if scope.row is not None else None
    return scope.files.parse_link(text, source, display)


def _list(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 1)
    return args[0] if isinstance(args[0], list) else [args[0]]


def _extreme(pick: int) -> Function:
    def extreme(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
        values = [a for a in (args[0] if len(args) == 1 and isinstance(args[0], list) else args)
                  if a is not None]
        best = None
        for value in values:
            if best is None or order(value, best) == pick:
                best = value
        return best

    return extreme


def _number(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 1)
    return to_number(args[0])


def to_number(value: Value) -> Value:
    """``number()``: dates as epoch milliseconds, booleans as 1/0, numeric text parsed;
    anything else is a cell error."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, dt.date):
        return millis(value)
    if isinstance(value, Duration):
        return value.millis()
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text) if text else 0.0
        except ValueError:
            return ErrorValue("number", f"not a number: {value!r}")
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if value is None:
        return None
    return ErrorValue("number", f"not a number: {to_text(value)}")


def _escape(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 1)
    return html.escape(to_text(args[0]), quote=True).replace("&#x27;", "&#39;")


def _rendered(kind: str) -> Function:
    def make(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
        _arity(node, args, 1)
        value = args[0]
        if value is None:
            return None
        if isinstance(value, (FileValue, Link)):
            return Rendered(kind, value.path)
        return Rendered(kind, to_text(value))

    return make


def _random(node: ast.Call, scope: Scope, args: list[Value]) -> Value:
    _arity(node, args, 0)
    return random.random()


GLOBALS: dict[str, Function] = {
    "now": _now, "today": _today, "date": _date, "duration": _duration, "file": _file,
    "link": _link, "list": _list, "max": _extreme(1), "min": _extreme(-1), "number": _number,
    "escapeHTML": _escape, "html": _rendered("html"), "icon": _rendered("icon"),
    "image": _rendered("image"), "random": _random,
}
LAZY_GLOBALS: dict[str, LazyFunction] = {"if": _if}
