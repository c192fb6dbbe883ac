"""Frontmatter: loaded safely, made JSON-friendly, and read for aliases, tags and links.

Obsidian reads properties as YAML 1.2, where only ``true``/``false`` are booleans and
``0123`` is a decimal number; PyYAML implements YAML 1.1 (``no:`` a boolean key, ``0123``
octal), so the loader below swaps in the 1.2 rules for booleans and integers. Values are
converted to JSON types, never a crash. Aliases that expand into huge structures
("billion laughs") are cut off by a node budget.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable
from typing import Any

import yaml

from vaultkit.errors import Problem

NODE_BUDGET = 100_000
_WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")
_SPLITS_TAGS = re.compile(r"[,\s]")


class _TooLarge(Exception):
    pass


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema booleans and integers, and unique keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        # YAML forbids a key twice and Obsidian rejects such properties; PyYAML would
        # silently keep the last value and lose the first.
        seen: set[tuple[str, str]] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if (key.tag, key.value) in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key.value!r}", key.start_mark)
                seen.add((key.tag, key.value))
        # Named, not super(): the libyaml loader below borrows this method.
        return yaml.constructor.SafeConstructor.construct_mapping(self, node, deep)


_BOOL, _INT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"
_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in (_BOOL, _INT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Yaml12Loader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))

# libyaml's parser (when PyYAML has it) under the same rules: several times faster. Its
# error positions are coarser, so a note that fails is read again by the pure-Python
# parser for the message.
_FastLoader: type[yaml.SafeLoader] = _Yaml12Loader
if getattr(yaml, "__with_libyaml__", False):
    _FastLoader = type("_FastYaml12Loader", (yaml.CSafeLoader,), {
        "construct_mapping": _Yaml12Loader.construct_mapping,
        "yaml_implicit_resolvers": _Yaml12Loader.yaml_implicit_resolvers,
    })


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    value = str(loader.construct_scalar(node))
    prefixed = value.lstrip("+-")[:2].lower() in ("0x", "0o")
    return int(value, 0 if prefixed else 10)


_Yaml12Loader.add_constructor(_INT, _construct_int)
_FastLoader.add_constructor(_INT, _construct_int)


def _load(raw: str) -> Any:
    try:
        return yaml.load(raw, Loader=_FastLoader)
    except yaml.YAMLError:
        return yaml.load(raw, Loader=_Yaml12Loader)


def load_frontmatter(raw: str, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """Parse the YAML between the ``---`` fences (``raw`` excludes them; it starts on line 2)."""
    try:
        data = _load(raw) if raw.strip() else {}
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
        return {_key(k): _jsonable(v, budget) for k, v in data.items()}, []
    except (_TooLarge, RecursionError):
        return {}, [Problem(path, 2, "frontmatter expands to too many values (YAML alias bomb?)")]


def _jsonable(value: Any, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(value, dict):
        return {_key(k): _jsonable(v, budget) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        # A set's order follows string hashing, which changes with every process.
        value = sorted(value, key=lambda v: (type(v).__name__, repr(v)))
    if isinstance(value, (list, tuple)):
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
    """Tags of the ``tags`` property: one per list item, or the one string as a single tag.

    Current Obsidian reads ``tags: value-1, value-2`` (one string holding a comma or a
    space) as no tag at all, and ``tags: single-value`` as one.
    """
    raw = data.get("tags", data.get("tag"))
    if isinstance(raw, str):
        name = raw.strip()
        if _SPLITS_TAGS.search(name):
            return []
        raw = [name]
    return [t.lstrip("#") for t in string_list(raw) if t.lstrip("#")]


def frontmatter_aliases(data: dict[str, Any]) -> list[str]:
    return string_list(data.get("aliases", data.get("alias")), split=r",")


def frontmatter_wikilinks(raw: str) -> list[tuple[str, int]]:
    """Wikilinks written in property values, with their line (line 2 is the first YAML line)."""
    found: list[tuple[str, int]] = []
    for number, text in enumerate(raw.split("\n"), start=2):
        found.extend((m.group(1), number) for m in _WIKILINK.finditer(text))
    return found
