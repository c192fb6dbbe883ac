"""The cell grammar: every figure shape in the seed note, worked out by hand, and the edges."""

from __future__ import annotations

import datetime as dt
import doctest
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vaultkit.parse.values
from vaultkit.parse.note import parse_note
from vaultkit.parse.values import CellValue, parse_cell, plain_text

SEED = Path(__file__).parent / "data" / "seed" / "Sector Rotation.md"
if not SEED.exists():
    SEED = next((Path(__file__).parents[2] / "shared" / "seeds").glob("001_*.txt"))

D = dt.date
# raw -> (value, unit, approx, bound, comment, total, noun): every distinct cell of the seed
# note that is a figure. The seed test below checks that no other cell of it is one.
SEED_FIGURES: dict[str, tuple[object, str, bool, str | None, str | None, float | None,
                              str | None]] = {
    # The setup (Metric | Mag 7 | S&P 500 | S&P 493)
    "-2%": (-2.0, "percent", False, None, None, None, None),
    "+1.8%": (1.8, "percent", False, None, None, None, None),
    "+25%": (25.0, "percent", False, None, None, None, None),
    "+16%": (16.0, "percent", False, None, None, None, None),
    "+0.5%": (0.5, "percent", False, None, None, None, None),
    "29x": (29.0, "x", False, None, None, None, None),
    "22x": (22.0, "x", False, None, None, None, None),
    "+18%": (18.0, "percent", False, None, None, None, None),
    "+9%": (9.0, "percent", False, None, None, None, None),
    "46% (2026E)": (46.0, "percent", False, None, "2026E", None, None),
    "54% (2026E)": (54.0, "percent", False, None, "2026E", None, None),
    # Rotation timing: bold full dates
    "**Oct 29, 2025**": (D(2025, 10, 29), "date", False, None, None, None, None),
    "**Jan 14, 2026**": (D(2026, 1, 14), "date", False, None, None, None, None),
    "**Jan 15, 2026**": (D(2026, 1, 15), "date", False, None, None, None, None),
    # February 27, 2026 update: emphasis, bounds, counts, parenthetical comments
    "**>20%** (risers ~2:1 over fallers)": (20.0, "percent", False, ">",
                                           "risers ~2:1 over fallers", None, None),
    "**-5.6%**": (-5.6, "percent", False, None, None, None, None),
    "**7 of 11**": (7.0, "count", False, None, None, 11.0, None),
    "**60%+** (broadest in decades)": (60.0, "percent", False, "+", "broadest in decades",
                                      None, None),
    "**>50%** (highest in ~20 years)": (50.0, "percent", False, ">", "highest in ~20 years",
                                       None, None),
    "**+12%** (4th straight double-digit quarter)": (
        12.0, "percent", False, None, "4th straight double-digit quarter", None, None),
    "**+9%**": (9.0, "percent", False, None, None, None, None),
    "+10%": (10.0, "percent", False, None, None, None, None),
    "+15% (then -8% two days later)": (15.0, "percent", False, None,
                                       "then -8% two days later", None, None),
    # January 15 / 14 updates
    "**10 days** (longest since 1990)": (10.0, "count", False, None, "longest since 1990",
                                         None, "days"),
    "**+7%**": (7.0, "percent", False, None, None, None, None),
    "+1.88%": (1.88, "percent", False, None, None, None, None),
    "-0.53%": (-0.53, "percent", False, None, None, None, None),
    "-1.0%": (-1.0, "percent", False, None, None, None, None),
    # XMAG
    "+15%": (15.0, "percent", False, None, None, None, None),
    "~$10M": (10_000_000.0, "USD", True, None, None, None, None),
    "~$5M": (5_000_000.0, "USD", True, None, None, None, None),
    "~$2M": (2_000_000.0, "USD", True, None, None, None, None),
    "~$1M": (1_000_000.0, "USD", True, None, None, None, None),
    "~-$1M": (-1_000_000.0, "USD", True, None, None, None, None),
    "~$4M": (4_000_000.0, "USD", True, None, None, None, None),
    "~$8M": (8_000_000.0, "USD", True, None, None, None, None),
    "**~$38M**": (38_000_000.0, "USD", True, None, None, None, None),
    # Analyst targets
    "**+39%**": (39.0, "percent", False, None, None, None, None),
    "+33%": (33.0, "percent", False, None, None, None, None),
    "+29%": (29.0, "percent", False, None, None, None, None),
    "+21%": (21.0, "percent", False, None, None, None, None),
    "+13%": (13.0, "percent", False, None, None, None, None),
    "+4%": (4.0, "percent", False, None, None, None, None),
    "**-9%**": (-9.0, "percent", False, None, None, None, None),
    # Historical Mag 7 annual returns: year headers are numbers, cells percents
    "2021": (2021.0, "number", False, None, None, None, None),
    "2022": (2022.0, "number", False, None, None, None, None),
    "2023": (2023.0, "number", False, None, None, None, None),
    "2024": (2024.0, "number", False, None, None, None, None),
    "2025": (2025.0, "number", False, None, None, None, None),
    "+125%": (125.0, "percent", False, None, None, None, None),
    "-50%": (-50.0, "percent", False, None, None, None, None),
    "**+240%**": (240.0, "percent", False, None, None, None, None),
    "+170%": (170.0, "percent", False, None, None, None, None),
    "+35%": (35.0, "percent", False, None, None, None, None),
    "+65%": (65.0, "percent", False, None, None, None, None),
    "-65%": (-65.0, "percent", False, None, None, None, None),
    "+100%": (100.0, "percent", False, None, None, None, None),
    "-5%": (-5.0, "percent", False, None, None, None, None),
    "+195%": (195.0, "percent", False, None, None, None, None),
    "+5%": (5.0, "percent", False, None, None, None, None),
    "-40%": (-40.0, "percent", False, None, None, None, None),
    "+60%": (60.0, "percent", False, None, None, None, None),
    "+50%": (50.0, "percent", False, None, None, None, None),
    "-30%": (-30.0, "percent", False, None, None, None, None),
    "+55%": (55.0, "percent", False, None, None, None, None),
    "+80%": (80.0, "percent", False, None, None, None, None),
    "+45%": (45.0, "percent", False, None, None, None, None),
    "-20%": (-20.0, "percent", False, None, None, None, None),
    # Historical rotations: bold years, durations as counted periods
    "**2026**": (2026.0, "number", False, None, None, None, None),
    "**2022**": (2022.0, "number", False, None, None, None, None),
    "**2016**": (2016.0, "number", False, None, None, None, None),
    "18 months": (18.0, "count", False, None, None, None, "months"),
    "3 months": (3.0, "count", False, None, None, None, "months"),
    "6 months": (6.0, "count", False, None, None, None, "months"),
    "2+ years": (2.0, "count", False, "+", None, None, "years"),
    "2 years": (2.0, "count", False, None, None, None, "years"),
}

