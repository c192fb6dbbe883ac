"""Region generators on a tiny hand-made vault, and on the bundled sample vault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vaultkit.errors import DataError, MarkerError, VaultkitError
from vaultkit.refresh.kinds import KINDS, generate, make_context
from vaultkit.refresh.spec import Generated, RegionSpec

ROOT = Path(__file__).resolve().parent.parent
D = dt.date.fromisoformat

# Hand-picked closes: 2026-08-22 (90 days before 2026-11-20) is a Saturday, so the 90d
# base is Friday 2026-08-21; the YTD base is 2025-12-31.
CLOSES = {
    "AAA": {"2025-12-31": 80, "2026-08-20": 90, "2026-08-21": 100, "2026-08-24": 105,
            "2026-11-19": 115, "2026-11-20": 118},
    "BBB": {"2025-12-31": 250, "2026-08-20": 210, "2026-08-21": 200, "2026-08-24": 190,
            "2026-11-19": 160, "2026-11-20": 150},
    "CCC": {"2025-12-31": 10, "2026-08-20": 10, "2026-08-21": 10, "2026-08-24": 10,
            "2026-11-19": 10, "2026-11-20": 9},
}


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "prices"
    folder.mkdir(parents=True)
    for ticker, closes in CLOSES.items():
        rows = "".join(f"{d},{v}\n" for d, v in closes.items())
        (folder / f"{ticker}.csv").write_text(f"Date,Close\n{rows}", encoding="utf-8")
    return tmp_path


def run(root: Path, kind: str, asof: dt.date | None = None, **params: str) -> Generated:
    spec = RegionSpec("r", kind, params, "Rotation tracker.md", 12)
    return generate(spec, make_context(root, asof=asof))


def check_body(body: str) -> None:
    assert "\r" not in body and not body.endswith("\n")
    assert "As of the Nov 20, 2026 close" in body and "data/prices CSV" in body


def test_kinds() -> None:
    assert frozenset({"pair", "returns", "streak", "breadth", "series", "signature", "audit",
                      "base", "query"}) == KINDS


def test_pair_figures_match_hand_computed_returns(vault: Path) -> None:
    result = run(vault, "pair", a="AAA", b="BBB", window="90d,ytd", chart="a-vs-b.png")
    assert result.asof == D("2026-11-20") and result.source == "data/prices CSV"
    windows = result.figures["windows"]
    assert result.figures["a"] == "AAA" and result.figures["b"] == "BBB"
    assert list(windows) == ["90d", "ytd"]
    assert windows["90d"] == {
        "start": "2026-08-21", "end": "2026-11-20", "a_return": pytest.approx(0.18),
        "b_return": pytest.approx(-0.25), "spread_pp": pytest.approx(43.0),
    }
    assert windows["ytd"]["start"] == "2025-12-31"
    assert windows["ytd"]["a_return"] == pytest.approx(118 / 80 - 1)
    assert windows["ytd"]["spread_pp"] == pytest.approx((118 / 80 - 150 / 250) * 100)
    check_body(result.body)
    assert result.body.startswith("![[a-vs-b.png]]\n\n| Window |")
    assert "| 90d | 2026-08-21 | 2026-11-20 | +18.0% | -25.0% | **+43.0pp** | +57.3% |" in (
        result.body)
    assert "90d = from the last close on or before 90 calendar days earlier" in result.body
    assert "YTD = from the previous year's last close" in result.body
    (chart,) = result.charts
    assert chart.name == "a-vs-b.png" and chart.png.startswith(b"\x89PNG")


def test_asof_on_a_weekend_and_a_missing_close(vault: Path) -> None:
    weekend = run(vault, "pair", D("2026-11-22"), a="AAA", b="BBB")
    assert weekend.asof == D("2026-11-20")
    (vault / "data/prices/BBB.csv").write_text(
        "Date,Close\n2026-08-20,210\n2026-08-21,200\n2026-11-19,160\n", encoding="utf-8")
    # BBB has no 2026-11-20 close: both tickers are measured to 2026-11-19, and the 90d
    # base is counted from that session (90 days back is Friday 2026-08-21).
    moved = run(vault, "pair", a="AAA", b="BBB").figures["windows"]["90d"]
    assert (moved["start"], moved["end"]) == ("2026-08-21", "2026-11-19")
    assert moved["a_return"] == pytest.approx(0.15) and moved["b_return"] == pytest.approx(-0.2)


def test_default_asof_is_the_last_session_in_the_csv_folder(vault: Path) -> None:
    assert make_context(vault).asof == D("2026-11-20")


def test_returns_table(vault: Path) -> None:
    result = run(vault, "returns", tickers="AAA,BBB", windows="1s,ytd")
    assert result.figures == {
        "tickers": ["AAA", "BBB"],
        "windows": {
            "1s": {"start": "2026-11-19", "end": "2026-11-20",
                   "returns": {"AAA": pytest.approx(118 / 115 - 1),
                               "BBB": pytest.approx(150 / 160 - 1)}},
            "ytd": {"start": "2025-12-31", "end": "2026-11-20",
                    "returns": {"AAA": pytest.approx(0.475), "BBB": pytest.approx(-0.4)}},
        },
    }
    check_body(result.body)
    assert "| Ticker | 1s | YTD |\n|---|---:|---:|\n| AAA | +2.6% | +47.5% |" in result.body
    assert "1s from 2026-11-19, YTD from 2025-12-31" in result.body


def test_streak(vault: Path) -> None:
    # AAA's daily returns beat BBB's on every session after the first: five in a row.
    result = run(vault, "streak", a="AAA", b="BBB")
    assert result.figures == {
        "a": "AAA", "b": "BBB", "length": 5, "start": "2026-08-20", "end": "2026-11-20",
        "previous_end": None, "previous_length": 0, "data_start": "2025-12-31",
    }
    check_body(result.body)
    assert "**AAA has beaten BBB for 5 straight sessions**" in result.body
    assert "the longest in the data, which starts Dec 31, 2025" in result.body
    lagging = run(vault, "streak", a="BBB", b="AAA")
    assert lagging.figures["length"] == 0 and "**BBB lagged AAA on Nov 20, 2026**" in (
        lagging.body)


def test_breadth(vault: Path) -> None:
    result = run(vault, "breadth", basket="AAA,BBB,CCC", window="ytd", ew="AAA", cw="BBB")
    figures = result.figures
    assert (figures["up"], figures["count"], figures["start"]) == (1, 3, "2025-12-31")
    assert figures["returns"]["CCC"] == pytest.approx(-0.1)
    assert figures["ew_minus_cw_pp"] == pytest.approx(87.5)
    check_body(result.body)
    assert "| Basket up | **1 of 3** (33%) |" in result.body
    assert "| Equal − cap weight | **+87.5pp** |" in result.body


@pytest.mark.parametrize(
    ("kind", "params", "error", "message"),
    [
        ("pair", {"a": "AAA"}, MarkerError, "kind=pair needs b="),
        ("pair", {"a": "AAA", "b": "BBB", "colour": "red"}, MarkerError, "does not take colour"),
        ("pair", {"a": "AAA", "b": "BBB", "chart": "../x.png"}, MarkerError, "plain file name"),
        ("pair", {"a": "AAA", "b": "BBB", "window": "90x"}, DataError, "bad window '90x'"),
        ("pair", {"a": "AAA", "b": "BBB", "window": "5y"}, DataError, "data starts 2025-12-31"),
        ("pair", {"a": "AAA", "b": "ZZZ"}, DataError, r"ZZZ\.csv: no price file for ZZZ"),
        ("pair", {"a": "a;b", "b": "BBB"}, DataError, "invalid ticker"),
        ("returns", {"tickers": "AAA,AAA"}, MarkerError, "repeated ticker"),
        ("breadth", {"basket": "AAA", "ew": "BBB"}, MarkerError, "ew= and cw= together"),
        ("sparkline", {}, MarkerError, "unknown region kind 'sparkline'"),
    ],
)
def test_bad_specs_are_reported_at_the_region(
    vault: Path, kind: str, params: dict[str, str], error: type[VaultkitError], message: str
) -> None:
    spec = RegionSpec("r", kind, params, "Rotation tracker.md", 12)
    with pytest.raises(error, match=message) as caught:
        generate(spec, make_context(vault))
    assert str(caught.value).startswith("Rotation tracker.md:12: ")


def test_a_vault_template_override_is_used(vault: Path) -> None:
    folder = vault / ".vaultkit" / "templates"
    folder.mkdir(parents=True)
    (folder / "pair.md.j2").write_text(
        "{{ a }} {{ windows[0].spread_pp|pp }} as of {{ asof }}\n", encoding="utf-8")
    assert run(vault, "pair", a="AAA", b="BBB").body == "AAA +43.0pp as of 2026-11-20"


def test_sample_vault_tells_the_seed_notes_story() -> None:
    root = ROOT / "vault"
    context = make_context(root)
    assert context.asof == D("2026-11-20")

    def spec(kind: str, **params: str) -> RegionSpec:
        return RegionSpec("r", kind, params, "Rotation tracker.md", 1)

    xle = generate(spec("pair", a="XLE", b="IGV", window="90d,ytd",
                        chart="xle-vs-igv-price-chart.png"), context)
    window = xle.figures["windows"]["90d"]
    assert (window["start"], window["end"]) == ("2026-08-21", "2026-11-20")
    assert window["a_return"] > 0.15 and window["b_return"] < -0.2
    assert 38 < window["spread_pp"] < 48
    assert "synthetic sample data" in xle.source
    iwm = generate(spec("pair", a="IWM", b="QQQ", window="90d,ytd"), context)
    assert iwm.figures["windows"]["ytd"]["spread_pp"] > 5
    streak = generate(spec("streak", a="IWM", b="SPY"), context)
    assert streak.figures["length"] >= 5
    breadth = generate(spec("breadth", basket="XLE,XLF,XLI,XLK,XLV,XLP,XLU,XLB,XLY,XLC,XLRE",
                            window="ytd", ew="RSP", cw="SPY"), context)
    assert breadth.figures["up"] == 7 and breadth.figures["ew_minus_cw_pp"] > 0
    dotcom = generate(spec("pair", a="XLE", b="QQQ", window="2000-01-03..2002-12-31"), context)
    fixed = dotcom.figures["windows"]["2000-01-03..2002-12-31"]
    assert fixed["b_return"] == pytest.approx(-0.70, abs=0.03)
    assert fixed["a_return"] == pytest.approx(0.0, abs=0.05)
    # Same data and as-of: the same body and the same PNG bytes.
    again = generate(spec("pair", a="XLE", b="IGV", window="90d,ytd",
                          chart="xle-vs-igv-price-chart.png"), make_context(root))
    assert again == xle
