"""Staleness is a finding: the as-of class (past the data's end, before its start, on a
weekend, a holiday, a half-day session) judged by the NYSE's own calendar.

Calendar facts used (NYSE holiday schedule, 2026): Thanksgiving, Thursday 2026-11-26, is
closed; Friday 2026-11-27 closes early at 13:00 New York (18:00 UTC); Christmas, Friday
2026-12-25, is closed. So from Friday 2026-11-20 to Thursday 2026-12-31 the NYSE holds
5 sessions in November (23, 24, 25, 27, 30) and 22 in December (23 weekdays less the
25th): 27 sessions.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultkit.cli import cli
from vaultkit.data.freshness import (
    Rule,
    assess,
    end_of_day,
    exchange_rule,
    last_completed,
    session_close,
    sessions_after,
)
from vaultkit.errors import DataError
from vaultkit.refresh.kinds import generate, make_context
from vaultkit.refresh.spec import Generated, RegionSpec

ROOT = Path(__file__).resolve().parent.parent
D = dt.date.fromisoformat
UTC = dt.UTC


def test_exchange_rules_follow_yahoo_suffixes() -> None:
    assert exchange_rule("XLE") == Rule("XNYS")
    assert exchange_rule("^GSPC") == Rule("XNYS")
    assert exchange_rule("BRK.B") == Rule("XNYS")  # a class suffix, not an exchange
    assert exchange_rule("VOD.L") == Rule("XLON")
    assert exchange_rule("7203.T") == Rule("XTKS")
    assert exchange_rule("CL=F") == Rule("CMES")
    assert exchange_rule("EURUSD=X") == Rule("24/5")


def test_sessions_between_follow_the_holiday_calendar() -> None:
    assert sessions_after("XNYS", D("2026-11-20"), D("2026-12-31")) == 27
    assert sessions_after("XNYS", D("2026-11-25"), D("2026-11-27")) == 1  # Thanksgiving
    assert sessions_after("XNYS", D("2026-11-20"), D("2026-11-22")) == 0  # weekend
    assert sessions_after("XNYS", D("2026-11-20"), D("2026-11-20")) == 0


def test_a_half_day_session_is_complete_after_its_early_close() -> None:
    assert session_close("XNYS", D("2026-11-27")) == dt.datetime(2026, 11, 27, 18, tzinfo=UTC)
    assert session_close("XNYS", D("2026-11-26")) is None  # Thanksgiving
    before = dt.datetime(2026, 11, 27, 17, 59, tzinfo=UTC)
    after = dt.datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    assert last_completed("XNYS", before) == D("2026-11-25")
    assert last_completed("XNYS", after) == D("2026-11-27")
    # A normal day closes at 16:00 New York = 21:00 UTC in winter.
    assert last_completed("XNYS", dt.datetime(2026, 11, 30, 20, 59, tzinfo=UTC)) == D(
        "2026-11-27")
    assert last_completed("XNYS", end_of_day(D("2026-11-29"))) == D("2026-11-27")


def test_publication_lag_is_allowed_for_a_series() -> None:
    moment = end_of_day(D("2026-11-24"))
    bars = {"DGS10": D("2026-11-23")}
    lagged = assess("fred", {"DGS10": Rule("XNYS", lag=1)}, bars, D("2026-11-23"),
                    D("2026-11-24"), moment)
    assert lagged.sessions_behind == 1 and not lagged.stale
    strict = assess("csv", {}, bars, D("2026-11-23"), D("2026-11-24"), moment)
    assert strict.sessions_behind == 1 and strict.stale


# ----------------------------------------------------------------- through the generators


def _vault(tmp_path: Path, last: str) -> Path:
    """Two tickers on every NYSE session from 1999-01-04 to ``last``."""
    import exchange_calendars as xc

    sessions = xc.get_calendar("XNYS", start="1999-01-04", end=last).sessions
    folder = tmp_path / "data" / "prices"
    folder.mkdir(parents=True)
    for ticker, slope in (("AAA", 0.01), ("BBB", 0.02)):
        rows = "".join(f"{d.date()},{100 + i * slope:.2f}\n" for i, d in enumerate(sessions))
        (folder / f"{ticker}.csv").write_text("Date,Close\n" + rows, encoding="utf-8")
    return tmp_path


def _returns(root: Path, asof: dt.date | None, windows: str = "1m,3m,ytd,1y") -> Generated:
    spec = RegionSpec("r", "returns", {"tickers": "AAA,BBB", "windows": windows},
                      "Tracker.md", 3)
    return generate(spec, make_context(root, asof=asof))


def test_as_of_past_the_data_end_uses_the_last_session_and_says_it_is_stale(
        tmp_path: Path) -> None:
    root = _vault(tmp_path, "2026-11-20")
    result = _returns(root, D("2026-12-31"))
    # The regression: the 1y window is resolved from the as-of *session* (2026-11-20), so
    # its base is 2025-11-20 — not "data starts 2025-12-01" from a lookback cut at the
    # requested date.
    assert result.figures["windows"]["1y"]["start"] == "2025-11-20"
    assert result.asof == D("2026-11-20")
    fresh = result.freshness
    assert fresh is not None and fresh.stale and fresh.sessions_behind == 27
    assert fresh.expected == D("2026-12-31") and fresh.calendar == "XNYS"
    assert fresh.last_bars == {"AAA": D("2026-11-20"), "BBB": D("2026-11-20")}
    assert "> [!warning] Stale data" in result.body
    assert "the as-of is past the data's end" in result.body


def test_as_of_before_the_data_start_is_a_clear_error(tmp_path: Path) -> None:
    root = _vault(tmp_path, "2026-11-20")
    with pytest.raises(DataError, match="data starts 1999-01-04"):
        _returns(root, D("1998-06-01"))


def test_as_of_on_a_weekend_is_the_friday_and_not_stale(tmp_path: Path) -> None:
    root = _vault(tmp_path, "2026-11-20")
    result = _returns(root, D("2026-11-22"))
    assert result.asof == D("2026-11-20")
    assert result.freshness is not None and not result.freshness.stale
    assert "[!warning]" not in result.body


def test_as_of_on_a_holiday_is_not_stale_but_the_half_day_after_is(tmp_path: Path) -> None:
    root = _vault(tmp_path, "2026-11-25")
    holiday = _returns(root, D("2026-11-26"))
    assert holiday.asof == D("2026-11-25")
    assert holiday.freshness is not None and not holiday.freshness.stale
    half_day = _returns(root, D("2026-11-27"))
    assert half_day.freshness is not None and half_day.freshness.stale
    assert half_day.freshness.sessions_behind == 1


def test_a_live_refresh_during_a_half_day_waits_for_its_early_close(tmp_path: Path) -> None:
    root = _vault(tmp_path, "2026-11-25")
    spec = RegionSpec("r", "returns", {"tickers": "AAA,BBB", "windows": "1m"}, "T.md", 3)
    context = make_context(root, asof=D("2026-11-27"))
    for moment, stale in ((dt.datetime(2026, 11, 27, 17, 0, tzinfo=UTC), False),
                          (dt.datetime(2026, 11, 27, 18, 30, tzinfo=UTC), True)):
        live = type(context)(context.root, context.provider, context.asof, False, context.env,
                             moment)
        fresh = generate(spec, live).freshness
        assert fresh is not None and fresh.stale is stale


def test_a_fixed_range_in_the_past_is_never_stale(tmp_path: Path) -> None:
    root = _vault(tmp_path, "2026-11-20")
    spec = RegionSpec("r", "pair", {"a": "AAA", "b": "BBB", "window": "2000-01-03..2002-12-31"},
                      "T.md", 3)
    result = generate(spec, make_context(root, asof=D("2026-12-31")))
    assert result.freshness is not None and not result.freshness.stale


def test_one_ticker_behind_makes_the_region_stale_and_is_named(tmp_path: Path) -> None:
    root = _vault(tmp_path, "2026-11-20")
    path = root / "data" / "prices" / "BBB.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-3]) + "\n")  # BBB ends 2026-11-17
    result = _returns(root, None, "1m")  # default as-of: the last date in the files
    fresh = result.freshness
    assert result.asof == D("2026-11-17")
    assert fresh is not None and fresh.stale and fresh.sessions_behind == 3
    assert fresh.message() is not None and fresh.message().startswith(  # type: ignore[union-attr]
        "BBB: last close 2026-11-17")  # AAA is current


def test_refresh_check_exits_1_naming_stale_regions(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(ROOT / "vault", vault, ignore=shutil.ignore_patterns(".vaultkit"))
    runner = CliRunner()
    args = ["--vault", str(vault), "refresh", "--check", "--offline", "--format", "json"]
    fresh = runner.invoke(cli, args)
    assert fresh.exit_code == 0, fresh.output
    assert not any(r["stale"] for r in json.loads(fresh.stdout))
    late = runner.invoke(cli, [*args, "--as-of", "2026-12-31"])
    assert late.exit_code == 1
    records = {r["id"]: r for r in json.loads(late.stdout)}
    assert all(r["status"] != "skipped" for r in records.values())  # no wrong-window failure
    assert records["mag7-returns"]["stale"] and records["mag7-returns"]["sessions_behind"] == 27
    assert records["mag7-returns"]["last_bar"] == "2026-11-20"
    assert not records["rot-2000"]["stale"]  # a fixed range in 2000–2002 is complete
    assert "Rotation tracker.md#mag7-returns (27 sessions behind)" in late.stderr
