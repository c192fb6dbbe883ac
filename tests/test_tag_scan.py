"""A tag's end, found a run of ASCII at a time, is where Obsidian's character rule puts it.

The rule (:func:`vaultkit.syntax.tags.is_tag_char`): letters, digits and marks of any
script, emoji, ``_``, ``-`` and ``/``; at least one character that is not a digit.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultkit.syntax.tags import is_tag_char, scan_tag


def _by_character(src: str, pos: int) -> int:
    """The rule read one character at a time, as written."""
    end = pos + 1
    while end < len(src) and is_tag_char(src[end]):
        end += 1
    name = src[pos + 1 : end]
    if not name or all(c.isdigit() or c in "_-/" for c in name):
        return pos
    return end


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "Z", "0", "9", "_", "-", "/", "#", ".", " ", "é",
                                 "日", "📈", "\u0301", "\u00a0", ",", "!", "\n", "]", "١"]),
                max_size=16).map("".join))
def test_scan_agrees_with_the_character_rule(text: str) -> None:
    src = "#" + text
    assert scan_tag(src, 0) == _by_character(src, 0)


def test_ascii_tag_characters() -> None:
    ascii_tag = {chr(c) for c in range(128) if is_tag_char(chr(c))}
    assert ascii_tag == set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/")


def test_examples() -> None:
    assert scan_tag("#theme/energy breadth", 0) == len("#theme/energy")
    assert scan_tag("#2026", 0) == 0  # digits only: no tag
    assert scan_tag("#été-2026,", 0) == len("#été-2026")
    assert scan_tag("#a#b", 0) == 2
