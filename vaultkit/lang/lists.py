"""A note's list items and tasks as Dataview serialises them (``file.lists``,
``file.tasks``): found by a line scan (code fences and frontmatter skipped), nested by
indentation, with their own inline fields and the Tasks plugin's emoji dates."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vaultkit.lang.fields import merge_fields
from vaultkit.lang.literals import parse_date, parse_inline_value
from vaultkit.lang.values import Link, Value
from vaultkit.model import Heading, InlineField


@dataclass(frozen=True, slots=True)
class ListItem:
    """A list item (a task when ``status`` is not None) found by a line scan of the note."""

    line: int  # 1-based
    indent: int
    symbol: str
    status: str | None
    text: str
    parent: int | None  # line of the parent item


_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^([ \t>]*)([-*+]|\d+[.)])[ \t]+(?:\[(.)\][ \t]+)?(.*)$")


def scan_list_items(text: str) -> list[ListItem]:
    """Every list item of a note, with its parent by indentation; code fences and the
    frontmatter skipped."""
    items: list[ListItem] = []
    stack: list[ListItem] = []
    lines = text.split("\n")
    start, fence = 0, None
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
        start = end + 1 if end else 0
    for number in range(start, len(lines)):
        raw = lines[number].rstrip("\r")
        opener = _FENCE.match(raw)
        if opener:
            fence = None if fence == opener.group(1) else (fence or opener.group(1))
            continue
        if fence is not None:
            continue
        match = _ITEM.match(raw)
        if not match:
            if not raw.strip():
                continue
            if not raw.startswith((" ", "\t")):
                stack.clear()
            continue
        indent = len(match.group(1).expandtabs(4))
        while stack and stack[-1].indent >= indent:
            stack.pop()
        item = ListItem(number + 1, indent, match.group(2), match.group(3), match.group(4).strip(),
                        stack[-1].line if stack else None)
        items.append(item)
        stack.append(item)
    return items


def list_objects(path: str, items: Sequence[ListItem], headings: Sequence[Heading],
                 inline: Sequence[InlineField], resolve: Callable[[str], str | None]
                 ) -> list[dict[str, Value]]:
    """``file.lists`` of the note at ``path``: each item as Dataview serialises it (with
    ``status``, ``checked``, ``completed``… and its own fields when a task), children
    nested; ``line`` is 0-based as in Dataview."""
    field_lines: dict[int, list[tuple[str, str]]] = {}
    for field in inline:
        field_lines.setdefault(field.line, []).append((field.key, field.value))
    by_line: dict[int, dict[str, Value]] = {}
    for item in items:
        above = [h for h in headings if h.line < item.line]
        section = (Link(path, subpath=above[-1].text, kind="header", resolved=True)
                   if above else Link(path, resolved=True))
        data: dict[str, Value] = {
            "symbol": item.symbol, "link": section, "section": section, "text": item.text,
            "line": item.line - 1, "path": path, "children": [],
            "task": item.status is not None,
            "parent": None if item.parent is None else item.parent - 1,
            "tags": re.findall(r"(?<!\S)#[^\s#]+", item.text), "outlinks": [],
            "annotated": bool(field_lines.get(item.line)),
        }
        pairs = [(k, parse_inline_value(v, resolve)) for k, v in field_lines.get(item.line, [])]
        if item.status is not None:
            data.update(status=item.status, checked=item.status != " ",
                        completed=item.status in ("x", "X"))
            pairs += emoji_fields(item.text)
        for key, value in merge_fields(pairs).items():
            data.setdefault(key, value)
        by_line[item.line] = data
    for item in items:
        if item.parent is not None and item.parent in by_line:
            children = by_line[item.parent]["children"]
            assert isinstance(children, list)
            children.append(by_line[item.line])
    for data in by_line.values():
        if data["task"]:
            data["fullyCompleted"] = _fully(data)
    return list(by_line.values())


_EMOJI = {"🗓️": "due", "📅": "due", "📆": "due", "✅": "completion", "➕": "created",
          "🛫": "start", "⏳": "scheduled", "⌛": "scheduled"}
_EMOJI_DATE = re.compile("(" + "|".join(map(re.escape, _EMOJI)) + r")\s*(\d{4}-\d{2}-\d{2})")


def emoji_fields(text: str) -> list[tuple[str, Value]]:
    """The Tasks plugin's shorthands Dataview reads on a task: ``📅 2026-12-05`` is due,
    ``✅`` completion, ``➕`` created, ``🛫`` start, ``⏳`` scheduled."""
    out: list[tuple[str, Value]] = []
    for match in _EMOJI_DATE.finditer(text):
        found = parse_date(match.group(2))
        if found:
            out.append((_EMOJI[match.group(1)], found[0]))
    return out


def _fully(task: dict[str, Value]) -> bool:
    """Completed, and so is every subtask (Dataview's ``fullyCompleted``)."""
    if not task.get("completed"):
        return False
    return all(_fully(c) for c in task["children"] if c.get("task"))
