"""Which notes carry a tag, read from the index's tables without decoding any note.

``FROM #tag`` otherwise reads every note's tags, which decodes all 10,000 notes of a big
vault for a query that keeps a few hundred. The index's ``tags`` table holds the body tags
exactly as a note's ``tag_occurrences`` do; the frontmatter's are read from the
``properties`` table by Dataview's own rule (:func:`dataview_frontmatter_tags`), because
Obsidian's rule, which the ``tags`` table follows, reads ``tags: energy etf`` as no tag. A
tag property whose stored text is not what Dataview would split (a checkbox, a datetime, a
nested list or mapping) is read from the note's frontmatter, which the ``files`` table
keeps. The answer is exact; None when the tables do not hold the loaded vault.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultkit.index.reader import open_tables
from vaultkit.index.table_notes import table_notes
from vaultkit.lang.pages import dataview_frontmatter_tags

if TYPE_CHECKING:
    from vaultkit.vault import Vault


#: Property types whose stored text is what ``str()`` made of the value in the note.
_EXACT_TYPES = frozenset({"text", "number", "date"})

#: How many tags one ``IN (…)`` names (SQLite's default limit on parameters is 999).
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class FrontmatterTags:
    """Dataview's frontmatter tags from the ``properties`` table: notes by lower-cased tag,
    and the notes whose tag property could not be read back as written (a checkbox, a
    datetime, a nested list or mapping), whose frontmatter is read whole."""

    tagged: dict[str, set[str]]
    unsure: frozenset[str]


def tagged_notes(vault: Vault, tag: str) -> set[str] | None:
    """The notes carrying ``tag`` (no ``#``, any case) or a tag nested under it, as
    Dataview reads tags, from the index; None when its tables cannot answer for ``vault``."""
    conn = open_tables(vault)
    frontmatter = vault.derived(_frontmatter_tags)
    notes = table_notes(vault)
    if conn is None or frontmatter is None or notes is None:
        return None
    key = tag.lstrip("#").lower()
    try:
        found = _body_tagged(conn, key)
    except sqlite3.Error:
        return None
    for name, paths in frontmatter.tagged.items():
        if _matches(name, key):
            found |= paths
    for path in frontmatter.unsure - found:
        written = dataview_frontmatter_tags(notes.note(path).frontmatter)
        if any(_matches(name[1:].lower(), key) for name in written):
            found.add(path)
    return found


def _matches(name: str, key: str) -> bool:
    """True if lower-cased tag ``name`` is ``key`` or nested under it."""
    return name == key or name.startswith(key + "/")


def _body_tagged(conn: sqlite3.Connection, key: str) -> set[str]:
    """The notes with the tag in their body (the ``tags`` table's frontmatter rows follow
    Obsidian's rule, not Dataview's: :func:`_frontmatter_tags` reads those)."""
    names = [str(name) for (name,) in conn.execute("SELECT DISTINCT tag FROM tags")
             if _matches(str(name).lower(), key)]
    found: set[str] = set()
    for start in range(0, len(names), _CHUNK):
        chunk = names[start:start + _CHUNK]
        found.update(path for (path,) in conn.execute(
            f"SELECT DISTINCT path FROM tags WHERE source <> 'frontmatter' "
            f"AND tag IN ({', '.join('?' * len(chunk))})",
            chunk))
    return found


def _frontmatter_tags(vault: Vault) -> FrontmatterTags | None:
    conn = open_tables(vault)
    if conn is None:
        return None
    tagged: dict[str, set[str]] = {}
    unsure: set[str] = set()
    split: dict[str, list[str]] = {}
    try:
        rows = conn.execute("SELECT path, item, value, type FROM properties "
                            "WHERE lower(key) IN ('tags', 'tag')").fetchall()
    except sqlite3.Error:
        return None
    for path, item, value, kind in rows:
        if value is None or (item is not None and not value):
            continue  # null, an empty list, or a list item Dataview skips (0, "")
        if kind not in _EXACT_TYPES:
            unsure.add(path)
            continue
        text = str(value)
        names = split.get(text)
        if names is None:  # a vault repeats a few tag values thousands of times
            names = split[text] = [written[1:].lower()
                                   for written in dataview_frontmatter_tags({"tags": text})]
        for name in names:
            tagged.setdefault(name, set()).add(path)
    return FrontmatterTags(tagged, frozenset(unsure))
