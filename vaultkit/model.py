"""The typed records a parsed note is made of.

Every record is frozen; lines are 1-based source lines of the note file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vaultkit.errors import Problem

LinkKind = Literal["wikilink", "markdown", "frontmatter"]
BlockKind = Literal["paragraph", "list_item", "table_row", "table_header", "heading", "frontmatter"]


@dataclass(frozen=True, slots=True)
class LinkContext:
    """Where a link sits, so co-citation can weigh proximity.

    ``block_line`` identifies the enclosing paragraph, list item or table row;
    ``sentence`` counts sentences before the link inside that block.
    """

    section: tuple[str, ...]
    block: BlockKind
    block_line: int
    sentence: int = 0
    column: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One link occurrence: a wikilink, an embed, or a markdown link to a vault file."""

    target: str
    heading: str | None
    block: str | None
    display: str | None
    embed: bool
    line: int
    kind: LinkKind = "wikilink"
    context: LinkContext | None = None

    @property
    def is_self(self) -> bool:
        return self.target == ""


@dataclass(frozen=True, slots=True)
class ExternalLink:
    url: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag occurrence; ``name`` has no leading ``#``."""

    name: str
    line: int
    source: Literal["frontmatter", "body"] = "body"


@dataclass(frozen=True, slots=True)
class Table:
    """A GFM table; cells are trimmed markdown source with ``\\|`` unescaped. ``number`` is
    its place in the note, 1-based, as ``vaultkit tables`` and ``Vault.table`` count."""

    line: int
    heading: str | None
    section: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_lines: tuple[int, ...]
    number: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Update:
    """A dated update heading such as ``### February 27, 2026 update``."""

    date: str
    heading: str
    line: int
    level: int
    section: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BlockId:
    id: str
    line: int


@dataclass(frozen=True, slots=True)
class Callout:
    type: str
    title: str
    fold: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Task:
    status: str
    text: str
    line: int

    @property
    def done(self) -> bool:
        return self.status not in (" ", "")


@dataclass(frozen=True, slots=True)
class InlineField:
    """A Dataview inline field ``key:: value``."""

    key: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote definition ``[^id]: text`` and the lines it spans."""

    id: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A reference ``[^id]`` to a footnote defined in the same note."""

    id: str
    line: int


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level block, as Obsidian's ``sections``: its kind and its lines.

    ``type`` uses Obsidian's names (``yaml``, ``heading``, ``paragraph``, ``list``,
    ``blockquote``, ``callout``, ``code``, ``table``, ``thematicBreak``, ``html``,
    ``footnoteDefinition``) plus ``math`` for ``$$`` blocks and ``comment`` for a
    one-line ``%% … %%`` block.
    """

    type: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Note:
    """Everything vaultkit knows about one note, keyed by its vault-relative POSIX path."""

    path: str
    title: str
    frontmatter: dict[str, Any]
    aliases: tuple[str, ...]
    tags: tuple[str, ...]
    tag_occurrences: tuple[Tag, ...]
    links: tuple[Link, ...]
    external_links: tuple[ExternalLink, ...]
    headings: tuple[Heading, ...]
    tables: tuple[Table, ...]
    updates: tuple[Update, ...]
    block_ids: tuple[BlockId, ...]
    callouts: tuple[Callout, ...]
    tasks: tuple[Task, ...]
    fields: tuple[InlineField, ...]
    errors: tuple[Problem, ...] = field(default=())
    footnotes: tuple[Footnote, ...] = field(default=())
    footnote_refs: tuple[FootnoteRef, ...] = field(default=())
    sections: tuple[Section, ...] = field(default=())

    @property
    def name(self) -> str:
        """The file name without ``.md``: what a wikilink names."""
        return note_name(self.path)

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""


def note_name(path: str) -> str:
    """The name of the note at vault path ``path``: its file name without ``.md``.

    >>> note_name("Entities/NVIDIA.md")
    'NVIDIA'
    """
    base = path.rsplit("/", 1)[-1]
    return base[:-3] if base.lower().endswith(".md") else base
