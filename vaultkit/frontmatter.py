"""Frontmatter: loaded safely, made JSON-friendly, and read for aliases, tags and links.

PyYAML implements YAML 1.1, so ``no:`` is a boolean key and ``0123`` an octal number;
such values are kept, converted to JSON types, never a crash. Aliases that expand
into huge structures ("billion laughs") are cut off by a node budget.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from .errors import Problem

NODE_BUDGET = 100_000
_WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")


class _TooLarge(Exception):
    pass


def load_frontmatter(raw: str, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """Parse the YAML between the ``---`` fences (``raw`` excludes them; it starts on line 2)."""
    try:
        data = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [Problem(path, line, f"invalid frontmatter YAML: {problem}")]
    except RecursionError:
        return {}, [Problem(path, 2, "invalid frontmatter YAML: nested too deeply")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Problem(path, 2, "frontmatter is not a mapping of properties")]
    try:
        budget = [NODE_BUDGET]
        return {str(k): _jsonable(v, budget) for k, v in data.items()}, []
    except (_TooLarge, RecursionError):
        return {}, [Problem(path, 2, "frontmatter expands to too many values (YAML alias bomb?)")]


def _jsonable(value: Any, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(value, dict):
        return {_key(k): _jsonable(v, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v, budget) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key) if not isinstance(key, str) else key


def string_list(value: Any, *, split: str | None = None) -> list[str]:
    """A property that may be written as a list or as one string."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(split, value) if split else [value]
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


def frontmatter_tags(data: dict[str, Any]) -> list[str]:
    raw = data.get("tags", data.get("tag"))
    return [t.lstrip("#") for t in string_list(raw, split=r"[,\s]+") if t.lstrip("#")]


def frontmatter_aliases(data: dict[str, Any]) -> list[str]:
    return string_list(data.get("aliases", data.get("alias")), split=r",")


def frontmatter_wikilinks(raw: str) -> list[tuple[str, int]]:
    """Wikilinks written in property values, with their line (line 2 is the first YAML line)."""
    found: list[tuple[str, int]] = []
    for number, text in enumerate(raw.split("\n"), start=2):
        found.extend((m.group(1), number) for m in _WIKILINK.finditer(text))
    return found
