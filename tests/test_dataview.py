"""The DQL engine's surfaces: parse errors with positions, the CLI (exit codes, formats,
--note), Vault.query's DataFrame and the kind=query region (idempotent refresh)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultkit.cli import cli
from vaultkit.dataview import DQLSyntaxError, QueryError, parse_query, run_query
from vaultkit.dataview.blocks import block_above, dataview_blocks
from vaultkit.dataview.output import to_markdown
from vaultkit.lang.pages import Pages
from vaultkit.refresh.run import refresh_vault
from vaultkit.vault import Vault

SAMPLE = Path(__file__).parent.parent / "vault"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def funds(tmp_path: Path) -> Path:
    return write(tmp_path / "v", {
        "Funds/XLE.md": "---\nsector: Energy\nreturn: 18.5\n---\n#etf [[Oil]]\n"
                        "- [ ] trim [due:: 2026-12-01]\n",
        "Funds/XLU.md": "---\nsector: Utilities\nreturn: 7\n---\n#etf\n",
        "Funds/QQQ.md": "---\nsector: Tech\nreturn: -3.5\n---\n#etf [[XLE]]\n",
        "Notes/Oil.md": "Crude. See [[XLE]].\n",
    })


def pages(root: Path) -> Pages:
    return Pages(Vault.load(root, cache=False, workers=1))


@pytest.mark.parametrize(("query", "position", "wording"), [
    ("TABLE x WHERE", "line 1, col 14", "expected a field or literal after WHERE"),
    ("TABLE x FROM", "line 1, col 13", "expected a source"),
    ("LIST WHERE (a = 1", "line 1, col 18", "expected ')'"),
    ("TABLE x\nSORT", "line 2, col 5", "expected a field or literal after SORT"),
    ('LIST WHERE a = "open', "line 1, col 21", "expected a closing"),
])
def test_parse_errors_name_line_and_column(query: str, position: str, wording: str) -> None:
    with pytest.raises(DQLSyntaxError) as caught:
        parse_query(query)
    assert caught.value.message.startswith(position + ": ")
    assert wording in caught.value.message


def test_data_commands_apply_in_the_order_written(funds: Path) -> None:
    # LIMIT before SORT keeps the first two notes in path order, then sorts those two.
    result = run_query('TABLE return FROM #etf LIMIT 2 SORT return DESC', pages(funds))
    assert [row[1] for row in result.rows] == [18.5, -3.5]
    result = run_query('TABLE return FROM #etf SORT return DESC LIMIT 2', pages(funds))
    assert [row[1] for row in result.rows] == [18.5, 7]


def test_links_in_from_and_where_resolve_to_the_same_file(funds: Path) -> None:
    result = run_query('LIST FROM [[XLE]] WHERE contains(file.outlinks, [[Funds/XLE]])',
                       pages(funds))
    assert [row[0].path for row in result.rows] == ["Funds/QQQ.md", "Notes/Oil.md"]
    result = run_query("LIST FROM outgoing([[Oil]])", pages(funds))
    assert [row[0].path for row in result.rows] == ["Funds/XLE.md"]


def test_date_today_uses_the_given_clock(funds: Path) -> None:
    now = dt.datetime(2026, 11, 29, 12)
    result = run_query("TASK WHERE due - date(today) < dur(3 days)", pages(funds), now=now)
    assert [row[1] for row in result.rows] == ["trim [due:: 2026-12-01]"]
    result = run_query("TASK WHERE due - date(today) < dur(2 days)", pages(funds), now=now)
    assert result.rows == ()


def test_a_query_fails_only_when_every_row_fails(funds: Path) -> None:
    with pytest.raises(QueryError):
        run_query("TABLE x FROM #etf WHERE return - null", pages(funds))


def test_regex_functions_are_time_limited(funds: Path) -> None:
    # A catastrophic pattern fails the row (and so the query), it does not hang.
    with pytest.raises(QueryError):
        run_query('TABLE regextest("(a|aa)+$", "' + "a" * 60 + 'b") FROM "Funds" LIMIT 1',
                  pages(funds))


def test_markdown_output_writes_wikilinks_and_tasks_as_a_table(funds: Path) -> None:
    table = to_markdown(run_query('TABLE sector FROM #etf SORT file.name', pages(funds)))
    assert table.splitlines()[:3] == ["| File | sector |", "| --- | --- |",
                                      "| [[Funds/QQQ\\|QQQ]] | Tech |"]
    tasks = to_markdown(run_query("TASK", pages(funds)))
    assert "- [ ]" not in tasks and "| `[ ]` | trim [due:: 2026-12-01] |" in tasks


def test_dataview_blocks_and_the_block_above_a_marker() -> None:
    text = "a\n```dataview\nLIST\n```\n\n<!-- begin -->\n~~~python\nx\n~~~\n"
    assert [(b.query, b.line, b.end_line) for b in dataview_blocks(text)] == [("LIST", 2, 4)]
    assert block_above(text, 6) is not None and block_above(text, 3) is None


def test_cli_json_csv_and_exit_codes(funds: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["--vault", str(funds), "query",
                              "TABLE sector FROM #etf SORT return DESC", "--format", "json"])
    assert out.exit_code == 0
    assert json.loads(out.output) == {"columns": ["File", "sector"], "rows": [
        ["Funds/XLE.md", "Energy"], ["Funds/XLU.md", "Utilities"], ["Funds/QQQ.md", "Tech"]]}
    out = runner.invoke(cli, ["--vault", str(funds), "query", "LIST FROM #etf LIMIT 1",
                              "--format", "csv"])
    assert out.output == "File\nFunds/QQQ.md\n"
    out = runner.invoke(cli, ["--vault", str(funds), "query", "TABLE x WHERE"])
    assert out.exit_code == 2 and "line 1, col 14: expected" in out.output
    out = runner.invoke(cli, ["--vault", str(funds), "query"])
    assert out.exit_code == 2


def test_cli_note_runs_its_blocks_in_order_and_names_a_bad_one(funds: Path) -> None:
    write(funds, {"Dash.md": "# Dash\n```dataview\nLIST FROM #etf LIMIT 1\n```\n"
                             "```dataview\nLIST FROM [[]] \n```\n```dataview\nTABLE WHERE\n```\n"})
    out = CliRunner().invoke(cli, ["--vault", str(funds), "query", "--note", "Dash",
                                   "--format", "json"])
    assert out.exit_code == 2
    assert "Dash.md:9: line 1, col 12: expected" in out.output


def test_vault_query_returns_a_dataframe_with_timestamps(funds: Path) -> None:
    import pandas as pd

    write(funds, {"Notes/Day.md": "---\nupdated: 2026-01-15\n---\n"})
    frame = Vault.load(funds, cache=False).query('TABLE updated FROM "Notes" WHERE updated')
    assert list(frame.columns) == ["File", "updated"]
    assert frame.iloc[0].tolist() == ["Notes/Day.md", pd.Timestamp("2026-01-15")]


def test_query_regions_refresh_idempotently(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".vaultkit"))
    note = root / "Research queries.md"
    before = note.read_text(encoding="utf-8")
    text = before.replace("SORT sector ASC, ticker ASC", "SORT ticker DESC")
    note.write_text(text, encoding="utf-8")
    refresh_vault(root, offline=True, settle=0)
    changed = note.read_text(encoding="utf-8")
    rows = [line for line in changed.splitlines() if line.startswith("| [[Entities/")]
    assert rows[0].startswith("| [[Entities/XLE\\|XLE]] | XLE |")
    refresh_vault(root, offline=True, settle=0)
    assert note.read_text(encoding="utf-8") == changed


def test_a_region_may_hold_its_query_as_a_parameter(funds: Path) -> None:
    write(funds, {"Dash.md": '# Dash\n<!-- vaultkit:begin id=etfs kind=query '
                             'query="LIST FROM #etf WHERE return > 0 SORT return DESC" -->\n'
                             "<!-- vaultkit:end id=etfs -->\n"})
    refresh_vault(funds, offline=True)
    text = (funds / "Dash.md").read_text(encoding="utf-8")
    assert "- [[Funds/XLE|XLE]]\n- [[Funds/XLU|XLU]]\n<!-- vaultkit:end id=etfs" in text


def test_a_region_without_a_query_is_reported_not_written(funds: Path) -> None:
    write(funds, {"Dash.md": "# Dash\n<!-- vaultkit:begin id=q kind=query -->\n"
                             "<!-- vaultkit:end id=q -->\n"})
    report = refresh_vault(funds, offline=True)
    assert [r.id for r in report.skipped] == ["q"]
    assert "needs a ```dataview block" in str(report.skipped[0].reason)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('TABLE LIST TASK FROM WHERE SORT GROUP BY #"[]()'
                                              '{}.,:!=<>+-*/%&|date(today)dur(3 days)xyz0123\n'
                                              '\\')), max_size=60))
def test_any_text_parses_or_fails_with_a_positioned_error(text: str) -> None:
    try:
        parse_query(text)
    except DQLSyntaxError as exc:
        assert re.match(r"(line \d+, col \d+: expected|not a valid)", exc.message), exc.message
