"""Fields and methods by the type of the value they apply to ("Functions": Any, Date, File,
Link, Object, Regular expression; strings, numbers and lists in their own modules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from vaultkit.bases import ast
from vaultkit.bases.dates import format_date, relative
from vaultkit.bases.errors import ExpressionError
from vaultkit.bases.files import FileRecord
from vaultkit.bases.functions import file_of
from vaultkit.bases.list_methods import LAZY_LIST, LIST
from vaultkit.bases.scope import Scope
from vaultkit.bases.text_methods import NUMBER, STRING
from vaultkit.bases.values import (
    Duration,
    ErrorValue,
    FileValue,
    Link,
    Pattern,
    is_empty,
    to_text,
    truthy,
    type_name,
)

Value = Any
Method = Callable[[Any, list[Value], Scope], Value]

_DATE_FIELDS = ("year", "month", "day", "hour", "minute", "second", "millisecond")


def file_field(record: FileRecord, name: str) -> Value:
    """``file.<name>``: Bases' file properties; an unknown name is null."""
    if name in ("name", "basename", "path", "folder", "ext"):
        return getattr(record, name)
    if name == "file":
        return FileValue(record)
    if name == "size":
        return record.size()
    if name == "ctime":
        return record.ctime()
    if name == "mtime":
        return record.mtime()
    if name == "properties":
        return dict(record.properties())
    if name == "tags":
        return ["#" + tag for tag in record.tags()]
    if name == "links":
        return record.links()
    if name == "embeds":
        return record.embeds()
    if name == "backlinks":
        return record.backlinks()
    return None


def field_of(target: Value, name: str, scope: Scope) -> Value:
    """``target.name`` for a value: a file's properties, a date's parts, a length, an
    object's key. Anything else, a missing value included, gives null."""
    if isinstance(target, FileValue):
        return file_field(target.record, name)
    if isinstance(target, dict):
        return target.get(name)
    if isinstance(target, (str, list)) and name == "length":
        return len(target)
    if isinstance(target, dt.date) and name in _DATE_FIELDS:
        if not isinstance(target, dt.datetime):
            return getattr(target, name) if name in ("year", "month", "day") else 0
        if name == "millisecond":
            return target.microsecond // 1000
        return getattr(target, name)
    if isinstance(target, Link) and name in ("path", "display"):
        return getattr(target, name)
    return None


def call_method(target: Value, node: ast.Method, scope: Scope, args: list[Value]) -> Value:
    """``target.name(args)`` with its arguments evaluated: the method of the target's type,
    else of any value (list methods taking an expression are the evaluator's)."""
    name = node.name
    if isinstance(target, ErrorValue):
        return target
    table = _TABLES.get(type_name(target))
    if table is not None and name in table:
        return table[name](target, args, scope)
    if name in ANY:
        return ANY[name](target, args, scope)
    if target is None:
        return None  # a missing property has no methods; the cell stays empty
    if name not in METHOD_NAMES:
        raise ExpressionError(f"unknown method: {name}", node.column)
    return ErrorValue(name, f"{type_name(target)} has no method {name}()")


def _plain(table: dict[str, Callable[[Any, list[Value]], Value]]) -> dict[str, Method]:
    """Methods that need no scope, given one."""

    def bound(function: Callable[[Any, list[Value]], Value]) -> Method:
        return lambda target, args, scope: function(target, args)

    return {name: bound(function) for name, function in table.items()}


def _is_type(value: Value, args: list[Value], scope: Scope) -> Value:
    wanted = to_text(args[0]).lower() if args else ""
    return type_name(value) == {"array": "list", "bool": "boolean", "text": "string",
                                "regex": "regexp"}.get(wanted, wanted)


ANY: dict[str, Method] = {
    "isTruthy": lambda v, a, s: truthy(v),
    "isType": _is_type,
    "toString": lambda v, a, s: to_text(v),
    "isEmpty": lambda v, a, s: is_empty(v),
}


def _date_only(value: dt.date, args: list[Value], scope: Scope) -> Value:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _time(value: dt.date, args: list[Value], scope: Scope) -> Value:
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M:%S")
    return "00:00:00"


