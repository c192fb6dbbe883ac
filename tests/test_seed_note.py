"""The seed note, read as Obsidian reads it. Every expectation here was worked out by reading
``tests/data/seed/Sector Rotation.md`` (the seed, verbatim) line by line.

The pristine copy is used rather than ``vault/Sector Rotation.md`` because ``make refresh``
appends dated updates to the sample vault's copy.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultkit.cli import cli
from vaultkit.model import Note
from vaultkit.parse.note import parse_note

SEED = Path(__file__).parent / "data" / "seed" / "Sector Rotation.md"

# line, target, display ("" for none); "!" before the target marks an embed.
LINKS = """
18 Europe
30 Exxon
30 Chevron
34 AI workflow disruption basket
34 Small cap rotation 2026
38 !xle-vs-igv-price-chart.png
38 !iwm-vs-qqq-price-chart.png
50 IEA
71 Ed Yardeni
78 Michael Burry
78 NVIDIA
78 Palantir
87 Citadel Securities
101 Société Générale|SocGen
103 Barclays
105 Goldman Sachs
113 Deere
114 Spotify
145 Nasdaq
146 Nasdaq
150 Nasdaq
154 XMAG
171 3M
188 Defense
210 Target
212 NVIDIA
213 Microsoft
214 Meta
215 Amazon
216 Apple
217 Google
218 Tesla
224 NVIDIA
225 Tesla
226 Meta
227 Google
228 Microsoft
229 Amazon
230 Apple
244 Defense
245 Nasdaq
254 Claude Cowork disruption February 2026|SaaSpocalypse
267 !rotation-2000-03-dotcom.png
272 !rotation-2016-trump.png
277 !rotation-2018-q4-riskoff.png
282 !rotation-2020-21-covid.png
287 !rotation-2022-fed-hike.png
292 Exxon
292 Chevron
292 ConocoPhillips
292 Shell
292 BP
292 TotalEnergies
292 IEA
292 Oil|oil demand
294 AI workflow disruption basket
310 Signal
315 Nasdaq
316 XLF
317 Breadth divergence
330 Nasdaq
348 Long NVIDIA
349 Long defense AI
350 AI hyperscalers
356 Breadth divergence
357 Mega-cap tech acronyms
358 Credit markets
359 AI Infrastructure
360 Trump defense budget
361 NVIDIA
362 Tesla
363 Palantir
364 Michael Burry
365 Goldman Sachs
366 JPMorgan Chase
367 Bank of America
368 Ed Yardeni
369 AI workflow disruption basket
370 Energy and Utilities
371 Small cap rotation 2026
372 Oil
"""

# line, level, text
HEADINGS = [
    (3, 1, "Sector Rotation"),
    (9, 2, "How rotation works"),
    (22, 2, "Two concurrent rotations (2026)"),
    (54, 2, "Rotation 1: Mag 7 → everything else (January 2026)"),
    (58, 3, "The setup"),
    (73, 3, "Rotation timing"),
    (85, 3, "February 27, 2026 update — dispersion at 2009 extremes"),
    (120, 3, "January 15, 2026 update"),
    (138, 3, "January 14, 2026 update"),
    (154, 3, "[[XMAG]] ETF (S&P 493 proxy)"),
    (184, 3, "Flows"),
    (192, 3, "Goldman Sachs sector picks (Jan 2026)"),
    (198, 3, "Drivers"),
    (208, 3, "Analyst 12-month price targets (Jan 2026)"),
    (220, 3, "Historical Mag 7 annual returns (2021-2025)"),
    (240, 3, "Winners (Jan 2026)"),
    (250, 2, "Historical rotations"),
    (265, 3, "2000-02: Dot-com bust"),
    (270, 3, "2016: Trump election reflation"),
    (275, 3, "2018 Q4: Fed overtightening scare"),
    (280, 3, "2020-21: COVID growth trade"),
    (285, 3, "2022: Fed hiking cycle"),
    (290, 3, "2026: SaaSpocalypse"),
    (298, 3, "Historical parallels to watch"),
    (308, 2, "Indicators to watch"),
    (319, 3, "Rotation signature pattern"),
    (334, 2, "How long does current rotation last?"),
    (344, 2, "Implications for theses"),
    (354, 2, "Related"),
    (378, 2, "Sources"),
]

# line, heading above, columns, number of body rows
TABLES = [
    (11, "How rotation works", ["Rotation type", "Trigger", "Flow direction"], 6),
    (26, "Two concurrent rotations (2026)", ["", "Software → Energy", "Large → Small"], 7),
    (36, "Two concurrent rotations (2026)", ["", "XLE vs IGV (~43pp)", "IWM vs QQQ (~12pp)"], 2),
    (43, "Two concurrent rotations (2026)", ["Scenario", "Software → Energy", "Large → Small"], 4),
    (60, "The setup", ["Metric", "Mag 7", "S&P 500", "S&P 493"], 6),
    (75, "Rotation timing", ["Date", "Event"], 7),
    (89, "February 27, 2026 update — dispersion at 2009 extremes", ["Metric", "Value"], 9),
    (111, "February 27, 2026 update — dispersion at 2009 extremes",
     ["Stock", "Move", "Catalyst"], 4),
    (124, "January 15, 2026 update", ["Metric", "Value"], 6),
    (142, "January 14, 2026 update", ["Metric", "Value"], 5),
    (158, "[[XMAG]] ETF (S&P 493 proxy)", ["Metric", "Value"], 4),
    (167, "[[XMAG]] ETF (S&P 493 proxy)", ["Month", "Flow", "Notes"], 12),
    (186, "Flows", ["Out of", "Into"], 3),
    (200, "Drivers", ["Driver", "Detail"], 5),
    (210, "Analyst 12-month price targets (Jan 2026)", ["Stock", "[[Target]]", "Notes"], 7),
    (222, "Historical Mag 7 annual returns (2021-2025)",
     ["Stock", "2021", "2022", "2023", "2024", "2025"], 8),
    (242, "Winners (Jan 2026)", ["Sector/Stock", "Move", "Catalyst"], 3),
    (252, "Historical rotations",
     ["Period", "Rotation", "Trigger", "Sell side", "Buy side", "Duration"], 8),
    (310, "Indicators to watch", ["Indicator", "[[Signal]]"], 6),
    (323, "Rotation signature pattern", ["Scenario", "Index", "Breadth", "Interpretation"], 4),
    (336, "How long does current rotation last?", ["Scenario", "Duration", "Catalyst to watch"],
     3),
    (346, "Implications for theses", ["Thesis", "Impact"], 3),
]

EXTERNAL = [
    (380, "https://www.bloomberg.com/",
     "Bloomberg: AI 'Fatigue' Leaves Investors Focused on S&P's Other 493 Stocks"),
    (381, "https://www.bloomberg.com/", "Bloomberg: Mag 7 underperformance charts"),
    (382, "https://www.bloomberg.com/news/articles/2026-01-13/stock-market-today-dow-s-p-live-updates",
     "Bloomberg: Stock Market Today"),
    (383, "https://www.ft.com/", "Financial Times: Single stock dispersion at extreme levels"),
]


@pytest.fixture(scope="module")
def note() -> Note:
    return parse_note(SEED.read_text(encoding="utf-8"), "Sector Rotation.md")


def _expected_links() -> list[tuple[int, str, str | None, bool]]:
    found = []
    for row in LINKS.strip().splitlines():
        line, rest = row.split(" ", 1)
        target, _, display = rest.partition("|")
        found.append((int(line), target.lstrip("!"), display or None, target.startswith("!")))
    return found


def test_tags_are_the_four_of_line_one(note: Note) -> None:
    assert note.tags == ("concept", "markets", "rotation", "macro")
    assert {t.line for t in note.tag_occurrences} == {1}


def test_every_wikilink_and_embed_with_line_display_and_kind(note: Note) -> None:
    got = [(link.line, link.target, link.display, link.embed) for link in note.links]
    assert got == _expected_links()
    assert all(link.kind == "wikilink" and link.heading is None and link.block is None
               for link in note.links)


def test_escaped_pipe_in_a_table_cell_is_the_alias_separator(note: Note) -> None:
    historical = next(t for t in note.tables if t.line == 252)
    assert historical.rows[0][2] == (
        "[[Claude Cowork disruption February 2026|SaaSpocalypse]], AI disruption")
    assert historical.row_lines[0] == 254


def test_dollar_amounts_do_not_swallow_links(note: Note) -> None:
    """Line 30 has two amounts around a link; line 171 a link right after ``~$``."""
    assert [link.target for link in note.links if link.line in (30, 171)] == [
        "Exxon", "Chevron", "3M"]
    flows = next(t for t in note.tables if t.line == 167)
    assert flows.rows[2] == ("Mar", "~$[[3M]]", "")


def test_four_external_links(note: Note) -> None:
    assert [(e.line, e.url, e.text) for e in note.external_links] == EXTERNAL


def test_thirty_headings(note: Note) -> None:
    assert [(h.line, h.level, h.text) for h in note.headings] == HEADINGS


def test_twenty_two_tables_with_headers_and_row_counts(note: Note) -> None:
    got = [(t.line, t.heading, list(t.columns), len(t.rows)) for t in note.tables]
    assert got == TABLES
    for table in note.tables:
        assert all(len(row) == len(table.columns) for row in table.rows)
        assert list(table.row_lines) == list(range(table.line + 2,
                                                   table.line + 2 + len(table.rows)))


def test_three_dated_updates(note: Note) -> None:
    assert [(u.date, u.line, u.level) for u in note.updates] == [
        ("2026-02-27", 85, 3), ("2026-01-15", 120, 3), ("2026-01-14", 138, 3)]
    assert all(u.section[:2] == ("Sector Rotation",
                                 "Rotation 1: Mag 7 → everything else (January 2026)")
               for u in note.updates)


def test_no_errors_and_no_frontmatter(note: Note) -> None:
    assert note.errors == ()
    assert note.frontmatter == {}
    assert note.title == "Sector Rotation"


DESIGN_NOTE_KEYS = {"name", "path", "title", "frontmatter", "aliases", "tags", "links",
                    "external_links", "headings", "tables", "updates", "errors"}
DESIGN_LINK_KEYS = {"target", "heading", "block", "display", "embed", "line", "resolved"}


def test_cli_note_json_has_the_design_shape(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "Sector Rotation.md")
    result = CliRunner().invoke(
        cli, ["--vault", str(tmp_path), "note", "Sector Rotation", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # DESIGN.md's keys must all be there; the serializer may add more, never rename.
    assert set(data) >= DESIGN_NOTE_KEYS
    assert all(set(link) >= DESIGN_LINK_KEYS for link in data["links"])
    assert {tuple(sorted(e)) for e in data["external_links"]} == {("line", "text", "url")}
    assert {tuple(sorted(h)) for h in data["headings"]} == {("level", "line", "text")}
    assert all({"line", "heading", "columns", "rows"} <= set(t) for t in data["tables"])
    assert {tuple(sorted(u)) for u in data["updates"]} == {("date", "heading", "line")}

    assert (data["name"], data["path"], data["title"]) == (
        "Sector Rotation", "Sector Rotation.md", "Sector Rotation")
    assert data["tags"] == ["concept", "markets", "rotation", "macro"]
    assert data["errors"] == [] and data["frontmatter"] == {} and data["aliases"] == []
    assert [(link["line"], link["target"], link["display"], link["embed"])
            for link in data["links"]] == _expected_links()
    # Alone in its vault, nothing the seed links to exists.
    assert {link["resolved"] for link in data["links"]} == {None}
    assert len(data["headings"]) == 30 and len(data["tables"]) == 22
    first = data["tables"][0]
    assert {k: first[k] for k in ("line", "heading", "columns", "rows")} == {
        "line": 11, "heading": "How rotation works",
        "columns": ["Rotation type", "Trigger", "Flow direction"],
        "rows": [
            ["**Growth → Value**", "Late cycle, rates rising, valuation stretch",
             "Tech/growth → financials, industrials, energy"],
            ["**Value → Growth**", "Early cycle, rates falling, risk-on",
             "Cyclicals → tech, consumer discretionary"],
            ["**Cyclical → Defensive**", "Recession fears, risk-off",
             "Industrials → utilities, healthcare, staples"],
            ["**Defensive → Cyclical**", "Recovery, risk-on", "Utilities → industrials, materials"],
            ["**Large → Small**", "Broadening earnings, valuation gap", "Mega-cap → Russell 2000"],
            ["**Domestic → International**", "Dollar weakness, relative value",
             "US → EM, [[Europe]]"],
        ],
    }
    assert data["updates"] == [
        {"date": "2026-02-27", "line": 85,
         "heading": "February 27, 2026 update — dispersion at 2009 extremes"},
        {"date": "2026-01-15", "line": 120, "heading": "January 15, 2026 update"},
        {"date": "2026-01-14", "line": 138, "heading": "January 14, 2026 update"},
    ]
    assert data["external_links"][0] == {"url": EXTERNAL[0][1], "text": EXTERNAL[0][2],
                                         "line": 380}
