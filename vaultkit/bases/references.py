"""What an expression refers to, checked before anything runs: unknown functions and
methods, and formulas that depend on themselves."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from vaultkit.bases import ast
from vaultkit.bases.errors import ExpressionError
from vaultkit.bases.functions import GLOBALS, LAZY_GLOBALS
from vaultkit.bases.methods import METHOD_NAMES


def _children(node: ast.Node) -> Iterator[ast.Node]:
    for name in node.__slots__:
        value = getattr(node, name)
        if isinstance(value, ast.Node):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, ast.Node):
                    yield item
                elif isinstance(item, tuple):
                    yield from (v for v in item if isinstance(v, ast.Node))


def walk(node: ast.Node) -> Iterator[ast.Node]:
    """``node`` and every node under it."""
    yield node
    for child in _children(node):
        yield from walk(child)


def check_names(node: ast.Node, formulas: Collection[str]) -> None:
    """:class:`ExpressionError` at the column of the first unknown function, method or
    formula ``node`` uses."""
    for item in walk(node):
        if isinstance(item, ast.Call) and item.name not in GLOBALS \
                and item.name not in LAZY_GLOBALS:
            raise ExpressionError(f"unknown function: {item.name}", item.column)
        if isinstance(item, ast.Method) and item.name not in METHOD_NAMES:
            raise ExpressionError(f"unknown method: {item.name}", item.column)
    for name, column in formula_refs(node):
        if name not in formulas:
            raise ExpressionError(f"unknown formula: {name}", column)


def formula_refs(node: ast.Node) -> list[tuple[str, int]]:
    """The formulas ``node`` uses (``formula.x``, ``formula["x"]``) in the order written,
    each with the column where its reference starts."""
    found = []
    for item in walk(node):
        if isinstance(item, (ast.Member, ast.Index)) and isinstance(item.target, ast.Name) \
                and item.target.name == "formula":
            if isinstance(item, ast.Member):
                found.append((item.name, item.target.column))
            elif isinstance(item.key, ast.Literal):
                found.append((str(item.key.value), item.target.column))
    return found


def formula_cycle(formulas: dict[str, ast.Node]) -> tuple[list[str], int] | None:
    """The first formula (in file order) that depends on itself: the chain of names from
    it back to it, and the column of its reference that enters the chain; None if no
    formula does."""
    uses = {name: [(n, c) for n, c in formula_refs(node) if n in formulas]
            for name, node in formulas.items()}

    def path_back(start: str) -> tuple[list[str], int] | None:
        seen: set[str] = set()

        def search(name: str, chain: list[str]) -> list[str] | None:
            for used, _ in uses[name]:
                if used == start:
                    return [*chain, used]
                if used not in seen:
                    seen.add(used)
                    found = search(used, [*chain, used])
                    if found:
                        return found
            return None

        chain = search(start, [start])
        if chain is None:
            return None
        column = next(c for n, c in uses[start] if n == chain[1])
        return chain, column

    for name in formulas:
        found = path_back(name)
        if found:
            return found
    return None
