"""Regions kind=series and kind=signature: macro levels and changes, and the seed note's
rotation signature pattern computed from data."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from vaultkit.errors import MarkerError
from vaultkit.refresh.analytics import classify_signature
from vaultkit.refresh.kinds import KINDS, generate, make_context
from vaultkit.refresh.spec import Generated, RegionSpec

ROOT = Path(__file__).resolve().parent.parent
D = dt.date.fromisoformat


def test_both_kinds_are_registered() -> None:
    assert {"series", "signature"} <= KINDS


# The seed note's table ("Rotation signature pattern"), row by row: index direction ×
# whether most of the basket rose.
@pytest.mark.parametrize(("index", "up", "count", "scenario", "meaning"), [
    (-0.02, 2, 11, "Broad selloff", "Risk-off, reduce exposure"),
    (-0.0053, 300, 500, "Rotation", "Leadership change, reposition"),  # Jan 14, 2026
    (0.01, 9, 11, "Healthy rally", "Broad participation"),
    (0.01, 3, 11, "Narrow rally", "Fragile, concentration risk"),
])
def test_signature_follows_the_seed_table(index: float, up: int, count: int, scenario: str,
                                          meaning: str) -> None:
    verdict = classify_signature(index, up, count)
    assert (verdict.scenario, verdict.interpretation) == (scenario, meaning)
    assert f"({up} of {count})" in verdict.reason


def test_no_row_fits_a_flat_index_or_an_even_split() -> None:
    assert classify_signature(0.0, 8, 11).scenario == "Unclassified"
    assert classify_signature(-0.01, 5, 10).scenario == "Unclassified"
    assert classify_signature(-0.01, 6, 10).scenario == "Rotation"  # 6 of 10 is most


CLOSES = {  # index down 1%; three of four basket members up on the day
    "IDX": (100.0, 99.0), "AAA": (10.0, 10.5), "BBB": (20.0, 20.2), "CCC": (30.0, 31.0),
    "DDD": (40.0, 38.0),
}


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "prices"
    folder.mkdir(parents=True)
    for ticker, (before, after) in CLOSES.items():
        folder.joinpath(f"{ticker}.csv").write_text(
            f"Date,Close\n2026-11-19,{before}\n2026-11-20,{after}\n", encoding="utf-8")
    return tmp_path


def test_signature_region_shows_the_figures_that_decided(tiny: Path) -> None:
    spec = RegionSpec("sig", "signature", {"index": "IDX", "basket": "AAA,BBB,CCC,DDD",
                                           "windows": "1s"}, "T.md", 3)
    result = generate(spec, make_context(tiny))
    window = result.figures["windows"]["1s"]
    assert window["index_return"] == pytest.approx(-0.01)
    assert (window["up"], window["count"], window["share"]) == (3, 4, 0.75)
    assert window["scenario"] == "Rotation"
    assert "| -1.00% | 3 of 4 | 75% | **Rotation** — Leadership change, reposition |" in (
        result.body)


def test_signature_needs_an_index_and_a_basket(tiny: Path) -> None:
    spec = RegionSpec("sig", "signature", {"index": "IDX"}, "T.md", 3)
    with pytest.raises(MarkerError, match="needs basket="):
        generate(spec, make_context(tiny))


@pytest.fixture()
def sample(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "vault", tmp_path / "vault",
                    ignore=shutil.ignore_patterns(".vaultkit"))
    return tmp_path / "vault"


def _series(root: Path, asof: dt.date | None = None) -> Generated:
    spec = RegionSpec("m", "series", {"series": "DGS10,DCOILWTICO,DTWEXBGS", "windows": "ytd",
                                      "chart": "m.png"}, "T.md", 3)
    return generate(spec, make_context(root, asof=asof))


def test_series_levels_and_changes_from_the_bundled_extract(sample: Path) -> None:
    result = _series(sample)
    values = result.figures["values"]
    # vault/data/series/DGS10.csv: 4.45 on 2025-12-31, 4.18 on 2026-11-20.
    dgs10 = values["DGS10"]
    assert dgs10["level"] == 4.18 and dgs10["date"] == "2026-11-20"
    assert dgs10["windows"]["ytd"]["from"] == 4.45
    assert dgs10["windows"]["ytd"]["change"] == pytest.approx(-0.27)
    assert "| -27bp |" in result.body
    # Weekly releases keep their own last date, within their publication lag.
    assert values["DCOILWTICO"]["date"] == "2026-11-16"
    assert values["DTWEXBGS"]["date"] == "2026-11-13"
    assert result.freshness is not None and not result.freshness.stale
    assert "synthetic sample data, not FRED data" in result.source
    assert result.charts and result.charts[0].png.startswith(b"\x89PNG")
    assert _series(sample).charts[0].png == result.charts[0].png  # deterministic


def test_series_a_week_late_is_stale(sample: Path) -> None:
    fresh = _series(sample, D("2026-11-30")).freshness
    # The dollar index (weekly, lag 5) last published for 2026-11-13: 10 NYSE sessions
    # to 2026-11-30 (16, 17, 18, 19, 20, 23, 24, 25, 27, 30).
    assert fresh is not None and fresh.stale and fresh.sessions_behind == 10
    assert fresh.message() is not None and "DTWEXBGS" in fresh.message()  # type: ignore[operator]


def test_dated_updates_summarize_both_kinds(sample: Path, tiny: Path) -> None:
    from vaultkit.refresh.updates import summarize

    series = _series(sample)
    assert summarize("series", series.figures).split("\n")[1] == (
        "- DGS10 4.18 on 2026-11-20 (ytd -0.27)")
    spec = RegionSpec("sig", "signature", {"index": "IDX", "basket": "AAA,BBB,CCC,DDD"},
                      "T.md", 3)
    figures = generate(spec, make_context(tiny)).figures
    assert summarize("signature", figures) == (
        "1s (2026-11-19 → 2026-11-20): Rotation — IDX -1.0%, 3 of 4 up")
