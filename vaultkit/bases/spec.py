"""The ``.base`` format (Obsidian help, "Bases syntax"): YAML with ``filters``, ``formulas``,
``properties``, ``summaries`` and ``views``, read into frozen records with every expression
parsed and every error placed at its file, line, key and column."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from vaultkit.bases import ast
from vaultkit.bases.errors import BaseError, ExpressionError
from vaultkit.bases.parse import parse_expression
from vaultkit.bases.references import check_names, formula_cycle
from vaultkit.bases.summaries import DEFAULT_SUMMARIES

#: The layouts evaluated as data (map needs a plugin and is Obsidian's business).
VIEW_TYPES = ("table", "list", "cards")


@dataclass(frozen=True, slots=True)
class Filter:
    """A filter statement (``op == "expr"``) or an ``and``/``or``/``not`` group."""

    op: str
    key: str
    children: tuple[Filter, ...] = ()
    expr: ast.Node | None = None


@dataclass(frozen=True, slots=True)
class SortKey:
    """A sort or groupBy entry: a property id and ``ASC``/``DESC``."""

    property: str
    descending: bool
    written: str = ""


@dataclass(frozen=True, slots=True)
class View:
    """One entry of ``views``; options a layout keeps for itself stay in ``options``."""

    type: str
    name: str
    key: str
    order: tuple[str, ...]
    sort: tuple[SortKey, ...]
    group_by: SortKey | None
    limit: int | None
    filters: Filter | None
    summaries: tuple[tuple[str, str], ...]
    options: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BaseSpec:
    """A parsed ``.base`` file (or ``base`` code block)."""

    path: str | None
    filters: Filter | None
    formulas: dict[str, ast.Node]
    display_names: dict[str, str]
    summaries: dict[str, ast.Node]
    views: tuple[View, ...]
    lines: dict[str, int]

    def view(self, name: str | None) -> View:
        """The view called ``name``, the first view when None."""
        if name is None:
            return self.views[0]
        for view in self.views:
            if view.name == name:
                return view
        known = ", ".join(f'"{v.name}"' for v in self.views)
        raise BaseError(f"no view named \"{name}\" (views: {known})", self.path,
                        self.lines.get("views"), "views")


def property_id(name: str) -> str:
    """The canonical id of a property as written in ``order``/``sort``/``properties``:
    ``file.x`` and ``formula.x`` as they are, ``note.x`` and bare ``x`` as ``note.x``."""
    name = name.strip()
    if name.startswith(("file.", "formula.", "note.")):
        return name
    return "note." + name


def read_base(text: str, path: str | None = None, line_offset: int = 0) -> BaseSpec:
    """Parse and check a whole base (YAML, schema, every expression, every formula
    reference); :class:`BaseError` with the file, key, column and line of the first problem.
    ``line_offset`` is the line before the YAML's first (a code block's fence)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) if root is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = line_offset + mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BaseError(f"invalid YAML: {problem}", path, line, "yaml") from None
    lines: dict[str, int] = {}
    if root is not None:
        _node_lines(root, "", lines, line_offset, path)
    return _Reader(path, lines).base(data if data is not None else {})


