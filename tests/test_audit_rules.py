"""The mapping rules of docs/audit.md, one case each: how a label reads, and the tolerance."""

from __future__ import annotations

import datetime as dt

import pytest

from vaultkit.audit.labels import Reading, read_label
from vaultkit.audit.verdict import tolerance, within
from vaultkit.parse.values import parse_cell

NAMES = {"russell 2000": "R2K.md", "r2k": "R2K.md", "nvidia": "NVIDIA.md",
         "s&p 500 equal weight": "RSP.md"}


def _read(text: str) -> Reading:
    return read_label(text, [], lambda words: NAMES.get(words.casefold()))


@pytest.mark.parametrize(("label", "windows"), [
    ("YTD", ["ytd"]),
    ("year to date", ["ytd"]),
    ("90d", ["90d"]),
    ("3 months", ["3m"]),
    ("2-week", ["14d"]),
    ("week", ["7d"]),
    ("63s", ["63s"]),
    ("1y", ["1y"]),
    ("2023", ["2023-01-01..2023-12-31"]),
    ("2025 return", ["2025-01-01..2025-12-31"]),
    ("2020-21", ["2020-01-01..2021-12-31"]),
    ("2021-2025", ["2021-01-01..2025-12-31"]),
    ("Dec 2025", ["2025-12-01..2025-12-31"]),
    ("2025-10-29..2026-01-15", ["2025-10-29..2026-01-15"]),
    ("Oct 29, 2025 – Jan 15, 2026", ["2025-10-29..2026-01-15"]),
    ("since Oct 29, 2025", ["since:2025-10-29"]),
    ("2026E EPS growth", []),            # an estimate year is not a window
    ("Russell 2000 YTD", ["ytd"]),       # a name is read before the year 2000
])
def test_windows(label: str, windows: list[str]) -> None:
    assert [w.spec for w in _read(label).windows] == windows


def test_a_date_ends_a_window_only_when_the_label_says_so() -> None:
    assert _read("YTD (Jan 15, 2026)").ends == [dt.date(2026, 1, 15)]
    assert _read("Week to Jan 16, 2026").ends == [dt.date(2026, 1, 16)]
    loose = _read("Week of Jan 12, 2026")
    assert loose.ends == [] and loose.loose_dates == ["Jan 12, 2026"]


def test_names_connectors_and_unread_words() -> None:
    spread = _read("NVIDIA vs Russell 2000 YTD")
    assert (spread.names, spread.after_vs) == (["NVIDIA.md", "R2K.md"], [False, True])
    assert _read("R2K, week").names == ["R2K.md"]
    assert _read("S&P 500 Equal Weight, week").names == ["RSP.md"]
    assert _read("Mag 7 YTD").unread == ["Mag", "7"]       # not a note: reported, not guessed
    assert _read("Energy weight in S&P 500").unread[:2] == ["Energy", "weight"]
    assert _read("Russell 2000 vs S&P streak").words == {"streak"}


def test_links_in_the_label_are_entities() -> None:
    reading = read_label("Alpha vs Gamma", [("Alpha", "A.md"), ("Gamma", "?Gamma")],
                         lambda words: None)
    assert (reading.names, reading.after_vs, reading.unread) == (["A.md", "?Gamma"],
                                                                  [False, True], [])


@pytest.mark.parametrize(("raw", "metric", "allowed"), [
    ("+7%", "return", 0.5),                 # half a unit in the last written digit
    ("+1.88%", "return", 0.005),
    ("**+240%**", "return", 0.5),
    ("~43pp", "spread", 4.3),               # ~: ±10% of the figure
    ("~+6%", "return", 1.0),                # ... and at least ±1
    ("10 days", "streak", 0.0),             # sessions are whole
])
def test_tolerance(raw: str, metric: str, allowed: float) -> None:
    assert tolerance(parse_cell(raw), metric) == pytest.approx(allowed)


def test_bounds() -> None:
    assert within(parse_cell(">20%"), 20.1, "return")
    assert not within(parse_cell(">20%"), 20.0, "return")
    assert within(parse_cell("<5%"), 4.9, "return") and not within(parse_cell("<5%"), 5.0,
                                                                   "return")
    assert within(parse_cell("60%+"), 59.6, "return")       # at least 60, less its precision
    assert not within(parse_cell("60%+"), 59.4, "return")
    assert within(parse_cell("10+ days"), 12, "streak") and not within(parse_cell("10+ days"),
                                                                       9, "streak")
