"""refresh_vault and ``vaultkit refresh`` end to end, with a fake generator of known output."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli
from vaultkit.cli import refresh as cli_refresh
from vaultkit.errors import DataError, VaultkitError
from vaultkit.refresh import run, writer
from vaultkit.refresh.lock import refresh_lock
from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.spec import Chart, Generated, RegionSpec

ASOF = dt.date(2026, 11, 20)
NOTE = """# Tracker

Prose the researcher wrote.

<!-- vaultkit:begin id=xle-igv kind=pair a=XLE b=IGV chart=xle-igv.png -->
<!-- vaultkit:end id=xle-igv -->

> [!note] Small caps
> <!-- vaultkit:begin id=iwm-qqq kind=pair a=IWM b=QQQ -->
> <!-- vaultkit:end id=iwm-qqq -->

## Updates
<!-- vaultkit:begin id=updates kind=updates -->
<!-- vaultkit:end id=updates -->
"""


class Fake:
    """Deterministic generator: the body and figures depend only on the spec and ``spread``."""

    def __init__(self, spread: float = 44.0, asof: dt.date = ASOF) -> None:
        self.spread, self.asof, self.calls = spread, asof, 0

    def __call__(self, spec: RegionSpec) -> Generated:
        self.calls += 1
        if spec.params.get("a") == "FAIL":
            raise DataError("no price file for FAIL")
        a, b = spec.params["a"], spec.params["b"]
        window = {"start": "2026-08-21", "end": self.asof.isoformat(), "a_return": 0.18,
                  "b_return": 0.18 - self.spread / 100, "spread_pp": self.spread}
        charts = (Chart(spec.params["chart"], f"PNG {self.spread}".encode()),) \
            if "chart" in spec.params else ()
        return Generated(f"| {a} | {b} |\n|---|---|\n| spread | {self.spread:+.1f}pp |",
                         {"a": a, "b": b, "windows": {"90d": window}}, self.asof, "test",
                         charts)


def _vault(tmp_path: Path, notes: dict[str, str | bytes]) -> Path:
    return write_files(tmp_path, notes)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".vaultkit" not in p.parts}


def test_refresh_writes_regions_charts_and_updates_then_is_idempotent(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE, "Other.md": "no regions\n"})
    report = refresh_vault(root, generate=Fake())
    assert [(r.id, r.status) for r in report.records] == [
        ("xle-igv", "written"), ("iwm-qqq", "written"), ("updates", "written")]
    assert report.changed_notes == ["Tracker.md"]
    assert report.charts == ("xle-igv.png",)
    text = (root / "Tracker.md").read_text()
    assert "> | IWM | QQQ |\n> |---|---|\n" in text
    assert "### November 20, 2026 update" in text and "*Updated 2026-11-20*" in text
    assert (root / "xle-igv.png").read_bytes() == b"PNG 44.0"

    before = {p: (root / p).stat().st_mtime_ns for p in ("Tracker.md", "xle-igv.png")}
    files = _snapshot(root)
    again = refresh_vault(root, generate=Fake())
    assert {r.status for r in again.records} == {"unchanged"}
    assert _snapshot(root) == files
    assert {p: (root / p).stat().st_mtime_ns for p in before} == before
    check = refresh_vault(root, generate=Fake(), check=True)
    assert check.changed_notes == [] and not check.skipped


def test_a_new_session_adds_a_dated_section_and_leaves_the_old_one(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE})
    refresh_vault(root, generate=Fake(44.0))
    first = (root / "Tracker.md").read_text()
    old_section = first.split("### November 20, 2026 update", 1)[1].split("\n\n*Updated")[0]
    refresh_vault(root, generate=Fake(10.0))  # same session, new figures: log unchanged
    same_day = (root / "Tracker.md").read_text()
    assert same_day.count("### November 20, 2026 update") == 1
    assert old_section in same_day and "| spread | +10.0pp |" in same_day
    refresh_vault(root, generate=Fake(12.0, dt.date(2026, 11, 23)))
    later = (root / "Tracker.md").read_text()
    assert later.index("November 23, 2026 update") < later.index("November 20, 2026 update")
    assert old_section in later and "*Updated 2026-11-23*" in later


def test_dry_run_and_check_write_nothing(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE})
    files = _snapshot(root)
    for kwargs in ({"dry_run": True}, {"check": True}):
        report = refresh_vault(root, generate=Fake(), diff=True, **kwargs)
        assert report.changed_notes == ["Tracker.md"]
        assert report.diff.startswith("--- a/Tracker.md\n+++ b/Tracker.md\n")
        assert {r.reason for r in report.regenerated} == {"dry run" if "dry_run" in kwargs
                                                          else "check"}
    assert _snapshot(root) == files
    assert not (root / ".vaultkit").exists()


def test_hand_edited_region_is_reported_and_kept_unless_forced(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE})
    refresh_vault(root, generate=Fake())
    note = root / "Tracker.md"
    note.write_text(note.read_text().replace("| XLE | IGV |", "| XLE | IGV | my note |"))
    edited = note.read_text()
    report = refresh_vault(root, generate=Fake(30.0), settle=0)
    status = {r.id: (r.status, r.reason) for r in report.records}
    assert status["xle-igv"][0] == "skipped" and "--force xle-igv" in (status["xle-igv"][1] or "")
    assert status["iwm-qqq"][0] == "written"
    assert "| XLE | IGV | my note |" in note.read_text()
    region = edited[edited.index("<!-- vaultkit:begin id=xle-igv"):edited.index("> [!note]")]
    assert region in note.read_text()
    assert (root / "xle-igv.png").read_bytes() == b"PNG 44.0"  # its chart is left too

    forced = refresh_vault(root, generate=Fake(30.0), force=["xle-igv"], settle=0)
    assert {r.id: r.status for r in forced.records}["xle-igv"] == "written"
    assert "my note" not in note.read_text()


def test_marker_errors_leave_the_note_untouched_and_name_path_line(tmp_path: Path) -> None:
    broken = NOTE.replace("<!-- vaultkit:end id=iwm-qqq -->", "")
    root = _vault(tmp_path, {"sub/Broken.md": broken, "Tracker.md": NOTE})
    report = refresh_vault(root, generate=Fake())
    (bad,) = report.skipped
    assert bad.path == "sub/Broken.md" and bad.id is None
    assert (bad.reason or "").startswith(
        "sub/Broken.md:13: region 'updates' begins inside region 'iwm-qqq' (line 9)")
    assert (root / "sub/Broken.md").read_text() == broken
    assert "Tracker.md" in report.changed_notes


def test_one_failing_generator_skips_only_its_region(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE.replace("a=IWM", "a=FAIL")})
    report = refresh_vault(root, generate=Fake())
    status = {r.id: (r.status, r.reason) for r in report.records}
    assert status["iwm-qqq"] == ("skipped", "no price file for FAIL")
    assert status["xle-igv"][0] == status["updates"][0] == "written"
    assert "**iwm-qqq**" not in (root / "Tracker.md").read_text()


def test_hostile_chart_names_are_refused_from_markers_and_generators(tmp_path: Path) -> None:
    hostile = NOTE.replace("chart=xle-igv.png", "chart=../../escape.png")
    root = _vault(tmp_path / "vault", {"Tracker.md": hostile})
    report = refresh_vault(root, generate=Fake())
    (skipped,) = report.skipped
    assert skipped.id == "xle-igv" and "unsafe chart name" in (skipped.reason or "")
    assert not (tmp_path / "escape.png").exists()

    def sneaky(spec: RegionSpec) -> Generated:
        made = Fake()(spec)
        return Generated(made.body, made.figures, made.asof, made.source,
                         (Chart("/tmp/evil.png", b"x"),))

    report = refresh_vault(root, generate=sneaky, force=["xle-igv"])
    assert all(r.status == "skipped" for r in report.records if r.kind == "pair")
    assert not Path("/tmp/evil.png").exists()


def test_unreadable_attachment_setting_skips_only_regions_with_charts(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE, ".obsidian/app.json": "{broken"})
    status = {r.id: (r.status, r.reason) for r in refresh_vault(root, generate=Fake()).records}
    assert status["xle-igv"][0] == "skipped"
    assert ".obsidian/app.json" in (status["xle-igv"][1] or "")
    assert status["iwm-qqq"][0] == "written"
    assert not list(root.glob("*.png"))


def test_note_changed_during_the_refresh_is_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE})
    real_write = writer.write

    def obsidian_saves_first(snap: writer.Snapshot, data: bytes,
                             retired: list[writer.Retired] | None = None) -> bool:
        if snap.path.name == "Tracker.md":
            snap.path.write_text(NOTE + "typed just now\n")
        return real_write(snap, data, retired)

    monkeypatch.setattr(run.writer, "write", obsidian_saves_first)
    report = refresh_vault(root, generate=Fake())
    assert (root / "Tracker.md").read_text() == NOTE + "typed just now\n"
    assert report.notes[0].status == "skipped"
    assert {r.status for r in report.records} == {"skipped"}
    assert "changed on disk" in (report.records[0].reason or "")
    assert str(tmp_path) not in (report.records[0].reason or "")  # records are vault-relative


def test_settle_rule_skips_only_notes_someone_else_just_wrote(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE, "Fresh.md": NOTE})
    # A fresh clone: every mtime is "now" and there is no state yet → refreshed at once.
    assert len(refresh_vault(root, generate=Fake(), settle=60).changed_notes) == 2
    # Our own writes are recorded, so an immediate second run does not wait for them.
    assert not refresh_vault(root, generate=Fake(30.0), settle=60).skipped
    (root / "Fresh.md").write_text((root / "Fresh.md").read_text() + "edited now\n")
    report = refresh_vault(root, generate=Fake(20.0), settle=60)
    assert {r.path for r in report.skipped} == {"Fresh.md"}
    assert "editor may be saving" in (report.skipped[0].reason or "")
    assert not refresh_vault(root, generate=Fake(20.0), settle=60, check=True).skipped
    old = time.time() - 120
    os.utime(root / "Fresh.md", (old, old))
    assert not refresh_vault(root, generate=Fake(20.0), settle=60).skipped


def test_crlf_bom_note_without_final_newline_keeps_its_bytes(tmp_path: Path) -> None:
    raw = ("\ufeff" + NOTE.rstrip("\n")).replace("\n", "\r\n").encode()
    root = _vault(tmp_path, {"Win.md": raw})
    refresh_vault(root, generate=Fake())
    new = (root / "Win.md").read_bytes()
    assert new.startswith(b"\xef\xbb\xbf# Tracker\r\n")
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert new.endswith(b" -->")
    assert refresh_vault(root, generate=Fake()).changed_notes == []


def test_read_only_notes_and_unknown_notes(tmp_path: Path) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE, "Sub/Other.md": NOTE})
    (root / "Tracker.md").chmod(0o444)
    report = refresh_vault(root, generate=Fake())
    assert {r.path for r in report.skipped} == {"Tracker.md"}
    assert (root / "Tracker.md").read_text() == NOTE
    assert refresh_vault(root, generate=Fake(), note="other").notes[0].path == "Sub/Other.md"
    with pytest.raises(VaultkitError, match="no note named"):
        refresh_vault(root, generate=Fake(), note="Nope")


def test_cli_json_records_and_exit_codes(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = _vault(tmp_path, {"Tracker.md": NOTE})
    real = run.refresh_vault
    monkeypatch.setattr(cli_refresh, "refresh_vault",
                        lambda *a, **k: real(*a, **{**k, "generate": Fake()}))
    runner = CliRunner()
    check = runner.invoke(cli, ["--vault", str(root), "refresh", "--check"])
    assert check.exit_code == 1 and "would change" in check.output
    result = runner.invoke(cli, ["--vault", str(root), "refresh", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    # DESIGN.md's fields, then the freshness fields docs/live-data.md adds (never renamed).
    assert [set(r) for r in records] == [
        {"path", "id", "kind", "status", "reason", "asof", "source", "figures", "code",
         "provider", "requested", "last_bar", "last_bars", "calendar", "expected", "stale",
         "sessions_behind", "data_notes"}] * 3
    assert records[0]["figures"]["windows"]["90d"]["spread_pp"] == 44.0
    assert records[0]["asof"] == "2026-11-20" and records[0]["status"] == "written"
    assert runner.invoke(cli, ["--vault", str(root), "refresh", "--check"]).exit_code == 0
    table = runner.invoke(cli, ["--vault", str(root), "refresh"])
    assert table.exit_code == 0 and "all up to date, nothing to write" in table.output
    (root / "Tracker.md").write_text((root / "Tracker.md").read_text().replace("| IWM", "| X"))
    edited = runner.invoke(cli, ["--vault", str(root), "refresh", "--settle", "0"])
    assert edited.exit_code == 1 and "hand-edited" in edited.output
    with refresh_lock(root / ".vaultkit"):
        locked = runner.invoke(cli, ["--vault", str(root), "refresh", "--settle", "0"])
    assert locked.exit_code == 1 and "another refresh is running" in locked.output
    diff = runner.invoke(cli, ["--vault", str(root), "refresh", "--dry-run", "--diff",
                               "--force", "iwm-qqq"])
    assert diff.exit_code == 0 and "+> | IWM | QQQ |" in diff.output
    for bad in (["--as-of", "yesterday"], ["--dry-run", "--check"], ["--note", "Nope"],
                ["--force", "no-such-id", "--settle", "0"]):
        assert runner.invoke(cli, ["--vault", str(root), "refresh", *bad]).exit_code == 2, bad


def test_state_file_that_cannot_be_saved_is_a_warning_not_a_lost_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _vault(tmp_path, {"T.md": NOTE})

    def disk_full(state_dir: Path, mtimes: dict[str, int]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run, "_save_state", disk_full)
    report = refresh_vault(root, generate=Fake(), settle=0)
    assert report.changed_notes == ["T.md"]
    assert len(report.warnings) == 1 and "No space left" in report.warnings[0]


def test_cli_reports_a_vault_it_cannot_lock_as_an_input_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _vault(tmp_path, {"T.md": NOTE})

    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(root / ".vaultkit"))

    monkeypatch.setattr(run, "refresh_lock", read_only)
    result = CliRunner().invoke(cli, ["--vault", str(root), "refresh"])
    assert result.exit_code == 2
    assert "Permission denied" in result.output
    assert (root / "T.md").read_text() == NOTE
