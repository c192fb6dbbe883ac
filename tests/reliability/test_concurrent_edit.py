"""A note edited by another process while a refresh runs: the edit is never lost.

A thread keeps appending lines to the notes (as a sync tool or a second editor would)
for the whole refresh; afterwards every appended line must be in its note. Edits saved
between the refresh's read and its write are caught (the region is skipped as a
conflict); lines appended to the old file while it is switched for the new one, or
after by a writer that still holds it open, are carried over by the writer.
"""

from __future__ import annotations

import threading
from pathlib import Path

from vaultkit.refresh.run import refresh_vault

from .figures import count, record_preserved, scale
from .vaults import FakeGenerator, tracker_note

NOTES = 40


def _appender(paths: list[Path], stop: threading.Event, written: dict[Path, list[str]]) -> None:
    i = 0
    while not stop.is_set():
        path = paths[i % len(paths)]
        line = f"appended line {i}\n"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line)
        written[path].append(line)
        i += 1


def test_lines_appended_during_a_refresh_are_never_lost(tmp_path: Path) -> None:
    trials = scale(5, 60)
    conflicts = appended = 0
    for trial in range(trials):
        root = tmp_path / f"t{trial}"
        root.mkdir()
        paths = []
        for n in range(NOTES):
            path = root / f"Note {n}.md"
            path.write_text(tracker_note(n, 2))
            paths.append(path)
        before = {p: p.read_bytes() for p in paths}
        written: dict[Path, list[str]] = {p: [] for p in paths}
        stop = threading.Event()
        thread = threading.Thread(target=_appender, args=(paths, stop, written))
        thread.start()
        try:
            report = refresh_vault(root, generate=FakeGenerator(str(trial)), settle=0)
        finally:
            stop.set()
            thread.join()
        count(__name__, "faults injected")
        conflicts += len(report.skipped)
        for path in paths:
            text = path.read_text(encoding="utf-8")
            appended += len(written[path])
            missing = [line for line in written[path] if line not in text]
            expected = "".join(written[path]).encode()
            got = "".join(line for line in written[path] if line in text).encode()
            record_preserved(__name__, expected, got)
            assert not missing, f"trial {trial}: {path.name} lost {len(missing)} appended lines"
            assert before[path].split(b"<!--")[0] in path.read_bytes()
    print(f"\nconcurrent edits: {appended} lines appended during {trials} refreshes; "
          f"{conflicts} regions skipped as conflicts, 0 lines lost")
