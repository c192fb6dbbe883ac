"""Lint findings that depend on one note's own text: computed where the note is parsed
and kept in the index (table ``lint``), so ``vaultkit lint`` reads no file when warm."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from vaultkit.errors import Problem
from vaultkit.model import Note

# A wikilink whose alias pipe is not escaped splits the GFM table cell in two.
_UNESCAPED_PIPE_IN_LINK = re.compile(r"\[\[[^\[\]\n]*?(?<!\\)\|[^\[\]\n]*?\]\]")


def note_lint(root: Path, note: Note) -> list[Problem]:
    """Duplicate block ids and unescaped pipes in table wikilinks, in note order."""
    problems = table_pipes(root, note)
    counts = Counter(b.id for b in note.block_ids)
    for block in note.block_ids:
        if counts[block.id] > 1:
            problems.append(Problem(note.path, block.line, f"duplicate block id ^{block.id}"))
    return problems


def table_pipes(root: Path, note: Note) -> list[Problem]:
    """Table lines of ``note`` where a wikilink's ``|`` is not escaped."""
    if not note.tables:
        return []
    try:
        lines = (root / note.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for table in note.tables:
        for number in range(table.line, table.end_line + 1):
            text = lines[number - 1] if number <= len(lines) else ""
            if _UNESCAPED_PIPE_IN_LINK.search(text):
                found.append(Problem(note.path, number,
                                     "unescaped | inside a wikilink in a table: write \\| "
                                     "or the cell is split in two"))
    return found
