"""The shared value core (vaultkit.lang): Dataview's order, truthiness, typing and JSON,
each rule taken from Dataview's src/data-model/value.ts and Luxon's duration rules."""

from __future__ import annotations

import datetime as dt

import pytest

from vaultkit.lang import dates
from vaultkit.lang.fields import canonical_key, merge_fields
from vaultkit.lang.lists import scan_list_items
from vaultkit.lang.literals import parse_frontmatter_value, parse_inline_value
from vaultkit.lang.values import (
    Duration,
    Link,
    compare,
    equal,
    sort_key,
    to_json,
    to_text,
    truthy,
    type_name,
)


def test_mixed_types_sort_null_first_then_by_type_name() -> None:
    values = ["b", 2, None, True, [1], dt.date(2026, 1, 1), Duration(days=1), {"a": 1},
              Link("A.md")]
    assert [type_name(v) for v in sorted(values, key=sort_key)] == [
        "null", "array", "boolean", "date", "duration", "link", "number", "object", "string"]


def test_text_sorts_like_locale_compare() -> None:
    assert sorted(["banana", "Apple", "apple", "Banana"], key=sort_key) == [
        "apple", "Apple", "banana", "Banana"]
    assert not equal("Energy", "energy")


def test_links_are_equal_when_they_name_the_same_file() -> None:
    assert Link("Funds/XLE.md", display="the fund", resolved=True) == Link("Funds/XLE.md")
    assert Link("Funds/XLE.md") != Link("Funds/XLU.md")
    assert compare(Link("A.md", subpath="H", kind="header"), Link("A.md")) == 1


def test_numbers_compare_across_int_and_float_and_dates_with_datetimes() -> None:
    assert equal(1, 1.0)
    assert equal(dt.date(2026, 1, 15), dt.datetime(2026, 1, 15))
    assert compare(dt.date(2026, 1, 15), dt.datetime(2026, 1, 15, 9)) == -1


@pytest.mark.parametrize(("value", "expected"), [
    (None, False), (0, False), (3, True), ("", False), ("x", True), ([], False), ([0], True),
    ({}, False), (Link(""), False), (Link("A.md"), True), (Duration(), False),
    (Duration(days=1), True), (dt.date(2026, 1, 1), True),
])
def test_truthiness(value: object, expected: bool) -> None:
    assert truthy(value) is expected


def test_durations_normalise_with_luxons_casual_matrix() -> None:
    assert Duration(minutes=90).normalized().iso() == "PT1H30M"
    assert Duration(hours=36).normalized().iso() == "P1DT12H"
    assert Duration(days=28).normalized().iso() == "P1M"  # 4 weeks roll into a month
    assert Duration(days=1, hours=-6).normalized().iso() == "PT18H"
    assert to_json(Duration(weeks=2)) == "P14D"
    assert to_json(Duration(days=-5)) == "-P5D"
    assert to_json(Duration()) == "PT0S"


def test_duration_equality_is_unit_by_unit_but_order_is_by_length() -> None:
    assert not equal(Duration(days=7), Duration(weeks=1))
    assert compare(Duration(days=6), Duration(weeks=1)) == -1


def test_dates_move_by_calendar_months_and_differ_in_calendar_units() -> None:
    assert dates.add(dt.date(2026, 1, 31), Duration(months=1)) == dt.date(2026, 2, 28)
    assert dates.add(dt.date(2026, 1, 15), Duration(days=3)) == dt.date(2026, 1, 18)
    assert dates.subtract(dt.date(2026, 3, 1), dt.date(2026, 1, 1)).iso() == "P2M"
    assert dates.in_unit(Duration(hours=36), "days") == 1.5
    assert dates.in_unit(Duration(years=1), "months") == 12


def test_json_forms() -> None:
    assert to_json(dt.date(2026, 1, 15)) == "2026-01-15"
    assert to_json(dt.datetime(2026, 1, 15, 14, 30)) == "2026-01-15T14:30:00"
    assert to_json(Link("A.md", subpath="Risks", kind="header")) == "A.md#Risks"
    assert to_json(Link("A.md", subpath="x1", kind="block")) == "A.md#^x1"
    assert to_json([1.0, 2.5]) == [1, 2.5]


def test_text_forms_follow_dataviews_defaults() -> None:
    assert to_text(None) == "\\-"
    assert to_text(dt.date(2026, 1, 5)) == "January 05, 2026"
    assert to_text(dt.datetime(2026, 1, 15, 14, 30)) == "2:30 PM - January 15, 2026"
    assert to_text(Link("Stocks/AAPL.md")) == "[[Stocks/AAPL.md|AAPL]]"
    assert to_text(Duration(minutes=90)) == "1 hour, 30 minutes"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-01-15", dt.date(2026, 1, 15)),
    ("3 days", Duration(days=3)),
    ("1h 30m", Duration(hours=1, minutes=30)),
    ("true", True),
    ("42", 42),
    ("1,200", [1, 200]),
    ("XLE, XLU", "XLE, XLU"),
    ('"quoted"', "quoted"),
    ("#tag", "#tag"),
    ("", None),
    ("2026-01-15 meeting", "2026-01-15 meeting"),
])
def test_inline_values_are_typed_as_dataview_types_them(text: str, expected: object) -> None:
    value = parse_inline_value(text)
    assert type_name(value) == type_name(expected) and equal(value, expected)


def test_inline_links_resolve_and_keep_what_was_written() -> None:
    link = parse_inline_value("[[XLE|the fund]]", lambda target: "Funds/XLE.md")
    assert isinstance(link, Link)
    assert (link.path, link.display, link.written) == ("Funds/XLE.md", "the fund", "XLE")


def test_frontmatter_text_becomes_a_date_or_link_but_never_a_number() -> None:
    assert parse_frontmatter_value("2026-01-15") == dt.date(2026, 1, 15)
    assert parse_frontmatter_value("42") == "42"
    assert isinstance(parse_frontmatter_value("[[XLU]]"), Link)


def test_keys_normalise_and_repeated_keys_become_lists() -> None:
    assert canonical_key("Key Name") == "key-name"
    assert canonical_key("Sector (GICS)") == "sector-gics"
    assert merge_fields([("Rating", 1), ("Rating", 2), ("Other Key", "x")]) == {
        "Rating": [1, 2], "Other Key": "x", "rating": [1, 2], "other-key": "x"}


def test_list_items_nest_by_indentation_and_skip_code() -> None:
    items = scan_list_items("- [ ] a\n    - [x] b\n```\n- [ ] not a task\n```\n- c\n")
    assert [(i.line, i.status, i.parent) for i in items] == [(1, " ", None), (2, "x", 1),
                                                             (6, None, None)]