# Seed cells that look numeric but are text, and why (each is a rule of the grammar).
SEED_TEXT = [
    "Mega ([[Exxon]] ~$530B, [[Chevron]] ~$300B)",  # words before the figures
    "~$[[3M]]",                                     # a link is not an amount
    "**Holds** — cash flows, dividends, low leverage",
    "SaaS, software (IGV -25%)",                    # figure only inside the comment
    "Russell 2000 (+7% YTD)",
    "~Flat",                                        # ~ before a word
    "**77% of Russell 2000 constituents up**",      # figure followed by words
    "+12%, crossed 2,600",
    "4x November (~$38M)",
    "3x profit YoY, then profit-taking",
    "+6-8%",                                        # a range
    "+6% vs [[Nasdaq]]",
    "300+ stocks up despite index down",
    "6 straight months (Jul-Dec 2025)",
    "11 months of outperformance (since Feb 2025)",
    "2-4 weeks",
    "1-2 quarters",
    "Full year+",
    "Nov 2025",                                     # a month, not a day
    "**2020-21**",
    "**2018 Q4**",
    "XLE vs IGV (~43pp)",
    "—",                                            # blank: states nothing
    "",
]


def _seed_cells() -> set[str]:
    note = parse_note(SEED.read_text(encoding="utf-8"), "Sector Rotation.md")
    cells: set[str] = set()
    for table in note.tables:
        cells.update(table.columns)
        for row in table.rows:
            cells.update(row)
    return cells


def _expect(raw: str, expected: tuple[object, ...]) -> None:
    cell = parse_cell(raw)
    assert (cell.value, cell.unit, cell.approx, cell.bound, cell.comment, cell.total,
            cell.noun) == expected
    assert cell.raw == raw


@pytest.mark.parametrize("raw", SEED_FIGURES)
def test_seed_figure(raw: str) -> None:
    _expect(raw, SEED_FIGURES[raw])


@pytest.mark.parametrize("raw", SEED_TEXT)
def test_seed_text_stays_text(raw: str) -> None:
    cell = parse_cell(raw)
    assert cell.value is None and cell.unit is None and cell.raw == raw


def test_the_seed_figures_are_exactly_those_listed() -> None:
    cells = _seed_cells()
    figures = {c for c in cells if parse_cell(c).is_figure}
    assert figures == set(SEED_FIGURES)
    assert set(SEED_TEXT) <= cells | {""}


