"""Tables as DataFrames, the table writer's round trip, and the ``tables`` command."""

from __future__ import annotations

import doctest
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import vaultkit.views.table_writer
import vaultkit.views.tables
from vaultkit.cli import cli
from vaultkit.errors import VaultkitError
from vaultkit.parse.note import parse_note
from vaultkit.vault import Vault
from vaultkit.views.table_writer import cell_text, write_frame, write_table
from vaultkit.views.tables import column_names, find_table, typed_frame

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed" / "Sector Rotation.md"
if not SEED.exists():
    SEED = next((ROOT.parent / "shared" / "seeds").glob("001_*.txt"))
SAMPLE_VAULT = ROOT / "vault"

# (line, columns, rows) of the seed note's 22 tables, counted by hand from the note.
SEED_SHAPES = [
    (11, 3, 6), (26, 3, 7), (36, 3, 2), (43, 3, 4), (60, 4, 6), (75, 2, 7), (89, 2, 9),
    (111, 3, 4), (124, 2, 6), (142, 2, 5), (158, 2, 4), (167, 3, 12), (186, 2, 3),
    (200, 2, 5), (210, 3, 7), (222, 6, 8), (242, 3, 3), (252, 6, 8), (310, 2, 6),
    (323, 4, 4), (336, 3, 3), (346, 2, 3),
]
MAG7 = ("Sector Rotation > Rotation 1: Mag 7 → everything else (January 2026) > "
        "Historical Mag 7 annual returns (2021-2025)")


