"""Vault hygiene: problems Obsidian would silently tolerate or mis-render."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vaultkit.errors import Problem
from vaultkit.index import kept
from vaultkit.index.note_lint import note_lint
from vaultkit.index.reader import index_file, open_tables
from vaultkit.index.resolve import Resolver, file_name_key, lookup_name

if TYPE_CHECKING:
    from vaultkit.vault import Vault


def lint_vault(vault: Vault) -> list[Problem]:
    """Every problem found, sorted by path and line. Severity is "error" or "warning".

    Answered from the index's tables when they hold this vault (no note is decoded), and
    kept there until they change (:mod:`vaultkit.index.kept`).
    """
    conn = open_tables(vault)
    if conn is not None:
        rows = kept.answer(conn, index_file(str(vault.root)), "lint", lambda: [
            [p.path, p.line, p.message, p.severity] for p in _from_tables(vault, conn)])
        return [Problem(*row) for row in rows]
    problems = list(vault.problems)
    for path, note in vault.notes.items():
        problems.extend(note_lint(vault.root, note))
        for link in note.links:
            if not link.is_self:
                problems.extend(_link_problems(vault.resolver, path, link.target, link.embed,
                                               link.line))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def _from_tables(vault: Vault, conn: sqlite3.Connection) -> list[Problem]:
    problems = [Problem(*row) for row in conn.execute(
        "SELECT path, line, message, severity FROM problems ORDER BY path, seq")]
    problems.extend(Problem(*row) for row in conn.execute(
        "SELECT path, line, message, severity FROM lint ORDER BY path, seq"))
    # Of the unresolved links (a million at 100,000 notes) only an embed, or a target that
    # several files match, can be a problem; several files match a target only when they
    # share its name. So the targets are read only if some files share a name, and are
    # resolved among those files alone (no resolver of every file: 0.25 s at 100,000).
    shared, notes, attachments = _same_named(list(vault.notes), vault.attachments)
    resolver = Resolver(notes, attachments)
    ambiguous = [target for (target,) in conn.execute(
        "SELECT DISTINCT target FROM links WHERE resolved IS NULL AND target <> ''")
        if lookup_name(target) in shared
        and len(resolver.resolve(target).candidates) >= 2] if shared else []
    for path, target, embed, line in conn.execute(
            "SELECT path, target, embed, line FROM links WHERE resolved IS NULL "
            "AND target <> '' AND (embed OR target IN (SELECT value FROM json_each(?))) "
            "ORDER BY path, line, seq", (json.dumps(ambiguous),)):
        problems.extend(_link_problems(resolver, path, target, bool(embed), line))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def _same_named(notes: Sequence[str], attachments: Sequence[str],
                ) -> tuple[set[str], list[str], list[str]]:
    """The file names (as :class:`Resolver` compares them) that two or more files have, and
    the notes and attachments so named."""
    note_keys = [file_name_key(path, notes=True) for path in notes]
    attachment_keys = [file_name_key(path, notes=False) for path in attachments]
    shared = {name for name, count in Counter(note_keys + attachment_keys).items()
              if count > 1}
    return (shared, [p for p, key in zip(notes, note_keys, strict=True) if key in shared],
            [p for p, key in zip(attachments, attachment_keys, strict=True) if key in shared])


def _link_problems(resolver: Resolver, path: str, target: str, embed: bool,
                   line: int) -> list[Problem]:
    """An ambiguous link, or an embedded attachment that is not there."""
    resolution = resolver.resolve(target, path)
    if resolution.ambiguous:
        choices = ", ".join(resolution.candidates)
        return [Problem(path, line, f"ambiguous link [[{target}]]: matches {choices}")]
    if embed and resolution.path is None and _has_extension(target):
        return [Problem(path, line, f"embedded attachment not found: {target}")]
    return []


def _has_extension(target: str) -> bool:
    name = target.rsplit("/", 1)[-1]
    return "." in name and not name.lower().endswith(".md")
