"""A note's query fields read from the index's tables instead of decoding the note.

The query engines (Dataview's pages, Bases' file records) read a few parts of each note:
its frontmatter, tags, aliases, tasks, inline fields and headings. Decoding 10,000 notes to
read them costs seconds; the index's ``files``, ``tags``, ``aliases``, ``tasks``,
``inline_fields`` and ``headings`` tables hold exactly the same records
(``docs/index-schema.md``) and read in milliseconds. :class:`TableNote` offers those parts
under the names :class:`~vaultkit.model.Note` uses, each read from its table (a note at a
time at first, the whole table once many notes asked), links without their context (where
each sits, which no query reads). None when the tables do not hold the loaded vault:

>>> table_notes(vault) is None   # the doctests' vault is loaded without its index
True
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from vaultkit.index.reader import open_tables
from vaultkit.model import Heading, InlineField, Link, Note, Tag, Task

if TYPE_CHECKING:
    from vaultkit.vault import Vault


class NoteFields(Protocol):
    """The parts of a note the query engines read: a decoded :class:`Note` has them, and
    so does a :class:`TableNote`."""

    @property
    def path(self) -> str: ...
    @property
    def frontmatter(self) -> dict[str, Any]: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def tag_occurrences(self) -> tuple[Tag, ...]: ...
    @property
    def tasks(self) -> tuple[Task, ...]: ...
    @property
    def fields(self) -> tuple[InlineField, ...]: ...
    @property
    def links(self) -> tuple[Link, ...]: ...  # their ``context`` may be left out
    @property
    def headings(self) -> tuple[Heading, ...]: ...


def table_notes(vault: Vault) -> TableNotes | None:
    """The notes of ``vault`` as read from its index, made once per vault; None when the
    tables do not hold exactly this load (:func:`~vaultkit.index.reader.open_tables`)."""
    return vault.derived(_build)


def _build(vault: Vault) -> TableNotes | None:
    conn = open_tables(vault)
    return None if conn is None else TableNotes(vault, conn)


#: How many notes' rows of a table are read one query each before the whole table is read
#: (one scan of a clustered table costs about as much as a few hundred keyed reads).
WHOLE_AFTER = 200
#: The same for the ``links`` table, which holds some thirty rows a note.
WHOLE_LINKS_AFTER = 2000


class TableNotes:
    """Every note's :class:`TableNote`, over one read-only connection to the index: a
    table's rows are read per note for the first notes asked for, then the whole table at
    once (:meth:`_rows`)."""

    def __init__(self, vault: Vault, conn: sqlite3.Connection) -> None:
        self.vault = vault
        self._conn = conn
        self._tables: dict[str, dict[str, str]] = {}  # table -> path -> rows as JSON
        self._asked: dict[str, int] = {}
        self._frontmatter: dict[str, str | None] | None = None
        self._asked_frontmatter = 0
        self._notes: dict[str, TableNote] = {}

    def note(self, path: str) -> TableNote:
        """The note at vault ``path`` (which must be one of the vault's notes)."""
        found = self._notes.get(path)
        if found is None:
            found = self._notes[path] = TableNote(self, path)
        return found

    def frontmatter_text(self, path: str) -> str | None:
        """The ``files`` table's JSON of the note's frontmatter (the whole column at once,
        past :data:`WHOLE_AFTER` notes)."""
        if self._frontmatter is None:
            self._asked_frontmatter += 1
            if self._asked_frontmatter <= WHOLE_AFTER:
                row = self._conn.execute("SELECT frontmatter FROM files WHERE path = ?",
                                         (path,)).fetchone()
                return None if row is None else row[0]
            self._frontmatter = dict(self._conn.execute("SELECT path, frontmatter FROM files"))
        return self._frontmatter.get(path)

    def tag_occurrences(self, path: str) -> tuple[Tag, ...]:
        return tuple(Tag(tag, line, source)
                     for tag, line, source in self._rows("tags", "tag, line, source", path))

    def aliases(self, path: str) -> tuple[str, ...]:
        return tuple(alias for (alias,) in self._rows("aliases", "alias", path))

    def tasks(self, path: str) -> tuple[Task, ...]:
        return tuple(Task(*row) for row in self._rows("tasks", "status, text, line", path))

    def fields(self, path: str) -> tuple[InlineField, ...]:
        return tuple(InlineField(*row)
                     for row in self._rows("inline_fields", "key, value, line", path))

    def links(self, path: str) -> tuple[Link, ...]:
        return tuple(Link(target, heading, block, display, bool(embed), line, kind)
                     for target, heading, block, display, embed, line, kind in self._rows(
                         "links", "target, heading, block, display, embed, line, kind", path,
                         WHOLE_LINKS_AFTER))

    def headings(self, path: str) -> tuple[Heading, ...]:
        return tuple(Heading(*row) for row in self._rows("headings", "level, text, line",
                                                         path))

    def backlinks(self) -> dict[str, list[str]]:
        """Vault path → the notes linking to it, each once, in the vault's note order (what
        :meth:`Vault.link_refs <vaultkit.vault.Vault.link_refs>` gives, from the ``links``
        table's ``resolved`` column; a note's links to itself left out)."""
        linked: dict[str, list[str]] = {}
        for source, target in self._conn.execute(
                "SELECT path, resolved FROM links WHERE resolved IS NOT NULL "
                "AND resolved <> path ORDER BY path, seq"):
            linked.setdefault(source, []).append(target)
        found: dict[str, list[str]] = {}
        for source in self.vault.notes:
            for target in linked.get(source, ()):
                sources = found.setdefault(target, [])
                if not sources or sources[-1] != source:
                    sources.append(source)
        return found

    def _rows(self, table: str, columns: str, path: str,
              whole_after: int = WHOLE_AFTER) -> list[Sequence[Any]]:
        """Note ``path``'s rows of ``table`` (its ``columns``) in ``seq`` order.

        The first notes asked for are read one keyed query each (a view of 50 notes reads
        50 notes' rows); past ``whole_after`` of them the whole table is read at once, as
        one JSON array of rows per note (SQLite builds them far faster than Python makes a
        tuple per row), each decoded only when its note is asked for."""
        whole = self._tables.get(table)
        if whole is None:
            asked = self._asked[table] = self._asked.get(table, 0) + 1
            if asked <= whole_after:
                return self._conn.execute(f"SELECT {columns} FROM {table} WHERE path = ? "
                                          "ORDER BY seq", (path,)).fetchall()
            items = ", ".join(("seq", *(c.strip() for c in columns.split(","))))
            whole = self._tables[table] = dict(self._conn.execute(
                f"SELECT path, json_group_array(json_array({items})) FROM {table} "
                "GROUP BY path"))
        text = whole.get(path)
        if text is None:
            return []
        # Each row starts with its seq: sorted, the rows are in the note's order whatever
        # order the aggregate met them in.
        return [row[1:] for row in sorted(json.loads(text))]


class TableNote:
    """One note's :class:`NoteFields` from the tables (:attr:`decoded` is the note itself)."""

    __slots__ = ("_frontmatter", "_links", "_notes", "_tags", "path")

    def __init__(self, notes: TableNotes, path: str) -> None:
        self._notes = notes
        self.path = path
        self._frontmatter: dict[str, Any] | None = None
        self._tags: tuple[Tag, ...] | None = None
        self._links: tuple[Link, ...] | None = None

    @property
    def frontmatter(self) -> dict[str, Any]:
        """The frontmatter as the note holds it (the ``files`` table keeps it as JSON, and
        the parser already made every value a JSON value)."""
        if self._frontmatter is None:
            text = self._notes.frontmatter_text(self.path)
            self._frontmatter = json.loads(text) if text else {}
        return self._frontmatter

    @property
    def aliases(self) -> tuple[str, ...]:
        return self._notes.aliases(self.path)

    @property
    def tag_occurrences(self) -> tuple[Tag, ...]:
        if self._tags is None:
            self._tags = self._notes.tag_occurrences(self.path)
        return self._tags

    @property
    def tags(self) -> tuple[str, ...]:
        """Each tag once, in the first spelling seen (as the parser makes ``Note.tags``)."""
        seen: dict[str, str] = {}
        for tag in self.tag_occurrences:
            seen.setdefault(tag.name.lower(), tag.name)
        return tuple(seen.values())

    @property
    def tasks(self) -> tuple[Task, ...]:
        return self._notes.tasks(self.path)

    @property
    def fields(self) -> tuple[InlineField, ...]:
        return self._notes.fields(self.path)

    @property
    def links(self) -> tuple[Link, ...]:
        """The note's links in order, without their context (where each sits), which the
        query engines do not read: the decoded note has it."""
        if self._links is None:
            self._links = self._notes.links(self.path)
        return self._links

    @property
    def headings(self) -> tuple[Heading, ...]:
        return self._notes.headings(self.path)

    @property
    def decoded(self) -> Note:
        """The note itself, decoded (for what the tables above do not hold)."""
        return self._notes.vault.notes[self.path]
