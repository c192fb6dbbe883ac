"""docs/live-data.md: every JSON example matches the real output on the sample vault, by
the documentation rules (equal scalars; "…" matches anything; an object has exactly the
example's keys unless it has a "..." key; a list may be a prefix of the real one)."""

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

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "live-data.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"<!-- check: (.*?) -->\n```json\n(.*?)```", DOC, re.S)


def matches(example: Any, real: Any, where: str = "$") -> list[str]:
    if example == "…":
        return []
    if isinstance(example, dict):
        if not isinstance(real, dict):
            return [f"{where}: expected an object"]
        keys = set(example) - {"..."}
        problems = [] if "..." in example or keys == set(real) else [
            f"{where}: keys {sorted(set(real) ^ keys)} differ"]
        for key in keys:
            if key not in real:
                problems.append(f"{where}.{key}: missing")
            else:
                problems += matches(example[key], real[key], f"{where}.{key}")
        return problems
    if isinstance(example, list):
        if not isinstance(real, list) or len(real) < len(example):
            return [f"{where}: expected a list of at least {len(example)}"]
        return [p for i, e in enumerate(example) for p in matches(e, real[i], f"{where}[{i}]")]
    return [] if example == real else [f"{where}: {example!r} != {real!r}"]


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize(("args", "text"), EXAMPLES, ids=[a for a, _ in EXAMPLES])
def test_example_matches_real_output(args: str, text: str, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(ROOT / "vault", vault)
    result = CliRunner().invoke(cli, ["--vault", str(vault), *shlex.split(args)])
    assert matches(json.loads(text), json.loads(result.stdout)) == []