@pytest.mark.parametrize(("raw", "expected"), [
    ("+7.70%", (7.7, "percent", False, None, None, None, None)),
    ("-25%", (-25.0, "percent", False, None, None, None, None)),
    ("**+32.6%**", (32.6, "percent", False, None, None, None, None)),
    ("~43pp", (43.0, "pp", True, None, None, None, None)),
    ("+215 pp", (215.0, "pp", False, None, None, None, None)),
    ("~$530B", (530_000_000_000.0, "USD", True, None, None, None, None)),
    ("$1.5T", (1_500_000_000_000.0, "USD", False, None, None, None, None)),
    ("-$1M", (-1_000_000.0, "USD", False, None, None, None, None)),
    ("$4.8 billion", (4_800_000_000.0, "USD", False, None, None, None, None)),
    ("~$4.8B (3rd of ~1,500 US equity ETFs)",
     (4_800_000_000.0, "USD", True, None, "3rd of ~1,500 US equity ETFs", None, None)),
    ("€2.5bn", (2_500_000_000.0, "EUR", False, None, None, None, None)),
    ("£300k", (300_000.0, "GBP", False, None, None, None, None)),
    ("$100", (100.0, "USD", False, None, None, None, None)),
    ("29.5x", (29.5, "x", False, None, None, None, None)),
    ("≥10×", (10.0, "x", False, ">=", None, None, None)),
    ("2:1", (2.0, "ratio", False, None, None, None, None)),
    ("~3:2", (1.5, "ratio", True, None, None, None, None)),
    ("10:1", (10.0, "ratio", False, None, None, None, None)),
    ("6,528.52", (6528.52, "number", False, None, None, None, None)),
    # A plain number's scale is applied as a currency's is; the unit stays "number".
    ("133k", (133_000.0, "number", False, None, None, None, None)),
    ("~133K", (133_000.0, "number", True, None, None, None, None)),
    ("530B", (530_000_000_000.0, "number", False, None, None, None, None)),
    ("1.5T", (1_500_000_000_000.0, "number", False, None, None, None, None)),
    ("-2.5bn", (-2_500_000_000.0, "number", False, None, None, None, None)),
    ("7.1 million", (7_100_000.0, "number", False, None, None, None, None)),
    (">1.2 mn", (1_200_000.0, "number", False, ">", None, None, None)),
    ("300k+", (300_000.0, "number", False, "+", None, None, None)),
    # Basis points (the refreshed signal tables write "-26bp") and points, as written.
    ("-26bp", (-26.0, "bp", False, None, None, None, None)),
    ("+0bp", (0.0, "bp", False, None, None, None, None)),
    ("~15 bps", (15.0, "bp", True, None, None, None, None)),
    ("-3.1 pts", (-3.1, "pts", False, None, None, None, None)),
    ("+1pt (record)", (1.0, "pts", False, None, "record", None, None)),
    ("2,600", (2600.0, "number", False, None, None, None, None)),
    ("-0.05", (-0.05, "number", False, None, None, None, None)),
    ("−3%", (-3.0, "percent", False, None, None, None, None)),
    (">20%", (20.0, "percent", False, ">", None, None, None)),
    ("<= 5%", None),
    ("<5%", (5.0, "percent", False, "<", None, None, None)),
    (">+7%", (7.0, "percent", False, ">", None, None, None)),
    ("~+6%", (6.0, "percent", True, None, None, None, None)),
    ("7 of 11", (7.0, "count", False, None, None, 11.0, None)),
    ("35 of 36", (35.0, "count", False, None, None, 36.0, None)),
    ("60%+", (60.0, "percent", False, "+", None, None, None)),
    ("300+", (300.0, "number", False, "+", None, None, None)),
    ("1 year", (1.0, "count", False, None, None, None, "year")),
    ("10 sessions (longest since 1990)",
     (10.0, "count", False, None, "longest since 1990", None, "sessions")),
    ("Oct 29, 2025", (D(2025, 10, 29), "date", False, None, None, None, None)),
    ("February 27 2026", (D(2026, 2, 27), "date", False, None, None, None, None)),
    ("27 February 2026", (D(2026, 2, 27), "date", False, None, None, None, None)),
    ("Sept. 5, 2025", (D(2025, 9, 5), "date", False, None, None, None, None)),
    ("2026-02-27", (D(2026, 2, 27), "date", False, None, None, None, None)),
    ("*_+5%_*", (5.0, "percent", False, None, None, None, None)),
    ("**46% (2026E)**", (46.0, "percent", False, None, "2026E", None, None)),
])
def test_grammar(raw: str, expected: tuple[object, ...] | None) -> None:
    if expected is None:
        assert parse_cell(raw).value is None
    else:
        _expect(raw, expected)


