"""Bases engine rules beyond the conformance fixtures: the format's checks (file, key, line,
column), the expression grammar, ``this``, and the shape of a result."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vault_files import write_files
from vaultkit.bases import BaseError, block_sources, evaluate_base, evaluate_source, read_base
from vaultkit.bases.errors import ExpressionError
from vaultkit.bases.functions import GLOBALS
from vaultkit.bases.methods import METHOD_NAMES
from vaultkit.bases.parse import parse_expression
from vaultkit.vault import Vault

NOW = dt.datetime(2026, 11, 29, 12, 0)
NOTES = {
    "Entities/XLE.md": "---\nticker: XLE\nsector: Energy\nret: 18\nheld: true\n"
                       "updated: 2026-01-15\ntags: [etf]\n---\nBuy side of [[Sector Rotation]].\n",
    "Entities/IGV.md": "---\nticker: IGV\nsector: Software\nret: -12.5\nheld: false\n"
                       "updated: 2026-02-20\n---\nSell side, see [[XLE]].\n",
    "Entities/QQQ.md": "---\nticker: QQQ\nsector: Technology\nret: 4\n---\nret:: 99\n",
    "Sector Rotation.md": "---\nlong: \"[[XLE]]\"\n---\nFrom [[IGV]] into [[XLE]].\n",
}


def _vault(tmp_path: Path, base: str, extra: dict[str, str] | None = None) -> Vault:
    write_files(tmp_path, {**NOTES, "Entities.base": base, **(extra or {})})
    return Vault.load(tmp_path, cache=False, workers=1)


def _rows(tmp_path: Path, base: str, view: str | None = None) -> list[list[object]]:
    result = evaluate_base(_vault(tmp_path, base), "Entities.base", view, now=NOW)
    return result.to_json()["rows"]  # type: ignore[no-any-return]


def test_javascript_precedence_and_literals() -> None:
    tree = parse_expression("!a && b || c == 1 + 2 * 3")
    assert type(tree).__name__ == "Binary" and tree.op == "||"  # type: ignore[attr-defined]
    assert parse_expression("'single' + \"double\"").left.value == "single"  # type: ignore[attr-defined]
    regex = parse_expression('"a:b".replace(/:/g, "-")').args[0]  # type: ignore[attr-defined]
    assert (regex.pattern, regex.flags) == (":", "g")
    # After a value "/" divides; before one it starts a regular expression.
    assert parse_expression("a / b / c").op == "/"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "column", "message"), [
    ("price >", 8, "unexpected end"),
    ('ticker == "XLE', 11, "unterminated string"),
    ("ret * * 2", 7, "unexpected"),
    ("", 1, "unexpected end"),
])
def test_syntax_errors_carry_the_column(text: str, column: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert caught.value.column == column
    assert caught.value.message.startswith(message)


def test_error_names_file_key_column_and_line() -> None:
    text = ("views:\n  - type: table\n    name: T\n    filters:\n      and:\n"
            "        - 'ret > 0'\n        - 'ticker == \"XLE'\n")
    with pytest.raises(BaseError) as caught:
        read_base(text, "Entities.base")
    error = caught.value
    assert (error.path, error.key, error.column, error.line) == (
        "Entities.base", "views[0].filters.and[1]", 11, 7)
    assert str(error) == ("Entities.base: views[0].filters.and[1]: col 11: "
                          "unterminated string (line 7)")


def test_a_formula_cycle_names_the_formulas() -> None:
    text = "formulas:\n  a: formula.b + 1\n  b: formula.c\n  c: formula.a * 2\nviews: [{}]\n"
    with pytest.raises(BaseError) as caught:
        read_base(text, "x.base")
    assert caught.value.message == "circular reference: a -> b -> c -> a"
    assert caught.value.key == "formulas.a"


def test_an_unknown_function_is_found_before_anything_runs() -> None:
    with pytest.raises(BaseError, match=r"formulas\.f: col 5: unknown function: clamp"):
        read_base("formulas:\n  f: 1 + clamp(ret)\nviews: [{}]\n", "x.base")


def test_global_and_view_filters_combine_with_and(tmp_path: Path) -> None:
    base = ("filters: file.inFolder(\"Entities\")\nviews:\n  - type: table\n    name: Up\n"
            "    filters: ret > 0\n    order: [ticker]\n  - type: list\n    name: All\n"
            "    order: [ticker]\n")
    assert _rows(tmp_path, base, "Up") == [["QQQ"], ["XLE"]]
    assert _rows(tmp_path, base, "All") == [["IGV"], ["QQQ"], ["XLE"]]


def test_inline_fields_are_not_properties(tmp_path: Path) -> None:
    base = "filters: ticker == \"QQQ\"\nviews:\n  - type: table\n    order: [ret]\n"
    assert _rows(tmp_path, base) == [[4]]


def test_missing_property_is_null_and_dates_keep_their_kind(tmp_path: Path) -> None:
    base = ("filters: file.inFolder(\"Entities\")\nformulas:\n"
            "  next: updated + \"1M\"\n  stamp: updated + \"6h\"\n"
            "views:\n  - type: table\n    order: [ticker, nothing, formula.next, formula.stamp]\n")
    assert _rows(tmp_path, base) == [
        ["IGV", None, "2026-03-20", "2026-02-20T06:00:00"],
        ["QQQ", None, None, None],
        ["XLE", None, "2026-02-15", "2026-01-15T06:00:00"],
    ]


def test_grouped_view_puts_the_key_first_and_summarises_per_group(tmp_path: Path) -> None:
    base = ("filters: file.inFolder(\"Entities\")\nproperties:\n  sector:\n"
            "    displayName: Sector\nviews:\n  - type: table\n    groupBy:\n"
            "      property: held\n      direction: DESC\n    order: [ticker, ret]\n"
            "    summaries:\n      ret: Sum\n")
    result = evaluate_base(_vault(tmp_path, base), "Entities.base", now=NOW).to_json()
    assert result["columns"] == ["held", "ticker", "ret"]
    assert result["groups"] == [True, False, None]
    assert result["rows"] == [[True, "XLE", 18], [False, "IGV", -12.5], [None, "QQQ", 4]]
    assert result["summaries"] == {"true": {"ret": 18}, "false": {"ret": -12.5},
                                   "null": {"ret": 4}}


def test_links_compare_by_the_file_they_resolve_to(tmp_path: Path) -> None:
    base = ("filters: long == file(\"Entities/XLE.md\")\nformulas:\n"
            "  target: long.asFile().properties.sector\nviews:\n  - type: table\n"
            "    order: [file.name, long, formula.target]\n")
    assert _rows(tmp_path, base) == [["Sector Rotation.md", "Entities/XLE.md", "Energy"]]


def test_this_is_the_base_file_or_the_note_embedding_it(tmp_path: Path) -> None:
    block = ("---\nsector: Energy\n---\n```base\nfilters: sector == this.sector && "
             "file.name != this.file.name\nviews:\n  - type: table\n    order: [ticker]\n```\n")
    vault = _vault(tmp_path, "views:\n  - type: table\n    order: [this.file.name]\n",
                   {"Desk.md": block})
    [source] = block_sources(vault, "Desk")
    assert source.label == "Desk.md#1" and source.this == "Desk.md"
    assert evaluate_source(vault, source, now=NOW).to_json()["rows"] == [["XLE"]]


def test_a_runtime_failure_is_one_cell_not_the_view(tmp_path: Path) -> None:
    base = ("filters: file.inFolder(\"Entities\")\nformulas:\n  n: number(sector)\n"
            "views:\n  - type: table\n    order: [ticker, formula.n]\n")
    rows = _rows(tmp_path, base)
    assert [r[0] for r in rows] == ["IGV", "QQQ", "XLE"]
    assert all(isinstance(r[1], dict) and "number" in r[1]["error"] for r in rows)


def test_an_unknown_view_lists_the_views(tmp_path: Path) -> None:
    with pytest.raises(BaseError, match='views: no view named "Nope"'):
        evaluate_base(_vault(tmp_path, "views:\n  - name: A\n"), "Entities.base", "Nope")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1 .()[]{}\"'/!=<>+-*%&|,:#\\x")), max_size=30))
def test_any_text_parses_or_fails_at_a_column_inside_it(text: str) -> None:
    try:
        parse_expression(text)
    except ExpressionError as exc:
        assert exc.column is not None and 1 <= exc.column <= len(text) + 1, (text, exc.column)


_ATOMS = ('1', '-2.5', '0', '"abc"', "'x,y'", 'true', 'null', '[1, "a", null]', '{"k": 1}',
          'now()', 'date("2026-01-15")', 'duration("1d")', 'ret', 'tags', 'file', 'this',
          'file.tags', 'file.links', 'updated', 'link("XLE")', '/a+/g', 'missing', 'value')
_OPS = ('+', '-', '*', '/', '%', '==', '!=', '<', '>', '&&', '||')


def _random_expression(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return rng.choice(_ATOMS)
    inner = [_random_expression(rng, depth + 1) for _ in range(rng.randint(0, 2))]
    if roll < 0.55:
        return f"({_random_expression(rng, depth + 1)} {rng.choice(_OPS)} " \
               f"{_random_expression(rng, depth + 1)})"
    if roll < 0.8:
        name = rng.choice(sorted(METHOD_NAMES))
        return f"{_random_expression(rng, depth + 1)}.{name}({', '.join(inner)})"
    if roll < 0.9:
        return f"{_random_expression(rng, depth + 1)}[{_random_expression(rng, depth + 1)}]"
    return f"{rng.choice([*sorted(GLOBALS), 'if'])}({', '.join(inner)})"


def test_no_expression_makes_a_view_fail_at_run_time(tmp_path: Path) -> None:
    # Wrong arguments and types fail the cell (or the row's filter), never the view.
    vault = _vault(tmp_path, "views: [{}]\n")
    rng = random.Random(15)
    for _ in range(300):
        text = _random_expression(rng).replace("'", '"')
        (tmp_path / "Fuzz.base").write_text(
            f"formulas:\n  f: '{text}'\nviews:\n  - type: table\n    filters: '{text}'\n"
            "    order: [formula.f]\n    summaries:\n      formula.f: Unique\n",
            encoding="utf-8")
        evaluate_base(vault, "Fuzz.base", now=NOW)
