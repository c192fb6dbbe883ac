"""Remembered look-ahead for inline rules, so every note is read in time linear in its size.

An inline rule that asks "where does this construct close?" with a plain ``str.find`` scans
to the end of the block each time its opener repeats without a closer: 64 KB of ``[[``
took 11 s. Here the answer to "the next ``]]`` at or after *p*" is remembered per block and
reused while the rules move left to right, and markdown links' label scan remembers, in the
one pass it makes, where every bracket it crossed closes (or that it never does).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown_it.common.utils import unescapeAll
from markdown_it.rules_inline import StateInline

#: What a bare link destination's scan stops at or counts: parentheses, backslashes,
#: spaces and control characters. Everything else is skipped by the regex engine.
_DESTINATION_SPECIAL = re.compile(r"[()\\\x00-\x20\x7f]")


class Lookahead:
    """Remembered ``str.find`` over one block's inline source."""

    __slots__ = ("_known", "labels", "src")

    def __init__(self, src: str) -> None:
        self.src = src
        # needle -> (asked, found): the first ``needle`` at or after ``asked`` is ``found``.
        self._known: dict[str, tuple[int, int]] = {}
        #: Link label ends found by :func:`parse_link_label`, keyed by the scan's context.
        self.labels: dict[tuple[int, bool], dict[int, int]] = {}

    def find(self, needle: str, start: int) -> int:
        """``self.src.find(needle, start)``, reading each stretch of the source about once."""
        asked, found = self._known.get(needle, (len(self.src) + 1, -1))
        if start >= asked:
            if found < 0 or found >= start:
                return found
            found = self.src.find(needle, start)
        else:  # only the stretch before the last question is new
            nearer = self.src.find(needle, start, asked + len(needle) - 1)
            found = nearer if nearer >= 0 else found
        self._known[needle] = (start, found)
        return found


def lookahead(state: StateInline) -> Lookahead:
    """The look-ahead shared by every inline rule reading ``state``'s block (kept on the
    state itself: markdown-it makes one per block and drops it after)."""
    found: Lookahead | None = state.__dict__.get("vaultkit_lookahead")
    if found is None or found.src is not state.src:
        found = state.__dict__["vaultkit_lookahead"] = Lookahead(state.src)
    return found


def parse_link_label(state: StateInline, start: int, disableNested: bool = False) -> int:
    """markdown-it's ``parseLinkLabel`` (the end of the ``[label]`` opened at ``start``, or -1),
    remembering the answer for every ``[`` the scan crosses.

    markdown-it scans from each ``[`` to the block's end when nothing closes it, so a line of
    ``[`` took time quadratic in its length. A ``[`` the scan crosses as text would scan the
    same tokens from there on, so its label closes where its own bracket depth returns to
    zero, or never: one pass answers for all of them.
    """
    memo = lookahead(state).labels.setdefault((state.posMax, disableNested), {})
    known = memo.get(start)
    if known is not None:
        return known
    old_pos, src = state.pos, state.src
    state.pos = start + 1
    open_brackets = [start]
    label_end = -1
    while state.pos < state.posMax:
        marker = src[state.pos]
        if marker == "]":
            memo[open_brackets.pop()] = state.pos
            if not open_brackets:
                label_end = state.pos
                break
        previous = state.pos
        state.md.inline.skipToken(state)
        if marker != "[":
            continue
        if previous != state.pos - 1:  # a nested link, not a text bracket
            if disableNested:
                break
            continue
        closes = memo.get(previous)
        if closes is None:
            open_brackets.append(previous)
        elif closes < 0:  # it never closes, so neither does any bracket around it
            break
        else:  # balanced in between: its scan already read the stretch
            state.pos = closes + 1
    for bracket in open_brackets:
        memo[bracket] = -1
    state.pos = old_pos
    return label_end


def closable(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """``rule`` (markdown's link or image), declining at once when no ``]`` follows: a run of
    unclosed ``[`` otherwise nests a label scan per bracket, a hundred deep."""

    def guarded(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] in "[!" and not 0 <= lookahead(state).find("]", state.pos) \
                < state.posMax:
            return False
        return rule(state, silent)

    return guarded


class Destination:
    """What markdown-it's link rules read from ``parseLinkDestination``."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, text: str = "") -> None:
        self.ok, self.pos, self.str = ok, pos, text


class LinkHelpers:
    """markdown-it's ``helpers`` namespace with the remembering label parser and a faster
    destination parser in place."""

    def __init__(self, helpers: Any) -> None:
        self._destination = helpers.parseLinkDestination
        self.parseLinkTitle = helpers.parseLinkTitle
        self.parseLinkLabel = parse_link_label

    def parseLinkDestination(self, string: str, pos: int, maximum: int) -> Any:
        """markdown-it's, with the same answers; a bare destination is scanned only at the
        characters that matter. markdown-it's loop visits every character and gives up only
        after 32 nested ``(``, so on a line of ``![[](`` each ``](`` re-read some 160
        characters: linear, but forty times slower than prose."""
        if string.startswith("<", pos):
            return self._destination(string, pos, maximum)
        start, level = pos, 0
        while pos < maximum:
            special = _DESTINATION_SPECIAL.search(string, pos, maximum)
            if special is None:
                pos = maximum
                break
            pos = special.start()
            char = string[pos]
            if char == "\\":
                if pos + 1 < maximum and string[pos + 1] == " ":
                    break
                pos += 2 if pos + 1 < maximum else 1
            elif char == "(":
                level += 1
                if level > 32:
                    return Destination()
                pos += 1
            elif char == ")" and level:
                level -= 1
                pos += 1
            else:  # a ``)`` closing the link, a space or a control character
                break
        if pos == start or level:
            return Destination()
        return Destination(True, pos, unescapeAll(string[start:pos]))
