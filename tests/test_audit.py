"""The thesis ledger on prices where every answer is worked out by hand.

AAA and BBB trade six sessions (closes below). Worked out:

- AAA YTD at Jan 6 = 103/100 - 1 = +3.0%; at Jan 8 = 120/100 - 1 = +20.0%.
- BBB YTD at Jan 6 = 49/50 - 1 = -2.0%, and stays there (-2.0% at Jan 8).
- AAA - BBB YTD at Jan 6 = 3.0 - (-2.0) = 5.0pp; at Jan 8 = 20.0 + 2.0 = 22.0pp.
- AAA over 2026-01-02..2026-01-05 = 102/101 - 1 = +0.990% (a closed range: then = now).
- Daily returns, AAA vs BBB: Jan 2 +1.0% vs 0%, Jan 5 +0.99% vs -2.0%, Jan 6 +0.98% vs 0%,
  Jan 7 +6.8% vs 0%, Jan 8 +9.1% vs 0%: AAA wins every session, so the streak is 3 sessions
  at Jan 6 and 5 at Jan 8.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultkit import Vault
from vaultkit.audit import audit_vault
from vaultkit.audit.ledger import AuditRow
from vaultkit.cli import cli
from vaultkit.data import make_provider
from vaultkit.refresh.run import refresh_vault

LATEST = dt.date(2026, 1, 8)
CLOSES = {
    "AAA": [("2025-12-31", 100), ("2026-01-02", 101), ("2026-01-05", 102), ("2026-01-06", 103),
            ("2026-01-07", 110), ("2026-01-08", 120)],
    "BBB": [("2025-12-31", 50), ("2026-01-02", 50), ("2026-01-05", 49), ("2026-01-06", 49),
            ("2026-01-07", 49), ("2026-01-08", 49)],
}
THESIS = """\
# Thesis

### January 6, 2026 update

| Metric | Value |
|---|---|
| [[Alpha]] YTD | +3% |
| [[Beta]] YTD | +5% |
| [[Alpha]] vs [[Beta]] YTD | +5pp |
| [[Alpha]] vs [[Beta]] streak | 3 sessions |
| [[Gamma]] YTD | +4% |
| Alpha EPS growth | +12% |

## Ranges

| Name | 2026-01-02..2026-01-05 |
|---|---|
| [[Alpha]] | +1% |