@pytest.mark.parametrize("raw", [
    "9:30", "1:10", "2:0",            # clock times are not guessed to be ratios; no x:0
    "3M", "12M", "5m", "7.14M",       # without a currency M is a tenor (or 3M), m minutes
    "5b", "5t",                       # bits, tonnes
    "3bpp", "5 ptss",                 # not a unit
    "~~5%~~",                         # struck out: withdrawn
    ">60%+",                          # two bounds
    "2+ years+",
    "1,2", "12,34.5",                 # not thousands groups
    "Feb 30, 2026", "Smarch 3, 2026", # not a day
    "46% ()", "(5%)",                 # an empty comment; a comment with no figure
    "5% (a) (b)", "5% (a (b))",       # one flat parenthetical only
    "`5%`",                           # code is not a figure
    "$100–$110", "~16.1% / ~2%", "7.14M vs 7.61M", "30-45 DTE", "3-5%",
    "+0.6% vs +0.4%", "5 %", "#5", "five",
])
def test_not_figures(raw: str) -> None:
    assert parse_cell(raw) == CellValue(raw)


@pytest.mark.parametrize("raw", ["", "—", "–", "-", "n/a", "N/A", "**—**", "  "])
def test_blank(raw: str) -> None:
    cell = parse_cell(raw)
    assert cell.blank and cell.value is None


def test_text_is_not_blank() -> None:
    assert not parse_cell("Ongoing").blank
    assert not parse_cell("+5%").blank


def test_json_value_gives_dates_as_iso_strings() -> None:
    assert parse_cell("**Oct 29, 2025**").json_value() == "2025-10-29"
    assert parse_cell("+240%").json_value() == 240.0
    assert parse_cell("Ongoing").json_value() is None


@pytest.mark.parametrize(("markdown", "text"), [
    ("**S&P 500**", "S&P 500"),
    ("[[NVIDIA]]", "NVIDIA"),
    ("[[Claude Cowork disruption February 2026|SaaSpocalypse]], AI disruption",
     "SaaSpocalypse, AI disruption"),
    ("[[XMAG]] ETF (S&P 493 proxy)", "XMAG ETF (S&P 493 proxy)"),
    ("[[T#H1#H2]] and [[#Self]] and [[T#^blk]]", "T > H1 > H2 and Self and T > ^blk"),
    ("*Software → energy, 90 days*", "Software → energy, 90 days"),
    ("`code` [link](https://x.org) #tag", "code link #tag"),
    ("AT&amp;T", "AT&T"),
    ("", ""),
])
def test_plain_text(markdown: str, text: str) -> None:
    assert plain_text(markdown) == text


_AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                       allow_infinity=False)


@given(_AMOUNTS, st.sampled_from(["", "+", "-"]),
       st.sampled_from([("%", "percent"), ("pp", "pp"), ("x", "x"), ("", "number")]),
       st.booleans())
def test_written_figures_read_back(amount: object, sign: str, suffix: tuple[str, str],
                                   approx: bool) -> None:
    written = f"{'~' if approx else ''}{sign}{amount:,f}{suffix[0]}"
    cell = parse_cell(written)
    expected = float(f"{sign}{amount}") if sign == "-" else float(str(amount))
    assert (cell.value, cell.unit, cell.approx) == (expected, suffix[1], approx)


@given(_AMOUNTS, st.sampled_from([("K", 10**3), ("M", 10**6), ("B", 10**9), ("T", 10**12)]))
def test_currency_scales_are_exact(amount: object, scale: tuple[str, int]) -> None:
    cell = parse_cell(f"${amount}{scale[0]}")
    assert cell.unit == "USD"
    assert cell.value == float(f"{amount}e{len(str(scale[1])) - 1}")


def test_docstring_examples() -> None:
    assert doctest.testmod(vaultkit.parse.values).failed == 0


@given(st.text(alphabet="ab 1.,/'\"?;\t", max_size=20))
def test_plain_text_skips_the_parse_only_where_it_would_change_nothing(text: str) -> None:
    # Text of letters, digits and punctuation no inline rule starts at reads as itself.
    parsed = vaultkit.parse.values._rendered_text.__wrapped__(text)
    assert plain_text(text) == parsed


@pytest.mark.parametrize("text", ["S&P 500", "**Mag 7**", "a_b_", "[[X|Y]]", "`c`", "x\\|y"])
def test_plain_text_parses_text_with_markup(text: str) -> None:
    assert plain_text(text) == vaultkit.parse.values._rendered_text.__wrapped__(text)


def test_parse_cell_answers_the_same_when_asked_again() -> None:
    first = parse_cell("**+240%**")
    assert parse_cell("**+240%**") == first and first.value == 240.0
