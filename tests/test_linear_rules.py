"""The linear-time rewrites read notes exactly as the rules they replace.

markdown-it's link label and destination parsers scan ahead from every ``[`` and ``](``;
the remembering versions in :mod:`vaultkit.syntax.lookahead`, and the guard that declines
a link no ``]`` follows, must give the same tokens on any text. Hypothesis draws texts
from the characters links are made of and compares the token streams of markdown-it with
and without them.

Inline fields' values end where Dataview's ``findClosing`` says, which rescans the rest of
the line from every opener; ``vaultkit.syntax.blocks`` answers every
opener in one pass, and must agree with that rescan on any line.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link
from markdown_it.token import Token

from vaultkit.syntax.blocks import _bracketed_fields, _key_at
from vaultkit.syntax.lookahead import LinkHelpers, Lookahead, closable

_PIECES = ["[", "]", "(", ")", "![", "](", "<", ">", "\\", " ", "\n", "a", "`", '"', "*",
           "[^1]", "[[", "]]", "\x01", "\\(", "\\)", "http://x", "\n\n"]
texts = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _plain() -> MarkdownIt:
    return MarkdownIt("commonmark", {"maxNesting": 20})


def _remembering() -> MarkdownIt:
    md = _plain()
    md.helpers = LinkHelpers(md.helpers)  # type: ignore[assignment]
    md.inline.ruler.at("link", closable(link))
    md.inline.ruler.at("image", closable(image))
    return md


PLAIN, REMEMBERING = _plain(), _remembering()


def _shape(tokens: list[Token]) -> list[object]:
    return [(t.type, t.content, sorted(t.attrs.items()), _shape(t.children or []))
            for t in tokens]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_link_parsing_is_unchanged(text: str) -> None:
    assert _shape(REMEMBERING.parse(text)) == _shape(PLAIN.parse(text))


@settings(max_examples=200, deadline=None)
@given(texts, st.lists(st.integers(0, 60), max_size=12), st.sampled_from(["]]", "[", "\n"]))
def test_remembered_find_is_str_find(text: str, starts: list[int], needle: str) -> None:
    look = Lookahead(text)
    for start in starts:
        assert look.find(needle, start) == text.find(needle, start)


def test_a_line_of_brackets_is_read_as_text() -> None:
    text = "[" * 5000 + "](x)"
    tokens = REMEMBERING.parseInline(text)[0].children or []
    assert _shape(tokens) == _shape(PLAIN.parseInline(text)[0].children or [])


def _find_closing(line: str, start: int, opener: str, closer: str) -> int | None:
    """Dataview's ``findClosing`` (src/data-import/inline-field.ts), line for line."""
    nesting, escaped = 0, False
    for index in range(start, len(line)):
        char = line[index]
        if char == "\\":
            escaped = not escaped
            continue
        if escaped:
            escaped = False
            continue
        if char == opener:
            nesting += 1
        elif char == closer:
            nesting -= 1
        if nesting < 0:
            return index
    return None


def _rescanning_fields(line: str) -> list[tuple[str, str]]:
    """Bracketed fields found by trying every opener left to right, each with a rescan."""
    found, resume = [], 0
    for pos, char in enumerate(line):
        if char not in "[(" or pos < resume:
            continue
        separator = _key_at(line, pos + 1)
        close = None if separator < 0 else _find_closing(
            line, separator + 2, char, {"[": "]", "(": ")"}[char])
        if close is not None:
            found.append((line[pos + 1 : separator].strip(), line[separator + 2 : close].strip()))
            resume = close + 1
    return found


_FIELD_PIECES = ["[", "]", "(", ")", "\\", "::", ":", "k", " ", "[[", "]]", "`", "[k:: ",
                 "(k:: "]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_FIELD_PIECES), max_size=30).map("".join))
def test_one_pass_field_values_close_where_findclosing_does(line: str) -> None:
    assert _bracketed_fields(line) == _rescanning_fields(line)
