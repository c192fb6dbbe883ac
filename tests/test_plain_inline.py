"""The inline shortcuts give markdown-it's own tokens.

:mod:`vaultkit.syntax.plain_inline` gives content in which no inline rule can match its one
``text`` child directly, and :mod:`vaultkit.syntax.dispatch` tries at each character only
the rules that can match there. Each case below parses the same text twice, once as
markdown-it does (its ``inline`` core rule, every rule at every terminator) and once with
both shortcuts, and compares every token attribute (type, content, level, meta, map,
markup, info, children): a difference in any would change what the walk, the offsets of
:mod:`vaultkit.syntax.positions` or ``plain_text`` read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, inline, text_join
from markdown_it.token import Token

from vaultkit.syntax import obsidian_markdown
from vaultkit.syntax.dispatch import dispatch_plugin, dispatch_table
from vaultkit.syntax.plain_inline import _inline, is_plain, starts_pattern, wikilink_first
from vaultkit.syntax.wikilinks import whole_wikilink

ROOT = Path(__file__).resolve().parent.parent
FAST = obsidian_markdown()
# The same configuration with markdown-it's own inline core rule and rule chain: the reference.
FULL = obsidian_markdown.__wrapped__()
FULL.core.ruler.at("inline", inline)
FULL.inline.ruler.disable("dispatch")


def _dump(tokens: list[Token]) -> list[dict[str, object]]:
    return [token.as_dict() for token in tokens]


def _children(md: MarkdownIt, rule: object, content: str) -> list[dict[str, object]]:
    """``content`` as one inline token's children, through ``rule`` then ``text_join``."""
    state = StateCore(content, md, {})
    token = Token("inline", "", 0)
    token.content = content
    state.tokens = [token]
    rule(state)  # type: ignore[operator]
    text_join(state)
    return _dump(token.children or [])


def _same(content: str) -> None:
    assert _children(FAST, _inline, content) == _children(FULL, inline, content)


# Text every character of which a rule reads (markdown-it's terminators) yet none matches.
PLAIN = [
    "", "NVIDIA", "+5.2%", "—", "-3.1 %", "a % b", "100%", "$530B", "~$530B", "C#", "C# 7",
    "a~b", "~", "Hi! there", "==highlight==", "^id", "text ^block-1", "a: b",
    "{x}", "@me", "a > b", "1-2", "x = y", "a]b", "trailing  ", "  leading", "tab\tin",
    "Überweisung — 5 € ≈ 3 £", "日本語テキスト", "emoji 📈 up", "a+b-c=d",
    "a#b", "plus +++", "-- ---", "^", "::", "key:: value", "x" * 600 + "%+",
    "%+" * 400,
]
# Text in which some rule matches (or may): each must go through the parser.
MARKUP = [
    "a\\*b", "\\", "&amp;", "&#35;", "[[Note]]", "![[img.png]]", "[x](y)", "![x](y)",
    "[^1]", "#tag", "a #tag", "\u00a0#tag", "%%hidden%%", "a %% b", "$x$", "$$x$$",
    "$5 and $10", "~~gone~~", "*em*", "**bold**", "_u_", "snake_case", "`code`",
    "<http://example.com>", "<b>x</b>", "line\nbreak", "hard  \nbreak", "Buy!", "!",
]


@pytest.mark.parametrize("content", PLAIN)
def test_plain_content_is_one_text_token(content: str) -> None:
    assert is_plain(content, starts_pattern(FAST))
    _same(content)
    children = FAST.parseInline(content)[0].children or []
    assert [(t.type, t.content, t.level) for t in children] == (
        [("text", content, 0)] if content else [])


@pytest.mark.parametrize("content", MARKUP)
def test_content_a_rule_may_match_is_parsed(content: str) -> None:
    assert not is_plain(content, starts_pattern(FAST))
    _same(content)


def test_every_enabled_inline_rule_is_known() -> None:
    assert starts_pattern(FAST) is not None


def test_an_unknown_rule_turns_the_shortcut_off() -> None:
    md = MarkdownIt("commonmark")
    md.inline.ruler.push("mention", lambda state, silent: False)
    assert starts_pattern(md) is None
    assert not is_plain("NVIDIA", starts_pattern(md))


