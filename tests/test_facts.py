"""The facts table: one row per figure, with heading path, date, entities and path:line."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli
from vaultkit.vault import Vault
from vaultkit.views.facts import FACT_COLUMNS, build_facts, fact_records

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed" / "Sector Rotation.md"
if not SEED.exists():
    SEED = next((ROOT.parent / "shared" / "seeds").glob("001_*.txt"))

UPDATE_FEB = ("Sector Rotation > Rotation 1: Mag 7 → everything else (January 2026) > "
              "February 27, 2026 update — dispersion at 2009 extremes")


@pytest.fixture(scope="module")
def seed_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed")
    shutil.copy(SEED, root / "Sector Rotation.md")
    return root


@pytest.fixture(scope="module")
def seed_facts(seed_root: Path) -> list[dict[str, object]]:
    return fact_records(build_facts(Vault.load(seed_root)))


def _one(facts: list[dict[str, object]], line: int, column: str) -> dict[str, object]:
    (found,) = [f for f in facts if f["line"] == line and f["column"] == column]
    return found


def _vault(tmp_path: Path, files: dict[str, str]) -> Vault:
    return Vault.load(write_files(tmp_path, files))


def test_nvidia_2023_is_240_percent(seed_facts: list[dict[str, object]]) -> None:
    fact = _one(seed_facts, 224, "2023")
    assert fact == {
        "path": "Sector Rotation.md", "line": 224,
        "heading": "Sector Rotation > Rotation 1: Mag 7 → everything else (January 2026) > "
                   "Historical Mag 7 annual returns (2021-2025)",
        "row": "NVIDIA", "column": "2023", "raw": "**+240%**", "value": 240.0,
        "unit": "percent", "approx": False, "bound": None, "date": None,
        "entities": ["NVIDIA"],
    }


def test_xmag_monthly_flows(seed_facts: list[dict[str, object]]) -> None:
    june = _one(seed_facts, 174, "Flow")
    assert (june["row"], june["value"], june["unit"], june["approx"]) == (
        "Jun", -1_000_000.0, "USD", True)
    december = _one(seed_facts, 180, "Flow")
    assert (december["row"], december["raw"], december["value"], december["approx"]) == (
        "Dec", "**~$38M**", 38_000_000.0, True)
    march = _one(seed_facts, 171, "Flow")
    assert (march["raw"], march["value"], march["unit"], march["entities"]) == (
        "~$[[3M]]", None, None, ["3M"])
    flows = [f for f in seed_facts if 169 <= int(str(f["line"])) <= 180 and f["column"] == "Flow"]
    # 10+5+2+1-1+1+2+4+10+8+38 ($M): March is text, so not in the sum.
    assert sum(float(str(f["value"])) for f in flows if f["value"] is not None) == 80_000_000.0


def test_dates_come_from_the_enclosing_update(seed_facts: list[dict[str, object]]) -> None:
    breadth = _one(seed_facts, 95, "Value")
    assert (breadth["heading"], breadth["date"], breadth["value"], breadth["bound"]) == (
        UPDATE_FEB, "2026-02-27", 60.0, "+")
    assert _one(seed_facts, 114, "Move")["date"] == "2026-02-27"  # second table, same update
    assert _one(seed_facts, 127, "Value")["date"] == "2026-01-15"
    assert _one(seed_facts, 144, "Value")["date"] == "2026-01-14"
    # "### [[XMAG]] ETF" closes the January 14 update section.
    assert _one(seed_facts, 161, "Value")["date"] is None


def test_blank_cells_state_no_fact(seed_facts: list[dict[str, object]]) -> None:
    since = [f for f in seed_facts if f["line"] == 62]
    assert [(f["column"], f["raw"]) for f in since] == [("Mag 7", "-2%"), ("S&P 493", "+1.8%")]
    assert not [f for f in seed_facts if f["line"] == 169 and f["column"] == "Notes"]


def test_row_label_is_plain_text_and_links_are_entities(
        seed_facts: list[dict[str, object]]) -> None:
    saas = _one(seed_facts, 254, "Rotation")
    assert saas["row"] == "2026"
    assert saas["entities"] == ["Claude Cowork disruption February 2026"]
    burry = _one(seed_facts, 78, "Event")
    assert burry["row"] == "Late Oct"
    assert burry["entities"] == ["Michael Burry", "NVIDIA", "Palantir"]


def test_facts_count_in_the_seed(seed_facts: list[dict[str, object]]) -> None:
    # 441 cells in 22 tables, less the header cells (65), the label cell of each of the 122
    # rows, and 14 blank cells (8 empty XMAG notes, 6 dashes in "The setup").
    assert len(seed_facts) == 441 - 65 - 122 - 14


def test_frontmatter_date_and_nested_updates(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {
        "Source.md": "---\ndate: 2026-01-16\n---\n| Figure | Value |\n|---|---|\n| R2K | +5.1% |\n",
        "Log.md": ("## 2026-01-01 update\n### Detail\n| A | B |\n|---|---|\n| x | 1 |\n"
                   "## Later\n| A | B |\n|---|---|\n| y | 2 |\n"
                   "\n| Only |\n|---|\n| 7 of 11 |\n"),
    })
    facts = fact_records(build_facts(vault))
    assert [(f["path"], f["row"], f["date"]) for f in facts] == [
        ("Log.md", "x", "2026-01-01"), ("Log.md", "y", None),
        ("Log.md", "", None),  # a one-column table has no label column: its cells are facts
        ("Source.md", "R2K", "2026-01-16")]
    assert facts[2]["column"] == "Only" and facts[2]["value"] == 7.0


def test_entity_filter_uses_names_aliases_rows_and_subjects(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {
        "NVIDIA.md": "---\naliases: [NVDA]\n---\n| Year | Return |\n|---|---|\n| 2023 | +240% |\n",
        "Screen.md": ("| Stock | Move |\n|---|---|\n| [[NVDA]] | -1.6% |\n| Tesla | -9% |\n"
                      "| [[nvidia\\|Nvidia]] | +2% |\n"),
        "XMAG.md": "# [[XMAG]] flows\n| Month | Flow |\n|---|---|\n| Dec | ~$38M |\n",
    })
    rows = [(f["path"], f["raw"]) for f in fact_records(build_facts(vault, entity="nvidia"))]
    assert rows == [("NVIDIA.md", "+240%"), ("Screen.md", "-1.6%"), ("Screen.md", "+2%")]
    by_alias = fact_records(build_facts(vault, entity="NVDA"))
    assert [f["raw"] for f in by_alias] == ["+240%", "-1.6%", "+2%"]
    assert [f["raw"] for f in fact_records(build_facts(vault, entity="TESLA"))] == ["-9%"]
    assert [f["raw"] for f in fact_records(build_facts(vault, entity="xmag"))] == ["~$38M"]
    assert fact_records(build_facts(vault, entity="Nobody")) == []


def test_column_filter(seed_root: Path) -> None:
    facts = fact_records(build_facts(Vault.load(seed_root), column="2025"))
    assert [(f["row"], f["value"]) for f in facts] == [
        ("NVIDIA", 35.0), ("Tesla", 65.0), ("Meta", 5.0), ("Google", 5.0), ("Microsoft", 15.0),
        ("Amazon", 10.0), ("Apple", 5.0), ("S&P 500", 25.0)]
    targets = fact_records(build_facts(Vault.load(seed_root), column="target"))
    assert len(targets) == 7  # the header is [[Target]]: matched as plain text


def test_cli_facts_for_nvidia_as_csv(seed_root: Path) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(seed_root), "facts", "--entity", "NVIDIA",
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == FACT_COLUMNS
    assert [(r["line"], r["column"], r["value"]) for r in rows] == [
        ("78", "Event", ""),
        ("212", "Target", "39.0"), ("212", "Notes", ""),
        ("224", "2021", "125.0"), ("224", "2022", "-50.0"), ("224", "2023", "240.0"),
        ("224", "2024", "170.0"), ("224", "2025", "35.0"),
    ]
    assert rows[0]["entities"] == "Michael Burry; NVIDIA; Palantir"
    assert {r["path"] for r in rows} == {"Sector Rotation.md"}


def test_cli_facts_json_has_the_design_shape(seed_root: Path) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(seed_root), "facts", "--column", "Flow",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)
    assert len(facts) == 12
    assert all(list(f) == list(FACT_COLUMNS) for f in facts)
    assert facts[5]["raw"] == "~-$1M" and facts[5]["value"] == -1_000_000.0
    dates = CliRunner().invoke(cli, ["--vault", str(seed_root), "facts", "--column", "event",
                                     "--format", "json"])
    assert json.loads(dates.output)[0]["row"] == "Oct 29, 2025"


def test_cli_facts_human_table(seed_root: Path) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(seed_root), "facts", "--entity", "Tesla"])
    assert result.exit_code == 0
    assert "Facts" in result.output and "-65" in result.output
