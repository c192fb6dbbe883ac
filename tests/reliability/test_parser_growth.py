"""Growth: doubling a note's size at most about doubles its parse time, whatever it holds.

Issue #12 found notes whose parse time grew with the square of their size (a line of
``[[``, ``#a#a…``, ``[k:: ``). Each worst case of ``benchmarks/worst_case.py``, and units
hypothesis assembles from every construct's delimiters, must grow linearly: the test
compares two sizes of the same note as a ratio (linear gives about 2, quadratic about 4),
never an absolute time. Timing ratios on a shared machine need room and repeats, so these
run only under ``make soak`` (``VAULTKIT_SOAK=1``).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.worst_case import PATTERNS, note_of
from vaultkit.parse.load import load_note
from vaultkit.parse.note import parse_note

from .figures import SOAK, count, fuzz_settings

pytestmark = pytest.mark.skipif(not SOAK, reason="time ratios: run under make soak")

SIZE, MAX_SIZE = 64 * 1024, 512 * 1024
#: A note is doubled from a size taking at least this long: shorter times are mostly noise.
MIN_SECONDS = 0.25
#: Linear time doubles; quadratic quadruples. The margin absorbs a shared machine's noise.
MAX_GROWTH = 3.0
DELIMITERS = ["[[", "![[", "]]", "]", "[", "(", ")", "#a", "#", "[k:: ", "(k:: ", "k:: ", "\\|",
              "\\", "|", "$", "$$", "%%", "<!--", "-->", "`", "``", "*", "_", "~~", "<a ", "<",
              ">", "> [!a]", "[^", "[^1]", "^a", "- ", "- [ ] ", "\n", " ", "a", "](", "::"]


def _seconds(text: str) -> float:
    """The fastest of three parses: the least disturbed by other work on the machine."""
    best = float("inf")
    for _ in range(3):
        gc.collect()  # each parse starts from the same heap
        start = time.perf_counter()
        parse_note(text, "growth.md")
        best = min(best, time.perf_counter() - start)
    return best


def _growth(unit: str) -> float:
    """Time to parse the note doubled over time to parse it, from a size worth timing."""
    size = SIZE
    small = _seconds(note_of(unit, size))
    while small < MIN_SECONDS and size < MAX_SIZE:
        size *= 2
        small = _seconds(note_of(unit, size))
    count(__name__, "cases fuzzed")
    return _seconds(note_of(unit, 2 * size)) / max(small, 1e-6)


@pytest.mark.parametrize("name", list(PATTERNS))
def test_each_worst_case_grows_linearly(name: str) -> None:
    assert _growth(PATTERNS[name]) < MAX_GROWTH


@fuzz_settings(normal=1, soak=40)
@given(st.lists(st.sampled_from(DELIMITERS), min_size=1, max_size=4).map("".join))
def test_any_mix_of_delimiters_grows_linearly(unit: str) -> None:
    assert _growth(unit) < MAX_GROWTH


@pytest.mark.parametrize("name", ["[[", "[k:: ", "#a", "[", "%%\\n", "![[]("])
def test_a_one_megabyte_note_of_any_content_loads(tmp_path: Path, name: str) -> None:
    (tmp_path / "big.md").write_text(note_of(PATTERNS[name], 2**20), encoding="utf-8")
    note = load_note(tmp_path, "big.md")
    assert not note.errors