def _node_lines(node: Any, key: str, lines: dict[str, int], offset: int,
                path: str | None) -> None:
    """Record the line of every key path; a key written twice in one mapping is an error."""
    import yaml

    lines.setdefault(key, offset + node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for name, value in node.value:
            child = f"{key}.{name.value}" if key else str(name.value)
            line = offset + name.start_mark.line + 1
            if name.value in seen:
                raise BaseError(f"duplicate key: {name.value}", path, line, "yaml")
            seen.add(name.value)
            lines[child] = line
            _node_lines(value, child, lines, offset, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _node_lines(value, f"{key}[{i}]", lines, offset, path)


class _Reader:
    def __init__(self, path: str | None, lines: dict[str, int]) -> None:
        self.path = path
        self.lines = lines
        self.formula_names: Collection[str] = ()

    def error(self, message: str, key: str, column: int | None = None) -> BaseError:
        return BaseError(message, self.path, self.lines.get(key), key, column)

    def expression(self, text: Any, key: str) -> ast.Node:
        if isinstance(text, bool) or text is None:
            text = "true" if text is True else ("false" if text is False else "null")
        if not isinstance(text, (str, int, float)):
            raise self.error("expected an expression", key)
        try:
            node = parse_expression(str(text))
            check_names(node, self.formula_names)
        except ExpressionError as exc:
            raise exc.at(self.path, key, self.lines.get(key)) from None
        return node

    def base(self, data: Any) -> BaseSpec:
        if not isinstance(data, dict):
            raise self.error("a base is a mapping (filters, formulas, properties, summaries, "
                             "views)", "yaml")
        formula_data = self.mapping(data.get("formulas"), "formulas")
        self.formula_names = set(formula_data)
        formulas = {name: self.expression(text, f"formulas.{name}")
                    for name, text in formula_data.items()}
        cycle = formula_cycle(formulas)
        if cycle:
            chain, column = cycle
            raise self.error(f"circular reference: {' -> '.join(chain)}",
                             f"formulas.{chain[0]}", column)
        summaries = {name: self.expression(text, f"summaries.{name}")
                     for name, text in self.mapping(data.get("summaries"), "summaries").items()}
        display = {}
        for name, config in self.mapping(data.get("properties"), "properties").items():
            if isinstance(config, dict) and config.get("displayName") is not None:
                display[property_id(name)] = str(config["displayName"])
        filters = self.filters(data.get("filters"), "filters")
        views_data = data.get("views")
        if not isinstance(views_data, list) or not views_data:
            raise self.error("no views", "views")
        views = tuple(self.view(v, f"views[{i}]", summaries) for i, v in enumerate(views_data))
        return BaseSpec(self.path, filters, formulas, display, summaries, views, self.lines)

    def mapping(self, value: Any, key: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error("expected a mapping", key)
        return {str(k): v for k, v in value.items()}

    def filters(self, value: Any, key: str) -> Filter | None:
        if value is None:
            return None
        if isinstance(value, dict):
            for name in value:
                if name not in ("and", "or", "not"):
                    raise self.error("unknown filter key (expected and, or or not)",
                                     f"{key}.{name}")
            if len(value) != 1:
                raise self.error("a filter group has exactly one of and, or, not", key)
            op, items = next(iter(value.items()))
            where = f"{key}.{op}"
            if items is None:
                items = []
            if not isinstance(items, list):
                raise self.error("expected a list of filters", where)
            children = tuple(self.filters(item, f"{where}[{i}]") for i, item in enumerate(items))
            return Filter(op, where, tuple(c for c in children if c is not None))
        if isinstance(value, list):
            raise self.error("expected a statement or one of and, or, not", key)
        return Filter("expr", key, expr=self.expression(value, key))

    def property(self, value: Any, key: str) -> str:
        if value is None or value == "":
            raise self.error("missing", key)
        pid = property_id(str(value))
        if pid.startswith("formula.") and pid[8:] not in self.formula_names:
            raise self.error(f"unknown formula: {pid[8:]}", key)
        return pid

    def sort_key(self, value: Any, key: str) -> SortKey:
        if isinstance(value, str):
            return SortKey(self.property(value, key), False, value)
        if not isinstance(value, dict):
            raise self.error("expected a property and a direction", key)
        direction = value.get("direction")
        direction = "ASC" if direction is None else str(direction)
        if direction.upper() not in ("ASC", "DESC"):
            raise self.error("expected ASC or DESC", f"{key}.direction")
        return SortKey(self.property(value.get("property"), f"{key}.property"),
                       direction.upper() == "DESC", str(value.get("property")))

    def view(self, data: Any, key: str, custom: dict[str, ast.Node]) -> View:
        if not isinstance(data, dict):
            raise self.error("a view is a mapping (type, name, order...)", key)
        kind = str(data.get("type") or "table")
        if kind not in VIEW_TYPES:
            raise self.error(f"unsupported view type \"{kind}\"", f"{key}.type")
        order_data = data.get("order") or ["file.name"]
        if not isinstance(order_data, list):
            raise self.error("expected a list of properties", f"{key}.order")
        for i, name in enumerate(order_data):
            self.property(name, f"{key}.order[{i}]")
        sort_data = data.get("sort") or []
        if not isinstance(sort_data, list):
            raise self.error("expected a list of {property, direction}", f"{key}.sort")
        group = data.get("groupBy")
        limit = data.get("limit")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 1):
            raise self.error("expected a positive integer", f"{key}.limit")
        summaries = self.mapping(data.get("summaries"), f"{key}.summaries")
        for name, summary in summaries.items():
            self.property(name, f"{key}.summaries.{name}")
            if str(summary) not in DEFAULT_SUMMARIES and str(summary) not in custom:
                raise self.error(f"unknown summary \"{summary}\"", f"{key}.summaries.{name}")
        known = {"type", "name", "order", "sort", "groupBy", "limit", "filters", "summaries"}
        return View(
            type=kind, name=str(data.get("name") or kind.title()), key=key,
            order=tuple(str(p) for p in order_data),
            sort=tuple(self.sort_key(s, f"{key}.sort[{i}]") for i, s in enumerate(sort_data)),
            group_by=self.sort_key(group, f"{key}.groupBy") if group is not None else None,
            limit=limit,
            filters=self.filters(data.get("filters"), f"{key}.filters"),
            summaries=tuple((str(p), str(s)) for p, s in summaries.items()),
            options={k: v for k, v in data.items() if k not in known},
        )
