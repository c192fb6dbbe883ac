"""The compare-and-swap writer, the attachment folder and the refresh lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vaultkit.errors import ConflictError, ParseError, UnsafePathError
from vaultkit.refresh import writer
from vaultkit.refresh.lock import LockHeld, refresh_lock


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(writer.TEMP_SUFFIX))


def test_unchanged_content_is_not_written_and_mtime_is_untouched(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"same\n")
    os.utime(note, ns=(1_000_000_000, 1_000_000_000))
    assert writer.write(writer.snapshot(note), b"same\n") is False
    assert note.stat().st_mtime_ns == 1_000_000_000


def test_write_replaces_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old\n")
    note.chmod(0o640)
    assert writer.write(writer.snapshot(note), b"new\n") is True
    assert note.read_bytes() == b"new\n"
    assert note.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_a_file_changed_after_the_snapshot_is_not_overwritten(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old\n")
    snap = writer.snapshot(note)
    note.write_bytes(b"the researcher typed this\n")
    with pytest.raises(ConflictError, match="changed on disk"):
        writer.write(snap, b"new\n")
    assert note.read_bytes() == b"the researcher typed this\n"
    assert _leftovers(tmp_path) == []


def test_a_file_changed_while_the_temp_file_is_written_is_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old\n")
    snap = writer.snapshot(note)
    real_fsync = os.fsync

    def editor_saves_during_fsync(fd: int) -> None:
        note.write_bytes(b"saved by Obsidian\n")  # the latest moment before the re-hash
        real_fsync(fd)

    monkeypatch.setattr(writer.os, "fsync", editor_saves_during_fsync)
    with pytest.raises(ConflictError):
        writer.write(snap, b"new\n")
    monkeypatch.undo()
    assert note.read_bytes() == b"saved by Obsidian\n"
    assert _leftovers(tmp_path) == []


def test_a_file_that_appears_or_vanishes_meanwhile_is_a_conflict(tmp_path: Path) -> None:
    chart = tmp_path / "c.png"
    snap = writer.snapshot(chart)
    chart.write_bytes(b"someone else's")
    with pytest.raises(ConflictError):
        writer.write(snap, b"png")
    gone = writer.snapshot(chart)
    chart.unlink()
    with pytest.raises(ConflictError):
        writer.write(gone, b"png")
    assert not chart.exists()


def test_failure_mid_write_removes_the_temp_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old\n")

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", disk_full)
    monkeypatch.setattr(writer, "exchange", disk_full)
    with pytest.raises(OSError, match="No space"):
        writer.write(writer.snapshot(note), b"new\n")
    assert note.read_bytes() == b"old\n"
    assert _leftovers(tmp_path) == []


def test_symlinks_are_not_written_through(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("x")
    (tmp_path / "link.md").symlink_to(tmp_path / "real.md")
    with pytest.raises(UnsafePathError, match="symlink"):
        writer.snapshot(tmp_path / "link.md")


def test_stale_temp_files_are_removed(tmp_path: Path) -> None:
    (tmp_path / f".n.md.abc{writer.TEMP_SUFFIX}").write_text("partial")
    (tmp_path / "keep.tmp").write_text("not ours")
    assert len(writer.remove_stale_temp_files(tmp_path)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.tmp"]


@pytest.mark.parametrize(("setting", "expected"), [
    (None, "."), ("", "."), ("/", "."), ("attachments", "attachments"),
    ("/attachments", "attachments"), ("./", "notes/sub"), ("./img", "notes/sub/img"),
    ("media/charts", "media/charts"),
])
def test_attachment_folder_follows_obsidian(tmp_path: Path, setting: str | None,
                                            expected: str) -> None:
    if setting is not None:
        (tmp_path / ".obsidian").mkdir()
        (tmp_path / ".obsidian" / "app.json").write_text(
            json.dumps({"attachmentFolderPath": setting}))
    folder = writer.attachment_folder(tmp_path, "notes/sub/n.md")
    assert folder == (tmp_path / expected).resolve()


@pytest.mark.parametrize("setting", ["../outside", "/../../etc", "./../../.."])
def test_attachment_folder_outside_the_vault_is_refused(tmp_path: Path, setting: str) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text(json.dumps({"attachmentFolderPath": setting}))
    with pytest.raises(UnsafePathError, match="outside the vault"):
        writer.attachment_folder(vault, "n.md")


def test_a_broken_app_json_is_reported_not_guessed(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "app.json").write_text('{"attachmentFolderPath": ')
    with pytest.raises(ParseError, match="attachment folder unknown") as caught:
        writer.attachment_folder(tmp_path, "n.md")
    assert caught.value.path == ".obsidian/app.json"


def test_an_attachment_folder_symlinked_out_of_the_vault_is_refused(tmp_path: Path) -> None:
    vault, elsewhere = tmp_path / "vault", tmp_path / "elsewhere"
    (vault / ".obsidian").mkdir(parents=True)
    elsewhere.mkdir()
    (vault / "attachments").symlink_to(elsewhere)
    (vault / ".obsidian" / "app.json").write_text('{"attachmentFolderPath": "attachments"}')
    with pytest.raises(UnsafePathError):
        writer.attachment_folder(vault, "n.md")


def test_second_refresh_lock_is_refused_clearly(tmp_path: Path) -> None:
    state = tmp_path / ".vaultkit"
    with (refresh_lock(state), pytest.raises(LockHeld, match=f"pid {os.getpid()}"),
          refresh_lock(state)):
        pass
    with refresh_lock(state):
        pass  # released on exit


def test_lock_is_held_across_processes(tmp_path: Path) -> None:
    state = tmp_path / ".vaultkit"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, pathlib; from vaultkit.refresh.lock import refresh_lock\n"
         f"with refresh_lock(pathlib.Path({str(state)!r})):\n"
         "    print('held', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"), refresh_lock(state):
            pass
    finally:
        holder.communicate("\n", timeout=10)
    with refresh_lock(state):
        pass


def _editor_writes_during_switch(monkeypatch: pytest.MonkeyPatch, mode: str,
                                 text: bytes) -> None:
    """Make the editor write to the old file after the re-hash, just before the switch."""
    real_exchange = writer.exchange
    calls = []

    def editor_first(a: str, b: str) -> bool:
        if not calls:
            with open(b, mode) as fh:
                fh.write(text)
        calls.append(b)
        return real_exchange(a, b)

    monkeypatch.setattr(writer, "exchange", editor_first)


@pytest.fixture
def note(tmp_path: Path) -> Path:
    """A note holding ``old``, on a file system that can swap two paths atomically."""
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    if not writer.exchange(probe, probe):
        pytest.skip("this system cannot swap two paths atomically")
    probe.unlink()
    made = tmp_path / "n.md"
    made.write_bytes(b"old\n")
    return made


def test_lines_appended_during_the_switch_are_carried_into_the_new_version(
        tmp_path: Path, note: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snap = writer.snapshot(note)
    _editor_writes_during_switch(monkeypatch, "ab", b"typed just now\n")
    assert writer.write(snap, b"new\n")
    assert note.read_bytes() == b"new\ntyped just now\n"
    assert _leftovers(tmp_path) == []


def test_a_rewrite_during_the_switch_is_swapped_back_and_kept(
        tmp_path: Path, note: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snap = writer.snapshot(note)
    _editor_writes_during_switch(monkeypatch, "wb", b"rewritten by the editor\n")
    with pytest.raises(ConflictError, match="their version kept"):
        writer.write(snap, b"new\n")
    assert note.read_bytes() == b"rewritten by the editor\n"
    assert _leftovers(tmp_path) == []


def test_late_appends_to_a_retired_version_are_carried_over_when_settled(
        tmp_path: Path, note: Path) -> None:
    retired: list[writer.Retired] = []
    assert writer.write(writer.snapshot(note), b"new\n", retired)
    assert len(retired) == 1
    with retired[0].old.open("ab") as fh:  # an editor still holding the old file open
        fh.write(b"late line\n")
    messages = writer.settle_retired(retired)
    assert note.read_bytes() == b"new\nlate line\n"
    assert messages and "carried over" in messages[0]
    assert _leftovers(tmp_path) == []


def test_a_late_rewrite_of_a_retired_version_is_kept_as_a_conflict_file(
        tmp_path: Path, note: Path) -> None:
    retired: list[writer.Retired] = []
    writer.write(writer.snapshot(note), b"new\n", retired)
    retired[0].old.write_bytes(b"something else\n")
    messages = writer.settle_retired(retired)
    assert note.read_bytes() == b"new\n"
    kept = list(tmp_path.glob(".*vaultkit-conflict"))
    assert [k.read_bytes() for k in kept] == [b"something else\n"]
    assert kept[0].name in messages[0]


def test_exchange_swaps_two_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"A")
    b.write_bytes(b"B")
    if not writer.exchange(a, b):
        pytest.skip("this system cannot swap two paths atomically")
    assert (a.read_bytes(), b.read_bytes()) == (b"B", b"A")