| Name | YTD |
|---|---|
| [[Alpha]] 3m | +2% |
"""


def _vault(root: Path, thesis: str = THESIS) -> Path:
    prices = root / "data" / "prices"
    prices.mkdir(parents=True)
    for ticker, rows in CLOSES.items():
        lines = ["Date,Close", *(f"{day},{close}" for day, close in rows)]
        (prices / f"{ticker}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "Alpha.md").write_text("---\nticker: AAA\n---\n# Alpha\n", encoding="utf-8")
    (root / "Beta.md").write_text("---\naliases: [BBB, The Beta Fund]\n---\n# Beta\n",
                                  encoding="utf-8")
    (root / "Gamma.md").write_text("# Gamma\n", encoding="utf-8")
    (root / "Thesis.md").write_text(thesis, encoding="utf-8")
    (root / "Undated.md").write_text("| Metric | Value |\n|---|---|\n| [[Alpha]] YTD | +3% |\n",
                                     encoding="utf-8")
    return root


@pytest.fixture
def ledger(tmp_path: Path) -> dict[str, AuditRow]:
    root = _vault(tmp_path)
    rows = audit_vault(Vault.load(root, cache=False), make_provider("csv", root), LATEST)
    return {f"{row.path}:{row.line}:{row.text.split(': ')[0]}": row for row in rows}


def _row(ledger: dict[str, AuditRow], key: str) -> AuditRow:
    return next(row for name, row in ledger.items() if name.startswith(key))


def test_a_figure_right_then_and_since_moved(ledger: dict[str, AuditRow]) -> None:
    row = _row(ledger, "Thesis.md:7:Alpha YTD")
    assert (row.ticker, row.metric, row.window, row.date) == ("AAA", "return", "YTD",
                                                               "2026-01-06")
    assert (row.then, row.now, row.verdict) == (3.0, 20.0, "moved")
    assert "moved 17.0 pp (threshold 5 pp)" in row.reason


def test_a_figure_that_was_wrong_when_written(ledger: dict[str, AuditRow]) -> None:
    row = _row(ledger, "Thesis.md:8:Beta YTD")
    # Beta has no ticker: of its own, but one alias (BBB) is a symbol the provider knows.
    assert (row.ticker, row.then, row.now, row.verdict) == ("BBB", -2.0, -2.0, "differs")
    assert "written +5% ±0.5" in row.reason


def test_a_spread_and_a_streak(ledger: dict[str, AuditRow]) -> None:
    spread = _row(ledger, "Thesis.md:9:")
    assert (spread.entity, spread.ticker, spread.metric) == ("Alpha vs Beta", "AAA,BBB", "spread")
    assert (spread.then, spread.now, spread.verdict) == (5.0, 22.0, "moved")
    streak = _row(ledger, "Thesis.md:10:")
    assert (streak.metric, streak.window, streak.then, streak.now) == ("streak", None, 3, 5)
    assert streak.verdict == "moved"  # any change of a streak is a move


def test_a_closed_window_that_matches(ledger: dict[str, AuditRow]) -> None:
    row = _row(ledger, "Thesis.md:18:Alpha")
    assert (row.window, row.date, row.then, row.now) == ("2026-01-02..2026-01-05", None,
                                                         0.99, 0.99)
    assert row.verdict == "matches" and row.then_session == "2026-01-05"


def test_an_entity_without_a_ticker_is_not_checked(ledger: dict[str, AuditRow]) -> None:
    row = _row(ledger, "Thesis.md:11:Gamma YTD")
    assert (row.verdict, row.code, row.entity) == ("not checked", "ticker", "Gamma")
    assert row.then is None and "Gamma has no ticker" in row.reason


def test_an_ambiguous_window_is_not_checked(ledger: dict[str, AuditRow]) -> None:
    row = _row(ledger, "Thesis.md:22:Alpha 3m")
    assert (row.verdict, row.code, row.reason) == ("not checked", "window",
                                                   "two windows: 3m and YTD")


def test_other_reasons(ledger: dict[str, AuditRow]) -> None:
    assert _row(ledger, "Thesis.md:12:").code == "metric"        # EPS growth is no return
    undated = _row(ledger, "Undated.md:3:")
    assert (undated.code, undated.window) == ("date", "YTD")     # an open window needs a date


def test_filters(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    vault, prices = Vault.load(root, cache=False), make_provider("csv", root)
    beta = audit_vault(vault, prices, LATEST, entity="BBB")      # an alias finds the note
    assert {row.line for row in beta} == {8, 9, 10}
    recent = audit_vault(vault, prices, LATEST, since=dt.date(2026, 1, 7))
    assert recent == []                                          # nothing dated after Jan 6
    assert {row.path for row in audit_vault(vault, prices, LATEST, note="Undated")} == {
        "Undated.md"}


def test_the_cli_prints_the_documented_rows(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    result = CliRunner().invoke(cli, ["--vault", str(root), "audit", "--note", "Thesis",
                                      "--checked", "--as-of", "2026-01-08", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["verdict"] for row in rows] == ["moved", "differs", "moved", "moved", "matches"]
    assert list(rows[0])[:14] == ["path", "line", "text", "entity", "ticker", "metric",
                                  "window", "date", "stated", "unit", "then", "now", "verdict",
                                  "reason"]
    bad = CliRunner().invoke(cli, ["--vault", str(root), "audit", "--note", "Nowhere"])
    assert bad.exit_code == 2


def test_the_region_links_each_claim_and_is_idempotent(tmp_path: Path) -> None:
    # The region sits above the claims, so its own lines push them down: the links must
    # name the lines the claims have after the write.
    thesis = THESIS.replace("# Thesis\n", "# Thesis\n\n<!-- vaultkit:begin id=check "
                            "kind=audit -->\n<!-- vaultkit:end id=check -->\n", 1)
    root = _vault(tmp_path, thesis)
    first = refresh_vault(root, asof=LATEST, settle=0)
    assert [r.status for r in first.records] == ["written"]
    text = (root / "Thesis.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    links = re.findall(r"\[\[(#[^\]\\]*)\\\|Thesis\.md:(\d+)\]\]", text)
    assert len(links) == 5
    assert [lines[int(line) - 1] for _, line in links] == [
        "| [[Alpha]] YTD | +3% |", "| [[Beta]] YTD | +5% |", "| [[Alpha]] vs [[Beta]] YTD | +5pp |",
        "| [[Alpha]] vs [[Beta]] streak | 3 sessions |", "| [[Alpha]] | +1% |"]
    assert links[0][0] == "#January 6, 2026 update" and links[-1][0] == "#Ranges"
    assert "5 of 8 figures checked" in text
    second = refresh_vault(root, asof=LATEST, settle=0)
    assert [r.status for r in second.records] == ["unchanged"]
    assert (root / "Thesis.md").read_text(encoding="utf-8") == text


def test_figures_inside_regions_are_not_claims(tmp_path: Path) -> None:
    thesis = THESIS + ("\n<!-- vaultkit:begin id=x kind=returns tickers=AAA windows=ytd -->\n"
                       "| Ticker | YTD |\n|---|---:|\n| AAA | +20.0% |\n"
                       "<!-- vaultkit:end id=x -->\n")
    root = _vault(tmp_path, thesis)
    rows = audit_vault(Vault.load(root, cache=False), make_provider("csv", root), LATEST,
                       note="Thesis")
    assert max(row.line for row in rows) == 22


def test_the_benchmark_runs_and_prints_its_ratios() -> None:
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "audit.py"
    run = subprocess.run([sys.executable, str(script), "--sizes", "60"], capture_output=True,
                         text=True, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "sample vault:" in run.stdout and "generated 60:" in run.stdout
    assert run.stdout.count("x load") == 2 and "x `vaultkit scan`" in run.stdout
