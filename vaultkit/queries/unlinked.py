"""``unlinked NAME``: plain-text mentions of a note's name or aliases that are not links.

Follows Obsidian's "Unlinked mentions": case-insensitive, whole words only, the note's
file name and its aliases, never inside an existing link (wikilink, embed or markdown
link) and never in the note itself. Obsidian does offer mentions inside code blocks, so
code is searched too; frontmatter, URLs and ``#tags`` are not.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from vaultkit.parse.scan import read_note
from vaultkit.queries.lookup import find_node, mention_lookup
from vaultkit.vault import Vault

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("path", "line", "match", "linked", "text")

_MASKED = re.compile(
    r"!?\[\[[^\]\n]*\]\]"          # wikilinks and embeds, display text included
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"  # markdown links and images
    r"|<?[a-z][a-z0-9+.-]*://[^\s>]*>?",  # bare URLs
    re.IGNORECASE,
)
_FRONTMATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def unlinked(vault: Vault, name: str) -> pd.DataFrame:
    """Where the vault names ``name`` in plain text without linking it, by path and line.

    ``linked`` says whether that note links ``name`` somewhere else already. Works for
    unresolved entities too, using the name they are linked by.
    """
    import pandas as pd

    index = mention_lookup(vault)
    key = find_node(vault, name)
    if key in vault.notes:
        note = vault.notes[key]
        names = [note.name, *note.aliases]
    else:
        names = [index.label(key)]
    pattern = mention_pattern(names)
    needles = [n.casefold() for n in names if n.strip()]
    linking = {o.source for o in index.by_target.get(key, ())}
    records = []
    for path in vault.notes:
        if path == key:
            continue
        text, _ = read_note(vault.root, path)
        # A plain substring test rules out most notes before the regex runs.
        folded = text.casefold()
        if not any(needle in folded for needle in needles):
            continue
        for line, match, context in find_mentions(text, pattern):
            records.append({"path": path, "line": line, "match": match,
                            "linked": path in linking, "text": context})
    return pd.DataFrame(records, columns=list(COLUMNS))


def mention_pattern(names: list[str]) -> re.Pattern[str]:
    """A case-insensitive, word-bounded pattern for any of ``names`` (longest first, so
    ``Goldman Sachs`` wins over ``Goldman``)."""
    words = sorted({n.strip() for n in names if n.strip()}, key=lambda n: (-len(n), n))
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w#])(?:{alternatives})(?!\w)", re.IGNORECASE)


def find_mentions(text: str, pattern: re.Pattern[str]) -> list[tuple[int, str, str]]:
    """``(line, matched text, the line trimmed)`` for each unlinked mention in ``text``."""
    if not pattern.search(text):
        return []
    masked = _blank(text, _FRONTMATTER)
    masked = _blank(masked, _MASKED)
    lines = text.split("\n")
    found = []
    for match in pattern.finditer(masked):
        number = masked.count("\n", 0, match.start()) + 1
        found.append((number, text[match.start():match.end()], lines[number - 1].strip()[:160]))
    return found


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace matches by spaces, keeping newlines so offsets and line numbers hold."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
