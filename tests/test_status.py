"""``vaultkit status``: every region with its as-of, source, staleness and hand edits."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultkit.cli import cli
from vaultkit.refresh.status import region_status

ROOT = Path(__file__).resolve().parent.parent
# The sample vault's regions (its notes' begin markers), engine regions included.
REGIONS = {"rot-2000", "rot-2016", "rot-2018", "rot-2020", "rot-2022", "xle-igv", "iwm-qqq",
           "mag7-returns", "iwm-spy-streak", "sector-breadth", "macro-drivers",
           "rotation-signature", "updates",
           # the query, base and audit regions of the research notes
           "entities-by-sector", "open-tasks", "nvidia-sources", "by-sector", "thesis-check"}


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "vault", tmp_path / "vault",
                    ignore=shutil.ignore_patterns(".vaultkit"))
    return tmp_path / "vault"


def _status(vault: Path, *args: str) -> tuple[int, dict[str, dict[str, object]]]:
    result = CliRunner().invoke(cli, ["--vault", str(vault), "status", "--format", "json",
                                      *args])
    return result.exit_code, {r["id"]: r for r in json.loads(result.stdout)}


def test_every_region_is_listed_current_and_fresh_at_the_data_end(vault: Path) -> None:
    code, regions = _status(vault, "--as-of", "2026-11-20")
    assert code == 0
    assert set(regions) == REGIONS
    xle = regions["xle-igv"]
    assert xle["asof"] == "2026-11-20" and xle["provider"] == "csv"
    assert "synthetic" in str(xle["source"])
    assert xle["stale"] is False and xle["hand_edited"] is False and xle["state"] == "current"


def test_a_week_later_the_market_regions_are_stale_and_the_past_ranges_are_not(
        vault: Path) -> None:
    code, regions = _status(vault, "--as-of", "2026-11-30")
    assert code == 1
    # NYSE sessions after 2026-11-20 up to Monday 11-30: 23, 24, 25, 27 (half day), 30.
    assert regions["mag7-returns"]["stale"] is True
    assert regions["mag7-returns"]["sessions_behind"] == 5
    # A refresh --as-of 2026-11-30 would add the stale-data callout to it.
    assert regions["mag7-returns"]["state"] == "outdated"
    assert regions["rot-2000"]["stale"] is False


def test_judged_now_during_a_half_day_the_unfinished_session_does_not_count(
        vault: Path) -> None:
    noon = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)  # 12:00 New York, close 13:00
    regions = {r.record.id: r for r in region_status(vault, now=noon)}
    fresh = regions["xle-igv"].record.freshness
    assert fresh is not None and fresh.sessions_behind == 3 and fresh.stale


def test_a_hand_edited_region_is_flagged_and_still_judged(vault: Path) -> None:
    note = vault / "Rotation tracker.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("| 90d |", "| 90 days |", 1), encoding="utf-8")
    code, regions = _status(vault, "--as-of", "2026-11-20")
    assert code == 1
    assert regions["xle-igv"]["hand_edited"] is True
    assert regions["xle-igv"]["asof"] == "2026-11-20"
    assert regions["iwm-qqq"]["hand_edited"] is False
    assert note.read_text(encoding="utf-8") != text  # status wrote nothing back
