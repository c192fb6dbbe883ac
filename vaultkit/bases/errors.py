"""Errors in a base: the file, the key in the YAML (``views[1].filters.and[2]``), the column
in the expression, and the line when known:
``Entities.base: views[0].filters.and[1]: col 11: unterminated string (line 9)``."""

from __future__ import annotations

from vaultkit.errors import VaultkitError


class BaseError(VaultkitError):
    """A ``.base`` file (or ``base`` block) that cannot be evaluated as written."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 key: str | None = None, column: int | None = None) -> None:
        super().__init__(message, path, line)
        self.key = key
        self.column = column

    def __str__(self) -> str:
        parts = [p for p in (self.path, self.key) if p]
        if self.column is not None:
            parts.append(f"col {self.column}")
        text = ": ".join([*parts, self.message])
        return f"{text} (line {self.line})" if self.line is not None else text


class ExpressionError(Exception):
    """An expression that does not parse or refers to what does not exist; the caller adds
    the file and key (:meth:`at`) to make it a :class:`BaseError`."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def at(self, path: str | None, key: str, line: int | None = None) -> BaseError:
        return BaseError(self.message, path, line, key, self.column)
