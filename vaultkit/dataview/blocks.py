"""The ```` ```dataview ```` code blocks of a note: where each is and the query it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"^([ \t]{0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$")


@dataclass(frozen=True, slots=True)
class Block:
    """A fenced ``dataview`` block: its query text, the 1-based line of its opening fence
    and of its closing fence."""

    query: str
    line: int
    end_line: int


def dataview_blocks(text: str) -> list[Block]:
    """Every ```` ```dataview ```` block of ``text``, in document order."""
    blocks = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index].rstrip("\r"))
        if not match:
            index += 1
            continue
        fence, info = match.group(2), match.group(3).lower()
        end = index + 1
        while end < len(lines) and not re.match(
                rf"^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$",
                lines[end].rstrip("\r")):
            end += 1
        if info == "dataview":
            body = "\n".join(line.rstrip("\r") for line in lines[index + 1:end])
            blocks.append(Block(body.strip(), index + 1, end + 1))
        index = end + 1
    return blocks


def block_above(text: str, line: int) -> Block | None:
    """The dataview block whose closing fence is right above 1-based ``line`` (blank lines
    between them allowed), or None."""
    lines = text.split("\n")
    above = line - 2
    while above >= 0 and not lines[above].strip():
        above -= 1
    for block in dataview_blocks(text):
        if block.end_line == above + 1:
            return block
    return None
