"""Inline rule for Obsidian wikilinks ``[[T#H|alias]]`` and embeds ``![[x.png|300]]``.

Registered before ``link`` so that ``[[__init__]]`` is a link, not emphasis.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from vaultkit.syntax.lookahead import lookahead


@dataclass(frozen=True, slots=True)
class WikiTarget:
    target: str
    heading: str | None
    block: str | None
    display: str | None


def split_wikilink(inner: str) -> WikiTarget:
    """Split the text between ``[[`` and ``]]`` into target, subpath and display.

    The first ``|`` (or ``\\|``, as written inside tables) separates the display text,
    unless nothing stands before it: Obsidian reads ``[[|alias]]`` as a link to ``|alias``
    and ``[[|#h]]`` as one to ``|`` with heading ``h``. The first ``#`` starts the subpath;
    ``#^id`` names a block.

    >>> split_wikilink("Note#Heading|shown")
    WikiTarget(target='Note', heading='Heading', block=None, display='shown')
    """
    display: str | None = None
    bar = inner.find("|", 1)
    if bar >= 0:
        display = inner[bar + 1 :].strip()
        inner = inner[:bar]
        if inner.endswith("\\"):
            inner = inner[:-1]
    heading: str | None = None
    block: str | None = None
    hash_at = inner.find("#")
    if hash_at >= 0:
        subpath = inner[hash_at + 1 :].strip()
        inner = inner[:hash_at]
        if subpath.startswith("^"):
            block = subpath[1:].strip() or None
        else:
            heading = "#".join(part.strip() for part in subpath.split("#") if part.strip()) or None
    return WikiTarget(strip_md(inner.strip()), heading, block, display)


def strip_md(target: str) -> str:
    """``T.md`` names the same note as ``T``: the extension is optional in links."""
    return target[:-3] if len(target) > 3 and target.lower().endswith(".md") else target


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    start = pos + (3 if embed else 2)
    if not (embed or src.startswith("[[", pos)):
        return False
    look = lookahead(state)
    end = look.find("]]", start)
    if end < 0:
        return False
    # Obsidian does not let a link span lines or nest brackets.
    line_end, nested = look.find("\n", start), look.find("[[", start)
    if 0 <= line_end < end or 0 <= nested <= end - 2:
        return False
    inner = src[start:end]
    if not inner.strip():
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        _fill(token, src[pos : end + 2], inner, embed, pos)
    state.pos = end + 2
    return True


def _fill(token: Token, content: str, inner: str, embed: bool, offset: int) -> None:
    parts = split_wikilink(inner)
    token.content = content
    token.meta = {
        "target": parts.target,
        "heading": parts.heading,
        "block": parts.block,
        "display": parts.display,
        "embed": embed,
        "offset": offset,
    }


def whole_wikilink(content: str) -> Token | None:
    """The token :func:`_wikilink_rule` makes when ``content`` is one wikilink and nothing
    else (a table cell ``[[NVDA]]``), or None: the same tests, on the whole content."""
    embed = content.startswith("![[")
    if not (embed or content.startswith("[[")):
        return None
    start, end = (3 if embed else 2), len(content) - 2
    # Its first ``]]`` ends the content; no line break, no ``[[`` inside.
    if end < start or content.find("]]", start) != end or "\n" in content \
            or content.find("[[", start) >= 0:
        return None
    inner = content[start:end]
    if not inner.strip():
        return None
    token = Token("wikilink", "", 0)
    _fill(token, content, inner, embed, 0)
    return token


def wikilinks_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
