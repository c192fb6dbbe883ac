"""Line-level Obsidian and Dataview constructs found inside a block's inline source:
callout headers, block ids, task checkboxes, inline fields and dated update headings."""

from __future__ import annotations

import datetime as dt
import re

_CALLOUT = re.compile(r"^\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")
_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)[ \t]*$")
_TASK = re.compile(r"^\[(.)\][ \t]+(.*)$", re.S)
_FIELD_LINE = re.compile(r"^[ \t]*\**([^\s:\[\]()*`#][^:\[\]()`]*?)\**::[ \t]*(.*?)[ \t]*$")
_FIELD_INLINE = re.compile(r"\[([^\s:\[\]()`][^:\[\]()`]*?)::[ \t]*([^\]]*?)[ \t]*\]"
                           r"|\(([^\s:\[\]()`][^:\[\]()`]*?)::[ \t]*([^)]*?)[ \t]*\)")

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
    match = _BLOCK_ID.search(line)
    return match.group(1) if match else None


def task_checkbox(content: str) -> tuple[str, str] | None:
    """``[x] buy`` → ("x", "buy"); any single status character counts."""
    match = _TASK.match(content)
    return (match.group(1), match.group(2).split("\n", 1)[0].strip()) if match else None


def inline_fields(line: str) -> list[tuple[str, str]]:
    """Dataview fields on one line: a whole-line ``key:: value`` or bracketed ones."""
    bracketed = [
        ((m.group(1) or m.group(3)).strip(), (m.group(2) or m.group(4) or "").strip())
        for m in _FIELD_INLINE.finditer(line)
    ]
    if bracketed:
        return bracketed
    whole = _FIELD_LINE.match(line)
    return [(whole.group(1).strip(), whole.group(2))] if whole else []


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
