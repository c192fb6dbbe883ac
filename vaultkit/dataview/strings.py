"""JavaScript's string and number semantics that Dataview's functions inherit: regular
expressions (run by the ``regex`` module under a time limit, so a catastrophic pattern in a
note's query fails its row instead of hanging a refresh), ``String.split`` with a RegExp,
``substring``, ``padStart``/``padEnd``, ``Math.round`` and ``toFixed``, ``parseFloat``."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from vaultkit.dataview.evaluate import EvalError
from vaultkit.lang.values import Value

#: Longest a regular expression in a query may run on one value, in seconds.
REGEX_TIMEOUT = 0.25


def compile_regex(pattern: str) -> Any:
    """``pattern`` compiled by the ``regex`` module (its searches take ``timeout=``)."""
    import regex

    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise EvalError(f"invalid regular expression {pattern!r}: {exc}") from None


def timed(call: Callable[[], Value]) -> Value:
    """``call()``, a regular expression that ran out of time becoming an EvalError."""
    try:
        return call()
    except TimeoutError:
        raise EvalError(f"regular expression ran longer than {REGEX_TIMEOUT}s") from None


def js_replacement(replacement: str) -> str:
    """A JavaScript replacement string (``$1``, ``$&``, ``$$``) for ``regex.sub``."""
    out = re.sub(r"\\", r"\\\\", replacement)
    out = re.sub(r"\$(\d+)", r"\\g<\1>", out)
    return out.replace("$&", r"\g<0>").replace("$$", "$")


def split(text: str, pattern: str, limit: float | None = None) -> list[str]:
    """JavaScript's ``String.split(RegExp)``: captures spliced in, an empty match at the
    start or where the last piece ended splits nothing, ``limit`` truncates."""
    regex = compile_regex(pattern)
    parts: list[str] = []
    start = position = 0
    while position < len(text):
        match = timed(functools.partial(regex.match, text, position, timeout=REGEX_TIMEOUT))
        if match is None or match.end() == start:
            position += 1
            continue
        parts.append(text[start:position])
        parts.extend(g or "" for g in match.groups())
        start = position = match.end()
    parts.append(text[start:])
    return parts if limit is None else parts[: max(0, int(limit))]


def js_round(value: float, places: float | None = None) -> float:
    """``Math.round`` (half up: ``round(-2.5)`` is -2) or ``parseFloat(n.toFixed(p))``
    (half up on the exact binary value: ``round(1.005, 2)`` is 1)."""
    if places is None or places <= 0:
        return math.floor(value + 0.5)
    quantum = Decimal(1).scaleb(-int(places))
    return float(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))


def number_of(text: str) -> Value:
    """``number("12.5%")``: the first number written in the text, or null."""
    match = re.search(r"-?[0-9]+(\.[0-9]+)?", text)
    if not match:
        return None
    value = float(match.group(0))
    return int(value) if value.is_integer() else value


def pad(text: str, length: float, padding: str, left: bool) -> str:
    """``padStart``/``padEnd``: ``padding`` repeated (and cut) up to ``length``."""
    missing = int(length) - len(text)
    if missing <= 0 or not padding:
        return text
    fill = (padding * (missing // len(padding) + 1))[:missing]
    return fill + text if left else text + fill


def substring(text: str, start: float, end: float | None = None) -> str:
    """JavaScript's ``substring``: negative or NaN bounds are 0, swapped when reversed."""
    length = len(text)
    a = min(max(int(start), 0), length)
    b = length if end is None else min(max(int(end), 0), length)
    return text[min(a, b):max(a, b)]


def js_split_join(text: str, joiner: str) -> str:
    """``"abc".split("").join(r)``: the replacement between every character."""
    return joiner.join(text)
