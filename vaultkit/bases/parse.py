"""Parse a Bases expression into :mod:`vaultkit.bases.ast` nodes with lark."""

from __future__ import annotations

import ast as python_ast
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultkit.bases import ast
from vaultkit.bases.errors import ExpressionError

if TYPE_CHECKING:
    import lark

GRAMMAR = Path(__file__).with_name("grammar.lark")


@functools.cache
def _parser() -> lark.Lark:
    import lark

    # cache=True keeps the compiled LALR tables in the temp folder (keyed by the grammar's
    # hash and lark's version), as Dataview's parser does: a fresh process loads them
    # instead of building them again (~0.1 s).
    return lark.Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr",
                     propagate_positions=True, maybe_placeholders=True, cache=True)


@functools.lru_cache(maxsize=4096)
def parse_expression(text: str) -> ast.Node:
    """The tree of ``text``; :class:`ExpressionError` (with its column) if it is not valid.

    >>> parse_expression('price > 2')
    Binary(column=7, op='>', left=Name(column=1, name='price'), right=Literal(column=9, value=2))
    """
    import lark

    if not text.strip():
        raise ExpressionError("unexpected end: the expression is empty", column=1)
    try:
        tree = _parser().parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        raise ExpressionError(_describe(exc, text), column=_error_column(exc, text)) from None
    return _build(tree)


def _at_end(exc: Exception) -> bool:
    import lark

    return isinstance(exc, lark.exceptions.UnexpectedEOF) or (
        isinstance(exc, lark.exceptions.UnexpectedToken) and exc.token.type == "$END")


def _error_column(exc: Exception, text: str) -> int:
    """1-based column of the offending token; the end of the text is its length + 1."""
    if _at_end(exc):
        return len(text) + 1
    column = getattr(exc, "column", None)
    return column if isinstance(column, int) and column > 0 else len(text) + 1


def _describe(exc: Exception, text: str) -> str:
    import lark

    if _at_end(exc):
        return "unexpected end of the expression"
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        char = text[exc.pos_in_stream or 0]
        if char in "\"'":
            return "unterminated string"
        if char == "/":
            return "unterminated regular expression"
        return f"unexpected character {char!r}"
    if isinstance(exc, lark.exceptions.UnexpectedToken):
        return f"unexpected {exc.token.value!r}"
    return "unexpected input"


def _column(item: Any) -> int:
    import lark

    if isinstance(item, lark.Token):
        return item.column or 1
    return item.meta.column if not item.meta.empty else 1


def _build(item: Any) -> ast.Node:
    import lark

    if isinstance(item, lark.Token):
        raise ExpressionError(f"unexpected {item.value!r}", column=_column(item))
    kind, kids, column = item.data, item.children, _column(item)
    if kind == "number":
        text = str(kids[0])
        value = float(text)
        return ast.Literal(column, int(value) if value.is_integer() and "." not in text
                           and "e" not in text.lower() else value)
    if kind == "string":
        return ast.Literal(column, _unquote(str(kids[0])))
    if kind == "regex":
        text = str(kids[0])
        end = text.rindex("/")
        return ast.Regex(column, text[1:end], text[end + 1:])
    if kind == "name":
        name = str(kids[0])
        constants = {"true": True, "false": False, "null": None}
        return ast.Literal(column, constants[name]) if name in constants else ast.Name(column, name)
    if kind == "list_":
        return ast.ListOf(column, tuple(_build(k) for k in kids[1:] if k is not None))
    if kind == "object_":
        pairs = []
        for pair in kids[1:]:
            if pair is None:
                continue
            key, value = pair.children
            pairs.append((_unquote(str(key)) if key.type == "STRING" else str(key), _build(value)))
        return ast.ObjectOf(column, tuple(pairs))
    if kind in ("or_", "and_"):
        op = "||" if kind == "or_" else "&&"
        node = _build(kids[0])
        for right in kids[1:]:
            node = ast.Binary(column, op, node, _build(right))
        return node
    if kind == "binary":
        node = _build(kids[0])
        for op, right in zip(kids[1::2], kids[2::2], strict=True):
            node = ast.Binary(_column(op), str(op), node, _build(right))
        return node
    if kind in ("not_", "neg", "pos"):
        return ast.Unary(column, str(kids[0]), _build(kids[1]))
    if kind == "member":
        return ast.Member(_column(kids[1]), _build(kids[0]), str(kids[1]))
    if kind == "method":
        return ast.Method(_column(kids[1]), _build(kids[0]), str(kids[1]), _args(kids[2]))
    if kind == "index":
        return ast.Index(_column(kids[1]), _build(kids[0]), _build(kids[2]))
    if kind == "call":
        return ast.Call(column, str(kids[0]), _args(kids[1]))
    raise ExpressionError(f"unsupported syntax {kind!r}", column=column)


def _args(args: lark.Tree[Any] | None) -> tuple[ast.Node, ...]:
    return () if args is None else tuple(_build(a) for a in args.children)


def _unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    # JavaScript's escapes are Python's for the cases people write (\n \t \" \' \\ \uXXXX).
    try:
        return str(python_ast.literal_eval('"' + body.replace('"', '\\"') + '"'))
    except (ValueError, SyntaxError):
        return body