@pytest.fixture(scope="module")
def seed_vault(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    root = tmp_path_factory.mktemp("seed")
    shutil.copy(SEED, root / "Sector Rotation.md")
    return Vault.load(root)


def _seed_tables() -> list[tuple[str, list[str], list[list[str]]]]:
    note = parse_note(SEED.read_text(encoding="utf-8"), "Sector Rotation.md")
    return [(f"seed:{t.line}", list(t.columns), [list(r) for r in t.rows]) for t in note.tables]


def _sample_tables() -> list[tuple[str, list[str], list[list[str]]]]:
    if not SAMPLE_VAULT.is_dir():
        return []
    vault = Vault.load(SAMPLE_VAULT, cache=False)
    return [(f"{path}:{t.line}", list(t.columns), [list(r) for r in t.rows])
            for path, note in sorted(vault.notes.items()) for t in note.tables]


def test_seed_tables_have_the_right_shapes(seed_vault: Vault) -> None:
    index = seed_vault.tables()
    assert list(index.columns) == ["path", "number", "line", "heading", "columns", "rows"]
    assert list(index["number"]) == list(range(1, 23))
    shapes = [(line, len(columns), rows) for line, columns, rows
              in zip(index["line"], index["columns"], index["rows"], strict=True)]
    assert shapes == SEED_SHAPES
    assert index.loc[15, "heading"] == MAG7
    assert index.loc[10, "heading"].endswith("> XMAG ETF (S&P 493 proxy)")


def test_table_frame_uses_the_header_and_keeps_cells_as_written(seed_vault: Vault) -> None:
    frame = seed_vault.table("Sector Rotation", 16)
    assert list(frame.columns) == ["Stock", "2021", "2022", "2023", "2024", "2025"]
    assert frame.shape == (8, 6)
    assert frame.loc[0, "Stock"] == "[[NVIDIA]]"
    assert frame.loc[0, "2023"] == "**+240%**"
    blank_header = seed_vault.table("sector rotation.md", 2)
    assert list(blank_header.columns) == ["column 1", "Software → Energy", "Large → Small"]


def test_unknown_table_or_note_is_an_error(seed_vault: Vault) -> None:
    with pytest.raises(VaultkitError, match="there is no table 23"):
        seed_vault.table("Sector Rotation", 23)
    with pytest.raises(VaultkitError, match="no note named"):
        seed_vault.table("Nowhere", 1)


@pytest.mark.parametrize(("headers", "names"), [
    (["A", "B"], ["A", "B"]),
    (["", "A", ""], ["column 1", "A", "column 3"]),
    (["A", "A", "A"], ["A", "A (2)", "A (3)"]),
    (["A", "A", "A (2)"], ["A", "A (3)", "A (2)"]),
    (["column 2", ""], ["column 2", "column 2 (2)"]),
])
def test_column_names_are_unique_and_deterministic(headers: list[str], names: list[str]) -> None:
    assert column_names(headers) == names


def test_typed_frame_converts_single_unit_columns(seed_vault: Vault) -> None:
    mag7 = typed_frame(find_table(seed_vault, "Sector Rotation", 16).table)
    assert mag7.attrs["units"] == dict.fromkeys(["2021", "2022", "2023", "2024", "2025"],
                                                "percent")
    nvidia = mag7.set_index("Stock").loc["NVIDIA"]
    assert nvidia["2023"] == 240.0 and nvidia["2022"] == -50.0
    assert mag7.set_index("Stock").loc["S&P 500", "2025"] == 25.0

    setup = typed_frame(find_table(seed_vault, "Sector Rotation", 5).table)
    # Mag 7 and S&P 500 mix percents with a P/E (29x, 22x); S&P 493 is percent with
    # dashes for "no figure".
    assert setup.attrs["units"] == {"S&P 493": "percent"}
    assert setup["Mag 7"].tolist()[3] == "29x"
    s493 = setup["S&P 493"].tolist()
    assert s493[0] == 1.8 and math.isnan(s493[1]) and s493[5] == 54.0

    flows = typed_frame(find_table(seed_vault, "Sector Rotation", 12).table)
    # One linked cell (~$[[3M]]) keeps the whole column text: never guess.
    assert flows.attrs["units"] == {}
    assert flows["Flow"].tolist()[2] == "~$3M"


def test_typed_frame_dates() -> None:
    note = parse_note("| When | What |\n|---|---|\n| Oct 29, 2025 | a |\n| — | b |\n"
                      "| 2026-01-14 | c |\n", "a.md")
    frame = typed_frame(note.tables[0])
    assert frame.attrs["units"] == {"When": "date"}
    assert frame["When"].iloc[0] == pd.Timestamp("2025-10-29")
    assert pd.isna(frame["When"].iloc[1])


# -- writer ------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "columns", "rows"), _seed_tables() + _sample_tables(),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_written_table_reparses_to_identical_cells(name: str, columns: list[str],
                                                   rows: list[list[str]]) -> None:
    text = write_table(columns, rows)
    (table,) = parse_note(text, "out.md").tables
    assert list(table.columns) == columns
    assert [list(r) for r in table.rows] == rows


def test_every_seed_table_is_in_the_round_trip() -> None:
    assert len(_seed_tables()) == 22


_CELL = st.lists(st.sampled_from([*"ab 1%$~|\\[]*_`#>-:()!^é→", "[[", "]]", "\\|", "<!--", "%%"]),
                max_size=8).map("".join)


@given(st.lists(_CELL, min_size=1, max_size=4).flatmap(
    lambda header: st.tuples(st.just(header),
                             st.lists(st.lists(_CELL, min_size=len(header),
                                               max_size=len(header)), max_size=4))))
def test_any_cells_round_trip(table: tuple[list[str], list[list[str]]]) -> None:
    columns, rows = table
    try:
        text = write_table(columns, rows)
    except VaultkitError:
        # Refused only for an unclosed %% comment, which would hide the rest of the note.
        assert any("%%" in cell for row in [columns, *rows] for cell in row)
        return
    (parsed,) = parse_note(text, "out.md").tables
    assert list(parsed.columns) == [c.strip() for c in columns]
    assert [list(r) for r in parsed.rows] == [[c.strip() for c in r] for r in rows]


