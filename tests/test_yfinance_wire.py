"""The yfinance provider through the real yfinance library against recorded Yahoo answers
(v8 chart JSON, the cookie and crumb handshake, HTTP 429) served on loopback.

Each test uses its own symbols: yfinance keeps process-wide caches (time zone per symbol,
an LRU of responses), and a symbol seen once would not be asked for again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.wire import TOO_MANY, WIRE, Reply, loopback_session, serve, yahoo_not_found, yahoo_routes
from vaultkit.data.cache import PriceCache
from vaultkit.data.yfinance import YFinanceProvider
from vaultkit.errors import DataError
from vaultkit.refresh.kinds import GenerateContext, generate
from vaultkit.refresh.render import make_environment
from vaultkit.refresh.report import WRITTEN
from vaultkit.refresh.run import refresh_vault

yf = pytest.importorskip("yfinance")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning",
                                        "ignore::pandas.errors.Pandas4Warning")
D = dt.date.fromisoformat
UTC = dt.UTC
# Monday 2026-11-30, 08:00 New York: the last completed NYSE session is Friday 11-27.
MONDAY = dt.datetime(2026, 11, 30, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True, scope="module")
def _yfinance_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # yfinance's own cookie and time-zone caches, away from the user's home.
    yf.set_tz_cache_location(str(tmp_path_factory.mktemp("yfinance-cache")))


def recorded(symbol: str, as_symbol: str | None = None,
             drop: tuple[str, ...] = ()) -> bytes:
    """The recorded chart of ``symbol``, renamed and with the bars of ``drop`` removed."""
    body: dict[str, Any] = json.loads((WIRE / f"yahoo-chart-{symbol}.json").read_text())
    result = body["chart"]["result"][0]
    result["meta"]["symbol"] = as_symbol or symbol
    if drop:
        days = [dt.datetime.fromtimestamp(t, UTC).date().isoformat()
                for t in result["timestamp"]]
        keep = [i for i, d in enumerate(days) if d not in drop]
        result["timestamp"] = [result["timestamp"][i] for i in keep]
        quote = result["indicators"]["quote"][0]
        for key in quote:
            quote[key] = [quote[key][i] for i in keep]
        adj = result["indicators"]["adjclose"][0]
        adj["adjclose"] = [adj["adjclose"][i] for i in keep]
    return json.dumps(body).encode()


def provider(tmp_path: Path, base: str, now: dt.datetime = MONDAY, **kwargs: Any
             ) -> tuple[YFinanceProvider, list[float]]:
    sleeps: list[float] = []
    made = YFinanceProvider(PriceCache(tmp_path / "cache"), session=loopback_session(base),
                            now=lambda: now, sleep=sleeps.append, **kwargs)
    return made, sleeps


def _closes(p: YFinanceProvider, *symbols: str) -> pd.DataFrame:
    return p.closes(symbols, D("2026-01-01"), D("2026-11-30"))


def test_adjusted_and_unadjusted_closes_are_chosen_explicitly(tmp_path: Path) -> None:
    raw = json.loads(recorded("XLE"))["chart"]["result"][0]["indicators"]
    routes = yahoo_routes({"ADJA": [Reply(body=recorded("XLE", "ADJA"))],
                           "ADJB": [Reply(body=recorded("XLE", "ADJB"))]})
    with serve(routes) as base:
        adjusted, _ = provider(tmp_path / "a", base)
        plain, _ = provider(tmp_path / "u", base, adjusted=False)
        a = _closes(adjusted, "ADJA")["ADJA"]
        u = _closes(plain, "ADJB")["ADJB"]
    assert a.tolist() == pytest.approx(raw["adjclose"][0]["adjclose"])
    assert u.tolist() == pytest.approx(raw["quote"][0]["close"])
    assert "adjusted closes: splits and dividends" in adjusted.source(["ADJA"])
    assert "unadjusted closes: splits only" in plain.source(["ADJB"])
    # yfinance's own conversation: a crumb on every chart request (the handshake that got
    # it is made once per process, so an earlier test may have made it).
    assert any(p.startswith("/v8/finance/chart/ADJA?") and "crumb=" in p for p in routes.log)


def test_rate_limit_is_retried_with_backoff_then_succeeds(tmp_path: Path) -> None:
    # yfinance itself retries a 4xx once with its other cookie strategy; two 429s in a row
    # reach vaultkit as YFRateLimitError.
    routes = yahoo_routes({"RLOK": [TOO_MANY, TOO_MANY, Reply(body=recorded("XLE", "RLOK"))]})
    with serve(routes) as base:
        p, sleeps = provider(tmp_path, base, backoff=1.5)
        closes = _closes(p, "RLOK")
    assert sleeps == [1.5]
    assert closes.index[-1].date() == D("2026-11-27")
    assert p.warnings(["RLOK"]) == ()


def test_rate_limit_past_every_retry_keeps_the_cache_and_says_so(tmp_path: Path) -> None:
    cache = PriceCache(tmp_path / "cache")
    old = pd.Series([100.0, 101.0], index=pd.to_datetime(["2026-11-19", "2026-11-20"]))
    cache.store("RLA", old, D("2026-11-20"))
    cache.store("RLB", old, D("2026-11-20"))
    routes = yahoo_routes({"RLA": [TOO_MANY], "RLB": [TOO_MANY]})
    with serve(routes) as base:
        p, sleeps = provider(tmp_path, base, retries=2, backoff=1.0)
        closes = _closes(p, "RLA", "RLB")
    assert sleeps == [1.0, 2.0]  # exponential backoff, then give up
    assert closes.index[-1].date() == D("2026-11-20")
    assert p.warnings(["RLA"]) == ("RLA: rate limited; kept the cached data of 2026-11-20",)
    assert p.warnings(["RLB"]) == ("RLB: rate limited; kept the cached data of 2026-11-20",)
    # After one exhausted 429 the rest of the refresh does not knock again.
    assert not any("/chart/RLB" in path for path in routes.log)


def test_rate_limit_with_nothing_cached_is_an_error(tmp_path: Path) -> None:
    with serve(yahoo_routes({"RLN": [TOO_MANY]})) as base:
        p, _ = provider(tmp_path, base, retries=0)
        with pytest.raises(DataError, match="RLN: rate limited and nothing cached"):
            _closes(p, "RLN")


def test_missing_bars_are_reported_not_bridged(tmp_path: Path) -> None:
    body = recorded("XLE", "GAPX", drop=("2026-11-18", "2026-11-19"))
    with serve(yahoo_routes({"GAPX": [Reply(body=body)]})) as base:
        p, _ = provider(tmp_path, base)
        closes = _closes(p, "GAPX")["GAPX"]
    assert pd.Timestamp("2026-11-18") not in closes.index  # no invented bar
    assert p.warnings(["GAPX"]) == (
        "GAPX: Yahoo returned no bar for 2 XNYS session(s): 2026-11-18, 2026-11-19; "
        "not filled in",)


@pytest.mark.parametrize(("now", "last"), [
    # 2026-11-27 is a half day: the NYSE closes at 13:00 New York (18:00 UTC).
    (dt.datetime(2026, 11, 27, 17, 30, tzinfo=UTC), "2026-11-25"),
    (dt.datetime(2026, 11, 27, 18, 5, tzinfo=UTC), "2026-11-27"),
])
def test_an_unfinished_session_is_never_a_close(tmp_path: Path, now: dt.datetime,
                                                last: str) -> None:
    symbol = f"HALF{now.minute}"
    with serve(yahoo_routes({symbol: [Reply(body=recorded("XLE", symbol))]})) as base:
        p, _ = provider(tmp_path, base, now=now)
        closes = _closes(p, symbol)
    assert closes.index[-1].date() == D(last)


def test_unknown_symbol_is_a_data_error(tmp_path: Path) -> None:
    with serve(yahoo_routes({"NOPEX": [yahoo_not_found("NOPEX")]})) as base:
        p, _ = provider(tmp_path, base, retries=0)
        with pytest.raises(DataError, match="NOPEX"):
            _closes(p, "NOPEX")


def test_offline_reads_the_cache_and_never_the_network(tmp_path: Path) -> None:
    routes = yahoo_routes({"OFFA": [Reply(body=recorded("XLE", "OFFA"))]})
    with serve(routes) as base:
        online, _ = provider(tmp_path, base)
        _closes(online, "OFFA")
        fetched = len(routes.log)
        offline, _ = provider(tmp_path, base, offline=True)
        closes = _closes(offline, "OFFA")
    assert len(routes.log) == fetched
    assert closes.index[-1].date() == D("2026-11-27")
    assert "cache fetched 2026-11-30" in offline.source(["OFFA"])


NOTE = """# Tracker

