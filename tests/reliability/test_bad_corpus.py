"""The bad-input corpus: every hostile file gets a one-line ``path:line: message``, the scan
goes on past it, and loading writes nothing into the vault.

The small cases are committed under ``tests/data/bad/``; the big or special ones (a 50 MB
note, a 10,000-column table, symlink loops, a FIFO, an unreadable file, a symlink out of
the vault) are made at test time and never committed.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from vaultkit.errors import Problem
from vaultkit.vault import Vault

from .figures import count

BAD = Path(__file__).parents[1] / "data" / "bad"
PWNED = Path("/tmp/vaultkit-pwned-by-yaml")

#: Committed file → (line, words the message must contain); None: loads without an error.
COMMITTED: dict[str, tuple[int, str] | None] = {
    "yaml-alias-bomb.md": (2, "too many values"),
    "yaml-python-object.md": (2, "could not determine a constructor"),
    "yaml-python-name.md": (3, "could not determine a constructor"),
    "yaml-yes-no-keys.md": None,
    "yaml-duplicate-keys.md": (4, "duplicate key 'tags'"),
    "yaml-tabs.md": (3, "cannot start any token"),
    "yaml-unclosed.md": (3, "invalid frontmatter YAML"),
    "yaml-not-mapping.md": (2, "not a mapping"),
    "yaml-deep.md": (2, "nested too deeply"),
    "deep-quotes.md": (1, "nested too deeply"),
    "deep-lists.md": (1, "nested too deeply"),
    "deep-indented-list.md": (50, "nested too deeply"),
    "deep-inline.md": None,
    "unclosed-everything.md": None,
    "not-utf8.md": (4, "not valid UTF-8 (byte 0xe9)"),
    "utf16-with-bom.md": (1, "UTF-16"),
    "binary.md": (1, "binary file"),
    "crlf-and-lone-cr.md": None,
    "name#hash.md": (1, "file name contains #"),
    "name|pipe.md": (1, "file name contains |"),
    "name^caret.md": (1, "file name contains ^"),
    "[name] brackets.md": (1, "file name contains [ ]"),
    unicodedata.normalize("NFD", "Café NFD.md"): None,
    "Survivor.md": None,
}

#: Made at test time (see :func:`bad_vault`).
GENERATED: dict[str, tuple[int, str] | None] = {
    "huge.md": (1, "over the 8 MB limit"),
    "wide-table.md": None,
    "loop-a.md": (1, "Too many levels of symbolic links"),
    "loop-b.md": (1, "Too many levels of symbolic links"),
    "loop-self.md": (1, "Too many levels of symbolic links"),
    "outside.md": (1, "symlink points outside the vault"),
    "dangling.md": (1, "cannot read file"),
    "fifo.md": (1, "not a regular file"),
    "unreadable.md": (1, "Permission denied"),
    "folder/inside.md": None,
}
EXPECTED = {**COMMITTED, **GENERATED}
WIDE = 10_000


def make_bad_vault(root: Path) -> Path:
    """The committed corpus plus the generated cases, in a fresh vault folder."""
    vault = root / "vault"
    shutil.copytree(BAD, vault)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Not part of the vault [[Leak]]\n")
    with (vault / "huge.md").open("w") as huge:
        line = "A line of a runaway export, [[Survivor]] #tag $x$ and more words.\n" * 1000
        while huge.tell() < 50 * 2**20:
            huge.write(line)
    header = "|" + "|".join(f"c{i}" for i in range(WIDE)) + "|\n"
    (vault / "wide-table.md").write_text(
        header + "|" + "---|" * WIDE + "\n" + "|" + "|".join(str(i) for i in range(WIDE)) + "|\n")
    (vault / "loop-a.md").symlink_to("loop-b.md")
    (vault / "loop-b.md").symlink_to("loop-a.md")
    (vault / "loop-self.md").symlink_to("loop-self.md")
    (vault / "outside.md").symlink_to(outside / "secret.md")
    (vault / "dangling.md").symlink_to("missing-target.md")
    os.mkfifo(vault / "fifo.md")
    (vault / "unreadable.md").write_text("secret [[Survivor]]\n")
    (vault / "unreadable.md").chmod(0)
    (vault / "folder").mkdir()
    (vault / "folder" / "inside.md").write_text("[[Survivor]]\n")
    (vault / "folder" / "up").symlink_to("..")
    (vault / "folder" / "loop").symlink_to("../folder")
    (vault / "folder" / "out").symlink_to(outside)
    return vault


@pytest.fixture
def bad_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    vault = make_bad_vault(tmp_path)
    if os.geteuid() == 0:
        # root reads a chmod-000 file anyway: simulate the refusal where the bytes are read.
        print("\nrunning as root: chmod 000 does not stop reads; simulating EACCES for "
              "unreadable.md with a patched Path.read_bytes")
        real = pathlib.Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == "unreadable.md":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    return vault


def snapshot(root: Path, skip_own: bool = True) -> dict[str, tuple[str, int, bytes | str]]:
    """Every entry under ``root`` (symlinks not followed): kind, mtime and bytes or target."""
    found: dict[str, tuple[str, int, bytes | str]] = {}
    for folder, dirs, files in os.walk(root):
        if skip_own:
            dirs[:] = [d for d in dirs if d != ".vaultkit"]
        for name in dirs + files:
            path = Path(folder, name)
            info = path.lstat()
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = ("link", info.st_mtime_ns, os.readlink(path))
            elif path.is_file() and not path.is_fifo() and info.st_mode & 0o444:
                found[rel] = ("file", info.st_mtime_ns, path.read_bytes())
            else:
                found[rel] = ("other", info.st_mtime_ns, "")
    return found


def _one_line(problem: Problem) -> None:
    text = str(problem)
    assert "\n" not in text and "\r" not in text, text
    assert text.startswith(f"{problem.path}:{problem.line}: "), text


def check_problems(problems: list[Problem], expected: dict[str, tuple[int, str] | None]) -> None:
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        _one_line(problem)
        by_path.setdefault(problem.path, []).append(problem)
    for path, want in expected.items():
        found = by_path.get(path, [])
        if want is None:
            assert not [p for p in found if p.severity == "error"], (path, found)
            continue
        line, words = want
        assert any(p.line == line and words in p.message for p in found), (path, want, found)


def test_committed_corpus_is_complete() -> None:
    """Every committed file is in the table above, so none is tried without a verdict."""
    on_disk = {p.name for p in BAD.iterdir()}
    assert on_disk == set(COMMITTED)


def test_every_bad_file_is_reported_and_the_scan_goes_on(bad_vault: Path) -> None:
    before = snapshot(bad_vault, skip_own=False)
    vault = Vault.load(bad_vault, cache=False, workers=1)
    count(__name__, "bad files tried", len(EXPECTED))
    check_problems(vault.problems, EXPECTED)
    assert set(EXPECTED) <= set(vault.notes), set(EXPECTED) - set(vault.notes)
    # Files that are only partly bad still give what they can.
    survivor_links = [r.source for r in vault.link_refs() if r.resolved == "Survivor.md"]
    for readable in ("yaml-alias-bomb.md", "yaml-python-object.md", "yaml-tabs.md",
                     "not-utf8.md", "deep-quotes.md", "deep-inline.md", "crlf-and-lone-cr.md",
                     "name#hash.md", "folder/inside.md"):
        assert readable in survivor_links, readable
    nfd = unicodedata.normalize("NFD", "Café NFD.md")
    assert [r.resolved for r in vault.link_refs()
            if r.source == "Survivor.md" and r.link.target == "Café NFD"] == [nfd]
    assert len(vault.notes["wide-table.md"].tables[0].columns) == WIDE
    assert vault.notes["yaml-yes-no-keys.md"].frontmatter["no"] == "Norway"
    assert not PWNED.exists(), "a YAML tag ran a shell command"
    assert "Leak" not in {r.link.target for r in vault.link_refs()}, "read outside the vault"
    record_unchanged(before, snapshot(bad_vault, skip_own=False))


def test_cached_load_writes_only_under_dot_vaultkit(bad_vault: Path) -> None:
    before = snapshot(bad_vault)
    first = Vault.load(bad_vault, cache=True, workers=1)
    again = Vault.load(bad_vault, cache=True, workers=1)
    count(__name__, "bad files tried", len(EXPECTED))
    check_problems(again.problems, EXPECTED)
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    record_unchanged(before, snapshot(bad_vault))


def record_unchanged(before: dict[str, Any], after: dict[str, Any]) -> None:
    from .figures import record_preserved

    for rel, entry in before.items():
        kept = after.get(rel)
        old = entry[2] if isinstance(entry[2], bytes) else b""
        new = kept[2] if kept is not None and isinstance(kept[2], bytes) else b""
        record_preserved(__name__, old, new)
        assert kept == entry, f"{rel} changed"
    assert set(after) == set(before), f"new files: {set(after) - set(before)}"


def test_cli_scan_loads_the_whole_corpus(tmp_path: Path) -> None:
    """``vaultkit scan`` on a vault of every bad file exits 0 and lists each error."""
    vault = make_bad_vault(tmp_path)
    before = snapshot(vault)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-m", "vaultkit", "--vault", str(vault), "scan"]
    as_json = subprocess.run([*command, "--format", "json"], capture_output=True, text=True,
                             timeout=300, env=env)
    human = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    count(__name__, "bad files tried", 2 * len(EXPECTED))
    assert as_json.returncode == 0, as_json.stderr
    assert human.returncode == 0, human.stderr
    totals = json.loads(as_json.stdout)
    assert totals["notes"] == len(EXPECTED)
    errors = [Problem(e["path"], e["line"], e["message"]) for e in totals["errors"]]
    expected_errors = {path: want for path, want in EXPECTED.items()
                       if want is not None and not want[1].startswith("file name")}
    if os.geteuid() == 0:
        del expected_errors["unreadable.md"]  # root can read it, and a subprocess is unpatched
    check_problems(errors, expected_errors)
    for problem in errors:
        assert str(problem) in human.stdout, str(problem)
    record_unchanged(before, snapshot(vault))
