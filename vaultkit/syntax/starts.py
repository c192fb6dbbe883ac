"""Where each inline rule of :func:`~vaultkit.syntax.obsidian_markdown` can match.

markdown-it tries every inline rule, in order, at every character its ``text`` rule stops
at (its "terminators": ``-``, ``:``, ``[``, ``$`` …), and hands the character to pending
text when all decline. Each rule's first test is on the character at its position (a
wikilink needs ``[[`` or ``![[``, a tag ``#``), so knowing those characters lets a parse
skip the rules that cannot match (:mod:`vaultkit.syntax.dispatch`) and skip the inline
parser altogether for content where none can (:mod:`vaultkit.syntax.plain_inline`).

Written from each rule's code (markdown-it-py 4, mdit-py-plugins, ours); a rule not listed
here turns both shortcuts off, so a new plugin can make parsing slower, never different.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleStart:
    """Where one inline rule can match."""

    #: The characters at which it can match: at any other it declines, changing nothing.
    chars: str
    #: A pattern found wherever in a content it may match (a superset is safe); None for
    #: a rule that never makes a token of its own. Each alternative starts with a literal
    #: character, so the patterns joined let the regex engine skip ahead to those.
    where: str | None
    #: Called at every character the chain reaches, for its side effect (it never matches).
    every_call: bool = False


RULE_STARTS: dict[str, RuleStart] = {
    # Takes the run of characters that are not terminators; declines at a terminator.
    "text": RuleStart("", None),
    # Declines always; past 512 characters it turns pending text into a text token, which
    # ``fragments_join`` merges with its neighbours again.
    "flush_pending": RuleStart("", None, every_call=True),
    # The dispatcher itself: it only calls the rules listed here.
    "dispatch": RuleStart("", None),
    "newline": RuleStart("\n", r"\n"),
    # With one ``$`` there is no closing one: the rule needs two.
    "math_inline": RuleStart("$", r"\$[^$]*\$"),
    "obsidian_comment_inline": RuleStart("%", "%%"),
    "escape": RuleStart("\\", r"\\"),
    "backticks": RuleStart("`", "`"),
    # One ``~`` is text unless the ``strikethrough_single_tilde`` option is on.
    "strikethrough": RuleStart("~", "~~"),
    "emphasis": RuleStart("*_", r"\*|_"),
    "wikilink": RuleStart("[!", r"\["),
    # A tag's ``#`` follows whitespace or starts the content; the third case (right after
    # a tag or an escape) needs another rule to have matched first.
    "tag": RuleStart("#", r"#(?<!\S#)"),
    "link": RuleStart("[", r"\["),
    # markdown-it's image rule goes on to read a label after a ``!`` that ends the content.
    "image": RuleStart("!", r"!(?:\[|$)"),
    "footnote_ref": RuleStart("[", r"\["),
    "autolink": RuleStart("<", "<"),
    "html_inline": RuleStart("<", "<"),
    "entity": RuleStart("&", "&"),
}

#: Post-processing rules that leave a lone text token as it is (``fragments_join`` only
#: merges text tokens and sets their level to 0).
KNOWN_POST_RULES = frozenset({"balance_pairs", "strikethrough", "emphasis", "fragments_join"})
