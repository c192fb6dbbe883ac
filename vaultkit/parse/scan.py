"""Find the files of a vault and read notes as text, recording (not raising) problems."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from vaultkit.errors import Problem

#: Folders Obsidian itself never indexes, besides every dot-folder.
IGNORED_DIRS = frozenset({"node_modules"})
#: Notes larger than this are reported, not parsed: a limit on size (memory, and a stray
#: dump named ``.md``), not on time. Parse time is linear in a note's size whatever it
#: holds, so a note of 1 MB of any content loads (``benchmarks/worst_case.py``).
MAX_NOTE_BYTES = 8 * 2**20
#: Characters Obsidian refuses in file names because link syntax gives them a meaning.
UNLINKABLE = "#^[]|"


@dataclass(frozen=True, slots=True)
class VaultFiles:
    """A vault's files, and each note's size and modification time (ns) as the listing saw
    them, in ``notes`` order: what a warm load compares with the index instead of a second
    stat per note. A note that could not be stat'ed has size -1 and time 0."""

    notes: tuple[str, ...]
    attachments: tuple[str, ...]
    sizes: tuple[int, ...] = ()
    mtimes: tuple[int, ...] = ()


def list_files(root: Path) -> VaultFiles:
    """Vault-relative POSIX paths of notes (``.md``) and attachments, sorted.

    Dot-folders (``.obsidian``, ``.trash``, ``.git``, ``.vaultkit``) and dot-files are
    skipped; symlinked folders are not followed, so a link loop cannot trap the scan. A
    note's size and time are its own (a symlink's, not its target's): the index never keeps
    a symlinked note, so they only have to change when it does.
    """
    notes: list[tuple[str, int, int]] = []
    attachments: list[str] = []
    folders = [(os.fspath(root), "")]
    while folders:  # one stat per note, from the directory entry that lists it
        folder, prefix = folders.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue  # an unreadable folder is skipped, as os.walk skips it
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    if entry.is_dir():
                        if name not in IGNORED_DIRS and not entry.is_symlink():
                            folders.append((entry.path, f"{prefix}{name}/"))
                        continue
                except OSError:
                    pass  # as os.walk: an entry whose type cannot be read is a file
                if name[-3:].lower() != ".md":
                    attachments.append(prefix + name)
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                    notes.append((prefix + name, info.st_size, info.st_mtime_ns))
                except OSError:
                    notes.append((prefix + name, -1, 0))
    if not notes:
        return VaultFiles((), tuple(sorted(attachments)))
    notes.sort()
    paths, sizes, mtimes = zip(*notes, strict=True)
    return VaultFiles(paths, tuple(sorted(attachments)), sizes, mtimes)


def read_note(root: Path, rel: str) -> tuple[str, list[Problem]]:
    """Read a note as text. Undecodable bytes become U+FFFD and are reported with their line.

    A file name no wikilink can name (``#|^[]``) is reported as a warning.
    """
    text, problems = _read_text(root, rel)
    bad = sorted(set(rel.rsplit("/", 1)[-1]) & set(UNLINKABLE))
    if bad:
        problems.insert(0, Problem(rel, 1, f"file name contains {' '.join(bad)}, which a "
                                           "wikilink cannot name", "warning"))
    return text, problems


def _read_text(root: Path, rel: str) -> tuple[str, list[Problem]]:
    file = root / rel
    try:
        # realpath, unlike Path.resolve, does not raise RuntimeError on a symlink loop;
        # the loop then fails stat() with ELOOP like any unreadable file.
        if file.is_symlink() and not Path(os.path.realpath(file)).is_relative_to(
                os.path.realpath(root)):
            return "", [Problem(rel, 1, "symlink points outside the vault; not read")]
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would block the scan forever
            return "", [Problem(rel, 1, "not a regular file; not read")]
        if info.st_size > MAX_NOTE_BYTES:
            return "", [Problem(rel, 1, f"note is {info.st_size / 2**20:.0f} MB, over the "
                                        f"{MAX_NOTE_BYTES // 2**20} MB limit; not parsed")]
        data = file.read_bytes()
    except OSError as exc:
        return "", [Problem(rel, 1, f"cannot read file: {exc.strerror or exc}")]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "", [Problem(rel, 1, "UTF-16 text; notes must be UTF-8; not parsed")]
    if b"\x00" in data[:8192]:
        return "", [Problem(rel, 1, "binary file with a .md name; not parsed")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Problem(rel, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                                     "undecodable bytes shown as \ufffd")
        return data.decode("utf-8", "replace"), [problem]
