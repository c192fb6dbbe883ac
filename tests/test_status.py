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


def _screen(vault: Path, columns: int, *args: str) -> list[str]:
    result = CliRunner().invoke(cli, ["--vault", str(vault), "status", *args],
                                env={"COLUMNS": str(columns)})
    assert result.exit_code in (0, 1), result.output
    return [line.rstrip() for line in result.stdout.splitlines()]


def _row(screen: list[str], region: str) -> int:
    """The index of the line that starts the region's row."""
    return next(i for i, line in enumerate(screen) if line.startswith(f"  {region} "))


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_the_human_view_shows_each_region_on_one_line_under_its_note(vault: Path,
                                                                     columns: int) -> None:
    screen = _screen(vault, columns, "--as-of", "2026-11-30")
    assert max(map(len, screen)) <= columns
    ids = {line.split()[0] for line in screen if line.startswith("  ")}
    assert ids == REGIONS  # no id folded over two lines
    tracker = screen.index("Rotation tracker")
    assert _row(screen, "xle-igv") > tracker
    mag7 = screen[_row(screen, "mag7-returns")]
    # Five NYSE sessions after the data's last (see the JSON test above); the provider
    # is named where there is room for it.
    assert mag7.split()[1:4] == ["returns", "2026-11-20",
                                 "stale," if columns < 100 else "csv"]
    assert "stale, 5 behind" in mag7 and mag7.split()[-1] == "outdated"
    assert ("csv ·" in mag7) is (columns >= 100)


def test_the_human_view_flags_a_hand_edit_and_says_why_a_region_failed(vault: Path) -> None:
    note = vault / "Rotation tracker.md"
    note.write_text(note.read_text(encoding="utf-8").replace("| 90d |", "| 90 days |", 1),
                    encoding="utf-8")
    (vault / "Desk.md").write_text(
        "<!-- vaultkit:begin id=no-data kind=pair a=ZZZQ b=IGV window=90d -->\n"
        "<!-- vaultkit:end id=no-data -->\n", encoding="utf-8")
    screen = _screen(vault, 80, "--as-of", "2026-11-20")
    edited = _row(screen, "xle-igv")
    assert screen[edited].split()[-1] == "outdated"  # a refresh would put it back
    assert screen[edited + 1].strip() == "edited by hand"
    failed = _row(screen, "no-data")
    assert screen[failed].split()[-1] == "failed"
    below = screen[failed + 1:]
    reason = below[:next(i for i, line in enumerate(below) if not line.startswith(" "))]
    assert "no price file for ZZZQ" in " ".join(line.strip() for line in reason)


def test_long_shows_every_column_of_the_record(vault: Path) -> None:
    header = " ".join(_screen(vault, 200, "--as-of", "2026-11-20", "--long")[:3])
    for column in ("path", "provider", "stale", "sessions_behind", "hand_edited", "reason"):
        assert column in header
