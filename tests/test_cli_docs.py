"""docs/cli.md lists every refresh skip code (its JSON examples are checked with every other
doc's by tests/test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

from vaultkit.refresh.report import SkipCode

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_every_skip_code_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, re.M))
    assert documented == {code.value for code in SkipCode}
