"""Keep markdown-it's pending text short, so a note of characters no rule takes is read in
linear time.

markdown-it adds each character no rule takes to ``state.pending`` with ``+=`` on an
attribute, which copies the whole pending string every time: on a line of 1 MB of ``[[``
(no rule takes a lone ``[``) that was a quadratic number of bytes copied. The last rule
of the inline chain, reached only when every other rule declined the character, hands
long pending text to a text token; ``fragments_join`` merges adjacent text tokens again.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

#: Pending text longer than this becomes a text token. Short enough that copying it per
#: character costs nothing; long enough that ordinary text never reaches it.
MAX_PENDING = 512


def _flush_pending(state: StateInline, silent: bool) -> bool:
    if not silent and len(state.pending) > MAX_PENDING:
        state.pushPending()
    return False


def pending_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.push("flush_pending", _flush_pending)
