"""Try, at each terminator character, only the inline rules that can match there.

markdown-it calls its whole inline chain (17 rules here) at every character its ``text``
rule stops at, though each rule declines at once unless the character is its own: on a
note's prose and cells most calls were ``-``, ``~``, ``$`` or ``[`` asking every rule in
turn. The rule below, first in the chain, looks the character up in a table built from
:mod:`vaultkit.syntax.starts` and calls only those rules, in chain order, then does what
markdown-it does when all decline (the character goes to pending text). A rule the table
does not know turns the dispatcher off: the chain then runs as markdown-it's own.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from vaultkit.syntax.starts import RULE_STARTS

InlineRule = Callable[[StateInline, bool], bool]
#: For each terminator character, the rules that can match at it, in chain order; None
#: when the chain holds a rule :data:`RULE_STARTS` does not know.
Table = dict[str, list[InlineRule]] | None
#: The characters worth a table look-up (declining any other is always safe: the chain
#: then runs as it would without the dispatcher).
_PUNCTUATION = frozenset("\n" + string.punctuation)


def dispatch_table(md: MarkdownIt) -> Table:
    """Which of ``md``'s inline rules to try at each terminator character."""
    names = md.inline.ruler.get_active_rules()
    rules = md.inline.ruler.getRules("")
    if not set(names) <= RULE_STARTS.keys() or len(names) != len(rules):
        return None
    # markdown-it-py before 4 has neither its terminators as a pattern nor a pending buffer.
    terminator_re = getattr(md.inline, "terminator_re", None)
    if terminator_re is None or not hasattr(StateInline, "append_pending"):
        return None
    # markdown-it's terminators are ASCII; one a plugin adds beyond is left to the chain.
    terminators = [char for char in map(chr, range(128)) if terminator_re.match(char)]
    return {char: [rule for name, rule in zip(names, rules, strict=True)
                   if char in RULE_STARTS[name].chars or RULE_STARTS[name].every_call]
            for char in terminators}


def dispatch_plugin(md: MarkdownIt) -> None:
    """Put the dispatcher first in ``md``'s inline chain."""
    built: list[tuple[list[InlineRule], Table]] = []

    def dispatch(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if src[pos] not in _PUNCTUATION:  # letters, digits, spaces: the text rule's
            return False
        # The table is rebuilt whenever the chain changes (markdown-it compiles a new list).
        chain = md.inline.ruler.getRules("")
        if not built or built[0][0] is not chain:
            built[:] = [(chain, dispatch_table(md))]
        table = built[0][1]
        if table is None:
            return False
        rules = table.get(src[pos])
        if rules is None:  # not a terminator: the text rule takes it
            return False
        for rule in rules:
            if rule(state, silent):
                return True
        # What markdown-it's tokenizer does when every rule declines.
        if not silent:
            state.append_pending(src[pos])
        state.pos = pos + 1
        return True

    md.inline.ruler.before("text", "dispatch", dispatch)
