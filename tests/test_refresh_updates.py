"""Dated update sections: one per as-of session, newest first, never rewritten."""

from __future__ import annotations

import datetime as dt

from vaultkit.refresh.updates import Figures, heading, summarize, updates_body

NOV19, NOV20, NOV21 = dt.date(2026, 11, 19), dt.date(2026, 11, 20), dt.date(2026, 11, 21)


def _pair(spread: float, asof: dt.date) -> Figures:
    window = {"start": "2026-08-21", "end": asof.isoformat(), "a_return": 0.18,
              "b_return": 0.18 - spread / 100, "spread_pp": spread}
    return Figures("xle-igv", "pair", {"a": "XLE", "b": "IGV", "windows": {"90d": window}},
                   asof, "csv")


def test_first_section_then_newest_first_and_the_stamp_last() -> None:
    first = updates_body("", NOV20, [_pair(44.1, NOV20)])
    assert first == (
        "### November 20, 2026 update\n\n"
        "- **xle-igv** (pair): XLE +18.0% vs IGV -26.1%, spread +44.1pp over 90d "
        "(2026-08-21 → 2026-11-20)\n\n"
        "*As of the 2026-11-20 session; source: csv.*\n\n*Updated 2026-11-20*")
    second = updates_body(first, NOV21, [_pair(40.0, NOV21)])
    assert second.startswith("### November 21, 2026 update\n")
    assert second.endswith("*Updated 2026-11-21*")
    old_section = first.rsplit("\n\n*Updated", 1)[0]
    assert old_section in second
    assert second.index(old_section) > second.index("November 21")


def test_an_existing_session_is_never_rewritten_even_if_figures_change() -> None:
    first = updates_body("", NOV20, [_pair(44.1, NOV20)])
    assert updates_body(first, NOV20, [_pair(99.9, NOV20)]) == first
    assert updates_body(updates_body(first, NOV20, [_pair(1.0, NOV20)]), NOV20, []) == first


def test_replaying_an_older_session_inserts_it_in_date_order() -> None:
    body = updates_body(updates_body("", NOV21, [_pair(40.0, NOV21)]), NOV19,
                        [_pair(30.0, NOV19)])
    assert body.index("November 21") < body.index("November 19")
    middle = updates_body(body, NOV20, [_pair(35.0, NOV20)])
    assert middle.index("November 21") < middle.index("November 20") < middle.index(
        "November 19")
    assert "+40.0pp" in middle and "+30.0pp" in middle


def test_only_figures_of_the_sessions_date_are_recorded() -> None:
    body = updates_body("", NOV20, [_pair(44.1, NOV20), _pair(12.0, NOV19)])
    assert "+44.1pp" in body and "+12.0pp" not in body
    assert updates_body("", NOV20, []) == ""


def test_summaries_of_every_kind_and_unknown_shapes() -> None:
    assert heading(dt.date(2026, 2, 7)) == "### February 7, 2026 update"
    returns = {"tickers": ["NVDA"], "windows": {"ytd": {
        "start": "2025-12-31", "end": "2026-11-20", "returns": {"NVDA": -0.075}}}}
    assert summarize("returns", returns) == (
        "returns by window\n- ytd (2025-12-31 → 2026-11-20): NVDA -7.5%")
    streak = {"a": "IWM", "b": "SPY", "length": 10, "previous_length": 12,
              "start": "2026-11-09", "end": "2026-11-20", "previous_end": "2004-02-19"}
    assert summarize("streak", streak) == (
        "IWM beat SPY 10 session(s) in a row (since 2026-11-09); previous streak 12, "
        "ended 2004-02-19")
    breadth = {"window": "ytd", "start": "2025-12-31", "end": "2026-11-20", "up": 7,
               "count": 11, "share": 7 / 11, "ew": {"ticker": "RSP", "return": 0.089},
               "cw": {"ticker": "SPY", "return": 0.051}, "ew_minus_cw_pp": 3.8}
    assert summarize("breadth", breadth) == (
        "7 of 11 up over ytd (63.6% share, 2025-12-31 → 2026-11-20); "
        "RSP +8.9% vs SPY +5.1%, +3.8pp")
    assert summarize("pair", {"unexpected": {"x": 1.23456}}) == "unexpected.x 1.235"
