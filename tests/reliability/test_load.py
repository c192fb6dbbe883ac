"""Load: refreshes in a row on a 1,000-note vault, and refreshes started at once (the lock
holds: one runs, the others refuse; never do two write)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from vaultkit.refresh.lock import LockHeld
from vaultkit.refresh.report import WRITTEN
from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.spec import Generated, RegionSpec

from .figures import count, record_preserved, scale
from .vaults import FakeGenerator, files, no_fsync, temp_files, tracker_note

NOTES, WITH_REGIONS = 1_000, 100


def _big_vault(root: Path) -> None:
    for n in range(NOTES):
        folder = root / f"Folder {n % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        text = tracker_note(n, 2) if n % (NOTES // WITH_REGIONS) == 0 else (
            f"# Plain note {n}\n\nLinks to [[Note {n + 1}]] and #tag{n % 7}.\n"
            "<!-- an ordinary comment, not a marker -->\n")
        (folder / f"Note {n}.md").write_text(text)


def test_refreshes_in_a_row_on_a_thousand_note_vault(tmp_path: Path) -> None:
    _big_vault(tmp_path)
    plain = {k: v for k, v in files(tmp_path).items() if b"vaultkit:begin" not in v}
    stamps = {k: (tmp_path / k).stat().st_mtime_ns for k in plain}
    runs = scale(3, 20)
    started = time.monotonic()
    for run in range(runs):
        with no_fsync():
            report = refresh_vault(tmp_path, generate=FakeGenerator(str(run)), settle=0)
        assert len(report.changed_notes) == WITH_REGIONS, run
        assert not report.skipped, report.skipped
        assert {r.status for r in report.records} == {WRITTEN}
        after = files(tmp_path)
        for rel, data in plain.items():
            record_preserved(__name__, data, after[rel])
        assert {k: after[k] for k in plain} == plain
        assert {k: (tmp_path / k).stat().st_mtime_ns for k in plain} == stamps
        for rel, data in after.items():
            if rel not in plain:
                assert f"v{run}".encode() in data and b"the researcher wrote" in data, rel
        assert not temp_files(tmp_path)
    with no_fsync():
        again = refresh_vault(tmp_path, generate=FakeGenerator(str(runs - 1)), settle=0)
    assert again.changed_notes == []
    print(f"\nload: {runs} refreshes of a {NOTES}-note vault ({WITH_REGIONS} with regions) in "
          f"{time.monotonic() - started:.1f}s, then a no-op refresh")


def _wait_for(path: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.005)


class _HoldingGenerator(FakeGenerator):
    """Signals that the refresh (and so its lock) is under way, then waits to be released."""

    def __init__(self, inside: Path, release: Path) -> None:
        super().__init__("held")
        self.inside, self.release = inside, release

    def __call__(self, spec: RegionSpec) -> Generated:
        self.inside.touch()
        _wait_for(self.release)
        return super().__call__(spec)


def _fork(run: object) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        code = 1
        try:
            run()  # type: ignore[operator]
            code = 0
        except LockHeld:
            code = 75
        finally:
            os._exit(code)
    return pid


def test_a_second_refresh_refuses_while_one_is_writing(tmp_path: Path) -> None:
    vault, signals = tmp_path / "vault", tmp_path / "signals"
    vault.mkdir()
    signals.mkdir()
    for n in range(5):
        (vault / f"Note {n}.md").write_text(tracker_note(n, 2))
    inside, release = signals / "inside", signals / "release"
    holder = _fork(lambda: refresh_vault(
        vault, generate=_HoldingGenerator(inside, release), settle=0))
    _wait_for(inside)
    second = FakeGenerator("second")
    try:
        refresh_vault(vault, generate=second, settle=0)
        refused = False
    except LockHeld as exc:
        refused = True
        assert "another refresh is running" in str(exc)
    finally:
        release.touch()
        _, status = os.waitpid(holder, 0)
    count(__name__, "faults injected")
    assert refused and second.calls == [], "two refreshes ran at once"
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    for n in range(5):
        text = (vault / f"Note {n}.md").read_text()
        assert "vheld" in text and "vsecond" not in text


def test_refreshes_started_together_never_both_write(tmp_path: Path) -> None:
    vault, out = tmp_path / "vault", tmp_path / "out"
    vault.mkdir()
    out.mkdir()
    for n in range(20):
        (vault / f"Note {n}.md").write_text(tracker_note(n, 2))
    rounds, racers = scale(3, 30), 4
    refusals = 0
    for round_ in range(rounds):
        go = out / f"go{round_}"
        pids = []
        for racer in range(racers):
            result = out / f"r{round_}-{racer}.json"

            def run(result: Path = result, go: Path = go, version: str = str(round_)) -> None:
                _wait_for(go)
                report = refresh_vault(vault, generate=FakeGenerator(version), settle=0)
                result.write_text(json.dumps(report.changed_notes))

            pids.append(_fork(run))
        go.touch()
        codes = [os.waitpid(pid, 0)[1] for pid in pids]
        count(__name__, "faults injected", racers)
        assert all(os.WIFEXITED(c) and os.WEXITSTATUS(c) in (0, 75) for c in codes), codes
        refusals += sum(os.WEXITSTATUS(c) == 75 for c in codes)
        writers: dict[str, int] = {}
        for racer in range(racers):
            result = out / f"r{round_}-{racer}.json"
            for note in json.loads(result.read_text()) if result.exists() else []:
                writers[note] = writers.get(note, 0) + 1
        assert len(writers) == 20 and set(writers.values()) == {1}, writers
    print(f"\nlock: {rounds} rounds of {racers} refreshes started together; {refusals} refused, "
          "every note written by exactly one")
