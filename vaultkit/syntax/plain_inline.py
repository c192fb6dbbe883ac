"""Inline content no inline rule can match becomes its one ``text`` child without the
inline parser.

Most inline tokens of a research note are table cells (``NVIDIA``, ``+5.2%``, ``—``), and
each used to pay the inline parser's fixed cost: a state, the rule chain at every
terminator character, four post-processing passes. When no enabled rule can match at any
position of the content, the parser's answer is known: every character ends up in pending
text, flushed (and re-joined) into one ``text`` token at level 0, or no token at all for
empty content. The core rule below, in place of markdown-it's ``inline``, gives that answer
directly, and likewise for a cell that is one wikilink and nothing else (``[[NVDA]]``: the
wikilink rule, first at ``[``, takes it whole), and hands everything else to the parser.

Where each rule can match is written down per rule name in :mod:`vaultkit.syntax.starts`:
a pattern that finds every place the rule could succeed, and perhaps more. A rule not
listed there (a plugin added later) turns the shortcut off: it is skipped, never wrong.
"""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from vaultkit.syntax.starts import KNOWN_POST_RULES, RULE_STARTS
from vaultkit.syntax.wikilinks import whole_wikilink


def starts_pattern(md: MarkdownIt) -> re.Pattern[str] | None:
    """A pattern found in every content some inline rule of ``md`` could match in, or None
    when ``md`` has a rule this module does not know (then every content is parsed)."""
    return _pattern(tuple(md.inline.ruler.get_active_rules()),
                    tuple(md.inline.ruler2.get_active_rules()),
                    bool(md.options.get("strikethrough_single_tilde", False)))


@functools.cache
def _pattern(rules: tuple[str, ...], post_rules: tuple[str, ...],
             single_tilde: bool) -> re.Pattern[str] | None:
    if not set(post_rules) <= KNOWN_POST_RULES or not set(rules) <= RULE_STARTS.keys():
        return None
    starts = {RULE_STARTS[name].where for name in rules}
    if single_tilde and "strikethrough" in rules:
        starts.add("~")
    return re.compile("|".join(sorted(where for where in starts if where)))


def wikilink_first(md: MarkdownIt) -> bool:
    """Whether ``md``'s wikilink rule is the first that can match at ``[`` and at ``!``:
    then content that is one wikilink is that rule's one token."""
    return _wikilink_first(tuple(md.inline.ruler.get_active_rules()),
                           tuple(md.inline.ruler2.get_active_rules()))


@functools.cache
def _wikilink_first(rules: tuple[str, ...], post_rules: tuple[str, ...]) -> bool:
    if not set(post_rules) <= KNOWN_POST_RULES or not set(rules) <= RULE_STARTS.keys():
        return False
    return all(next((name for name in rules if char in RULE_STARTS[name].chars), None)
               == "wikilink" for char in "[!")


def is_plain(content: str, starts: re.Pattern[str] | None) -> bool:
    """True when the inline parser would turn ``content`` into one text token (or none)."""
    return starts is not None and starts.search(content) is None


def _inline(state: StateCore) -> None:
    """markdown-it's ``inline`` core rule, skipping the parser for plain content."""
    md = state.md
    starts = starts_pattern(md)
    search = starts.search if starts is not None else None  # is_plain, inlined: per cell
    wikilinks = wikilink_first(md)
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if search is None or search(content) is not None:
            link = whole_wikilink(content) if wikilinks else None
            if link is None:
                md.inline.parse(content, md, state.env, token.children)
            else:
                token.children.append(link)
        elif content:
            text = Token("text", "", 0)
            text.content = content
            token.children.append(text)


def plain_inline_plugin(md: MarkdownIt) -> None:
    """Replace the ``inline`` core rule; use after every plugin that adds inline rules."""
    md.core.ruler.at("inline", _inline)
