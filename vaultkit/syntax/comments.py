"""Obsidian ``%% comments %%``: hidden in reading view, and (mostly) in Obsidian's cache.

A comment that spans lines, or is never closed, hides everything in it from Obsidian's
cache, list items and tasks included, whatever block structure its lines would otherwise
have: a core rule removes it from the source before block parsing (the text before it on
its first line and after it on its last stays; every line keeps its number). A comment on
one line is a token: a block one when it is the whole line, an inline one inside a block.
Whether it hides what it holds depends on where it is (see :mod:`vaultkit.parse.note`):
Obsidian keeps the links and tags of a one-line comment on a list item's line.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|\$\$)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: What a line's scan stops at: a code span's opening backticks or a comment's ``%%``.
_SPECIAL = re.compile(r"`|%%")
_FRONT_MATTER = re.compile(r"^---[ \t]*\n(?:.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)


def _comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if not state.src.startswith("%%", begin):
        return False
    # Comments spanning lines are gone by now (strip_spanning_comments): this one closes
    # on its own line, and is a block only when nothing follows it there.
    line_end = state.eMarks[start_line]
    close = state.src.find("%%", begin + 2, line_end)
    if close < 0 or state.src[close + 2 : line_end].strip():
        return False
    # On a list item's line the comment is inline text whose links Obsidian keeps.
    if state.parentType == "list":
        return False
    if silent:
        return True
    token = state.push("obsidian_comment", "", 0)
    token.map = [start_line, start_line + 1]
    token.content = state.src[begin:line_end]
    state.line = start_line + 1
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
        token.meta = {"offset": pos}
    state.pos = end
    return True


class _Spans:
    """Where code spans end, reading the source once: the next blank line (a code span
    never crosses one) and each backtick run's closing run are remembered."""

    def __init__(self, src: str) -> None:
        self.src = src
        self._blank: tuple[int, int] = (len(src) + 1, len(src))
        self._runs: dict[str, tuple[int, int]] = {}

    def paragraph_end(self, pos: int) -> int:
        asked, found = self._blank
        if not asked <= pos <= found:
            match = _BLANK_LINE.search(self.src, pos)
            found = match.start() if match else len(self.src)
            self._blank = (pos, found)
        return found

    def code_span_end(self, pos: int) -> int:
        """End of the code span opened by the backtick run at ``pos`` (or just past the run)."""
        src, run = self.src, pos
        while run < len(src) and src[run] == "`":
            run += 1
        ticks = src[pos:run]
        limit = self.paragraph_end(run)
        asked, found = self._runs.get(ticks, (len(src) + 1, -1))
        if not (asked <= run and (found < 0 or found >= run)):
            match = re.compile(rf"(?<!`){ticks}(?!`)").search(src, run)
            found = match.start() if match else -1
            self._runs[ticks] = (run, found)
        return found + len(ticks) if 0 <= found < limit else run


def strip_spanning_comments(src: str) -> str:
    """Remove ``%%`` comments that span lines or run to the end of the note.

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
    spans = _Spans(src)
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
        pos = _scan_line(spans, pos, line_end, out)
    return "".join(out)


def _closes(fence: str, line: str) -> bool:
    if fence == "$$":
        return "$$" in line
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def _scan_line(spans: _Spans, pos: int, line_end: int, out: list[str]) -> int:
    """Copy one line, removing a comment that opens in it and runs onto later lines;
    return the position to continue from (past such a comment)."""
    src, i = spans.src, pos
    while i < line_end:
        # Only a backtick or ``%%`` matters: the regex skips everything else.
        special = _SPECIAL.search(src, i, line_end)
        if special is None:
            break
        i = special.start()
        if src[i] == "`":
            i = spans.code_span_end(i)
            continue
        close = src.find("%%", i + 2)
        end = len(src) if close < 0 else close + 2
        if close < 0 or end > line_end:
            out.append(src[pos:i])
            out.append("\n" * src.count("\n", i, end))
            return end
        i = end
    end = max(i, line_end)
    out.append(src[pos:end])
    return end


#: The ``env`` key under which the parsed source (comments spanning lines removed) is kept.
SOURCE_KEY = "obsidian_source"


def _comment_spans(state: StateCore) -> None:
    state.src = strip_spanning_comments(state.src)
    state.env[SOURCE_KEY] = state.src


def comments_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("normalize", "obsidian_comment_span", _comment_spans)
    # Before lheading: a setext heading scans ahead to its paragraph's end, which on a
    # note of comment lines was every remaining line, once per comment (quadratic).
    md.block.ruler.before("lheading", "obsidian_comment", _comment_block)
    md.inline.ruler.before("escape", "obsidian_comment_inline", _comment_inline)
