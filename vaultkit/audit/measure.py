"""Measure a claim from closes: its value at the figure's date (*then*) and at the latest
session (*now*), with the analytics every region uses (:mod:`vaultkit.refresh.analytics`).

*Then* is measured as of the last session on or before the figure's date (a window that
ended before the data's latest session needs no date: it is measured as of its end). *Now*
is the same metric as of the latest session: the same fixed window, or the same lookback
(YTD, 90d, since a date) ending at the latest session. Returns and spreads are in percent
and percentage points, streaks in sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vaultkit.audit.labels import WindowText
from vaultkit.audit.rules import Claim, Skip
from vaultkit.errors import DataError
from vaultkit.refresh.analytics import (
    Window,
    asof_session,
    outperformance_streak,
    parse_window,
    period_return,
    resolve_window,
    spread_pp,
)

if TYPE_CHECKING:
    import pandas as pd

    from vaultkit.data import PriceProvider

# Streaks and windows are measured against all the history the provider has.
HISTORY_START = dt.date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class Measured:
    """A claim's value then and now, and the sessions they were measured at."""

    then: float
    now: float
    then_session: dt.date
    now_session: dt.date
    span: str  # the sessions of *then*: "2022-12-30 → 2023-12-29"


@dataclass(slots=True)
class Prices:
    """Closes per ticker, read once from the provider up to ``latest``."""

    provider: PriceProvider
    latest: dt.date
    _series: dict[str, pd.Series] = field(default_factory=dict)

    def closes(self, tickers: tuple[str, ...]) -> pd.DataFrame:
        """The tickers' closes on the sessions where all of them traded."""
        import pandas as pd

        for ticker in tickers:
            if ticker not in self._series:
                frame = self.provider.closes([ticker], HISTORY_START, self.latest)
                self._series[ticker] = frame[ticker].dropna()
        return pd.concat([self._series[t] for t in tickers], axis=1).dropna(how="any")

    def source(self, tickers: list[str]) -> str:
        """The provider's line for the footnote."""
        return self.provider.source(tickers)


def measure(claim: Claim, prices: Prices) -> Measured | Skip:
    """Measure ``claim``; a :class:`Skip` (``date`` or ``data``) when it cannot be."""
    try:
        closes = prices.closes(claim.tickers)
        if closes.empty:
            return Skip("data", f"no session where {', '.join(claim.tickers)} all traded")
        now_session = asof_session(closes, prices.latest)
        then_date = _then_date(claim, now_session)
        if isinstance(then_date, Skip):
            return then_date
        then_session = asof_session(closes, then_date)
        then, span = _value(claim, closes, then_session)
        now, _ = _value(claim, closes, now_session)
    except (ValueError, DataError) as exc:
        return Skip("data", str(exc))
    return Measured(then, now, then_session, now_session, span)


def _then_date(claim: Claim, latest: dt.date) -> dt.date | Skip:
    if claim.date is not None:
        if claim.date > latest:
            return Skip("data", f"dated {claim.date}, after the latest session {latest}")
        return claim.date
    window = claim.window
    if window is not None and ".." in window.spec:
        last = dt.date.fromisoformat(window.spec.split("..")[1])
        if last <= latest:
            return last
    what = window.label if window else "a streak"
    return Skip("date", f"{what} is measured to a date, and the figure has none (no label "
                        "date, dated update section or frontmatter date)")


def _value(claim: Claim, closes: pd.DataFrame, session: dt.date) -> tuple[float, str]:
    if claim.metric == "streak":
        a, b = claim.tickers
        streak = outperformance_streak(closes[a], closes[b], session)
        return float(streak.length), f"{streak.start or session} → {streak.end}"
    assert claim.window is not None
    window = analytics_window(claim.window, session)
    span = resolve_window(closes.index, window, session)
    returns = [period_return(closes[t], span) for t in claim.tickers]
    value = returns[0] * 100.0 if claim.metric == "return" else spread_pp(*returns)
    return value, f"{span.start} → {span.end}"


def analytics_window(window: WindowText, session: dt.date) -> Window:
    """The analytics window for a label's window; ``since:DATE`` runs to ``session``."""
    if window.spec.startswith("since:"):
        first = dt.date.fromisoformat(window.spec[len("since:"):])
        if first >= session:
            raise ValueError(f"since {first} has no sessions before {session}")
        return Window(window.label, "range", 0, first, session)
    parsed = parse_window(window.spec)
    return Window(window.label, parsed.unit, parsed.count, parsed.first, parsed.last)
