"""Record where markdown links, autolinks and images start, so each gets its exact source line."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.autolink import autolink
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link

from vaultkit.syntax.lookahead import closable

InlineRule = Callable[[StateInline, bool], bool]


def _with_offset(rule: InlineRule) -> InlineRule:
    def positioned(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            # push() first flushes pending text, so the new token is not always at `count`.
            for token in state.tokens[count:]:
                if token.type in ("link_open", "image"):
                    token.meta["offset"] = start
                    break
        return matched

    return positioned


def positions_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.at("link", _with_offset(closable(link)))
    md.inline.ruler.at("image", _with_offset(closable(image)))
    md.inline.ruler.at("autolink", _with_offset(autolink))
