"""docs/cli.md's JSON examples are real output: each ``<!-- check: ARGS -->`` block is run as
``vaultkit --vault <fresh copy of vault/> ARGS`` and must match (equal scalars; ``"…"``
matches any value; an object has exactly the example's keys unless it has a key ``"..."``;
a list in the example may be a prefix of the real one). The skip-code table lists every
:class:`SkipCode`."""

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
from vaultkit.refresh.report import SkipCode

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
_CHECK = re.compile(r"<!-- check: (.+?) -->\n```json\n(.*?)\n```", re.S)
EXAMPLES = _CHECK.findall(DOC.read_text(encoding="utf-8"))


def matches(example: Any, real: Any, where: str = "$") -> None:
    """Raise AssertionError naming the first place ``real`` does not fit ``example``."""
    if example == "…":
        return
    if isinstance(example, dict):
        assert isinstance(real, dict), f"{where}: expected an object, got {real!r}"
        keys = set(example) - {"..."}
        if "..." in example:
            assert keys <= set(real), f"{where}: missing keys {sorted(keys - set(real))}"
        else:
            assert keys == set(real), f"{where}: keys {sorted(real)} != {sorted(keys)}"
        for key in keys:
            matches(example[key], real[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(real, list) and len(real) >= len(example), (
            f"{where}: expected a list of at least {len(example)}, got {real!r}")
        for number, (want, got) in enumerate(zip(example, real, strict=False)):
            matches(want, got, f"{where}[{number}]")
    else:
        assert example == real, f"{where}: {real!r} != {example!r}"


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 10


def _copy(parent: Path) -> Path:
    vault = parent / "vault"
    shutil.copytree(ROOT / "vault", vault, ignore=shutil.ignore_patterns(".vaultkit"))
    return vault


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(tmp_path_factory.mktemp("docs"))


@pytest.mark.parametrize(("args", "block"), EXAMPLES, ids=[a for a, _ in EXAMPLES])
def test_json_example_matches_real_output(args: str, block: str, shared: Path,
                                          tmp_path: Path) -> None:
    # Only refresh writes; it gets a fresh copy, the queries share one.
    vault = _copy(tmp_path) if args.startswith("refresh") else shared
    result = CliRunner().invoke(cli, ["--vault", str(vault), *shlex.split(args)])
    assert result.exit_code in (0, 1), result.output
    matches(json.loads(block), json.loads(result.stdout))


def test_every_skip_code_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, re.M))
    assert documented == {code.value for code in SkipCode}


def test_the_matcher_can_fail() -> None:
    with pytest.raises(AssertionError):
        matches({"a": 1}, {"a": 1, "b": 2})
    with pytest.raises(AssertionError):
        matches([1, 2], [1])
    matches({"a": "…", "...": "…"}, {"a": [1], "b": 2})
