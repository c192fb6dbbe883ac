"""The linear-time rewrites read notes exactly as the rules they replace.

markdown-it's link label and destination parsers scan ahead from every ``[`` and ``](``;
the remembering versions in :mod:`vaultkit.syntax.lookahead`, and the guard that declines
a link no ``]`` follows, must give the same tokens on any text. Hypothesis draws texts
from the characters links are made of and compares the token streams of markdown-it with
and without them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link
from markdown_it.token import Token

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
