"""Line-level Obsidian and Dataview constructs found inside a block's inline source:
callout headers, block ids, task checkboxes, inline fields and dated update headings.

Each is read in one pass over its line: the inline-field and block-id patterns used to be
regular expressions that a line of repeated ``[k:: `` sent back to every opener (160 KB
took 215 s), so they are small scanners now, with the same matches.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re

_CALLOUT = re.compile(r"^\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")
_BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")
_TASK = re.compile(r"^\[(.)\][ \t]+(.*)$", re.S)
#: What ends a field's key: a key holds none of these (``::`` must follow it).
_KEY_END = re.compile(r"[:\[\]()`]")
_OPENER = re.compile(r"[\[(]")
#: A bracket that counts towards a field value's nesting, or a backslash pair: Dataview
#: skips the character after a backslash, so ``\]`` neither opens nor closes.
_BRACKET = re.compile(r"\\.|([\[\]()])", re.S)
_CLOSER = {"[": "]", "(": ")"}

_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"([A-Za-z]{3,9})\.?"
_UPDATE = re.compile(
    rf"^(?:{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})|(\d{{4}})-(\d{{2}})-(\d{{2}})|(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}}))"
    r"\s*[-—–:,]?\s*update\b",
    re.I,
)


def callout_header(first_line: str) -> tuple[str, str | None, str] | None:
    """``[!warning]- Title`` → ("warning", "-", "Title")."""
    match = _CALLOUT.match(first_line.strip())
    if not match:
        return None
    return match.group(1).lower(), match.group(2) or None, match.group(3).strip()


def trailing_block_id(line: str) -> str | None:
    """``text ^id`` → "id": the last word of the line, after whitespace or alone."""
    text = line.rstrip(" \t")
    caret = text.rfind("^")
    if caret < 0 or (caret > 0 and not text[caret - 1].isspace()):
        return None
    name = text[caret + 1 :]
    return name if _BLOCK_ID.fullmatch(name) else None


def task_checkbox(content: str) -> tuple[str, str] | None:
    """``[x] buy`` → ("x", "buy"); any single status character counts."""
    match = _TASK.match(content)
    return (match.group(1), match.group(2).split("\n", 1)[0].strip()) if match else None


def inline_fields(line: str) -> list[tuple[str, str]]:
    """Dataview fields on one line: bracketed ones (``[key:: value]``, ``(key:: value)``),
    else a whole-line ``key:: value`` (its key may be bold: ``**key**:: value``)."""
    bracketed = _bracketed_fields(line)
    if bracketed:
        return bracketed
    whole = _whole_line_field(line)
    return [whole] if whole else []


def _key_at(line: str, start: int) -> int:
    """Where the ``::`` after a key starting at ``start`` is, or -1."""
    if start >= len(line) or line[start].isspace() or _KEY_END.match(line, start):
        return -1
    end = _KEY_END.search(line, start)
    return end.start() if end and line.startswith("::", end.start()) else -1


def _bracketed_fields(line: str) -> list[tuple[str, str]]:
    if "::" not in line:
        return []
    # (opener position, bracket, where its value starts) for each opener a key follows.
    candidates: list[tuple[int, str, int]] = []
    for opener in _OPENER.finditer(line):
        separator = _key_at(line, opener.start() + 1)
        if separator >= 0:
            candidates.append((opener.start(), opener.group(), separator + 2))
    if not candidates:
        return []
    brackets = [(m.start(), m.group(1)) for m in _BRACKET.finditer(line) if m.lastindex]
    closes = {bracket: _balanced_closes(brackets, [c[2] for c in candidates if c[1] == bracket],
                                        bracket, closer)
              for bracket, closer in _CLOSER.items()}
    found: list[tuple[str, str]] = []
    resume = 0
    for pos, bracket, start in candidates:
        close = closes[bracket].get(start)
        if pos >= resume and close is not None:
            found.append((line[pos + 1 : start - 2].strip(), line[start:close].strip()))
            resume = close + 1
    return found


def _balanced_closes(brackets: list[tuple[int, str]], starts: list[int], opener: str,
                     closer: str) -> dict[int, int]:
    """Where the field whose value begins at each of ``starts`` ends: Dataview's
    ``findClosing``, the first ``closer`` not matched by an ``opener`` since the start.

    One pass answers every start (the old regex rescanned the rest of the line per opener):
    a start at bracket depth ``d`` waits for the first closer that brings the depth to
    ``d - 1``. A bracket at the start itself counts, so starts sort before brackets."""
    found: dict[int, int] = {}
    waiting: dict[int, list[int]] = {}
    depth = 0
    events = heapq.merge(((start, "") for start in starts), brackets)
    for pos, char in events:
        if not char:
            waiting.setdefault(depth - 1, []).append(pos)
        elif char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            for start in waiting.pop(depth, ()):
                found[start] = pos
    return found


def _whole_line_field(line: str) -> tuple[str, str] | None:
    start = len(line) - len(line.lstrip(" \t"))
    while start < len(line) and line[start] == "*":
        start += 1
    if start < len(line) and line[start] in "*#":
        return None
    separator = _key_at(line, start)
    if separator < 0:
        return None
    return line[start:separator].rstrip("*").strip(), line[separator + 2 :].strip(" \t")


def update_date(heading: str) -> str | None:
    """The ISO date of a dated update heading, e.g. ``February 27, 2026 update — …``."""
    match = _UPDATE.match(heading.strip())
    if not match:
        return None
    g = match.groups()
    try:
        if g[0]:
            date = dt.date(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
        elif g[3]:
            date = dt.date(int(g[3]), int(g[4]), int(g[5]))
        else:
            date = dt.date(int(g[8]), _MONTHS[g[7].lower()], int(g[6]))
    except (KeyError, ValueError):
        return None
    return date.isoformat()
