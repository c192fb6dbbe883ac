"""Obsidian ``%% comments %%``: hidden in reading view, so they hold no links or tags.

A block rule takes comments that start a line (and may span lines, or run to the end of
the note when unclosed, as in Obsidian); an inline rule takes ``%%…%%`` inside a paragraph.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline


def _comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if not state.src.startswith("%%", begin):
        return False
    close = state.src.find("%%", begin + 2)
    line = start_line
    if close >= 0:
        while line < end_line and state.eMarks[line] < close:
            line += 1
        # Text after the closing %% on the same line belongs to a paragraph: let it be.
        if state.src[close + 2 : state.eMarks[min(line, end_line - 1)]].strip():
            return False
        last = line + 1
    else:
        last = end_line
    if silent:
        return True
    token = state.push("obsidian_comment", "", 0)
    token.map = [start_line, last]
    token.content = state.src[begin : state.eMarks[last - 1]]
    state.line = last
    return True


def _comment_inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("%%", pos):
        return False
    close = src.find("%%", pos + 2)
    end = len(src) if close < 0 else close + 2
    if not silent:
        token = state.push("obsidian_comment_inline", "", 0)
        token.content = src[pos:end]
    state.pos = end
    return True


def comments_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "obsidian_comment", _comment_block)
    md.inline.ruler.before("escape", "obsidian_comment_inline", _comment_inline)
