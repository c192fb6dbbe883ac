"""The DQL syntax tree: frozen nodes for expressions, sources and queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Lit
from typing import TypeAlias

from vaultkit.lang.values import Value


@dataclass(frozen=True, slots=True)
class Literal:
    value: Value


@dataclass(frozen=True, slots=True)
class Variable:
    name: str


@dataclass(frozen=True, slots=True)
class LinkLiteral:
    """``[[target#sub|display]]`` as written; resolved against the query's note when run."""

    inner: str
    embed: bool


@dataclass(frozen=True, slots=True)
class DateShorthand:
    """``date(today)`` and friends: evaluated against the engine's clock."""

    name: str


@dataclass(frozen=True, slots=True)
class Index:
    """``obj.name`` (index a Literal string) or ``obj[expr]``."""

    object: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Call:
    func: Expr
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Lambda:
    params: tuple[str, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class ListExpr:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    entries: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class Negate:
    child: Expr


@dataclass(frozen=True, slots=True)
class Binary:
    """``op`` is one of ``+ - * / % = != < <= > >= & |`` (``and``/``or`` become ``&``/``|``)."""

    op: str
    left: Expr
    right: Expr


Expr: TypeAlias = (Literal | Variable | LinkLiteral | DateShorthand | Index | Call | Lambda
                   | ListExpr | ObjectExpr | Negate | Binary)


@dataclass(frozen=True, slots=True)
class TagSource:
    tag: str  # with its "#"


@dataclass(frozen=True, slots=True)
class FolderSource:
    folder: str


@dataclass(frozen=True, slots=True)
class LinkSource:
    target: str
    incoming: bool


@dataclass(frozen=True, slots=True)
class NegatedSource:
    child: Source


@dataclass(frozen=True, slots=True)
class BinarySource:
    op: Lit["&", "|"]
    left: Source
    right: Source


Source: TypeAlias = TagSource | FolderSource | LinkSource | NegatedSource | BinarySource


@dataclass(frozen=True, slots=True)
class Named:
    """A column (or GROUP BY / FLATTEN field): its expression and its name."""

    name: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class SortKey:
    expr: Expr
    descending: bool


@dataclass(frozen=True, slots=True)
class Where:
    expr: Expr


@dataclass(frozen=True, slots=True)
class Sort:
    keys: tuple[SortKey, ...]


@dataclass(frozen=True, slots=True)
class Group:
    field: Named


@dataclass(frozen=True, slots=True)
class Flatten:
    field: Named


@dataclass(frozen=True, slots=True)
class Limit:
    amount: Expr


Operation: TypeAlias = Where | Sort | Group | Flatten | Limit
QueryKind = Lit["table", "list", "task"]


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its type, what it shows, where it reads, and its data commands in
    the order written."""

    kind: QueryKind
    show_id: bool
    fields: tuple[Named, ...]
    list_expr: Expr | None
    source: Source
    operations: tuple[Operation, ...]
