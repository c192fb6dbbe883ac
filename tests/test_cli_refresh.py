"""``vaultkit refresh`` for people and programs: every skip carries a code decided where the
skip is (issue #11), and the human report says what is up to date, what changed with its
headline figure, what was skipped and why, and what to open (issue #18)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli
from vaultkit.refresh.report import SkipCode
from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.spec import Chart, Generated, RegionSpec

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "vault"


def _region(region_id: str, params: str, body: str = "") -> str:
    return (f"<!-- vaultkit:begin id={region_id} kind=pair {params} -->\n{body}"
            f"<!-- vaultkit:end id={region_id} -->\n")


def _vault(tmp_path: Path, files: dict[str, str]) -> Path:
    root = write_files(tmp_path / "v", files)
    (root / "data" / "prices").mkdir(parents=True)
    for ticker in ("XLE", "IGV"):
        shutil.copy(SAMPLE / "data" / "prices" / f"{ticker}.csv", root / "data" / "prices")
    return root


def _json(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(cli, ["--vault", str(root), "refresh", "--offline",
                                      "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def _close(ticker: str, day: str) -> float:
    with (SAMPLE / "data" / "prices" / f"{ticker}.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle) if r and not r[0].startswith("#")]
    column = rows[0].index("Close")
    return next(float(r[column]) for r in rows[1:] if r[0] == day)


def test_each_skip_has_the_code_of_where_it_was_decided(tmp_path: Path) -> None:
    root = _vault(tmp_path, {
        "Desk.md": (_region("edited", "a=XLE b=IGV window=90d", "| mine |\n")
                    + _region("bad-ticker", "a=../XLE b=IGV window=90d")
                    + _region("no-data", "a=ZZZQ b=IGV window=90d")
                    + _region("fine", "a=XLE b=IGV window=90d")),
        "Broken.md": "<!-- vaultkit:begin id=open kind=pair a=XLE b=IGV -->\nno end\n",
    })
    code, records = _json(root)
    assert code == 1
    codes = {(r["path"], r["id"]): (r["status"], r["code"]) for r in records}
    assert codes == {
        ("Broken.md", None): ("skipped", "marker-error"),
        ("Desk.md", "edited"): ("skipped", "hand-edited"),
        ("Desk.md", "bad-ticker"): ("skipped", "bad-parameter"),
        ("Desk.md", "no-data"): ("skipped", "generation-failed"),
        ("Desk.md", "fine"): ("written", None),
    }
    assert all(r["reason"] for r in records if r["status"] == "skipped")


def test_read_only_and_unsettled_notes_are_coded(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Desk.md": _region("fine", "a=XLE b=IGV window=90d")})
    assert _json(root)[0] == 0  # records the note's mtime: the next run can tell an edit
    note = root / "Desk.md"
    note.write_text(note.read_text(encoding="utf-8") + "typed just now\n", encoding="utf-8")
    code, records = _json(root, "--settle", "60")
    assert code == 1 and [r["code"] for r in records] == ["unsettled"]
    os.utime(note, (time.time() - 120, time.time() - 120))
    note.chmod(0o444)
    try:
        code, records = _json(root, "--settle", "0")
    finally:
        note.chmod(0o644)
    assert code == 1 and [r["code"] for r in records] == ["read-only"]


def test_a_chart_name_with_a_folder_from_a_generator_is_bad_chart(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"Desk.md": _region("r", "a=XLE b=IGV")})

    def generate(spec: RegionSpec) -> Generated:
        return Generated("body", {}, dt.date(2026, 11, 20), "test",
                         (Chart("../escape.png", b"png"),))

    report = refresh_vault(root, generate=generate)
    assert [(r.status, r.code) for r in report.records] == [("skipped", SkipCode.BAD_CHART)]
    assert report.records[0].to_dict()["code"] == "bad-chart"


def test_human_report_groups_skips_by_code(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Desk.md": (_region("a1", "a=XLE b=IGV window=90d", "x\n")
                                         + _region("a2", "a=XLE b=IGV window=90d", "y\n")
                                         + _region("b1", "a=../X b=IGV window=90d"))})
    result = CliRunner().invoke(cli, ["--vault", str(root), "refresh", "--offline"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "Skipped: 3 regions (2 hand-edited, 1 bad-parameter)" in result.stdout
    assert "bad-parameter: a=../X: not a ticker symbol: ../X" in result.stdout


def test_a_run_that_changes_names_each_region_with_its_headline(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Desks/Energy.md": _region("xle-igv", "a=XLE b=IGV window=90d")})
    result = CliRunner().invoke(cli, ["--vault", str(root), "refresh", "--offline"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # The 90-day window ends on the data's last session and starts 90 days before it.
    xle = _close("XLE", "2026-11-20") / _close("XLE", "2026-08-21") - 1
    igv = _close("IGV", "2026-11-20") / _close("IGV", "2026-08-21") - 1
    headline = f"XLE {xle * 100:+.1f}% vs IGV {igv * 100:+.1f}%"
    out = result.stdout
    assert "1 region in 1 note, as of the 2026-11-20 session (source: data/prices CSV" in out
    assert "1 changed, 0 up to date, 0 skipped." in out
    assert "Changed: 1 region in 1 note\n  Desks/Energy.md\n    xle-igv  " + headline in out
    assert "Open:\n  Desks/Energy.md (1 region)" in out


def test_a_fresh_clone_of_the_sample_vault_reads_as_up_to_date(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".vaultkit"))
    result = CliRunner().invoke(cli, ["--vault", str(root), "refresh", "--offline"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    counts = [text.count("<!-- vaultkit:begin") for text in
              (p.read_text(encoding="utf-8") for p in root.rglob("*.md"))]
    notes = sum(1 for n in counts if n)
    assert f"{sum(counts)} regions in {notes} notes, as of the 2026-11-20 session" in result.stdout
    assert "all up to date, nothing to write." in result.stdout
    # What there is to open: each note with regions and the charts its markers name.
    tracker = (root / "Rotation tracker.md").read_text(encoding="utf-8").count("vaultkit:begin")
    assert (f"  Rotation tracker.md ({tracker} regions)\n"
            "    attachments/xle-vs-igv-price-chart.png") in result.stdout


def test_quiet_prints_nothing_and_piped_output_has_no_colour(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Desk.md": _region("fine", "a=XLE b=IGV window=90d")})
    quiet = CliRunner().invoke(cli, ["--vault", str(root), "refresh", "--offline", "-q"])
    assert quiet.exit_code == 0 and quiet.stdout == ""
    env = {**os.environ, "FORCE_COLOR": "", "COLUMNS": "100"}
    env.pop("FORCE_COLOR")
    piped = subprocess.run([sys.executable, "-m", "vaultkit", "--vault", str(root), "refresh",
                            "--offline"], capture_output=True, text=True, env=env, check=False)
    assert piped.returncode == 0, piped.stderr
    assert "up to date" in piped.stdout and "\x1b[" not in piped.stdout + piped.stderr
