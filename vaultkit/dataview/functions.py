"""Dataview's function library, after ``src/expression/functions.ts``.

Each function is a list of variants keyed by argument types (``"*"`` matches any type) and
optional *vectorisation*: when an argument at a vectorised position is a list, the function
maps over it (``lower(["A", "B"])`` is ``["a", "b"]``). The first matching variant wins; no
match is an :class:`~vaultkit.dataview.evaluate.EvalError` for that row. Regular
expressions run under the ``regex`` module with a time limit, so a pathological pattern in
a note cannot hang a refresh.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from vaultkit.dataview.evaluate import Context, EvalError, arithmetic
from vaultkit.dataview.strings import (
    REGEX_TIMEOUT,
    compile_regex,
    js_replacement,
    js_round,
    js_split_join,
    number_of,
    pad,
    split,
    substring,
    timed,
)
from vaultkit.lang import dates
from vaultkit.lang.literals import parse_date, parse_duration
from vaultkit.lang.values import (
    Duration,
    Link,
    Value,
    compare,
    equal,
    sort_key,
    to_text,
    truthy,
    type_name,
)

Impl = Callable[..., Value]
Variant = tuple[tuple[str, ...] | None, Impl]  # None: varargs


class Function:
    """One Dataview function: typed variants plus vectorised argument positions."""

    def __init__(self, name: str, variants: list[Variant],
                 vectorize: dict[int, tuple[int, ...]] | None = None) -> None:
        self.name = name
        self.variants = variants
        self.vectorize = vectorize or {}

    def __call__(self, *args: Value) -> Value:
        types = [type_name(a) for a in args]
        positions = [p for p in self.vectorize.get(len(args), ()) if types[p] == "array"]
        if positions:
            length = min(len(args[p]) for p in positions)
            return [self(*[a[i] if p in positions else a for p, a in enumerate(args)])
                    for i in range(length)]
        for signature, impl in self.variants:
            if signature is None:
                return impl(*args)
            if len(signature) == len(types) and all(
                    s in ("*", t) for s, t in zip(signature, types, strict=True)):
                return impl(*args)
        raise EvalError(f"No implementation of '{self.name}' found for arguments: "
                        f"{', '.join(types)}")


def _fn(name: str, *variants: Variant, vectorize: dict[int, tuple[int, ...]] | None = None
        ) -> Function:
    return Function(name, list(variants), vectorize)


def _null(*_: Value) -> None:
    return None


def _flat(items: list[Value], depth: float = 1) -> list[Value]:
    out: list[Value] = []
    for item in items:
        if isinstance(item, list) and depth >= 1:
            out.extend(_flat(item, depth - 1))
        else:
            out.append(item)
    return out


def _unique(items: list[Value]) -> list[Value]:
    """Distinct values, sorted (Dataview's ``DataArray.distinct`` sorts first)."""
    out: list[Value] = []
    for item in sorted(items, key=sort_key):
        if not any(equal(item, seen) for seen in out):
            out.append(item)
    return out


def build_functions(context: Context) -> dict[str, Impl]:
    """Every DQL function, bound to ``context`` (links resolve from the query's note)."""

    def resolve(target: str) -> Link:
        path = context.pages.resolve(target, context.origin)
        return Link(path or target, resolved=path is not None)

    def contains(exact: bool, fold: bool) -> Function:
        def in_list(items: list[Value], needle: Value) -> bool:
            if exact:
                return any(equal(needle, item) for item in items)
            return any(truthy(func(item, needle)) for item in items)

        def in_text(hay: str, needle: str) -> bool:
            return needle.lower() in hay.lower() if fold else needle in hay

        func = _fn("contains", (("array", "*"), in_list), (("string", "string"), in_text),
                   (("object", "string"), lambda obj, key: key in obj),
                   (("*", "*"), equal), vectorize={2: (1,)})
        return func

    def date_of(value: Value, fmt: Value = None) -> Value:
        if fmt is not None:
            if fmt in ("x", "X"):
                number = number_of(value)
                if number is None:
                    raise EvalError(f"not a number for format {fmt}: {value}")
                return dt.datetime.fromtimestamp(number / (1 if fmt == "X" else 1000))
            parsed = dates.parse_format(value, fmt)
            if parsed is None:
                raise EvalError(f"can't handle format ({fmt}) on date string ({value})")
            return parsed
        text = value.strip()
        found = parse_date(text)
        if found and found[1] == len(text):
            return found[0]
        return dates.shorthand(text, context.now)

    def date_of_link(link: Link) -> Value:
        for text in (link.display, link.path):
            if text:
                found = parse_date(text)
                if found and found[1] == len(text):
                    return found[0]
        row = context.resolve_link(link)
        day = row["file"].get("day") if row else None
        return day

    def dur_of(text: str) -> Value:
        text = text.strip()
        found = parse_duration(text)
        return found[0] if found and found[1] == len(text) else None

    def minimum(*args: Value) -> Value:
        return _extreme(args, lambda c: c <= 0)

    def maximum(*args: Value) -> Value:
        return _extreme(args, lambda c: c > 0)

    def _extreme(args: tuple[Value, ...], keep_first: Callable[[int], bool]) -> Value:
        if len(args) == 1 and isinstance(args[0], list):
            args = tuple(args[0])
        best: Value = None
        for index, value in enumerate(args):
            if index == 0:
                best = value
            elif value is None:
                continue
            elif best is None or not keep_first(compare(best, value)):
                best = value
        return best

    def by(pick: Callable[[int], bool]) -> Callable[[list[Value], Callable[..., Value]], Value]:
        def choose(items: list[Value], key: Callable[..., Value]) -> Value:
            if not items:
                return None
            mapped = [(v, key(v)) for v in items]
            mapped = [m for m in mapped if m[1] is not None]
            if not mapped:
                return items[0]
            best = mapped[0]
            for candidate in mapped[1:]:
                if not pick(compare(best[1], candidate[1])):
                    best = candidate
            return best[0]
        return choose

    def reduce_op(items: list[Value], op: str) -> Value:
        if not items:
            return None
        if op not in ("+", "-", "*", "/", "&", "|"):
            raise EvalError("reduce(array, op) supports '+', '-', '/', '*', '&', and '|'")
        value = items[0]
        for item in items[1:]:
            if op in "&|":
                value = (truthy(value) and truthy(item)) if op == "&" else (
                    truthy(value) or truthy(item))
            else:
                value = arithmetic(op, value, item)
        return value

    def reduce_fn(items: list[Value], func: Callable[..., Value]) -> Value:
        if not items:
            return None
        value = items[0]
        for item in items[1:]:
            if item is not None:
                value = func(value, item)
        return value

    def average(items: list[Value]) -> Value:
        if not items:
            return None
        total = reduce_op(items, "+")
        return None if total is None else arithmetic("/", total, len(items))

    def sort_list(items: list[Value], key: Callable[..., Value] | None = None) -> list[Value]:
        if key is None:
            return sorted(items, key=sort_key)
        return sorted(items, key=lambda v: sort_key(key(v)))

    def regextest(pattern: str, text: str) -> bool:
        return bool(timed(lambda: compile_regex(pattern).search(text, timeout=REGEX_TIMEOUT)))

    def regexmatch(pattern: str, text: str) -> bool:
        if not pattern.startswith("^") and not pattern.endswith("$"):
            pattern = "^" + pattern + "$"
        return bool(timed(lambda: compile_regex(pattern).search(text, timeout=REGEX_TIMEOUT)))

    def regexreplace(text: str, pattern: str, replacement: str) -> str:
        return str(timed(lambda: compile_regex(pattern).sub(
            js_replacement(replacement), text, timeout=REGEX_TIMEOUT)))

    def truncate(text: str, length: float, suffix: str = "...") -> str:
        if len(text) > length - len(suffix):
            return text[: max(0, int(length - len(suffix)))] + suffix
        return text

    def display(value: Value) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return ", ".join(display(v) for v in value)
        if isinstance(value, Link):
            return value.display if value.display else value.title()
        if isinstance(value, str):
            return re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]|[*_`~]", lambda m: m.group(1) or "",
                          value)
        return to_text(value)

    def make_object(*args: Value) -> dict[str, Value]:
        if len(args) % 2:
            raise EvalError("object() requires an even number of arguments")
        out = {}
        for key, value in zip(args[::2], args[1::2], strict=True):
            if not isinstance(key, str):
                raise EvalError("keys should be of type string for object(key1, value1, ...)")
            out[key] = value
        return out

    def extract(obj: Value, *keys: Value) -> Value:
        if isinstance(obj, list):
            return [extract(v, *keys) for v in obj]
        out = {}
        for key in keys:
            if not isinstance(key, str):
                raise EvalError("extract(object, key1, ...) must be called with string keys")
            out[key] = obj.get(key) if isinstance(obj, dict) else None
        return out

    def striptime(value: dt.date) -> dt.date:
        return value.date() if isinstance(value, dt.datetime) else value

    def meta(link: Link) -> dict[str, Value]:
        return {"display": link.display, "embed": link.embed, "path": link.written or link.path,
                "subpath": link.subpath, "type": link.kind}

    def duration_format(value: Duration, pattern: str) -> str:
        parts = {"y": value.years, "M": value.months, "w": value.weeks, "d": value.days,
                 "h": value.hours, "m": value.minutes, "s": value.seconds,
                 "S": value.milliseconds}
        return re.sub(r"'([^']*)'|([yMwdhmsS])\2*", lambda m: m.group(1) if m.group(1)
                      is not None else str(int(parts[m.group(2)])).zfill(len(m.group(0))),
                      pattern)

    null1: Variant = (("null",), _null)
    functions: dict[str, Function | Impl] = {
        "typeof": lambda value: type_name(value),
        "length": _fn("length", (("array",), len), (("object",), len), (("string",), len),
                      (("null",), lambda _: 0)),
        "list": lambda *args: list(args),
        "array": lambda *args: list(args),
        "object": make_object,
        "link": _fn("link", (("string",), resolve), (("link",), lambda link: link), null1,
                    (("string", "string"), lambda t, d: _with(resolve(t), display=d)),
                    (("string", "string", "boolean"),
                     lambda t, d, e: _with(resolve(t), display=d, embed=e)),
                    (("link", "string"), lambda link, d: _with(link, display=d)),
                    (("null", "*"), _null),
                    (("*", "null"), lambda t, _: functions["link"](t)),
                    vectorize={1: (0,), 2: (0, 1)}),
        "embed": _fn("embed", (("link",), lambda link: _with(link, embed=True)),
                     (("link", "boolean"), lambda link, e: _with(link, embed=e)), null1,
                     (("null", "*"), _null), (("*", "null"), _null),
                     vectorize={1: (0,), 2: (0, 1)}),
        "date": _fn("date", (("string",), date_of), (("date",), lambda d: d),
                    (("link",), date_of_link), (("string", "string"), date_of),
                    (("null", "string"), _null), null1, vectorize={1: (0,)}),
        "dur": _fn("dur", (("string",), dur_of), (("duration",), lambda d: d), null1,
                   vectorize={1: (0,)}),
        "number": _fn("number", (("number",), lambda n: n), (("string",), number_of), null1,
                      vectorize={1: (0,)}),
        "string": lambda value: to_text(value),
        "round": _fn("round", (("number",), js_round), null1,
                     (("number", "number"), js_round),
                     (("number", "null"), lambda n, _: js_round(n)), (("null", "*"), _null),
                     vectorize={1: (0,), 2: (0,)}),
        "trunc": _fn("trunc", (("number",), math.trunc), null1, vectorize={1: (0,)}),
        "floor": _fn("floor", (("number",), math.floor), null1, vectorize={1: (0,)}),
        "ceil": _fn("ceil", (("number",), math.ceil), null1, vectorize={1: (0,)}),
        "min": minimum,
        "max": maximum,
        "minby": _fn("minby", (("array", "function"), by(lambda c: c <= 0)),
                     (("null", "function"), _null)),
        "maxby": _fn("maxby", (("array", "function"), by(lambda c: c > 0)),
                     (("null", "function"), _null)),
        "sum": _fn("sum", (("array",), lambda a: reduce_op(a, "+")), (("*",), lambda e: e)),
        "product": _fn("product", (("array",), lambda a: reduce_op(a, "*")),
                       (("*",), lambda e: e)),
        "average": _fn("average", (("array",), average), (("*",), lambda e: e)),
        "reduce": _fn("reduce", (("array", "string"), reduce_op),
                      (("array", "function"), reduce_fn), (("null", "*"), _null),
                      (("*", "null"), _null), vectorize={2: (1,)}),
        "contains": contains(exact=False, fold=False),
        "icontains": contains(exact=False, fold=True),
        "econtains": contains(exact=True, fold=False),
        "containsword": _fn("containsword", (("string", "string"), lambda h, n: re.search(
            r"\b" + re.escape(n) + r"\b", h, re.I) is not None), (("null", "*"), _null),
            (("*", "null"), _null), vectorize={2: (0, 1)}),
        "extract": extract,
        "sort": _fn("sort", (("array",), sort_list), (("array", "function"), sort_list),
                    (("*",), lambda e: e)),
        "reverse": _fn("reverse", (("array",), lambda a: a[::-1]),
                       (("string",), lambda s: s[::-1]), (("*",), lambda e: e)),
        "nonnull": _fn("nonnull", (("array",), lambda a: [v for v in a if v is not None]),
                       (None, lambda *a: [v for v in a if v is not None])),
        "firstvalue": _fn("firstvalue", (("array",), lambda a: next(
            (v for v in a if v is not None), None)), null1),
        "all": _fn("all", (("array",), lambda a: all(truthy(v) for v in a)),
                   (("array", "function"), lambda a, f: all(truthy(f(v)) for v in a)),
                   (None, lambda *a: all(truthy(v) for v in a))),
        "any": _fn("any", (("array",), lambda a: any(truthy(v) for v in a)),
                   (("array", "function"), lambda a, f: any(truthy(f(v)) for v in a)),
                   (None, lambda *a: any(truthy(v) for v in a))),
        "none": _fn("none", (("array",), lambda a: not any(truthy(v) for v in a)),
                    (("array", "function"), lambda a, f: not any(truthy(f(v)) for v in a)),
                    (None, lambda *a: not any(truthy(v) for v in a))),
        "join": _fn("join", (("array", "string"), lambda a, s: s.join(to_text(v) for v in a)),
                    (("array", "null"), lambda a, _: ", ".join(to_text(v) for v in a)),
                    (("*", "string"), lambda e, _: to_text(e)),
                    (("array",), lambda a: ", ".join(to_text(v) for v in a)),
                    (("*",), to_text), vectorize={2: (1,)}),
        "filter": _fn("filter", (("array", "function"),
                                 lambda a, f: [v for v in a if truthy(f(v))]),
                      (("null", "*"), _null)),
        "map": _fn("map", (("array", "function"), lambda a, f: [f(v) for v in a]),
                   (("null", "*"), _null)),
        "flat": _fn("flat", (("array",), _flat), (("array", "number"), _flat), null1),
        "slice": _fn("slice", (("array",), lambda a: list(a)),
                     (("array", "number"), lambda a, s: a[int(s):]),
                     (("array", "number", "number"), lambda a, s, e: a[int(s):int(e)]), null1),
        "unique": _fn("unique", (("array",), _unique), null1),
        "regextest": _fn("regextest", (("string", "string"), regextest),
                         (("null", "*"), lambda *_: False), (("*", "null"), lambda *_: False),
                         vectorize={2: (0, 1)}),
        "regexmatch": _fn("regexmatch", (("string", "string"), regexmatch),
                          (("null", "*"), lambda *_: False), (("*", "null"), lambda *_: False),
                          vectorize={2: (0, 1)}),
        "regexreplace": _fn("regexreplace", (("string", "string", "string"), regexreplace),
                            (("null", "*", "*"), _null), (("*", "null", "*"), _null),
                            (("*", "*", "null"), _null), vectorize={3: (0, 1, 2)}),
        "replace": _fn("replace", (("string", "string", "string"),
                                   lambda s, p, r: r.join(s.split(p)) if p else js_split_join(
                                       s, r)),
                       (("null", "*", "*"), _null), (("*", "null", "*"), _null),
                       (("*", "*", "null"), _null), vectorize={3: (0, 1, 2)}),
        "lower": _fn("lower", (("string",), str.lower), null1, vectorize={1: (0,)}),
        "upper": _fn("upper", (("string",), str.upper), null1, vectorize={1: (0,)}),
        "split": _fn("split", (("string", "string"), split),
                     (("string", "string", "number"), split), (("null", "*"), _null),
                     (("*", "null"), _null), (("*", "*", "null"), _null),
                     (("*", "null", "*"), _null), (("null", "*", "*"), _null)),
        "startswith": _fn("startswith", (("string", "string"), str.startswith),
                          (("null", "*"), _null), (("*", "null"), _null),
                          vectorize={2: (0, 1)}),
        "endswith": _fn("endswith", (("string", "string"), str.endswith),
                        (("null", "*"), _null), (("*", "null"), _null), vectorize={2: (0, 1)}),
        "padleft": _fn("padleft", (("string", "number"), lambda s, n: s.rjust(int(n))),
                       (("string", "number", "string"), lambda s, n, p: pad(s, n, p, True)),
                       (("null", "*"), _null), (("*", "null"), _null),
                       vectorize={2: (0, 1), 3: (0, 1, 2)}),
        "padright": _fn("padright", (("string", "number"), lambda s, n: s.ljust(int(n))),
                        (("string", "number", "string"), lambda s, n, p: pad(s, n, p, False)),
                        (("null", "*"), _null), (("*", "null"), _null),
                        vectorize={2: (0, 1), 3: (0, 1, 2)}),
        "substring": _fn("substring", (("string", "number"), lambda s, a: substring(s, a)),
                         (("string", "number", "number"), substring),
                         (("null", "*"), _null), (("*", "null"), _null),
                         (("null", "*", "*"), _null), (("*", "null", "*"), _null),
                         (("*", "*", "null"), _null), vectorize={2: (0, 1), 3: (0, 1, 2)}),
        "truncate": _fn("truncate", (("string", "number", "string"), truncate),
                        (("string", "number"), truncate), (("null", "*"), _null),
                        (("*", "null"), _null), vectorize={2: (0, 1), 3: (0, 1, 2)}),
        "default": _fn("default", (("*", "*"), lambda v, d: d if v is None else v),
                       vectorize={2: (0, 1)}),
        "ldefault": _fn("ldefault", (("*", "*"), lambda v, d: d if v is None else v)),
        "display": display,
        "choice": _fn("choice", (("*", "*", "*"), lambda c, a, b: a if truthy(c) else b),
                      vectorize={3: (0,)}),
        "striptime": _fn("striptime", (("date",), striptime), null1, vectorize={1: (0,)}),
        "dateformat": _fn("dateformat", (("date", "string"), dates.format),
                          (("null", "string"), _null), vectorize={2: (0,)}),
        "durationformat": _fn("durationformat", (("duration", "string"), duration_format),
                              (("null", "string"), _null), vectorize={2: (0,)}),
        "localtime": _fn("localtime", (("date",), lambda d: d), null1, vectorize={1: (0,)}),
        "meta": _fn("meta", (("link",), meta)),
    }
    return dict(functions)


def _with(link: Link, **changes: Any) -> Link:
    return dataclasses.replace(link, **changes)
