"""Analytics against returns worked out by hand on tiny series."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from vaultkit.refresh.analytics import (
    Span,
    asof_session,
    breadth,
    months_back,
    outperformance_streak,
    parse_window,
    period_return,
    ratio_change,
    rebased,
    resolve_window,
    spread_pp,
)

D = dt.date.fromisoformat


def series(points: dict[str, float], name: str = "X") -> pd.Series:
    return pd.Series(list(points.values()), index=pd.DatetimeIndex(list(points)), name=name)


def test_parse_window_forms() -> None:
    assert (parse_window("90d").unit, parse_window("90d").count) == ("d", 90)
    assert (parse_window("63s").unit, parse_window("1y").unit) == ("s", "y")
    assert parse_window("ytd").title == "YTD"
    fixed = parse_window("2000-01-03..2002-12-31")
    assert (fixed.first, fixed.last) == (D("2000-01-03"), D("2002-12-31"))
    for bad in ("90", "0d", "ytd2", "2002-12-31..2000-01-03", "2000-02-30..2000-03-01", "7w"):
        with pytest.raises(ValueError):
            parse_window(bad)


def test_months_back_clamps_to_month_end() -> None:
    assert months_back(D("2026-03-31"), 1) == D("2026-02-28")
    assert months_back(D("2024-03-31"), 1) == D("2024-02-29")
    assert months_back(D("2026-01-15"), 3) == D("2025-10-15")
    assert months_back(D("2024-02-29"), 12) == D("2023-02-28")


def test_90d_window_starting_on_a_weekend_uses_the_friday_before() -> None:
    # 2026-11-20 minus 90 days is Saturday 2026-08-22: the base is Friday's close (110).
    closes = series({"2026-08-20": 100, "2026-08-21": 110, "2026-08-24": 120, "2026-11-20": 132})
    span = resolve_window(closes.index, parse_window("90d"), D("2026-11-20"))
    assert span == Span(D("2026-08-21"), D("2026-11-20"))
    assert period_return(closes, span) == pytest.approx(132 / 110 - 1)  # +20%


def test_ytd_base_is_the_previous_years_last_close() -> None:
    # 2025-12-31 is the last session of 2025; 2026-01-01 is a holiday.
    closes = series({"2025-12-30": 50, "2025-12-31": 40, "2026-01-02": 45, "2026-01-05": 48})
    span = resolve_window(closes.index, parse_window("ytd"), D("2026-01-05"))
    assert span.start == D("2025-12-31")
    assert period_return(closes, span) == pytest.approx(0.2)
    # 2022 ended on Friday Dec 30 (Dec 31 was a Saturday).
    closes = series({"2022-12-29": 10, "2022-12-30": 8, "2023-01-03": 9, "2023-02-01": 10})
    span = resolve_window(closes.index, parse_window("ytd"), D("2023-02-01"))
    assert span.start == D("2022-12-30")
    assert period_return(closes, span) == pytest.approx(0.25)


def test_asof_on_a_holiday_is_the_session_before() -> None:
    # Thanksgiving 2026-11-26 has no close; as-of that day means Wednesday's session.
    frame = pd.DataFrame({"A": series({"2026-11-24": 1, "2026-11-25": 2, "2026-11-27": 3})})
    assert asof_session(frame, D("2026-11-26")) == D("2026-11-25")


def test_missing_close_for_one_ticker_moves_the_asof_session_back() -> None:
    a = series({"2026-11-18": 10, "2026-11-19": 11, "2026-11-20": 12}, "A")
    b = series({"2026-11-18": 20, "2026-11-19": 22}, "B")
    frame = pd.concat([a, b], axis=1)
    assert asof_session(frame, D("2026-11-20")) == D("2026-11-19")
    with pytest.raises(ValueError, match="no session on or before"):
        asof_session(frame, D("2026-11-17"))


def test_session_window_counts_sessions_not_days() -> None:
    closes = series({"2026-11-13": 100, "2026-11-16": 104, "2026-11-17": 102, "2026-11-20": 99})
    span = resolve_window(closes.index, parse_window("2s"), D("2026-11-20"))
    assert span.start == D("2026-11-16")
    assert period_return(closes, span) == pytest.approx(99 / 104 - 1)
    with pytest.raises(ValueError, match="needs 4 sessions"):
        resolve_window(closes.index, parse_window("4s"), D("2026-11-20"))


def test_fixed_range_uses_sessions_inside_the_dates() -> None:
    # 2000-01-01 is a Saturday (no session on or before it here); start on Monday's close.
    closes = series({"1999-12-31": 90, "2000-01-03": 100, "2000-12-29": 70, "2001-01-02": 75})
    span = resolve_window(closes.index, parse_window("2000-01-03..2000-12-31"), D("2001-01-02"))
    assert span == Span(D("2000-01-03"), D("2000-12-29"))
    assert period_return(closes, span) == pytest.approx(-0.3)


def test_window_before_the_data_is_an_error() -> None:
    closes = series({"2026-10-01": 1, "2026-11-20": 2})
    with pytest.raises(ValueError, match="data starts 2026-10-01"):
        resolve_window(closes.index, parse_window("1y"), D("2026-11-20"))


def test_spread_ratio_and_rebase() -> None:
    a = series({"2026-01-02": 50, "2026-01-05": 59})  # +18%
    b = series({"2026-01-02": 80, "2026-01-05": 60})  # -25%
    span = Span(D("2026-01-02"), D("2026-01-05"))
    assert spread_pp(period_return(a, span), period_return(b, span)) == pytest.approx(43.0)
    assert ratio_change(a, b, span) == pytest.approx(1.18 / 0.75 - 1)
    assert rebased(b, span).tolist() == [100.0, 75.0]


def test_streak_counts_sessions_and_finds_the_last_longer_one() -> None:
    days = pd.bdate_range("2026-01-05", periods=12)
    # A's daily returns vs B's 1%: session 0 has none; then sessions 1-2 win, 3 loses,
    # 4 wins, 5 loses, 6-7 win, 8 ties (not a win), 9-11 win.
    a_ret = [0.02, 0.02, 0.02, 0.00, 0.02, 0.00, 0.02, 0.02, 0.01, 0.02, 0.02, 0.02]
    b_ret = [0.01] * 12
    a = pd.Series(100.0 * np.cumprod([1.0 + r for r in a_ret]), index=days)
    b = pd.Series(100.0 * np.cumprod([1.0 + r for r in b_ret]), index=days)
    streak = outperformance_streak(a, b, days[-1].date())
    # Sessions 9-11: three in a row, and no earlier run (2, 1, 2) is as long.
    assert (streak.length, streak.start) == (3, days[9].date())
    assert streak.previous_end is None and streak.data_start == days[0].date()
    # Up to session 10: two in a row, last matched by sessions 6-7.
    shorter = outperformance_streak(a, b, days[-2].date())
    assert shorter.length == 2
    assert (shorter.previous_end, shorter.previous_length) == (days[7].date(), 2)
    lost = outperformance_streak(a, b, days[8].date())
    assert (lost.length, lost.start, lost.previous_end) == (0, None, None)


def test_streak_ignores_sessions_missing_from_either_series() -> None:
    a = series({"2026-01-05": 100, "2026-01-06": 110, "2026-01-07": 121, "2026-01-08": 130}, "A")
    b = series({"2026-01-05": 100, "2026-01-06": 100, "2026-01-08": 100}, "B")
    # Common sessions: Jan 5, 6, 8 → A: +10%, +18.2%; B: 0%, 0% → two wins.
    assert outperformance_streak(a, b, D("2026-01-08")).length == 2


def test_breadth_counts_rises() -> None:
    frame = pd.DataFrame(
        {"A": [10.0, 11.0], "B": [10.0, 9.0], "C": [10.0, 10.5], "D": [10.0, 10.0]},
        index=pd.DatetimeIndex(["2025-12-31", "2026-11-20"]),
    )
    result = breadth(frame, Span(D("2025-12-31"), D("2026-11-20")))
    assert (result.up, result.count, result.share) == (2, 4, 0.5)
    assert result.returns["B"] == pytest.approx(-0.1)
