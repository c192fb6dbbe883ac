"""The mentions table: one row per link occurrence, with where it sits in its note.

Every graph query (backlinks, related, hubs, path, the graph itself) is computed from this
one table, so a filter applied to it applies to every kind of evidence alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Link, Note
from .resolve import normalise

if TYPE_CHECKING:
    import pandas as pd

    from .vault import Vault

#: Column order of :func:`build_mentions`; scripts rely on these names.
COLUMNS = (
    "source", "line", "target", "target_name", "target_kind", "resolved", "kind",
    "heading", "block_id", "display", "section", "block", "block_line", "sentence",
    "column", "table",
)

#: Extensions Obsidian treats as attachments: an unresolved ``![[chart.png]]`` is a
#: missing file, not an entity the researcher writes about.
ATTACHMENT_EXTENSIONS = frozenset({
    "png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "heic", "tif", "tiff",
    "mp3", "wav", "m4a", "ogg", "flac", "3gp", "webm", "mp4", "mkv", "mov", "ogv",
    "pdf", "canvas", "csv", "xlsx", "docx", "pptx", "zip",
})

SECTION_SEPARATOR = " > "


def entity_key(target: str) -> str:
    """The node key of an unresolved link target: how Obsidian groups ghost nodes.

    >>> entity_key(" NVIDIA.md ")
    'nvidia'
    """
    key = normalise(target).replace("\\", "/").strip("/")
    return key[:-3] if key.endswith(".md") else key


def is_attachment_name(name: str) -> bool:
    """Whether a (possibly unresolved) target names a file such as ``chart.png``."""
    base = name.rsplit("/", 1)[-1]
    return "." in base and base.rsplit(".", 1)[1].lower() in ATTACHMENT_EXTENSIONS


def edge_kind(link: Link) -> str:
    """The graph's edge kind: link, embed, markdown link or frontmatter link."""
    if link.embed:
        return "embed"
    if link.kind == "markdown":
        return "markdown link"
    if link.kind == "frontmatter":
        return "frontmatter link"
    return "link"


def build_mentions(vault: Vault) -> pd.DataFrame:
    """Every link occurrence in ``vault`` (self links skipped) with its context.

    Rows come in path then document order. ``target`` is the node key: the vault path of
    the note or attachment it resolves to, else the normalised name of the entity.

    >>> vault.mentions.query("target == 'nvidia'")[["source", "line", "block"]]  # doctest: +SKIP
    """
    import pandas as pd

    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    rows = [columns[name] for name in COLUMNS]
    # One resolution per distinct target spelling: a 10,000-note vault has ~300k links
    # but far fewer distinct targets.
    targets: dict[str, tuple[str | None, str, str, str]] = {}
    for path, note in vault.notes.items():
        table_of_line = _table_lines(note)
        for link in note.links:
            if link.is_self:
                continue
            target = targets.get(link.target)
            if target is None:
                target = targets[link.target] = _target(vault, link)
            resolved, key, name, target_kind = target
            if resolved == path:
                continue
            context = link.context
            block_line = context.block_line if context else link.line
            values = (
                path, link.line, key, name, target_kind, resolved, edge_kind(link),
                link.heading, link.block, link.display,
                SECTION_SEPARATOR.join(context.section) if context else "",
                context.block if context else "paragraph", block_line,
                context.sentence if context else 0, context.column if context else None,
                table_of_line.get(block_line),
            )
            for column, value in zip(rows, values, strict=True):
                column.append(value)
    frame = pd.DataFrame(columns)
    for name in ("line", "block_line", "sentence"):
        frame[name] = frame[name].astype("int64")
    frame["table"] = frame["table"].astype("Int64")
    return frame.sort_values(["source", "line"], kind="stable", ignore_index=True)


def _target(vault: Vault, link: Link) -> tuple[str | None, str, str, str]:
    """Where a link target resolves, its node key, display name and node kind."""
    resolved = vault.resolver.resolve(link.target).path
    if resolved is None:
        kind = "attachment" if is_attachment_name(link.target) else "entity"
        return None, entity_key(link.target), link.target.removesuffix(".md"), kind
    if resolved in vault.notes:
        return resolved, resolved, vault.notes[resolved].name, "note"
    return resolved, resolved, resolved.rsplit("/", 1)[-1], "attachment"


def _table_lines(note: Note) -> dict[int, int]:
    """Map each header and row line of every table to the table's first line."""
    lines: dict[int, int] = {}
    for table in note.tables:
        lines[table.line] = table.line
        for row_line in table.row_lines:
            lines[row_line] = table.line
    return lines