def test_single_tilde_strikethrough_makes_a_tilde_markup() -> None:
    md = MarkdownIt("commonmark", {"strikethrough_single_tilde": True}).enable("strikethrough")
    assert not is_plain("a~b", starts_pattern(md))
    assert is_plain("a~b", starts_pattern(MarkdownIt("commonmark").enable("strikethrough")))


# Pieces that start (or almost start) every inline rule, ours included.
_PIECES = ["a", " ", "\u00a0", "é", "1", "#", "#t", "[", "]", "[[", "]]", "![[", "!", "(",
           ")", "%", "%%", "$", "$$", "\\", "&", "&amp;", ";", "*", "**", "_", "~", "~~",
           "=", "==", "^", "^id", "`", "<", ">", "http://x", ":", "::", "+", "-", "|", "\n"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_any_content_gets_the_parsers_tokens(content: str) -> None:
    _same(content)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "| ", " |", "\n|---|---|\n", "- ", "> "]),
                max_size=40).map("".join))
def test_any_note_gets_the_parsers_tokens(text: str) -> None:
    assert _dump(FAST.parse(text)) == _dump(FULL.parse(text))


def _notes() -> list[Path]:
    notes = sorted((ROOT / "vault").rglob("*.md")) + sorted((ROOT / "tests/fixtures").rglob("*.md"))
    return notes + sorted((ROOT / "tests/data").rglob("*.md"))


@pytest.mark.parametrize("path", _notes(), ids=lambda p: str(p.relative_to(ROOT)))
def test_real_notes_get_the_parsers_tokens(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert _dump(FAST.parse(text, {})) == _dump(FULL.parse(text, {}))


def test_the_dispatcher_tries_only_the_rules_a_character_can_start() -> None:
    table = dispatch_table(FAST)
    assert table is not None
    names = {char: [getattr(rule, "__name__", "") for rule in rules]
             for char, rules in table.items()}
    assert names["-"] == ["_flush_pending"]  # a terminator no rule starts at
    assert names["#"] == ["_tag_rule", "_flush_pending"]
    assert names["["][0] == "_wikilink_rule"  # before markdown links, as in the chain
    assert "a" not in table  # not a terminator: the text rule's


def test_an_unknown_rule_turns_the_dispatcher_off() -> None:
    md = MarkdownIt("commonmark")
    dispatch_plugin(md)
    md.inline.ruler.push("mention", lambda state, silent: False)
    assert dispatch_table(md) is None
    assert _dump(md.parse("a - *b* @c")) == _dump(MarkdownIt("commonmark").parse("a - *b* @c"))


def test_without_a_terminator_pattern_the_dispatcher_is_off() -> None:
    md = MarkdownIt("commonmark")
    dispatch_plugin(md)
    assert dispatch_table(md) is not None
    del md.inline.terminator_re  # as in markdown-it-py 3, which its text rule hard-codes
    assert dispatch_table(md) is None


# A cell that is one wikilink is the wikilink rule's one token; near misses are parsed.
WHOLE_WIKILINKS = ["[[NVDA]]", "![[chart.png|300]]", "[[Note#Heading|shown]]", "[[A\\|B]]",
                   "[[T#^block]]", "[[ spaced ]]", "[[a$b]]",
                   "[[#tag]]", "[[%%]]", "[[**b**]]", "[[日本]]"]
NEAR_WIKILINKS = ["[[]]", "[[ ]]", "[[a]]]", "[[a]] b", "a [[b]]", "[[a\nb]]", "[[a[[b]]",
                  "[[a]", "![[a]] ", "[[a]][[b]]", "![[]]", "[[a]] #t"]


@pytest.mark.parametrize("content", WHOLE_WIKILINKS + NEAR_WIKILINKS)
def test_a_whole_wikilink_gets_the_rules_token(content: str) -> None:
    assert (whole_wikilink(content) is not None) == (content in WHOLE_WIKILINKS)
    _same(content)


def test_the_wikilink_rule_is_first_at_its_characters() -> None:
    assert wikilink_first(FAST)
    md = obsidian_markdown.__wrapped__()
    md.inline.ruler.disable("wikilink")
    assert not wikilink_first(md)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["[[", "![["]), st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_any_bracketed_content_gets_the_parsers_tokens(opener: str, inner: str) -> None:
    _same(opener + inner + "]]")
