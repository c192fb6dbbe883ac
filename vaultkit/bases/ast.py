"""The expression tree: frozen nodes, each with the 1-based column it starts at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Node:
    column: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A number, string, boolean or null as written."""

    value: Any


@dataclass(frozen=True, slots=True)
class Regex(Node):
    """``/pattern/flags``."""

    pattern: str
    flags: str


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A bare identifier: a note property, or ``file``/``note``/``formula``/``this``/``values``."""

    name: str


@dataclass(frozen=True, slots=True)
class Member(Node):
    """``target.name``: a field, an object key, or a property of ``note``/``file``/``formula``."""

    target: Node
    name: str


@dataclass(frozen=True, slots=True)
class Index(Node):
    """``target[key]``: a list element (0-based) or an object key."""

    target: Node
    key: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A global function call ``name(args)``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Method(Node):
    """``target.name(args)``: arguments stay unevaluated (``filter(value > 2)``)."""

    target: Node
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary(Node):
    op: str  # "!", "-" or "+"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class ListOf(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ObjectOf(Node):
    pairs: tuple[tuple[str, Node], ...]
