"""Methods of strings and numbers ("Functions": String type, Number type)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from vaultkit.bases.values import ErrorValue, Pattern, number_text, to_text

Value = Any
Method = Callable[[Any, list[Value]], Value]


def _texts(args: list[Value]) -> list[str]:
    return [to_text(a) for a in args]


def _replace(text: str, args: list[Value]) -> Value:
    pattern, replacement = args[0], to_text(args[1]) if len(args) > 1 else "undefined"
    if isinstance(pattern, Pattern):
        # JavaScript's $1, $2 and $& are \1, \2 and \g<0> to Python.
        python = re.sub(r"\$(\d+)|\$&|\\", lambda m: "\\\\" if m.group(0) == "\\" else (
            f"\\g<{m.group(1)}>" if m.group(1) else "\\g<0>"), replacement)
        return pattern.regex.sub(python, text, count=0 if pattern.global_ else 1)
    return text.replace(to_text(pattern), replacement)


def _split(text: str, args: list[Value]) -> Value:
    separator = args[0] if args else None
    if separator is None:
        parts = [text]
    elif isinstance(separator, Pattern):
        parts = separator.regex.split(text)
    elif separator == "":
        parts = list(text)
    else:
        parts = text.split(to_text(separator))
    if len(args) > 1 and isinstance(args[1], (int, float)):
        parts = parts[:max(0, int(args[1]))]
    return parts


def _slice(value: Any, args: list[Value]) -> Value:
    start = int(args[0]) if args and args[0] is not None else 0
    end = int(args[1]) if len(args) > 1 and args[1] is not None else None
    return value[start:end]


def _title(text: str) -> str:
    return re.sub(r"\S+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), text)


STRING: dict[str, Method] = {
    "contains": lambda s, a: to_text(a[0]) in s,
    "containsAll": lambda s, a: all(t in s for t in _texts(a)),
    "containsAny": lambda s, a: any(t in s for t in _texts(a)),
    "startsWith": lambda s, a: s.startswith(to_text(a[0])),
    "endsWith": lambda s, a: s.endswith(to_text(a[0])),
    "isEmpty": lambda s, a: len(s) == 0,
    "lower": lambda s, a: s.lower(),
    "upper": lambda s, a: s.upper(),
    "title": lambda s, a: _title(s),
    "trim": lambda s, a: s.strip(),
    "replace": _replace,
    "repeat": lambda s, a: s * max(0, int(a[0])),
    "reverse": lambda s, a: s[::-1],
    "slice": _slice,
    "split": _split,
}


def js_round(value: float, digits: int = 0) -> float:
    """JavaScript's ``Math.round`` (halves go up) at ``digits`` decimal places."""
    scale = 10 ** digits
    result = math.floor(value * scale + 0.5) / scale
    return int(result) if digits == 0 or result.is_integer() else round(result, digits)


def to_fixed(value: float, digits: int) -> str:
    """``Number.prototype.toFixed``: rounding the exact binary value, halves away from zero."""
    if math.isnan(value) or math.isinf(value):
        return number_text(value)
    quantum = Decimal(1).scaleb(-digits)
    text = str(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))
    return "0" + text[2:] if text.startswith("-0") and set(text[1:]) <= set("0.") else text


def _round(n: float, a: list[Value]) -> Value:
    digits = int(a[0]) if a and isinstance(a[0], (int, float)) else 0
    return js_round(n, digits)


def _to_fixed(n: float, a: list[Value]) -> Value:
    digits = int(a[0]) if a and isinstance(a[0], (int, float)) else 0
    if not 0 <= digits <= 100:
        return ErrorValue("toFixed", "precision out of range")
    return to_fixed(n, digits)


def _whole(value: float) -> float:
    return int(value) if float(value).is_integer() else value


NUMBER: dict[str, Method] = {
    "abs": lambda n, a: abs(n),
    "ceil": lambda n, a: _whole(math.ceil(n)) if math.isfinite(n) else n,
    "floor": lambda n, a: _whole(math.floor(n)) if math.isfinite(n) else n,
    "round": _round,
    "toFixed": _to_fixed,
    "isEmpty": lambda n, a: False,
}
