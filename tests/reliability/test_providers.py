"""Bad data from a provider, through a whole refresh with the bundled generators: a network
that times out, HTML where prices should be, an empty frame, a bar for a session still
trading. Each costs its region (reported, the note untouched), never the refresh; an
unfinished bar is never used. Yahoo's faults are served over loopback HTTP to the real
yfinance library (tests/wire.py), not faked inside it."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.wire import WIRE, Reply, Routes, loopback_session, serve, yahoo_not_found, yahoo_routes
from vaultkit.data.cache import PriceCache
from vaultkit.data.provider import PriceProvider
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


# --- yfinance: faults on the wire, through the real library ----------------------------------


def _chart(symbol: str, edit: Any = None) -> bytes:
    body: dict[str, Any] = json.loads((WIRE / "yahoo-chart-XLE.json").read_text())
    body["chart"]["result"][0]["meta"]["symbol"] = symbol
    if edit:
        edit(body["chart"]["result"][0])
    return json.dumps(body).encode()


def _nulls(result: dict[str, Any]) -> None:
    for key in ("open", "high", "low", "close"):
        result["indicators"]["quote"][0][key] = [None] * len(result["timestamp"])
    result["indicators"]["adjclose"][0]["adjclose"] = [None] * len(result["timestamp"])


def _no_bars(result: dict[str, Any]) -> None:
    del result["timestamp"]
    result["indicators"] = {"quote": [{}], "adjclose": [{}]}


FAULTS: dict[str, Reply] = {
    "html-page": Reply(200, HTML.encode(), "text/html"),
    "html-503": Reply(503, HTML.encode(), "text/html"),
    "not-found": yahoo_not_found("XLE"),
    "no-bars": Reply(body=_chart("XLE", _no_bars)),
    "all-null": Reply(body=_chart("XLE", _nulls)),
    "truncated-json": Reply(body=_chart("XLE")[:200]),
}


def _use_loopback(monkeypatch: pytest.MonkeyPatch, base: str, now: dt.datetime) -> None:
    """Refreshes build their yfinance provider with a session pointed at ``base``."""
    session = loopback_session(base)

    def make_provider(name: str, root: Path, *, offline: bool = False) -> PriceProvider:
        return YFinanceProvider(PriceCache(root / ".vaultkit" / "cache"), offline=offline,
                                sleep=lambda seconds: None, now=lambda: now, session=session,
                                retries=1)

    monkeypatch.setattr("vaultkit.refresh.context.make_provider", make_provider)


@pytest.fixture(autouse=True, scope="module")
def _yfinance_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    yf = pytest.importorskip("yfinance")
    yf.set_tz_cache_location(str(tmp_path_factory.mktemp("yfinance-cache")))


AFTER_CLOSE = dt.datetime(2026, 11, 20, 18, 0, tzinfo=NEW_YORK)
MID_SESSION = dt.datetime(2026, 11, 20, 11, 30, tzinfo=NEW_YORK)


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::pandas.errors.Pandas4Warning")
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_provider_faults_cost_their_region_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                fault: str) -> None:
    routes = yahoo_routes({"XLE": [FAULTS[fault]], "IGV": [Reply(body=_chart("IGV"))]})
    root = _vault(tmp_path, {})
    before = (root / "Tracker.md").read_bytes()
    with serve(routes) as base:
        _use_loopback(monkeypatch, base, AFTER_CLOSE)
        report = refresh_vault(root, provider="yfinance", asof=ASOF, settle=0)
    count(__name__, "faults injected")
    record_preserved(__name__, before, (root / "Tracker.md").read_bytes())
    assert (root / "Tracker.md").read_bytes() == before
    [record] = report.records
    assert record.status == SKIPPED and "XLE" in (record.reason or ""), record


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::pandas.errors.Pandas4Warning")
def test_a_refused_connection_falls_back_to_nothing_and_costs_the_region(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _use_loopback(monkeypatch, f"http://127.0.0.1:{port}", AFTER_CLOSE)
    root = _vault(tmp_path, {})
    before = (root / "Tracker.md").read_bytes()
    report = refresh_vault(root, provider="yfinance", asof=ASOF, settle=0)
    count(__name__, "faults injected")
    assert (root / "Tracker.md").read_bytes() == before
    [record] = report.records
    assert record.status == SKIPPED and "nothing cached" in (record.reason or ""), record


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::pandas.errors.Pandas4Warning")
def test_a_bar_for_a_session_still_trading_is_not_used(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    routes: Routes = yahoo_routes({"XLE": [Reply(body=_chart("XLE"))],
                                   "IGV": [Reply(body=_chart("IGV"))]})
    root = _vault(tmp_path, {})
    note = root / "Tracker.md"  # the recorded answers hold two months of sessions
    note.write_text(note.read_text().replace("window=90d", "window=1m"))
    with serve(routes) as base:
        _use_loopback(monkeypatch, base, MID_SESSION)
        report = refresh_vault(root, provider="yfinance", asof=ASOF, settle=0)
    count(__name__, "faults injected")
    [record] = report.records
    assert record.status == WRITTEN, record
    assert record.asof is not None and record.asof < ASOF, record
    window = record.figures["windows"]["1m"]
    assert window["end"] < ASOF.isoformat(), window
    text = (root / "Tracker.md").read_text()
    assert text.startswith("# Tracker\n\nProse the researcher wrote.\n")
    assert text.endswith("\nClosing prose.\n")
