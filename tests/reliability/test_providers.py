"""Bad data from a provider, through a whole refresh with the bundled generators: a network
that times out, HTML where prices should be, an empty frame, a bar for a session still
trading. Each costs its region (reported, the note untouched), never the refresh; an
unfinished bar is never used."""

from __future__ import annotations

import datetime as dt
import sys
import types
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from vaultkit.data.cache import PriceCache
from vaultkit.data.yfinance import NEW_YORK, YFinanceProvider
from vaultkit.refresh.report import SKIPPED, WRITTEN
from vaultkit.refresh.run import refresh_vault

from .figures import count, record_preserved

ASOF = dt.date(2026, 11, 20)
NOTE = """# Tracker

Prose the researcher wrote.

<!-- vaultkit:begin id=pair kind=pair a=XLE b=IGV window=90d -->
<!-- vaultkit:end id=pair -->

Closing prose.
"""
SESSIONS = pd.bdate_range(end=pd.Timestamp(ASOF), periods=160)


def _csv(closes: list[float] | None = None) -> str:
    rows = [f"{d.date()},{c:.2f}" for d, c in zip(SESSIONS, closes or
                                                    [100 + i * 0.1 for i in range(160)],
                                                    strict=True)]
    return "Date,Close\n" + "\n".join(rows) + "\n"


def _vault(tmp_path: Path, prices: dict[str, str]) -> Path:
    (tmp_path / "data" / "prices").mkdir(parents=True)
    for ticker, text in prices.items():
        (tmp_path / "data" / "prices" / f"{ticker}.csv").write_text(text)
    (tmp_path / "Tracker.md").write_text(NOTE)
    return tmp_path


HTML = ("<!DOCTYPE html>\n<html><head><title>Yahoo! - Error</title></head>\n"
        "<body>Will be right back…</body></html>\n")


@pytest.mark.parametrize("bad", ["html", "empty", "header-only", "nulls", "bad-date"])
def test_bad_csv_costs_its_region_and_leaves_the_note(tmp_path: Path, bad: str) -> None:
    text = {"html": HTML, "empty": "", "header-only": "Date,Close\n",
            "nulls": "Date,Close\n" + "".join(f"{d.date()},null\n" for d in SESSIONS),
            "bad-date": _csv().replace(str(SESSIONS[5].date()), "20xx-01-01")}[bad]
    root = _vault(tmp_path, {"XLE": text, "IGV": _csv()})
    before = (root / "Tracker.md").read_bytes()
    report = refresh_vault(root, asof=ASOF, settle=0)
    count(__name__, "faults injected")
    record_preserved(__name__, before, (root / "Tracker.md").read_bytes())
    assert (root / "Tracker.md").read_bytes() == before
    [record] = report.records
    assert record.status == SKIPPED and record.reason, record
    assert "XLE" in record.reason, record.reason


# --- yfinance, with a fake module in place of the network --------------------------------------


def _history(days: pd.DatetimeIndex, close: Any = None) -> pd.DataFrame:
    index = pd.DatetimeIndex([pd.Timestamp(d.date(), tz=NEW_YORK) for d in days])
    closes = close if close is not None else [100.0 + i for i in range(len(days))]
    return pd.DataFrame({"Open": 1.0, "Close": closes}, index=index)


def _fake_yfinance(monkeypatch: pytest.MonkeyPatch, answer: Any, now: dt.datetime) -> None:
    class Ticker:
        def __init__(self, symbol: str) -> None:
            self.symbol = symbol

        def history(self, **kwargs: Any) -> pd.DataFrame:
            result = answer(self.symbol)
            if isinstance(result, BaseException):
                raise result
            return result  # type: ignore[no-any-return]

    module = types.ModuleType("yfinance")
    module.Ticker = Ticker  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "yfinance", module)

    def make_provider(name: str, root: Path, *, offline: bool = False) -> YFinanceProvider:
        return YFinanceProvider(PriceCache(root / ".vaultkit" / "cache"), offline=offline,
                                sleep=lambda seconds: None, now=lambda: now)

    monkeypatch.setattr("vaultkit.refresh.kinds.make_provider", make_provider)


AFTER_CLOSE = dt.datetime(2026, 11, 20, 18, 0, tzinfo=NEW_YORK)
MID_SESSION = dt.datetime(2026, 11, 20, 11, 30, tzinfo=NEW_YORK)

FAULTS: dict[str, Any] = {
    "timeout": lambda s: TimeoutError("read timed out"),
    "connection": lambda s: ConnectionResetError(104, "Connection reset by peer"),
    "html-error": lambda s: ValueError("Expecting value: line 1 column 1 (char 0) <html>"),
    "html-frame": lambda s: _history(SESSIONS, ["<html>"] * len(SESSIONS)),
    "empty-frame": lambda s: pd.DataFrame(),
    "no-close": lambda s: _history(SESSIONS).drop(columns="Close"),
    "all-nan": lambda s: _history(SESSIONS, [float("nan")] * len(SESSIONS)),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_provider_faults_cost_their_region_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                fault: str) -> None:
    def answer(symbol: str) -> Any:
        return FAULTS[fault](symbol) if symbol == "XLE" else _history(SESSIONS)

    _fake_yfinance(monkeypatch, answer, AFTER_CLOSE)
    root = _vault(tmp_path, {})
    before = (root / "Tracker.md").read_bytes()
    report = refresh_vault(root, provider="yfinance", asof=ASOF, settle=0)
    count(__name__, "faults injected")
    record_preserved(__name__, before, (root / "Tracker.md").read_bytes())
    assert (root / "Tracker.md").read_bytes() == before
    [record] = report.records
    assert record.status == SKIPPED and "XLE" in (record.reason or ""), record


def test_a_bar_for_a_session_still_trading_is_not_used(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_yfinance(monkeypatch, lambda symbol: _history(SESSIONS), MID_SESSION)
    root = _vault(tmp_path, {})
    report = refresh_vault(root, provider="yfinance", asof=ASOF, settle=0)
    count(__name__, "faults injected")
    [record] = report.records
    assert record.status == WRITTEN, record
    assert record.asof is not None and record.asof < ASOF, record
    window = record.figures["windows"]["90d"]
    assert window["end"] < ASOF.isoformat(), window
    text = (root / "Tracker.md").read_text()
    assert text.startswith("# Tracker\n\nProse the researcher wrote.\n")
    assert text.endswith("\nClosing prose.\n")
