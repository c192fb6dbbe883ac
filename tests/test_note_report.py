"""``vaultkit note --format json`` reports what Obsidian's cache reports (issue #12): every
tag occurrence with its line, footnotes and their references, and the top-level sections.
The fields are additions: the design's keys stay as they were."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from vaultkit.cli import cli

NOTE = """---
tags: [plan]
---
# Plan #q1
- [ ] call %% #waiting [[Alice]] %%
- [ ] email #waiting

Claim.[^src]

[^src]: From [[Report]].
"""


def test_note_json_adds_tag_occurrences_footnotes_and_sections(tmp_path: Path) -> None:
    (tmp_path / "Plan.md").write_text(NOTE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--vault", str(tmp_path), "note", "Plan", "--format",
                                      "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["tags"] == ["plan", "q1", "waiting"]
    assert data["tag_occurrences"] == [
        {"tag": "plan", "line": 1, "source": "frontmatter"},
        {"tag": "q1", "line": 4, "source": "body"},
        {"tag": "waiting", "line": 5, "source": "body"},
        {"tag": "waiting", "line": 6, "source": "body"},
    ]
    assert [link["target"] for link in data["links"]] == ["Alice", "Report"]
    assert data["footnotes"] == [{"id": "src", "line": 10, "end_line": 10}]
    assert data["footnote_refs"] == [{"id": "src", "line": 8}]
    assert data["sections"] == [
        {"type": "yaml", "line": 1, "end_line": 3},
        {"type": "heading", "line": 4, "end_line": 4},
        {"type": "list", "line": 5, "end_line": 6},
        {"type": "paragraph", "line": 8, "end_line": 8},
        {"type": "footnoteDefinition", "line": 10, "end_line": 10},
    ]
