"""Turn one note's text into a :class:`~vaultkit.model.Note`.

markdown-it-py does the reading, so code, math, HTML and ``%%`` comments are excluded by
construction; this module walks the token stream and only looks at text tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token

from vaultkit.errors import Problem
from vaultkit.model import (
    BlockId,
    BlockKind,
    Callout,
    ExternalLink,
    Footnote,
    FootnoteRef,
    Heading,
    InlineField,
    Link,
    LinkContext,
    Note,
    Section,
    Table,
    Tag,
    Task,
    Update,
)
from vaultkit.parse.frontmatter import (
    frontmatter_aliases,
    frontmatter_tags,
    frontmatter_wikilinks,
    load_frontmatter,
)
from vaultkit.syntax import MAX_NESTING, obsidian_markdown, split_wikilink, strip_md
from vaultkit.syntax.blocks import (
    callout_header,
    inline_fields,
    task_checkbox,
    trailing_block_id,
    update_date,
)
from vaultkit.syntax.comments import SOURCE_KEY

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_SENTENCE_END = re.compile(r"[.!?]\s")
_SKIPPED_BLOCKS = {"fence", "code_block", "html_block", "math_block", "math_block_label",
                   "obsidian_comment", "hr"}
#: Tokens the walk has nothing to do for (none opens a section, a container or a table part
#: it tracks).
_PASSIVE = frozenset({"td_open", "td_close", "th_open", "th_close", "tr_close",
                      "paragraph_close", "thead_close", "tbody_close"})
# markdown-it stops reading inside a container opened at the deepest allowed level.
_CONTAINERS = {"blockquote_open", "list_item_open"}
#: Obsidian's section type for each top-level token that opens a block.
_SECTION_TYPES = {
    "front_matter": "yaml", "heading_open": "heading", "paragraph_open": "paragraph",
    "bullet_list_open": "list", "ordered_list_open": "list", "blockquote_open": "blockquote",
    "fence": "code", "code_block": "code", "math_block": "math", "math_block_label": "math",
    "table_open": "table", "hr": "thematicBreak", "html_block": "html",
    "obsidian_comment": "comment", "footnote_reference_open": "footnoteDefinition",
}


def parse_note(text: str, path: str) -> Note:
    """Parse ``text`` (the note's content) as the note at vault path ``path``.

    >>> note = parse_note("#idea links to [[Other note|other]]", "a.md")
    >>> note.tags, note.links[0].target, note.links[0].display
    (('idea',), 'Other note', 'other')
    """
    text = text.removeprefix("\ufeff")
    env: dict[str, Any] = {}
    tokens = obsidian_markdown().parse(text, env)
    walker = _Walker(path, env[SOURCE_KEY])
    walker.walk(tokens)
    return walker.note()


@dataclass
class _TableBuilder:
    line: int
    end_line: int
    section: tuple[str, ...]
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)
    in_head: bool = True


@dataclass
class _Block:
    kind: BlockKind
    line: int
    column: str | None = None


class _Walker:
    def __init__(self, path: str, source: str) -> None:
        self.path = path
        # The lines markdown-it read: CR, CRLF and NUL normalised, comments spanning lines
        # blanked (their line breaks kept, so the numbers are the file's).
        self._lines = source.split("\n")
        self.frontmatter: dict[str, Any] = {}
        self.frontmatter_raw = ""
        self.errors: list[Problem] = []
        self.links: list[Link] = []
        self.external: list[ExternalLink] = []
        self.tags: list[Tag] = []
        self.headings: list[Heading] = []
        self.tables: list[Table] = []
        self.updates: list[Update] = []
        self.block_ids: list[BlockId] = []
        self.callouts: list[Callout] = []
        self.tasks: list[Task] = []
        self.fields: list[InlineField] = []
        self.footnotes: list[Footnote] = []
        self.footnote_refs: list[FootnoteRef] = []
        self.sections: list[Section] = []
        self._sections: list[tuple[int, str]] = []
        # One tuple per section, shared by every record in it: the index then stores and
        # decodes it once per note instead of once per link.
        self._section_path: tuple[str, ...] = ()
        self._table: _TableBuilder | None = None
        self._list_items: list[int] = []
        self._quote_fresh = False

    # -- block level -------------------------------------------------------------------

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            # The commonest tokens first: inline content (never a container or a
            # section), and the table cells' and paragraphs' tags, which need nothing.
            if kind == "inline":
                self._inline_block(token)
                i += 1
                continue
            if kind in _PASSIVE:
                i += 1
                continue
            if kind in _CONTAINERS and token.level >= MAX_NESTING - 1:
                self._too_deep(token)
            if token.level == 0 and kind in _SECTION_TYPES:
                self._section(tokens, i)
            if kind == "front_matter":
                self._front_matter(token)
            elif kind == "heading_open":
                self._heading(token, tokens[i + 1])
                i += 2
            elif kind == "list_item_open":
                self._list_items.append(_line(token))
            elif kind == "list_item_close":
                self._list_items.pop()
            elif kind == "blockquote_open":
                self._quote_fresh = True
            elif kind == "table_open":
                self._table = _TableBuilder(_line(token), (token.map or [0, 0])[1],
                                            self._section_path)
            elif kind == "tbody_open" and self._table:
                self._table.in_head = False
            elif kind == "tr_open" and self._table and not self._table.in_head:
                self._table.rows.append([])
                self._table.row_lines.append(_line(token))
            elif kind == "table_close":
                self._close_table()
            elif kind == "footnote_reference_open":
                start, end = token.map or [0, 0]
                self.footnotes.append(Footnote(token.meta["label"], start + 1,
                                               self._last_line(start, end)))
            i += 1

    def _content_line(self, inline: Token) -> int:
        """The line an inline token's content starts on. markdown-it strips a paragraph
        with ``str.strip``, which also drops leading lines of NBSP and other Unicode
        spaces, so ``token.map`` can point above the first line of the content."""
        first = inline.content.split("\n", 1)[0]
        if inline.map and first:
            for number in range(inline.map[0], min(inline.map[1], len(self._lines))):
                if first in self._lines[number]:
                    return number + 1
        return _line(inline)

    def _last_line(self, start: int, end: int) -> int:
        """The last non-blank line of the 0-based half-open range ``[start, end)``, 1-based."""
        while end - 1 > start and end - 1 < len(self._lines) and not self._lines[end - 1].strip():
            end -= 1
        return max(end, start + 1)

    def _section(self, tokens: list[Token], i: int) -> None:
        token = tokens[i]
        start, end = token.map or [0, 0]
        kind = _SECTION_TYPES[token.type]
        if kind == "blockquote" and i + 2 < len(tokens) and tokens[i + 2].type == "inline" \
                and callout_header(tokens[i + 2].content.split("\n", 1)[0]):
            kind = "callout"
        self.sections.append(Section(kind, start + 1, self._last_line(start, end)))

    def _too_deep(self, token: Token) -> None:
        message = "lists or quotes nested too deeply; text from here on may not be read"
        if not any(p.message == message for p in self.errors):
            self.errors.append(Problem(self.path, _line(token), message))

    def _front_matter(self, token: Token) -> None:
        self.frontmatter_raw = token.content
        self.frontmatter, problems = load_frontmatter(token.content, self.path)
        self.errors.extend(problems)
        for name in frontmatter_tags(self.frontmatter):
            self.tags.append(Tag(name, 1, "frontmatter"))
        context = LinkContext(("",), "frontmatter", 1)
        for inner, line in frontmatter_wikilinks(token.content):
            parts = split_wikilink(inner)
            self.links.append(Link(parts.target, parts.heading, parts.block, parts.display,
                                   False, line, "frontmatter", context))

    def _heading(self, token: Token, inline: Token) -> None:
        level, line, text = int(token.tag[1:]), _line(token), inline.content.strip()
        self.headings.append(Heading(level, text, line))
        while self._sections and self._sections[-1][0] >= level:
            self._sections.pop()
        self._sections.append((level, text))
        self._section_path = tuple(text for _, text in self._sections)
        date = update_date(text)
        if date:
            self.updates.append(Update(date, text, line, level, self._section_path))
        self._walk_inline(inline, _Block("heading", line))

    def _close_table(self) -> None:
        t = self._table
        self._table = None
        if t is None:
            return
        section = t.section
        self.tables.append(Table(
            line=t.line, heading=section[-1] if section else None, section=section,
            columns=tuple(t.columns), rows=tuple(tuple(r) for r in t.rows),
            row_lines=tuple(t.row_lines), number=len(self.tables) + 1,
            end_line=t.end_line,
        ))

    def _inline_block(self, token: Token) -> None:
        table = self._table
        if table is not None:
            self._table_cell(table, token)
            return
        line = self._content_line(token)
        content = token.content
        if self._quote_fresh:
            self._quote_fresh = False
            header = callout_header(content.split("\n", 1)[0])
            if header:
                self.callouts.append(Callout(header[0], header[2], header[1], line))
        if self._list_items:
            block = _Block("list_item", self._list_items[-1])
            checkbox = task_checkbox(content) if self._list_items[-1] == line else None
            if checkbox:
                self.tasks.append(Task(checkbox[0], checkbox[1], line))
        else:
            block = _Block("paragraph", line)
        lines = content.split("\n")
        block_id = trailing_block_id(lines[-1])
        if block_id:
            self.block_ids.append(BlockId(block_id, line + len(lines) - 1))
        for offset, text in enumerate(lines):
            self.fields.extend(InlineField(k, v, line + offset) for k, v in inline_fields(text))
        self._walk_inline(token, block, line)

    def _table_cell(self, table: _TableBuilder, token: Token) -> None:
        cell = token.content.strip()
        column: str | None = cell
        if table.in_head:
            table.columns.append(cell)
        else:
            row = table.rows[-1]
            column = table.columns[len(row)] if len(row) < len(table.columns) else None
            row.append(cell)
        # Most cells hold one plain text token: their line is looked up only when
        # something in them needs it.
        children = token.children
        if children and (len(children) > 1 or children[0].meta) and _positioned(children):
            line = self._content_line(token)
            kind: BlockKind = "table_header" if table.in_head else "table_row"
            self._walk_inline(token, _Block(kind, line, column), line)

    # -- inline level ------------------------------------------------------------------

    def _walk_inline(self, inline: Token, block: _Block, content_line: int | None = None) -> None:
        """Record the links, tags and footnote references among ``inline``'s children;
        ``content_line`` is ``self._content_line(inline)`` when the caller has it."""
        children = inline.children
        if not _positioned(children):
            return
        # A list item's paragraph may start below the item's own line (``-`` alone on a
        # line, or a second paragraph): count lines from the paragraph, not the block.
        if not inline.map:
            first_line = block.line
        else:
            first_line = self._content_line(inline) if content_line is None else content_line
        positions = _Positions(inline.content, first_line)
        self._walk_children(children or [], 0, positions, block)

    def _walk_children(self, children: list[Token], base: int, positions: _Positions,
                       block: _Block) -> None:
        section = self._section_path
        context: LinkContext | None = None
        for index, child in enumerate(children):
            offset = child.meta.get("offset") if child.meta else None
            if offset is None:
                continue
            line, sentence = positions.at(base + offset)
            if context is None or context.sentence != sentence:  # links in a sentence share one
                context = LinkContext(section, block.kind, block.line, sentence, block.column)
            if child.type == "wikilink":
                meta = child.meta
                self.links.append(Link(meta["target"], meta["heading"], meta["block"],
                                       meta["display"], meta["embed"], line, "wikilink", context))
            elif child.type == "tag":
                self.tags.append(Tag(child.content, line))
            elif child.type == "footnote_ref":
                self.footnote_refs.append(FootnoteRef(child.meta["label"], line))
            elif child.type == "obsidian_comment_inline" and block.kind == "list_item":
                # Obsidian's cache keeps the links and tags of a comment on a list item's line.
                inner = child.content[2:].removesuffix("%%")
                hidden = obsidian_markdown().parseInline(inner)[0].children or []
                self._walk_children(hidden, base + offset + 2, positions, block)
            elif child.type in ("link_open", "image"):
                href = str(child.attrs.get("src" if child.type == "image" else "href") or "")
                label = _label(children, index) if child.type == "link_open" else child.content
                self._markdown_link(href, label, child.type == "image", line, context)

    def _markdown_link(self, href: str, label: str, embed: bool, line: int,
                       context: LinkContext) -> None:
        if _SCHEME.match(href):
            if not embed:
                self.external.append(ExternalLink(href, label, line))
            return
        path, _, fragment = unquote(href).partition("#")
        if not path and not fragment:
            return
        is_block = fragment.startswith("^")
        heading, block = (None, fragment[1:]) if is_block else (fragment or None, None)
        self.links.append(Link(strip_md(path.strip()), heading, block, label or None, embed, line,
                               "markdown", context))

    # -- result ------------------------------------------------------------------------

    def note(self) -> Note:
        aliases = tuple(frontmatter_aliases(self.frontmatter))
        title = self.frontmatter.get("title")
        name = self.path.rsplit("/", 1)[-1].removesuffix(".md")
        return Note(
            path=self.path,
            title=title if isinstance(title, str) and title.strip() else name,
            frontmatter=self.frontmatter,
            aliases=aliases,
            tags=_unique_tags(self.tags),
            tag_occurrences=tuple(self.tags),
            links=tuple(sorted(self.links, key=lambda link: link.line)),
            external_links=tuple(self.external),
            headings=tuple(self.headings),
            tables=tuple(self.tables),
            updates=tuple(self.updates),
            block_ids=tuple(self.block_ids),
            callouts=tuple(self.callouts),
            tasks=tuple(self.tasks),
            fields=tuple(self.fields),
            errors=tuple(self.errors),
            footnotes=tuple(self.footnotes),
            footnote_refs=tuple(self.footnote_refs),
            sections=tuple(self.sections),
        )


class _Positions:
    """The line and sentence of offsets into one block's source, read once left to right
    (counting from the block's start for every link made a line of links quadratic)."""

    def __init__(self, source: str, first_line: int) -> None:
        self.source, self._first_line = source, first_line
        self._at, self._line, self._sentence = 0, first_line, 0

    def at(self, offset: int) -> tuple[int, int]:
        """``offset``'s 1-based line and how many sentences end before it."""
        if offset < self._at:
            self._at, self._line, self._sentence = 0, self._first_line, 0
        source, at = self.source, self._at
        self._line += source.count("\n", at, offset)
        # A sentence ends at ``.``, ``!`` or ``?`` before whitespace; one right before
        # ``offset`` counts too (the text up to the link ends a sentence).
        self._sentence += len(_SENTENCE_END.findall(source, max(at - 1, 0), offset))
        self._at = offset
        closing = offset > 0 and source[offset - 1] in ".!?"
        return self._line, self._sentence + closing


def _positioned(children: list[Token] | None) -> bool:
    """Whether any of ``children`` has a source offset: only those are recorded."""
    return any(child.meta.get("offset") is not None for child in children or () if child.meta)


def _line(token: Token) -> int:
    return (token.map[0] if token.map else 0) + 1


def _label(children: list[Token], start: int) -> str:
    depth, parts = 0, []
    for child in children[start:]:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
            if depth == 0:
                break
        elif child.type in ("text", "code_inline", "wikilink"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
    return "".join(parts).strip()


def _unique_tags(tags: list[Tag]) -> tuple[str, ...]:
    """Tags are case-insensitive; the first spelling seen is the one shown."""
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(tag.name.lower(), tag.name)
    return tuple(seen.values())
