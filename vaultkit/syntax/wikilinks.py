"""Inline rule for Obsidian wikilinks ``[[T#H|alias]]`` and embeds ``![[x.png|300]]``.

Registered before ``link`` so that ``[[__init__]]`` is a link, not emphasis.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

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
        parts = split_wikilink(inner)
        token = state.push("wikilink", "", 0)
        token.content = src[pos : end + 2]
        token.meta = {
            "target": parts.target,
            "heading": parts.heading,
            "block": parts.block,
            "display": parts.display,
            "embed": embed,
            "offset": pos,
        }
    state.pos = end + 2
    return True


def wikilinks_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
