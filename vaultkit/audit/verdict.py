"""Verdicts: was a figure right when written, and has the market moved away from it since?

- **Tolerance.** A figure is right *then* when the data is within its stated precision:
  half a unit in its last written digit (``+7%`` ±0.5, ``+1.88%`` ±0.005). ``~`` widens it
  to ±10% of the figure, at least ±1. A bound (``>20%``, ``60%+``) is right when the data
  satisfies it. A streak is a whole number of sessions: exact, or at least for ``10+``.
- **Moved.** A figure right then has *moved* when *now* differs from *then* by more than
  the threshold: :data:`DEFAULT_THRESHOLD` percentage points for returns and spreads (in
  their own unit), any change for a streak.
"""

from __future__ import annotations

import re

from vaultkit.audit.measure import Measured
from vaultkit.parse.values import CellValue

MATCHES, DIFFERS, MOVED, NOT_CHECKED = "matches", "differs", "moved", "not checked"
#: Returns and spreads: how far *now* may drift from *then*, in percentage points, before a
#: figure that was right is flagged. 5pp is about a month of an ordinary stock's volatility.
DEFAULT_THRESHOLD = 5.0
#: ``~`` means "roughly": ±10% of the figure, and never tighter than one unit.
APPROX_SHARE = 0.10
_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def tolerance(cell: CellValue, metric: str) -> float:
    """How far the data may be from the stated figure and it still matches."""
    if metric == "streak":
        return 0.0
    found = _DIGITS.search(cell.raw)
    decimals = len(found.group(1) or "") if found else 0
    precision = 0.5 * 10.0 ** -decimals
    if cell.approx:
        assert isinstance(cell.value, float)
        return max(precision, APPROX_SHARE * abs(cell.value), 1.0)
    return precision


def within(cell: CellValue, value: float, metric: str) -> bool:
    """Whether ``value`` agrees with the figure as written (bounds, ``~``, precision)."""
    assert isinstance(cell.value, float)
    stated = cell.value
    if cell.bound == "+":
        return value >= stated - tolerance(cell, metric) if metric != "streak" \
            else value >= stated
    if cell.bound in (">", ">="):
        return value > stated if cell.bound == ">" else value >= stated
    if cell.bound in ("<", "<="):
        return value < stated if cell.bound == "<" else value <= stated
    return abs(value - stated) <= tolerance(cell, metric) + 1e-9


def judge(cell: CellValue, measured: Measured, metric: str, threshold: float
          ) -> tuple[str, str]:
    """The verdict and its reason, in words that show the figures compared."""
    unit = "sessions" if metric == "streak" else "pp"
    then, now = _shown(measured.then, metric), _shown(measured.now, metric)
    if not within(cell, measured.then, metric):
        return DIFFERS, (f"data said {then} at {measured.then_session} "
                         f"({measured.span}); written {cell.raw.strip('*_ ')}"
                         f"{_allowance(cell, metric)}")
    drift = abs(measured.now - measured.then)
    limit = 0.0 if metric == "streak" else threshold
    if drift > limit + 1e-9:
        return MOVED, (f"right at {measured.then_session} ({then}); now {now} at "
                       f"{measured.now_session}, moved {drift:.1f} {unit} "
                       f"(threshold {limit:g} {unit})")
    return MATCHES, f"data said {then} at {measured.then_session} ({measured.span})"


def _allowance(cell: CellValue, metric: str) -> str:
    if cell.bound is not None or metric == "streak":
        return ""
    return f" ±{tolerance(cell, metric):g}"


def _shown(value: float, metric: str) -> str:
    if metric == "streak":
        return f"{value:.0f} sessions"
    suffix = "%" if metric == "return" else "pp"
    return f"{value:+.1f}{suffix}"