def test_writer_escapes_pipes_and_aligns() -> None:
    text = write_table(["Name", "Return", "Note"],
                       [["[[Claude Cowork|SaaSpocalypse]]", "+240%", "a | b"]],
                       align=["left", "right", "center"])
    assert text == ("| Name | Return | Note |\n"
                    "|:-----|-------:|:----:|\n"
                    "| [[Claude Cowork\\|SaaSpocalypse]] | +240% | a \\| b |\n")


def test_write_frame_formats_values_and_right_aligns_numbers() -> None:
    frame = pd.DataFrame({"Stock": ["NVIDIA", "Tesla"], "2023": [240.0, float("nan")],
                          "When": [pd.Timestamp("2026-02-27"), None]})
    assert write_frame(frame).splitlines() == [
        "| Stock | 2023 | When |",
        "|-------|-----:|------|",
        "| NVIDIA | 240.0 | 2026-02-27 |",
        "| Tesla |  |  |",
    ]


def test_writer_refuses_what_a_table_cannot_hold() -> None:
    with pytest.raises(VaultkitError, match="line break"):
        cell_text("two\nlines")
    with pytest.raises(VaultkitError, match="row 1 has 3 cells"):
        write_table(["a", "b"], [["1", "2", "3"]])
    with pytest.raises(VaultkitError, match="never closed"):
        write_table(["a", "b"], [["x", "%% hidden"]])
    # A closed comment, and %% inside code, are fine.
    assert write_table(["a"], [["%%one%%"], ["`%%`"]]) == "| a |\n|---|\n| %%one%% |\n| `%%` |\n"
    with pytest.raises(VaultkitError, match="at least one column"):
        write_table([], [])
    assert write_table(["a", "b"], [["1"]]).endswith("| 1 |  |\n")


def test_docstring_examples() -> None:
    assert doctest.testmod(vaultkit.views.tables).failed == 0
    assert doctest.testmod(vaultkit.views.table_writer).failed == 0


# -- CLI ---------------------------------------------------------------------------------

def _run(vault: Vault, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--vault", str(vault.root), *args])
    return result.exit_code, result.output


def test_tables_command_lists_and_filters(seed_vault: Vault) -> None:
    code, out = _run(seed_vault, "tables", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "path,number,line,heading,columns,rows"
    assert len(lines) == 23
    code, out = _run(seed_vault, "tables", "--heading", "historical rotations", "--format",
                     "json")
    (table,) = json.loads(out)
    assert (table["number"], table["line"], table["columns"][0]) == (18, 252, "Period")
    assert table["rows"][0][2].startswith("[[Claude Cowork disruption February 2026|")


def test_tables_md_output_reparses(seed_vault: Vault) -> None:
    code, out = _run(seed_vault, "tables", "--note", "Sector Rotation", "--format", "md")
    assert code == 0
    assert [(t.columns, t.rows) for t in parse_note(out, "out.md").tables] == [
        (t.columns, t.rows) for t in seed_vault.note("Sector Rotation").tables]


def test_tables_out_writes_one_stably_named_file_per_table(seed_vault: Vault,
                                                           tmp_path: Path) -> None:
    code, out = _run(seed_vault, "tables", "--heading", "Historical Mag 7 annual returns",
                     "--format", "parquet", "--out", str(tmp_path))
    assert code == 0
    written = tmp_path / "Sector Rotation.table-16.parquet"
    assert out.splitlines() == [str(written)]
    frame = pd.read_parquet(written)
    assert frame.loc[0, "2023"] == "**+240%**"
    code, _ = _run(seed_vault, "tables", "--out", str(tmp_path))
    assert code == 0
    assert len(list(tmp_path.glob("*.md"))) == 22
    assert (tmp_path / "Sector Rotation.table-01.md").read_text(encoding="utf-8").startswith(
        "| Rotation type | Trigger | Flow direction |\n")


def test_tables_usage_errors_exit_2(seed_vault: Vault) -> None:
    assert _run(seed_vault, "tables", "--format", "parquet")[0] == 2
    assert _run(seed_vault, "tables", "--note", "Nowhere")[0] == 2
