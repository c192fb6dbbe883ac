"""Bases conformance: every case in ``tests/fixtures/bases/*.md`` (rules in its README).

A case is markdown-it-py's fixture format: a title naming the documented rule, ``.``, the vault
as ``=== path`` files then a ``>>> VIEW`` line (``>>> note:PATH#N`` for a note's N-th ``base``
block), ``.``, the expected ``vaultkit base --format json`` output (or ``error: ...``), ``.``.
The harness fixes the clock (now 2026-11-29T12:00:00) and every file's ctime and mtime
(2026-11-01T09:00:00).

Each case runs twice: once over decoded notes (no index) and once over the index's tables
(a vault whose index is built), so the two ways of reading a note can never disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from markdown_it.utils import read_fixture_file

import vaultkit.index.load as load_module
from vaultkit.bases import BaseError, block_source, evaluate_source, file_source
from vaultkit.index.reader import open_tables
from vaultkit.vault import Vault

FIXTURES = Path(__file__).parent / "fixtures" / "bases"
NOW = dt.datetime(2026, 11, 29, 12, 0, 0)
FILE_TIME = dt.datetime(2026, 11, 1, 9, 0, 0)


def _cases() -> list[Any]:
    cases = []
    for file in sorted(FIXTURES.glob("*.md")):
        if file.name == "README.md":
            continue
        for line, title, source, expected in read_fixture_file(file):
            cases.append(pytest.param(source, expected, id=f"{file.stem}:{line + 1}: {title}"))
    return cases


def write_case(root: Path, source: str) -> str:
    """Write the case's files under ``root``; return what follows ``>>>``."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    view = None
    for line in source.split("\n"):
        if line.startswith("=== "):
            current = files.setdefault(line[4:].strip(), [])
        elif line.startswith(">>>"):
            view = line[3:].strip()
            current = None
        elif current is not None:
            current.append(line)
    assert view is not None, "a case ends with a >>> line"
    for path, lines in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(("\n".join(lines) + "\n").encode() if lines else b"")
    return view


def run_case(root: Path, view: str, read: str = "notes",
             monkeypatch: pytest.MonkeyPatch | None = None) -> dict[str, Any]:
    """The case's view over decoded notes (``read="notes"``) or the index's tables (where
    no note may be decoded, when ``monkeypatch`` is given)."""
    if read == "tables":
        Vault.load(root, workers=1)  # builds the index
        vault = Vault.load(root, workers=1)
        assert open_tables(vault) is not None, "the tables must answer"
        if monkeypatch is not None:
            monkeypatch.setattr(load_module, "decode_note", _no_decoding)
    else:
        vault = Vault.load(root, cache=False, workers=1)
        assert open_tables(vault) is None
    times = lambda path: (FILE_TIME, FILE_TIME)  # noqa: E731
    if view.startswith("note:"):
        note, _, number = view[5:].rpartition("#")
        source = block_source(vault, note, int(number))
        return evaluate_source(vault, source, None, now=NOW, times=times).to_json()
    base = next(p for p in vault.attachments if p.endswith(".base"))
    return evaluate_source(vault, file_source(vault, base), view or None, now=NOW,
                           times=times).to_json()


def _no_decoding(blob: bytes) -> None:
    raise AssertionError("a note was decoded on the tables' path")


def same(actual: Any, expected: Any) -> bool:
    """Equal JSON, numbers by value but never booleans for numbers; an expected
    ``{"error": F}`` cell matches any cell error whose message contains F."""
    if isinstance(expected, dict) and set(expected) == {"error"} and isinstance(actual, dict):
        return set(actual) == {"error"} and str(expected["error"]) in str(actual["error"])
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return float(expected) == float(actual)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same(actual[k], expected[k])
                                                         for k in expected)
    return type(expected) is type(actual) and expected == actual


@pytest.mark.parametrize("read", ["notes", "tables"])
@pytest.mark.parametrize(("source", "expected"), _cases())
def test_case(source: str, expected: str, read: str, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> None:
    view = write_case(tmp_path, source)
    wanted = expected.strip()
    if wanted.startswith("error:"):
        with pytest.raises(BaseError) as caught:
            run_case(tmp_path, view, read, monkeypatch)
        assert f"error: {caught.value}".startswith(wanted), str(caught.value)
        return
    actual = run_case(tmp_path, view, read, monkeypatch)
    assert same(actual, json.loads(wanted)), json.dumps(actual, ensure_ascii=False)


def test_every_fixture_file_has_cases() -> None:
    files = [f for f in FIXTURES.glob("*.md") if f.name != "README.md"]
    assert files and all(read_fixture_file(f) for f in files)