DATE: dict[str, Method] = {
    "date": _date_only,
    "format": lambda d, a, s: format_date(d, to_text(a[0]) if a else "YYYY-MM-DDTHH:mm:ssZ"),
    "time": _time,
    "relative": lambda d, a, s: relative(d, s.now),
    "isEmpty": lambda d, a, s: False,
}


def _has_tag(file: FileValue, args: list[Value], scope: Scope) -> Value:
    tags = [t.lower() for t in file.record.tags()]
    for wanted in args:
        tag = to_text(wanted).lstrip("#").lower()
        if any(t == tag or t.startswith(tag + "/") for t in tags):
            return True
    return False


def _target_path(value: Value, scope: Scope, source: str) -> str | None:
    if isinstance(value, (FileValue, Link)):
        return value.path
    if isinstance(value, str):
        return scope.files.parse_link(value, source).path
    return None


def _has_link(file: FileValue, args: list[Value], scope: Scope) -> Value:
    if not args:
        return False
    wanted = _target_path(args[0], scope, file.path)
    return wanted is not None and wanted in file.record.link_paths()


def _in_folder(file: FileValue, args: list[Value], scope: Scope) -> Value:
    folder = to_text(args[0]).strip("/") if args else ""
    return not folder or file.path.startswith(folder + "/")


def _as_link(file: FileValue, args: list[Value], scope: Scope) -> Value:
    display = to_text(args[0]) if args and args[0] is not None else None
    return Link(file.path, display, resolved=True)


FILE: dict[str, Method] = {
    "asLink": _as_link,
    "hasLink": _has_link,
    "hasProperty": lambda f, a, s: bool(a) and to_text(a[0]) in f.record.properties(),
    "hasTag": _has_tag,
    "inFolder": _in_folder,
    "isEmpty": lambda f, a, s: False,
}


def _links_to(link: Link, args: list[Value], scope: Scope) -> Value:
    source = file_of(link, scope)
    if not isinstance(source, FileValue) or not args:
        return False
    wanted = _target_path(args[0], scope, source.path)
    return wanted is not None and wanted in source.record.link_paths()


LINK: dict[str, Method] = {
    "asFile": lambda link, a, s: file_of(link, s),
    "linksTo": _links_to,
    "isEmpty": lambda link, a, s: False,
}

OBJECT: dict[str, Method] = {
    "isEmpty": lambda o, a, s: len(o) == 0,
    "keys": lambda o, a, s: list(o),
    "values": lambda o, a, s: list(o.values()),
}


def _matches(pattern: Pattern, args: list[Value], scope: Scope) -> Value:
    return bool(args) and pattern.regex.search(to_text(args[0])) is not None


REGEXP: dict[str, Method] = {"matches": _matches}

DURATION: dict[str, Method] = {
    "isEmpty": lambda d, a, s: False,
}

_TABLES: dict[str, dict[str, Method]] = {
    "string": _plain(STRING), "number": _plain(NUMBER), "list": _plain(LIST),
    "date": DATE, "file": FILE, "link": LINK, "object": OBJECT, "regexp": REGEXP,
    "duration": DURATION,
}

#: Every method name, for checking a base before it runs.
METHOD_NAMES: frozenset[str] = frozenset(
    {n for t in _TABLES.values() for n in t} | set(ANY) | set(LAZY_LIST))

_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "number": (int, float), "list": (list,), "date": (dt.date, dt.datetime),
    "file": (FileValue,), "link": (Link,), "object": (dict,), "regexp": (Pattern,),
    "duration": (Duration,), "boolean": (bool,), "null": (type(None),),
}


def methods_named(name: str) -> dict[type, Method]:
    """The method ``name`` for each Python type of value that has it (its type's own, else
    the one every value has): what the evaluator looks up by ``type(value)``."""
    found: dict[type, Method] = {}
    for kind, types in _PYTHON_TYPES.items():
        method = _TABLES.get(kind, {}).get(name) or ANY.get(name)
        if method is not None:
            for python_type in types:
                found[python_type] = method
    return found
