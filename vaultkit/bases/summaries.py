"""The default summaries of a column ("Bases syntax", Default Summary Formulas; "Table
view", Built-in summaries). Custom ones are formulas over ``values`` (see the engine)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from vaultkit.bases.values import as_datetime, date_text, is_empty, millis, to_json

Value = Any


def _numbers(values: list[Value]) -> list[float]:
    return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)
            and not math.isnan(v)]


def _dates(values: list[Value]) -> list[dt.date]:
    return [v for v in values if isinstance(v, dt.date)]


def _whole(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def _or_none(function: Callable[[list[float]], float]) -> Callable[[list[Value]], Value]:
    def summary(values: list[Value]) -> Value:
        numbers = _numbers(values)
        return _whole(function(numbers)) if numbers else None

    return summary


def _median(ordered: list[float]) -> float:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _earliest(values: list[Value]) -> Value:
    dates = _dates(values)
    return min(dates, key=as_datetime) if dates else None


def _latest(values: list[Value]) -> Value:
    dates = _dates(values)
    return max(dates, key=as_datetime) if dates else None


def _range(values: list[Value]) -> Value:
    """Max − Min for numbers; Latest − Earliest in milliseconds for a column of dates."""
    numbers, dates = _numbers(values), _dates(values)
    if dates and not numbers:
        return _whole(millis(max(dates, key=as_datetime)) - millis(min(dates, key=as_datetime)))
    return _whole(max(numbers) - min(numbers)) if numbers else None


def _unique_key(value: Value) -> str:
    if isinstance(value, dt.date):
        return "date:" + date_text(as_datetime(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"number:{float(value)!r}"
    return f"{type(value).__name__}:{to_json(value)!r}"


def _unique(values: list[Value]) -> Value:
    return len({_unique_key(v) for v in values if not is_empty(v)})


#: Name → function of the column's values (one per row, nulls included).
DEFAULT_SUMMARIES: dict[str, Callable[[list[Value]], Value]] = {
    "Average": _or_none(lambda n: sum(n) / len(n)),
    "Min": _or_none(min),
    "Max": _or_none(max),
    "Sum": lambda values: _whole(sum(_numbers(values))),
    "Range": _range,
    "Median": _or_none(lambda n: _median(sorted(n))),
    "Stddev": _or_none(lambda n: math.sqrt(sum((x - sum(n) / len(n)) ** 2 for x in n) / len(n))),
    "Earliest": _earliest,
    "Latest": _latest,
    "Checked": lambda values: sum(1 for v in values if v is True),
    "Unchecked": lambda values: sum(1 for v in values if v is False),
    "Empty": lambda values: sum(1 for v in values if is_empty(v)),
    "Filled": lambda values: sum(1 for v in values if not is_empty(v)),
    "Unique": _unique,
}
