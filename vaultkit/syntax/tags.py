"""Inline rule for Obsidian tags.

A tag starts at the start of a line or after whitespace, is made of letters (any script),
digits, ``_``, ``-`` and ``/``, and has at least one non-digit. ``#a#b`` yields both tags.
A backslash escape ends the text before it, so ``\\[\\[#Escaped`` holds the tag
``Escaped`` in Obsidian's cache, as at the start of a line.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline


def is_tag_char(ch: str) -> bool:
    """Letters, digits and marks of any script, emoji, and ``_ - /``; no punctuation."""
    if ch in "_-/":
        return True
    return unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) == "So"


#: A run of ASCII tag characters (the ones :func:`is_tag_char` accepts below U+0080),
#: skipped by the regex engine before the character-by-character test.
_ASCII_TAG_RUN = re.compile(r"[A-Za-z0-9_/-]+")


def scan_tag(src: str, pos: int) -> int:
    """Return the end of a tag whose ``#`` is at ``pos``, or ``pos`` when there is none."""
    end = pos + 1
    while end < len(src):
        if src[end] < "\x80":
            run = _ASCII_TAG_RUN.match(src, end)
            if run is None:
                break
            end = run.end()
        elif is_tag_char(src[end]):
            end += 1
        else:
            break
    name = src[pos + 1 : end]
    if not name or name.isdigit() or all(c.isdigit() or c in "_-/" for c in name):
        return pos
    return end


def _tag_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "#":
        return False
    before = src[pos - 1] if pos > 0 else " "
    if not (before.isspace() or _after_token(state, pos)):
        return False
    end = scan_tag(src, pos)
    if end == pos:
        return False
    if not silent:
        token = state.push("tag", "", 0)
        token.content = src[pos + 1 : end]
        token.meta = {"offset": pos, "end": end}
    state.pos = end
    return True


def _after_token(state: StateInline, pos: int) -> bool:
    """``#`` right after a tag (``#a#b``) or after a backslash escape (``\\[#a``)."""
    if state.pending or not state.tokens:
        return False
    last = state.tokens[-1]
    if last.type == "tag":
        return bool(last.meta.get("end") == pos)
    return last.type == "text_special" and last.info == "escape"


def tags_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "tag", _tag_rule)
