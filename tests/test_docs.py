"""The contracts in ``docs/`` cannot drift: every JSON example there is run and compared.

An example is a fenced ``json`` block right after a ``<!-- check: ARGS -->`` comment. ARGS
run as ``vaultkit --vault <fresh copy of the sample vault> ARGS``; the example must match
the real output (see :func:`matches`).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vaultkit.cli import cli

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
SAMPLE = ROOT / "vault"
ANY = "…"
_EXAMPLE = re.compile(r"<!--\s*check:\s*(?P<args>.*?)\s*-->\s*\n```json\n(?P<json>.*?)\n```",
                      re.DOTALL)


def matches(example: Any, actual: Any) -> bool:
    """Whether ``actual`` is what ``example`` shows.

    Scalars are equal, except that the string "…" matches any value. An object has exactly
    the example's keys, unless the example has a key "..." (then its keys are a subset). A
    list in the example is a prefix of the real list.

    >>> matches({"a": 1, "b": "…"}, {"a": 1, "b": [2]})
    True
    >>> matches({"a": 1}, {"a": 1, "b": 2})
    False
    >>> matches({"a": 1, "...": "…"}, {"a": 1, "b": 2})
    True
    >>> matches([1, 2], [1, 2, 3]), matches([1, 3], [1, 2, 3])
    (True, False)
    """
    if example == ANY:
        return True
    if isinstance(example, dict):
        if not isinstance(actual, dict):
            return False
        keys = set(example) - {"..."}
        if "..." not in example and keys != set(actual):
            return False
        return keys <= set(actual) and all(matches(example[k], actual[k]) for k in keys)
    if isinstance(example, list):
        return (isinstance(actual, list) and len(example) <= len(actual)
                and all(matches(e, a) for e, a in zip(example, actual, strict=False)))
    if isinstance(example, float) and isinstance(actual, int | float):
        return abs(example - actual) <= 1e-9 * max(1.0, abs(actual))
    return bool(example == actual) and type(example) is type(actual)


def _examples() -> list[Any]:
    cases = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for found in _EXAMPLE.finditer(text):
            line = text.count("\n", 0, found.start()) + 1
            cases.append(pytest.param(found["args"], found["json"],
                                      id=f"{doc.name}:{line}: {found['args']}"))
    return cases


def test_the_docs_hold_the_contracts() -> None:
    names = {p.name for p in DOCS.glob("*.md")}
    assert {"README.md", "cli.md", "exit-codes.md", "regions.md", "layout.md"} <= names
    assert len(_examples()) >= 10


def test_the_matcher_can_fail() -> None:
    assert not matches({"a": 1}, {"a": 1, "b": 2})
    assert not matches([1, 2], [1])
    assert not matches({"a": "x"}, {"a": "y"})
    assert matches({"a": "…", "...": "…"}, {"a": [1], "b": 2})


@pytest.mark.parametrize(("args", "example"), _examples())
def test_json_example_matches_real_output(tmp_path: Path, args: str, example: str) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE, vault, ignore=shutil.ignore_patterns(".vaultkit"))
    result = CliRunner().invoke(cli, ["--vault", str(vault), *shlex.split(args)])
    assert result.exit_code in (0, 1), result.output
    actual = json.loads(result.stdout)
    expected = json.loads(example)
    assert matches(expected, actual), json.dumps(actual, indent=1, ensure_ascii=False)[:3000]
