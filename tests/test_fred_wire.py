"""The FRED provider against recorded answers in FRED's formats (fredgraph.csv without a
key, the API's observations JSON with one) served on loopback, through its real HTTP code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from tests.wire import WIRE, Reply, Routes, fred_error, serve
from vaultkit.data.cache import PriceCache
from vaultkit.data.fred import FredProvider, parse_fredgraph
from vaultkit.errors import DataError
from vaultkit.refresh.context import GenerateContext
from vaultkit.refresh.kinds import generate, make_context
from vaultkit.refresh.spec import RegionSpec

D = dt.date.fromisoformat
CSV = (WIRE / "fredgraph-DGS10.csv").read_bytes()
JSON = (WIRE / "fred-observations-DGS10.json").read_bytes()
VALUES = {"2026-11-13": 4.31, "2026-11-16": 4.28, "2026-11-17": 4.25, "2026-11-18": 4.22,
          "2026-11-20": 4.18}  # 2026-11-19 has no value in either answer


def routes(csv: list[Reply] | None = None, api: list[Reply] | None = None) -> Routes:
    table = Routes()
    table.add("/graph/fredgraph.csv", *(csv or [Reply(body=CSV, content_type="text/csv")]))
    table.add("/fred/series/observations", *(api or [Reply(body=JSON)]))
    return table


def provider(tmp_path: Path, base: str, key: str | None = None,
             **kwargs: Any) -> tuple[FredProvider, list[float]]:
    sleeps: list[float] = []
    made = FredProvider(PriceCache(tmp_path / "cache", "fred"), api_key=key,
                        csv_url=f"{base}/graph/fredgraph.csv",
                        api_url=f"{base}/fred/series/observations", sleep=sleeps.append,
                        now=lambda: dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC), **kwargs)
    return made, sleeps


def _values(p: FredProvider) -> dict[str, float]:
    frame = p.closes(["DGS10"], D("2026-01-01"), D("2026-11-23"))
    return {f"{d.date()}": v for d, v in frame["DGS10"].items()}


def test_keyless_download_reads_fredgraph_csv(tmp_path: Path) -> None:
    table = routes()
    with serve(table) as base:
        p, _ = provider(tmp_path, base)
        assert _values(p) == VALUES
    (request,) = table.log
    assert urlsplit(request).path == "/graph/fredgraph.csv"
    assert parse_qs(urlsplit(request).query) == {"id": ["DGS10"]}
    assert p.source(["DGS10"]) == "FRED (St. Louis Fed) via fredgraph.csv"
    cached = PriceCache(tmp_path / "cache", "fred").load("DGS10")
    assert cached is not None and cached.fetched == D("2026-11-23")


def test_with_a_key_the_api_is_used(tmp_path: Path) -> None:
    table = routes()
    with serve(table) as base:
        p, _ = provider(tmp_path, base, key="abcdef0123456789abcdef0123456789")
        assert _values(p) == VALUES
    (request,) = table.log
    query = parse_qs(urlsplit(request).query)
    assert urlsplit(request).path == "/fred/series/observations"
    assert query["series_id"] == ["DGS10"] and query["file_type"] == ["json"]
    assert query["api_key"] == ["abcdef0123456789abcdef0123456789"]
    assert p.source(["DGS10"]) == "FRED (St. Louis Fed) via the API"


def test_the_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setenv("FRED_API_KEY", "k" * 32)
    assert FredProvider(PriceCache(tmp_path, "fred")).api_key == "k" * 32
    monkeypatch.delenv("FRED_API_KEY")
    assert FredProvider(PriceCache(tmp_path, "fred")).api_key is None


def test_rate_limit_past_every_retry_keeps_the_cache_and_says_so(tmp_path: Path) -> None:
    cache = PriceCache(tmp_path / "cache", "fred")
    cache.store("DGS10", pd.Series([4.3], index=pd.to_datetime(["2026-11-13"])),
                D("2026-11-14"))
    limited = fred_error(429, "Too Many Requests.  Exceeded Rate Limit")
    with serve(routes(api=[limited])) as base:
        p, sleeps = provider(tmp_path, base, key="k" * 32, retries=2, backoff=1.0)
        assert _values(p) == {"2026-11-13": 4.3}
    assert sleeps == [1.0, 2.0]
    assert p.warnings(["DGS10"]) == (
        "DGS10: rate limited; kept the cached data of 2026-11-14",)


def test_rate_limit_then_success(tmp_path: Path) -> None:
    limited = fred_error(429, "Too Many Requests.  Exceeded Rate Limit")
    with serve(routes(api=[limited, Reply(body=JSON)])) as base:
        p, sleeps = provider(tmp_path, base, key="k" * 32)
        assert _values(p) == VALUES
    assert sleeps == [2.0] and p.warnings(["DGS10"]) == ()


def test_a_refused_key_is_an_error_at_once(tmp_path: Path) -> None:
    bad = fred_error(400, "Bad Request.  The value for variable api_key is not registered.")
    with serve(routes(api=[bad])) as base:
        p, sleeps = provider(tmp_path, base, key="k" * 32)
        with pytest.raises(DataError, match=r"FRED refused the request .*api_key"):
            _values(p)
    assert sleeps == []


def test_an_html_page_is_not_data(tmp_path: Path) -> None:
    page = Reply(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html")
    with serve(routes(csv=[page])) as base:
        p, _ = provider(tmp_path, base)
        with pytest.raises(DataError, match="not a fredgraph CSV"):
            _values(p)


def test_offline_reads_only_the_cache(tmp_path: Path) -> None:
    table = routes()
    with serve(table) as base:
        _values(provider(tmp_path, base)[0])
        offline, _ = provider(tmp_path, base, offline=True)
        assert _values(offline) == VALUES
    assert len(table.log) == 1
    with pytest.raises(DataError, match="VIXCLS: not in the cache"):
        offline.closes(["VIXCLS"], D("2026-01-01"), D("2026-11-23"))


def test_the_older_download_format_is_read_too() -> None:
    old = "DATE,DGS10\n2026-11-18,4.22\n2026-11-19,.\n2026-11-20,4.18\n"
    values, _ = parse_fredgraph(old, "DGS10", "x.csv")
    assert values.to_dict() == {pd.Timestamp("2026-11-18"): 4.22,
                                pd.Timestamp("2026-11-20"): 4.18}


@pytest.mark.parametrize(("asof", "behind", "stale"), [
    ("2026-11-23", 1, False),  # Monday: Friday's H.15 yield may appear a session late
    ("2026-11-24", 2, True),
])
def test_a_series_region_end_to_end_with_its_publication_lag(
        tmp_path: Path, asof: str, behind: int, stale: bool) -> None:
    spec = RegionSpec("m", "series", {"series": "DGS10", "windows": "5d"}, "T.md", 3)
    with serve(routes()) as base:
        p, _ = provider(tmp_path / asof, base)
        base_context = make_context(tmp_path, asof=D(asof))
        context = GenerateContext(tmp_path, base_context.provider, D(asof), False,
                                  base_context.env, base_context.reference, p)
        result = generate(spec, context)
    values = result.figures["values"]["DGS10"]
    assert values["level"] == 4.18 and values["date"] == "2026-11-20"
    # 5 calendar days before 2026-11-20 is 11-15, a Sunday: the base is Friday 11-13.
    window = values["windows"]["5d"]
    assert window["start"] == "2026-11-13" and window["change"] == pytest.approx(-0.13)
    assert "| -13bp |" in result.body and "via fredgraph.csv" in result.body
    assert result.freshness is not None
    assert result.freshness.sessions_behind == behind and result.freshness.stale is stale
