"""The commands' JSON text is the standard library's ``indent=2`` text, byte for byte."""

from __future__ import annotations

import datetime
import json
import random
from typing import Any

import pytest

from vaultkit.views.json_text import dumps

CASES: list[Any] = [
    [], {}, [[]], [{}], {"a": []}, {"a": {}}, "text", 5, None,
    [1, 2.5, "two\nlines", None, True, False, -0.0, 1e300, 3 ** 40],
    {"k": ["é", "\u2028", '"quoted"', "back\\slash", "\t", ""]},
    [{"name": "x", "where": ["a.md:1", "b.md:2"], "count": 2, "nan": float("nan"),
      "inf": float("inf"), "-inf": float("-inf")}],
    {1: "int key", None: "null key", False: "bool key", 2.5: "float key"},
    [datetime.date(2026, 2, 27), {"date": datetime.date(2026, 2, 27)}],
    ((1, 2), (3,)), {"a": {"b": {"c": [1, {"d": [None]}]}}}, [[1, [2, [3, []]]]],
]


def _reference(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


@pytest.mark.parametrize("data", CASES)
def test_same_text_as_the_standard_library(data: Any) -> None:
    assert dumps(data) == _reference(data)


def _random(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice([1, -7, 2.5, 1e-9, "s", "ü\t", None, True, False, "", 3 ** 40,
                           datetime.date(2026, 1, 2)])
    if roll < 0.7:
        return [_random(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(["a", "b", "ç", "a key"]) + str(i): _random(rng, depth + 1)
            for i in range(rng.randint(0, 4))}


def test_same_text_on_random_nested_data() -> None:
    rng = random.Random(13)
    for _ in range(2000):
        data = _random(rng)
        assert dumps(data) == _reference(data)
