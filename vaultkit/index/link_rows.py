"""A note's links as the mentions table reads them: one tuple per column, kept in the index.

These are the parts of each mentions row that depend on the note alone (where the link
sits, how it is written); resolving the target against the rest of the vault happens when
the table is built. The index stores them beside each note, so the first graph query in a
fresh process reads these small tuples instead of decoding every note.
"""

from __future__ import annotations

import io
import itertools
import pickle
from typing import Any

from vaultkit.model import Link, Note

#: Each note's columns, in this order; ``table`` is the first line of the link's table.
FIELDS = ("target", "line", "kind", "heading", "block_id", "display", "section", "block",
          "block_line", "sentence", "column", "table")

#: One tuple per field of :data:`FIELDS`, all of the same length (the note's links).
LinkRows = tuple[tuple[Any, ...], ...]

SECTION_SEPARATOR = " > "

EMPTY: LinkRows = ((),) * len(FIELDS)


def edge_kind(link: Link) -> str:
    """The graph's edge kind: link, embed, markdown link or frontmatter link."""
    if link.embed:
        return "embed"
    if link.kind == "markdown":
        return "markdown link"
    if link.kind == "frontmatter":
        return "frontmatter link"
    return "link"


def link_rows(note: Note) -> LinkRows:
    """The note's links in line order (self links ``[[#heading]]`` left out) as columns."""
    links = [link for link in note.links if not link.is_self]
    if not links:
        return EMPTY
    if any(a.line > b.line for a, b in itertools.pairwise(links)):
        links.sort(key=lambda link: link.line)  # frontmatter links come after the body
    tables = _table_lines(note)
    rows = []
    for link in links:
        c = link.context
        block_line = c.block_line if c else link.line
        rows.append((
            link.target, link.line, edge_kind(link), link.heading, link.block, link.display,
            SECTION_SEPARATOR.join(c.section) if c else "", c.block if c else "paragraph",
            block_line, c.sentence if c else 0, c.column if c else None,
            tables.get(block_line)))
    return tuple(zip(*rows, strict=True))


def _table_lines(note: Note) -> dict[int, int]:
    """Map each header and row line of every table to the table's first line."""
    lines: dict[int, int] = {}
    for table in note.tables:
        lines[table.line] = table.line
        for row_line in table.row_lines:
            lines[row_line] = table.line
    return lines


# -- storage ---------------------------------------------------------------------------
# Pickled, with equal strings shared (a section heading repeats on every link under it).
# Plain tuples, strings, ints and None need no class, so loading refuses every class: a
# planted index row cannot run code.


class _NoClasses(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"not link rows: {module}.{name}")


#: A note's stored link rows half decoded: targets and lines, the rest still encoded.
StoredLinks = tuple[tuple[str, ...], tuple[int, ...], bytes]


def encode_link_rows(path: str, rows: LinkRows) -> bytes:
    """Serialise the link rows of the note at ``path`` for the index.

    Targets and lines come first and the other columns as bytes inside, so that building
    the mentions table (targets) and listing where links are (lines) read only those, and
    the rest is decoded for the notes a query looks at (two thirds of the decoding).
    """
    strings: dict[str, str] = {}
    shared = tuple(tuple(strings.setdefault(v, v) if type(v) is str else v for v in column)
                   for column in rows)
    rest = pickle.dumps(shared[2:], protocol=5)
    return pickle.dumps((path, shared[0], shared[1], rest), protocol=5)


def decode_link_head(blob: bytes, path: str) -> StoredLinks | None:
    """The targets and lines stored by :func:`encode_link_rows` for ``path`` and the still
    encoded rest; None if the blob is damaged or holds another note's rows."""
    found = _load(blob)
    if (type(found) is not tuple or len(found) != 4 or found[0] != path
            or type(found[1]) is not tuple or type(found[2]) is not tuple
            or len(found[1]) != len(found[2]) or type(found[3]) is not bytes):
        return None
    return found[1], found[2], found[3]


def decode_link_rows(blob: bytes, path: str) -> LinkRows | None:
    """The rows stored by :func:`encode_link_rows` for ``path``, or None if damaged."""
    found = decode_link_head(blob, path)
    return None if found is None else join_link_rows(found)


def join_link_rows(stored: StoredLinks) -> LinkRows | None:
    """Whole link rows from what :func:`decode_link_head` gives; None if the rest is
    damaged or does not fit the targets."""
    targets, lines, rest = stored
    columns = _load(rest)
    if (type(columns) is not tuple or len(columns) != len(FIELDS) - 2
            or any(type(c) is not tuple or len(c) != len(targets) for c in columns)):
        return None
    return (targets, lines, *columns)


def _load(blob: bytes) -> Any:
    try:
        return _NoClasses(io.BytesIO(blob)).load()
    except Exception:  # any damage in a cache row just means "take them from the note"
        return None
