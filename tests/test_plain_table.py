"""A table written line by line (``cli/plain_table.py``) is character for character what
rich prints for the same :func:`new_table`, whenever it is written at all."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from vaultkit.cli.plain_table import plain_table_lines
from vaultkit.cli.terminal import new_table, plain, show_rows

#: Plain words, spaces, accents, a wide and a combining character, markup look-alikes,
#: tabs and newlines: the simple cases are written, the others left to rich.
TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ019 -#é中\u0301[]/|.\t\n")), max_size=14)


def rich_output(columns: list[str], rows: list[list[str]], title: str | None,
                width: int) -> str:
    buffer = io.StringIO()
    out = Console(file=buffer, width=width, markup=False, emoji=False, highlight=False,
                  soft_wrap=False)
    table = new_table(*columns, title=title)
    for row in rows:
        table.add_row(*(plain(text) for text in row))
    out.print(table)
    return buffer.getvalue()


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=5).flatmap(lambda n: st.tuples(
    st.lists(TEXT, min_size=n, max_size=n),
    st.lists(st.lists(TEXT, min_size=n, max_size=n), max_size=6),
    st.none() | TEXT,
    st.integers(min_value=20, max_value=120))))
def test_written_lines_are_what_rich_prints(case: tuple[list[str], list[list[str]],
                                                       str | None, int]) -> None:
    columns, rows, title, width = case
    lines = plain_table_lines(columns, rows, title, width)
    if lines is not None:
        assert "".join(line + "\n" for line in lines) == rich_output(columns, rows, title,
                                                                      width)


@pytest.mark.parametrize(("columns", "rows", "title"), [
    (["file.folder", "file.name", "created"],
     [["/", "Small Cap Regime 3056.md", "2026-12-28"], ["Macro", "Rates.md", ""]],
     "Recent by folder"),
    (["File", "ticker"], [], None),
    (["Task", "Status"], [["Review [[NVIDIA]] #todo", " "]], "Open"),
])
def test_typical_tables(columns: list[str], rows: list[list[str]], title: str | None) -> None:
    lines = plain_table_lines(columns, rows, title, 100)
    expected = rich_output(columns, rows, title, 100)
    if rows and rows[0][-1] == " ":
        assert lines is None  # a cell with an edge space: rich lays it out
        return
    assert lines is not None
    assert "".join(line + "\n" for line in lines) == expected


def test_too_wide_is_left_to_rich() -> None:
    assert plain_table_lines(["a", "b"], [["x" * 60, "y" * 60]], None, 100) is None


def test_show_rows_prints_the_same_either_way(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    rows = [["Utilities Breadth 5502.md", "2026-01-01"], ["Value Breadth.md", "x" * 90]]
    show_rows(["file.name", "created"], rows[:1], title="Companies")
    show_rows(["file.name", "created"], rows, title="Companies")  # wraps: rich lays it out
    printed = capsys.readouterr().out
    assert printed == (rich_output(["file.name", "created"], rows[:1], "Companies", 100)
                       + rich_output(["file.name", "created"], rows, "Companies", 100))
