"""Obsidian ``%% comments %%``: hidden in reading view, so they hold no links or tags.

A block rule takes comments that start a line (and may span lines, or run to the end of
the note when unclosed, as in Obsidian); an inline rule takes ``%%…%%`` inside a paragraph.
A comment opened mid-paragraph that crosses a blank line, or is never closed, would escape
both (markdown-it has already cut the paragraph), so a core rule removes it from the source
before block parsing, keeping its newlines so every line number stays put.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|\$\$)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FRONT_MATTER = re.compile(r"^---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)


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


def _code_span_end(src: str, pos: int) -> int:
    """End of the code span opened by the backtick run at ``pos`` (or just past the run)."""
    run = pos
    while run < len(src) and src[run] == "`":
        run += 1
    ticks = src[pos:run]
    paragraph_end = _BLANK_LINE.search(src, run)
    limit = paragraph_end.start() if paragraph_end else len(src)
    match = re.compile(rf"(?<!`){ticks}(?!`)").search(src, run, limit)
    return match.end() if match else run


def strip_spanning_comments(src: str) -> str:
    """Remove ``%%`` comments that cross a blank line or run to the end of the note.

    Code (fenced or inline), ``$$`` math blocks and the frontmatter are not searched for
    an opening ``%%``; newlines inside a removed comment are kept.
    """
    if "%%" not in src:
        return src
    out: list[str] = []
    front = _FRONT_MATTER.match(src)
    pos = front.end() if front else 0
    out.append(src[:pos])
    fence: str | None = None
    while pos < len(src):
        line_end = src.find("\n", pos)
        line_end = len(src) if line_end < 0 else line_end + 1
        line = src[pos:line_end]
        opener = _FENCE.match(line)
        if fence is not None:
            if _closes(fence, line):
                fence = None
            out.append(line)
            pos = line_end
            continue
        if opener:
            marker = opener.group(1)
            rest = line[opener.end():].rstrip()
            if not (marker == "$$" and rest.endswith("$$")):
                fence = marker
            out.append(line)
            pos = line_end
            continue
        pos = _scan_line(src, pos, line_end, out)
    return "".join(out)


def _closes(fence: str, line: str) -> bool:
    if fence == "$$":
        return "$$" in line
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def _scan_line(src: str, pos: int, line_end: int, out: list[str]) -> int:
    """Copy one line, removing a comment that opens in it and spans blocks; return the
    position to continue from (past the comment when it runs onto later lines)."""
    i = pos
    while i < line_end:
        if src[i] == "`":
            i = _code_span_end(src, i)
            continue
        if src.startswith("%%", i):
            close = src.find("%%", i + 2)
            end = len(src) if close < 0 else close + 2
            if close < 0 or _BLANK_LINE.search(src, i, end):
                out.append(src[pos:i])
                out.append("\n" * src.count("\n", i, end))
                return end
            i = end
            if end > line_end:
                out.append(src[pos:end])
                return end
            continue
        i += 1
    end = max(i, line_end)
    out.append(src[pos:end])
    return end


def _comment_spans(state: StateCore) -> None:
    state.src = strip_spanning_comments(state.src)


def comments_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("normalize", "obsidian_comment_span", _comment_spans)
    md.block.ruler.before("paragraph", "obsidian_comment", _comment_block)
    md.inline.ruler.before("escape", "obsidian_comment_inline", _comment_inline)
