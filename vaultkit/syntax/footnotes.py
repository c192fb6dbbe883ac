"""Footnotes ``[^id]: text`` and their references ``[^id]``, as in Obsidian's cache.

Definitions come from mdit-py-plugins' footnote rule, left where they are written (not
moved to the end of the note), so their links and tables keep their lines and sections.
References use the rule below: the plugin's scans from every ``[^`` to the closing ``]``,
so a line of ``[^a`` took time quadratic in its length; this one asks the remembered
look-ahead. As in reading view, ``[^id]`` is a reference only when ``id`` is defined.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin

from vaultkit.syntax.lookahead import lookahead


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("[^", start):
        return False
    refs = state.env.get("footnotes", {}).get("refs")
    if not refs:
        return False
    look = lookahead(state)
    close = look.find("]", start + 2)
    if close <= start + 2 or close >= state.posMax:
        return False
    space, line_end = look.find(" ", start + 2), look.find("\n", start + 2)
    if 0 <= space < close or 0 <= line_end < close:
        return False
    label = src[start + 2 : close]
    if ":" + label not in refs:
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"label": label, "offset": start}
    state.pos = close + 1
    return True


def footnotes_plugin(md: MarkdownIt) -> None:
    footnote_plugin(md, inline=False, move_to_end=False)
    md.inline.ruler.at("footnote_ref", _footnote_ref)
