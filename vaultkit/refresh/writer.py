"""The only refresh code that touches the disk: compare-and-swap writes of notes and charts.

Protocol (a note is always either the old or the new version, never a mix):

1. :func:`snapshot` reads the bytes and their SHA-256;
2. the caller builds the whole new content in memory;
3. :func:`write` returns at once when the content is unchanged (mtime untouched); otherwise
   it writes a temp file in the same folder and fsyncs it, re-hashes the target and refuses
   (:class:`ConflictError`) when it changed since the snapshot, then ``os.replace``\\s it and
   fsyncs the folder. The temp file is removed on any failure.

Where the system can swap two paths atomically (Linux), the rename is an exchange: the old
version stays at the temp path and is compared with the snapshot *after* the switch. Lines
an editor appended to it meanwhile are carried over to the new version (an ``O_APPEND``
write; our change never touches what follows); any other rewrite is swapped back, so their
version is the note again. With a ``retired`` list the old version is kept until
:func:`settle_retired`, at the end of the refresh, looks at it a last time: that catches an
editor that opened the note before the switch and writes a moment after it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from vaultkit.errors import ConflictError, ParseError, UnsafePathError
from vaultkit.refresh.exchange import exchange

#: Temp files end with this; a killed refresh may leave one, the next one removes it.
TEMP_SUFFIX = ".vaultkit-tmp"
#: Mode of files vaultkit creates (charts): what a default umask gives an editor's files.
NEW_FILE_MODE = 0o644


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file as read: its bytes (None when absent), their hash, mode and mtime."""

    path: Path
    data: bytes | None
    digest: str | None
    mode: int | None
    mtime_ns: int | None


def snapshot(path: Path) -> Snapshot:
    """Read ``path`` for a later compare-and-swap :func:`write`; absent files are allowed."""
    if path.is_symlink():
        raise UnsafePathError("is a symlink; vaultkit writes only regular files", str(path))
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        return Snapshot(path, None, None, None, None)
    return Snapshot(path, data, _sha256(data), stat.S_IMODE(info.st_mode), info.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class Retired:
    """An old version swapped out by :func:`write`, kept until :func:`settle_retired`."""

    snap: Snapshot
    old: Path


def write(snap: Snapshot, data: bytes, retired: list[Retired] | None = None) -> bool:
    """Replace the file of ``snap`` with ``data`` atomically; False when nothing changed.

    Raises :class:`ConflictError` when the file changed (or appeared, or vanished) since
    ``snap`` was taken; the file is then left exactly as the other writer left it. With
    ``retired``, the swapped-out old version is kept there for :func:`settle_retired`.
    """
    if data == snap.data:
        return False
    path = snap.path
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; a note must keep the permissions the researcher gave it.
        os.chmod(tmp, snap.mode if snap.mode is not None else NEW_FILE_MODE)
        if _current_digest(path) != snap.digest:
            raise ConflictError("changed on disk during the refresh (an editor saved it?); "
                                "not overwritten", str(path))
        if snap.data is not None and exchange(tmp, path):
            seen = _carry_appends(snap.data, Path(tmp), path)
            if seen is None:
                _swap_back(snap, data, Path(tmp))
            elif retired is None:
                os.unlink(tmp)  # the old version, checked
            else:
                retired.append(Retired(replace(snap, data=seen), Path(tmp)))
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:
        _fsync_dir(path.parent)
    except OSError as exc:
        raise NotDurable(exc.errno, f"written, but syncing its folder failed ({exc.strerror}); "
                                    "a crash now could bring back the old version") from exc
    return True


def _carry_appends(expected: bytes, old: Path, path: Path) -> bytes | None:
    """Compare the swapped-out ``old`` version with what was read; None if it was rewritten.

    Lines an editor appended to the old file meanwhile are appended to the new one with an
    atomic ``O_APPEND`` write, as a merge would: our change never touches what follows.
    """
    current = old.read_bytes()
    if current == expected:
        return current
    if not current.startswith(expected):
        return None
    with path.open("ab") as fh:
        fh.write(current[len(expected):])
    return current


def _swap_back(snap: Snapshot, data: bytes, old: Path) -> None:
    """Another writer rewrote the note while it was switched: their version is the note again.

    If our new file was written to as well (an editor that opened the path just after the
    switch), it is kept beside the note as a hidden ``.vaultkit-conflict`` file, not lost.
    """
    exchange(old, snap.path)
    message = "changed on disk while being replaced (an editor saved it?); their version kept"
    if old.read_bytes() != data:
        kept = old.with_name(f".{snap.path.name}.{os.getpid()}.vaultkit-conflict")
        os.replace(old, kept)
        message += f"; edits made meanwhile to the new version saved as {kept.name}"
    raise ConflictError(message, str(snap.path))


def settle_retired(retired: list[Retired]) -> list[str]:
    """Look once more at old versions swapped out earlier, then discard them.

    An editor that opened a note just before the switch may write to the old file a moment
    later. An append (the old file still starts with what was read) is carried over to the
    note with an atomic ``O_APPEND`` write, as a merge would; any other late change is kept
    beside the note as a hidden ``.vaultkit-conflict`` file and reported. Returns messages.
    """
    messages = []
    for item in retired:
        try:
            messages.extend(_settle_one(item))
        except OSError as exc:
            messages.append(f"{item.snap.path}: replaced version {item.old.name} not checked "
                            f"({exc.strerror or exc}); left in place")
    return messages


def _settle_one(item: Retired) -> list[str]:
    name = item.snap.path
    expected = item.snap.data or b""
    seen = _carry_appends(expected, item.old, name)
    if seen is None:
        kept = item.old.with_name(f".{name.name}.{os.getpid()}.vaultkit-conflict")
        os.replace(item.old, kept)
        return [f"{name}: changed while being replaced; that version kept as {kept.name}"]
    item.old.unlink()
    if seen != expected:
        return [f"{name}: lines appended while it was replaced were carried over"]
    return []


class NotDurable(OSError):
    """The new bytes are in place (the rename happened) but the folder fsync failed."""


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete temp files a killed refresh left in ``folder``; call only under the lock."""
    removed = []
    for stale in folder.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
            removed.append(stale)
    return removed


def attachment_folder(root: Path, note: str) -> Path:
    """Where charts for ``note`` (vault-relative) go, following Obsidian's setting.

    ``.obsidian/app.json`` ``attachmentFolderPath``: absent, ``""`` or ``"/"`` → vault root;
    ``"./"`` or ``"./sub"`` → next to the note (in ``sub``); ``"dir"`` or ``"/dir"`` → that
    vault folder. A setting that points outside the vault is refused.
    """
    setting = ""
    # Only a missing file means "default": an unreadable or broken one must not silently
    # send charts to the vault root.
    with contextlib.suppress(FileNotFoundError):
        raw = (root / ".obsidian" / "app.json").read_text(encoding="utf-8")
        try:
            loaded = json.loads(raw)
        except ValueError as exc:
            raise ParseError(f"invalid JSON ({exc}); attachment folder unknown",
                             ".obsidian/app.json") from exc
        if isinstance(loaded, dict) and isinstance(loaded.get("attachmentFolderPath"), str):
            setting = loaded["attachmentFolderPath"].strip()
    if setting == "." or setting.startswith("./"):
        base = (root / note).parent / setting[2:]
    else:
        base = root / setting.lstrip("/")
    return inside_vault(root, base)


def inside_vault(root: Path, path: Path) -> Path:
    """``path`` with symlinks resolved, or :class:`UnsafePathError` if it leaves the vault."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise UnsafePathError(f"{path} is outside the vault; not written")
    return resolved


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _current_digest(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
