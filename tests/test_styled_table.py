"""A view's table written line by line (``cli/styled_table.py``) is byte for byte what rich
prints for the same table, colours included, whenever it is written at all; and the views
of the sample vault print exactly what rich prints for them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from vaultkit.cli import cli
from vaultkit.cli.styled_table import table_lines
from vaultkit.cli.terminal import lines, new_table, plain

#: Words, spaces, a wide character, markup look-alikes, tabs: simple cells are written,
#: the others left to rich. (Newlines come from ``lines``, the way the views make them.)
WORD = st.text(alphabet=st.sampled_from(list("abcXYZ019 -#é中[]/|.:\t")), max_size=12)
STYLE = st.sampled_from(["", "dim", "bold", "italic", "red"])
ColorSystem = Literal["standard", "256", "truecolor"] | None
COLOR_SYSTEMS: list[ColorSystem] = [None, "standard", "256", "truecolor"]
SAMPLE = Path(__file__).resolve().parents[1] / "vault"


@st.composite
def cells(draw: st.DrawFn) -> Text:
    """A cell as the views make one: a line or several, each maybe styled whole, the last
    maybe with a styled tail (``  +3 more``)."""
    parts = [plain(word, draw(STYLE)) for word in draw(st.lists(WORD, min_size=1, max_size=3))]
    if draw(st.booleans()):
        parts[-1].append(f"  +{draw(st.integers(1, 99))} more", style=draw(STYLE))
    return lines(parts)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    count = draw(st.integers(min_value=1, max_value=4))
    headers = [f"col{i}" + draw(st.sampled_from(["", " (file:line)", "s"])) for i in range(count)]
    right = [h for h in headers if draw(st.booleans())]
    names = [h for h in headers if draw(st.booleans())]
    title = draw(st.none() | WORD | st.builds(plain, WORD, STYLE))
    table = new_table(*headers, title=title, right=right, names=names)
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        table.add_row(*(draw(cells()) for _ in headers))
    if draw(st.booleans()):  # as related's view explains its score
        table.caption = plain(draw(WORD), draw(STYLE))
        table.caption_justify = "left"
    return table


def console(width: int, color_system: ColorSystem) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=color_system is not None,
                   color_system=color_system, markup=False, emoji=False, highlight=False,
                   soft_wrap=False)


def rich_prints(table: Table, width: int, color_system: ColorSystem) -> str:
    out = console(width, color_system)
    out.print(table)
    return out.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def written(table: Table, width: int, color_system: ColorSystem) -> str | None:
    found = table_lines(table, console(width, color_system))
    return None if found is None else "".join(line + "\n" for line in found)


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(min_value=30, max_value=140), st.sampled_from(COLOR_SYSTEMS))
def test_written_lines_are_what_rich_prints(table: Table, width: int,
                                            color_system: ColorSystem) -> None:
    found = written(table, width, color_system)
    if found is not None:
        assert found == rich_prints(table, width, color_system)


def test_the_usual_view_is_written_with_its_styles() -> None:
    table = new_table("target", "links", "where (file:line)", title="Unresolved targets",
                      right=("links",), names=("target",))
    tail = plain("Other.md:40")
    tail.append("  +3 more", style="dim")
    table.add_row(plain("Ghost Co"), plain(12), lines([plain("Note.md:12"), tail]))
    table.add_row(plain("Gone"), plain(1), lines([plain("x", "dim")]))
    for color_system in COLOR_SYSTEMS:
        expected = rich_prints(table, 100, color_system)
        assert written(table, 100, color_system) == expected
    coloured = written(table, 100, "truecolor")
    assert coloured is not None and "\x1b[2m  +3 more\x1b[0m" in coloured  # dim, as rich has it
    assert written(table, 100, None) == (  # columns 8, 5 and 20 wide, three spaces apart
        "Unresolved targets                     \n"
        "target     links   where (file:line)   \n"
        "───────────────────────────────────────\n"
        "Ghost Co      12   Note.md:12          \n"
        "                   Other.md:40  +3 more\n"
        "Gone           1   x                   \n")


@pytest.mark.parametrize("length", [35, 36, 37, 38, 39])
def test_a_name_column_as_wide_as_it_may_be(length: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    table = new_table("note", "why", names=("note",))  # at most 37 wide at 100 columns
    table.add_row(plain("n" * length), plain("why"))
    assert table.columns[0].max_width == 37
    found = written(table, 100, "truecolor")
    assert (found is None) == (length > 37)
    if found is not None:
        assert found == rich_prints(table, 100, "truecolor")


def test_an_empty_header_and_a_console_that_is_not_utf8_are_left_to_rich() -> None:
    empty = new_table("")
    empty.add_row(plain(""))
    assert written(empty, 100, None) is None  # rich gives it a width of one
    table = new_table("tag")
    table.add_row(plain("rotation"))
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    out = Console(file=latin, width=100, markup=False, emoji=False, highlight=False)
    assert table_lines(table, out) is None  # rich draws its rule in ASCII there
    plain_colour = console(100, "truecolor")
    plain_colour.no_color = True
    assert table_lines(table, plain_colour) is None


def test_what_rich_must_lay_out_is_left_to_it() -> None:
    wide = new_table("a", "b")
    wide.add_row(plain("x" * 60), plain("y" * 60))  # wider than the console: rich wraps
    assert written(wide, 100, None) is None
    named = new_table("note", "why", names=("note",))
    named.add_row(plain("n" * 60), plain("short"))  # wider than a name column may be
    assert written(named, 200, None) is None
    tabbed = new_table("a")
    tabbed.add_row(plain("a\tb"))
    assert written(tabbed, 100, None) is None
    other = Table("a")  # not the house style
    other.add_row("x")
    assert written(other, 100, None) is None


@pytest.mark.parametrize("args", [
    ["scan"], ["tags"], ["unresolved"], ["orphans"], ["hubs"], ["lint"],
    ["note", "NVIDIA"], ["backlinks", "NVIDIA"], ["links", "NVIDIA"], ["related", "NVIDIA"],
    ["path", "NVIDIA", "Microsoft"], ["backlinks", "Microsoft"], ["related", "Palantir"],
])
@pytest.mark.parametrize("columns", ["100", "200"])
def test_every_view_prints_what_rich_prints(args: list[str], columns: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's output, colours forced, against rich laying out each table itself."""
    shown: list[Table] = []
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("FORCE_COLOR", "1")
    runner = CliRunner()
    result = runner.invoke(cli, ["--vault", str(SAMPLE), *args])
    assert result.exit_code in (0, 1), result.output
    import vaultkit.cli.terminal as terminal

    def keep(*renderables: object) -> None:
        shown.extend(r for r in renderables if isinstance(r, Table))

    monkeypatch.setattr(terminal, "show", keep)
    monkeypatch.setattr("vaultkit.cli.app.show", keep)
    runner.invoke(cli, ["--vault", str(SAMPLE), *args])
    expected = ""
    for table in shown:
        out = terminal.console()
        out.file = io.StringIO()
        out.print(table)
        expected += out.file.getvalue()
    if shown:
        assert expected and expected in result.output


