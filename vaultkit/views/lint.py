"""Vault hygiene: problems Obsidian would silently tolerate or mis-render."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from vaultkit.errors import Problem

if TYPE_CHECKING:
    from vaultkit.vault import Vault

# A wikilink whose alias pipe is not escaped splits the GFM table cell in two.
_UNESCAPED_PIPE_IN_LINK = re.compile(r"\[\[[^\[\]\n]*?(?<!\\)\|[^\[\]\n]*?\]\]")


def lint_vault(vault: Vault) -> list[Problem]:
    """Every problem found, sorted by path and line. Severity is "error" or "warning"."""
    problems = list(vault.problems)
    for path, note in vault.notes.items():
        problems.extend(_table_pipes(vault, path))
        counts = Counter(b.id for b in note.block_ids)
        for block in note.block_ids:
            if counts[block.id] > 1:
                problems.append(Problem(path, block.line, f"duplicate block id ^{block.id}"))
        for link in note.links:
            if link.is_self:
                continue
            resolution = vault.resolution(link, path)
            if resolution.ambiguous:
                choices = ", ".join(resolution.candidates)
                problems.append(Problem(path, link.line,
                                        f"ambiguous link [[{link.target}]]: matches {choices}"))
            elif link.embed and resolution.path is None and _has_extension(link.target):
                problems.append(Problem(path, link.line,
                                        f"embedded attachment not found: {link.target}"))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def _has_extension(target: str) -> bool:
    name = target.rsplit("/", 1)[-1]
    return "." in name and not name.lower().endswith(".md")


def _table_pipes(vault: Vault, path: str) -> list[Problem]:
    note = vault.notes[path]
    if not note.tables:
        return []
    try:
        lines = (vault.root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for table in note.tables:
        for number in range(table.line, table.end_line + 1):
            text = lines[number - 1] if number <= len(lines) else ""
            if _UNESCAPED_PIPE_IN_LINK.search(text):
                found.append(Problem(path, number,
                                     "unescaped | inside a wikilink in a table: write \\| "
                                     "or the cell is split in two"))
    return found
