"""markdown-it-py configured to read notes the way Obsidian does."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from vaultkit.syntax.comments import comments_plugin
from vaultkit.syntax.dispatch import dispatch_plugin
from vaultkit.syntax.footnotes import footnotes_plugin
from vaultkit.syntax.lookahead import LinkHelpers
from vaultkit.syntax.pending import pending_plugin
from vaultkit.syntax.plain_inline import plain_inline_plugin
from vaultkit.syntax.positions import positions_plugin
from vaultkit.syntax.tags import tags_plugin
from vaultkit.syntax.wikilinks import split_wikilink, strip_md, wikilinks_plugin

__all__ = ["MAX_NESTING", "obsidian_markdown", "split_wikilink", "strip_md"]

#: How deep blockquotes and lists may nest. markdown-it's commonmark preset allows 20, so a
#: list ten levels deep (common in outlines) swallowed the rest of the note; beyond this
#: limit markdown-it drops the deeper content, which the parser reports.
MAX_NESTING = 100


@cache
def obsidian_markdown() -> MarkdownIt:
    """CommonMark + GFM tables and strikethrough + Obsidian's own syntax.

    Math follows Obsidian's delimiter rules (no space inside the ``$``, no digit right
    after the closing ``$``) so that ``$5 and $10`` stays money.
    """
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    # markdown links' label scan, remembered: a line of ``[`` is read once, not once per ``[``.
    md.helpers = LinkHelpers(md.helpers)  # type: ignore[assignment]
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(comments_plugin)
    md.use(footnotes_plugin)
    md.use(wikilinks_plugin)
    md.use(tags_plugin)
    md.use(positions_plugin)
    md.use(pending_plugin)
    # Last: they read which inline rules the plugins above enabled.
    md.use(dispatch_plugin)
    md.use(plain_inline_plugin)
    return md