def test_note_links_show_where_each_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultkit.cli.views import note_links_view

    monkeypatch.setenv("COLUMNS", "100")
    links = [
        {"line": 3, "target": "NVDA", "heading": None, "display": None, "embed": False,
         "resolved": "Entities/NVIDIA.md"},  # an alias: the name, the folder under it
        {"line": 4, "target": "nvidia", "heading": None, "display": None, "embed": False,
         "resolved": "Entities/NVIDIA.md"},  # the name in another case: the folder only
        {"line": 5, "target": "Sector Rotation", "heading": "Q1", "display": "rotation",
         "embed": False, "resolved": "Sector Rotation.md"},  # at the root: the name
        {"line": 6, "target": "chart.png", "heading": None, "display": None, "embed": True,
         "resolved": "attachments/charts/chart.png"},
        {"line": 7, "target": "Ghost", "heading": None, "display": None, "embed": False,
         "resolved": None},  # unresolved: nothing
    ]
    assert written(note_links_view(links, "Links"), 100, None) == (  # widths 4 15 7 8 5 18
        "Links                                                                   \n"
        "line   target            heading   display    embed   resolved          \n"
        "────────────────────────────────────────────────────────────────────────\n"
        "3      NVDA                                   no      NVIDIA            \n"
        "                                                      Entities          \n"
        "4      nvidia                                 no      Entities          \n"
        "5      Sector Rotation   Q1        rotation   no      Sector Rotation   \n"
        "6      chart.png                              yes     attachments/charts\n"
        "7      Ghost                                  no                        \n")
