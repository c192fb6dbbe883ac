"""``vaultkit watch``: debounced, settle-respecting refreshes of notes whose text or data
changed; its own writes, deleted and renamed notes, and Ctrl-C handled."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from vaultkit.errors import NoteNotFound
from vaultkit.refresh.report import RefreshReport
from vaultkit.refresh.watch import Watcher, data_symbol, run_round, watch

NOTE = """# Tracker

<!-- vaultkit:begin id=pair kind=pair a=AAA b=BBB window=2d -->
<!-- vaultkit:end id=pair -->
"""
OTHER = """# Other

<!-- vaultkit:begin id=ret kind=returns tickers=CCC windows=2d -->
<!-- vaultkit:end id=ret -->
"""


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    prices = tmp_path / "data" / "prices"
    prices.mkdir(parents=True)
    for ticker in ("AAA", "BBB", "CCC"):
        (prices / f"{ticker}.csv").write_text(
            "Date,Close\n2026-11-16,10\n2026-11-17,11\n2026-11-18,12\n2026-11-19,13\n"
            "2026-11-20,14\n", encoding="utf-8")
    (tmp_path / "Tracker.md").write_text(NOTE, encoding="utf-8")
    (tmp_path / "Other.md").write_text(OTHER, encoding="utf-8")
    return tmp_path


def _watcher(vault: Path, clock: Clock) -> Watcher:
    return Watcher(vault, debounce=1.0, settle=2.0, clock=clock)


def test_an_edit_waits_for_quiet_and_the_settle_time(vault: Path) -> None:
    clock = Clock()
    w = _watcher(vault, clock)
    w.changed(str(vault / "Tracker.md"))
    clock.now += 1.5
    assert w.due() == []  # quiet for the debounce, but not yet settled
    w.changed(str(vault / "Tracker.md"))  # another save: the wait starts again
    clock.now += 1.9
    assert w.due() == []
    clock.now += 0.2
    assert w.due() == ["Tracker.md"]
    assert w.due() == []


def test_a_data_file_makes_the_notes_that_use_it_due(vault: Path) -> None:
    clock = Clock()
    w = _watcher(vault, clock)
    assert data_symbol("data/prices/BBB.csv") == "BBB"
    assert data_symbol("data/series/DGS10.csv") == "DGS10"
    assert data_symbol(".vaultkit/cache/prices/BBB.csv") is None  # our own fetches
    w.changed(str(vault / "data" / "prices" / "BBB.csv"))
    clock.now += 1.0
    assert w.due() == ["Tracker.md"]
    w.changed(str(vault / "data" / "prices" / "CCC.csv"))
    clock.now += 1.0
    assert w.due() == ["Other.md"]


def test_its_own_writes_and_other_folders_are_ignored(vault: Path) -> None:
    clock = Clock()
    w = _watcher(vault, clock)
    w.done("Tracker.md")  # as after a refresh that wrote it
    w.changed(str(vault / "Tracker.md"))
    for path in (".vaultkit/index.sqlite", ".obsidian/workspace.json",
                 "attachments/chart.png", "../elsewhere.md"):
        w.changed(str(vault / path))
    clock.now += 10
    assert w.due() == []
    # A later edit by someone else changes the mtime: due again.
    stat = (vault / "Tracker.md").stat()
    os.utime(vault / "Tracker.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    w.changed(str(vault / "Tracker.md"))
    clock.now += 10
    assert w.due() == ["Tracker.md"]


def test_a_deleted_or_renamed_note_is_dropped_and_its_new_name_is_due(vault: Path) -> None:
    clock = Clock()
    w = _watcher(vault, clock)
    w.changed(str(vault / "Tracker.md"))
    (vault / "Tracker.md").rename(vault / "Renamed.md")
    w.changed(str(vault / "Tracker.md"))
    w.changed(str(vault / "Renamed.md"))
    clock.now += 10
    assert w.due() == ["Renamed.md"]


def test_a_failed_refresh_costs_only_its_note(vault: Path) -> None:
    clock = Clock()
    w = _watcher(vault, clock)
    w.pending.update({"Gone.md": 0.0, "Tracker.md": 0.0})
    seen: dict[str, object] = {}

    def refresh(rel: str) -> RefreshReport:
        if rel == "Gone.md":
            raise NoteNotFound("no note named 'Gone.md'")
        return RefreshReport((), (), (), False)

    assert run_round(w, refresh, lambda rel, result: seen.setdefault(rel, result)) == [
        "Gone.md", "Tracker.md"]
    assert isinstance(seen["Gone.md"], NoteNotFound)
    assert isinstance(seen["Tracker.md"], RefreshReport)


def _wait_for(condition: object, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_watch_refreshes_an_edited_note_survives_its_deletion_and_stops(vault: Path) -> None:
    stop, ready = threading.Event(), threading.Event()
    reports: list[tuple[str, object]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            watch(vault, debounce=0.05, settle=0.05, stop=stop, ready=ready.set, tick=0.05,
                  report=lambda rel, result: reports.append((rel, result)))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert ready.wait(30)
        note = vault / "Tracker.md"
        note.write_text(NOTE.replace("# Tracker", "# Tracker\n\nA new line."), encoding="utf-8")
        assert _wait_for(lambda: "| 2d |" in note.read_text(encoding="utf-8"))
        assert "A new line." in note.read_text(encoding="utf-8")
        note.unlink()
        (vault / "data" / "prices" / "CCC.csv").write_text(
            "Date,Close\n2026-11-18,12\n2026-11-19,13\n2026-11-20,15\n", encoding="utf-8")
        # 2d from 2026-11-20 reaches back to 11-18 (close 12): 15 / 12 - 1.
        assert _wait_for(lambda: "+25.0%" in (vault / "Other.md").read_text(encoding="utf-8"))
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive() and errors == []
    assert [rel for rel, _ in reports][:1] == ["Tracker.md"]


def test_ctrl_c_stops_cleanly(vault: Path) -> None:
    def interrupt(rel: str, result: object) -> None:
        raise KeyboardInterrupt

    (vault / "Tracker.md").touch()
    done = threading.Event()

    def run() -> None:
        watch(vault, debounce=0.0, settle=0.0, tick=0.05, report=interrupt,
              ready=lambda: os.utime(vault / "Tracker.md"))
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert done.is_set()
