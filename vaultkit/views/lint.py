"""Vault hygiene: problems Obsidian would silently tolerate or mis-render."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from vaultkit.errors import Problem
from vaultkit.index.note_lint import note_lint
from vaultkit.index.reader import open_tables

if TYPE_CHECKING:
    from vaultkit.vault import Vault


def lint_vault(vault: Vault) -> list[Problem]:
    """Every problem found, sorted by path and line. Severity is "error" or "warning".

    Answered from the index's tables when they hold this vault (no note is decoded).
    """
    conn = open_tables(vault)
    if conn is not None:
        return _from_tables(vault, conn)
    problems = list(vault.problems)
    for path, note in vault.notes.items():
        problems.extend(note_lint(vault.root, note))
        for link in note.links:
            if not link.is_self:
                problems.extend(_link_problems(vault, path, link.target, link.embed,
                                               link.line))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def _from_tables(vault: Vault, conn: sqlite3.Connection) -> list[Problem]:
    problems = [Problem(*row) for row in conn.execute(
        "SELECT path, line, message, severity FROM problems ORDER BY path, seq")]
    problems.extend(Problem(*row) for row in conn.execute(
        "SELECT path, line, message, severity FROM lint ORDER BY path, seq"))
    # Of the unresolved links (a million at 100,000 notes) only an embed, or a target that
    # several files match, can be a problem: read just those rows, from the
    # links_unresolved index (in its order; the problems are sorted by line below).
    resolver = vault.resolver
    ambiguous = [target for (target,) in conn.execute(
        "SELECT DISTINCT target FROM links WHERE resolved IS NULL AND target <> ''")
        if len(resolver.resolve(target).candidates) >= 2]
    for path, target, embed, line in conn.execute(
            "SELECT path, target, embed, line FROM links WHERE resolved IS NULL "
            "AND target <> '' AND (embed OR target IN (SELECT value FROM json_each(?))) "
            "ORDER BY path, line, seq", (json.dumps(ambiguous),)):
        problems.extend(_link_problems(vault, path, target, bool(embed), line))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def _link_problems(vault: Vault, path: str, target: str, embed: bool,
                   line: int) -> list[Problem]:
    """An ambiguous link, or an embedded attachment that is not there."""
    resolution = vault.resolver.resolve(target, path)
    if resolution.ambiguous:
        choices = ", ".join(resolution.candidates)
        return [Problem(path, line, f"ambiguous link [[{target}]]: matches {choices}")]
    if embed and resolution.path is None and _has_extension(target):
        return [Problem(path, line, f"embedded attachment not found: {target}")]
    return []


def _has_extension(target: str) -> bool:
    name = target.rsplit("/", 1)[-1]
    return "." in name and not name.lower().endswith(".md")