<!-- vaultkit:begin id=pair kind=pair a=E2EA b=E2EB window=1m -->
<!-- vaultkit:end id=pair -->
"""


def test_a_whole_refresh_through_yfinance(tmp_path: Path) -> None:
    """End to end: recorded answers → real yfinance → provider → pair region → note."""
    (tmp_path / "Tracker.md").write_text(NOTE, encoding="utf-8")
    routes = yahoo_routes({"E2EA": [Reply(body=recorded("XLE", "E2EA"))],
                           "E2EB": [Reply(body=recorded("IGV", "E2EB", drop=("2026-11-20",)))]})
    with serve(routes) as base:
        p, _ = provider(tmp_path / ".vaultkit", base)
        context = GenerateContext(tmp_path, p, D("2026-11-30"), False,
                                  make_environment(tmp_path), MONDAY)
        report = refresh_vault(tmp_path, generate=lambda spec: generate(spec, context))
    (record,) = report.records
    assert record.status == WRITTEN and record.asof == D("2026-11-27")
    assert record.freshness is not None and not record.freshness.stale
    assert record.freshness.provider == "yfinance"
    assert record.freshness.notes == ("E2EB: Yahoo returned no bar for 1 XNYS session(s): "
                                      "2026-11-20; not filled in",)
    text = (tmp_path / "Tracker.md").read_text(encoding="utf-8")
    assert "Yahoo Finance via yfinance (adjusted closes: splits and dividends)" in text
    assert "> [!warning] Data warnings" in text and "2026-11-20; not filled in" in text
    # Each ticker fetched once (its time zone, then its history), one crumb for both.
    charts = [p for p in routes.log if p.startswith("/v8/finance/chart/")]
    assert sorted(p.split("?")[0] for p in charts) == [
        "/v8/finance/chart/E2EA", "/v8/finance/chart/E2EA",
        "/v8/finance/chart/E2EB", "/v8/finance/chart/E2EB"]


def test_an_answer_that_is_not_data_is_an_error_at_once(tmp_path: Path) -> None:
    page = Reply(200, b"<html><body>Will be right back...</body></html>", "text/html")
    with serve(yahoo_routes({"DOWNX": [page]})) as base:
        p, sleeps = provider(tmp_path, base)
        with pytest.raises(DataError, match="DOWNX: yfinance failed"):
            _closes(p, "DOWNX")
    assert sleeps == []  # not a rate limit or a network fault: no retry


def test_a_refused_connection_is_retried_then_the_cache_is_kept(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cache = PriceCache(tmp_path / "cache")
    cache.store("REFX", pd.Series([100.0], index=pd.to_datetime(["2026-11-20"])),
                D("2026-11-20"))
    p, sleeps = provider(tmp_path, f"http://127.0.0.1:{port}", retries=1, backoff=1.0)
    closes = _closes(p, "REFX")
    assert sleeps == [1.0] and closes["REFX"].tolist() == [100.0]
    (note,) = p.warnings(["REFX"])
    assert note.startswith("REFX: Yahoo unreachable (") and note.endswith(
        "; kept the cached data of 2026-11-20")
