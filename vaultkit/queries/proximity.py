"""How close two links in one note sit: the evidence ``related`` names for a co-citation
(same table row or sentence, same list item or paragraph, same table, same section, same
note), each level nested in the next, so the closest one wins."""

from __future__ import annotations

from collections.abc import Sequence

from vaultkit.queries.lookup import Citation, Occurrence


def proximities(subject_occs: list[Occurrence], rows: Sequence[Citation]) -> list[str]:
    """How close each citation in ``rows`` comes to any of ``subject_occs``.

    Sets of the subject's blocks, tables and sections make this one pass over the note
    instead of a comparison of every pair; the levels nest, so the closest one wins.
    """
    sentences = {(o.block_line, o.sentence) for o in subject_occs}
    blocks = {o.block_line: o.block for o in subject_occs}
    tables = {o.table for o in subject_occs if o.table is not None}
    sections = {o.section for o in subject_occs}
    found: list[str] = []
    add = found.append
    for _, _, block, block_line, sentence, table, section in rows:
        if blocks.get(block_line) == block:
            if block == "table_row" or block == "table_header":
                add("same table row")
            elif block != "frontmatter" and (block_line, sentence) in sentences:
                add("same sentence")
            else:
                add("same list item" if block == "list_item" else "same paragraph")
        elif table is not None and table in tables:
            add("same table")
        elif section in sections:
            add("same section")
        else:
            add("same note")
    return found


def proximity(a: Occurrence, b: Occurrence) -> str:
    """How close two link occurrences in the same note sit, as evidence names it."""
    return proximities([a], (Citation.of(b),))[0]
