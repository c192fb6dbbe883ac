"""What an expression is evaluated against: the row's file, ``this``, the base's formulas,
the clock and any local names (``value``, ``index``, ``acc``, ``values``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vaultkit.bases.files import FileRecord, VaultFiles

if TYPE_CHECKING:
    from vaultkit.bases import ast

Value = Any


@dataclass(slots=True)
class Scope:
    """One evaluation context. ``formula`` computes a formula of the row (cached per row)."""

    files: VaultFiles
    now: dt.datetime
    row: FileRecord | None
    this: FileRecord | None
    formula: Callable[[Scope, str, int], Value]
    locals: dict[str, Value] = field(default_factory=dict)
    cache: dict[str, Value] = field(default_factory=dict)

    def with_locals(self, **names: Value) -> Scope:
        """The same row with more local names (a list method's ``value``/``index``)."""
        return Scope(self.files, self.now, self.row, self.this, self.formula,
                     {**self.locals, **names}, self.cache)


#: How a function evaluates an argument it received unevaluated.
Evaluate = Callable[["ast.Node", Scope], Value]
