"""The mentions table: one row per link occurrence, with where it sits in its note.

Every graph query (backlinks, related, hubs, path, the graph itself) is computed from this
one table, so a filter applied to it applies to every kind of evidence alike.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import weakref
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .model import Link, Note
from .resolve import normalise
from .vault import Vault

if TYPE_CHECKING:
    import pandas as pd

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

_INTEGER_TYPES = {"line": "int64", "block_line": "int64", "sentence": "int64", "table": "Int64"}
_COLUMNS_CACHE: weakref.WeakKeyDictionary[Vault, dict[str, list[Any]]] = \
    weakref.WeakKeyDictionary()


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


def mention_columns(vault: Vault) -> dict[str, list[Any]]:
    """The mentions table as one list per column (see :data:`COLUMNS`), cached per vault.

    :func:`build_mentions` and the query index are both built from these lists: column
    by column, as a loop appending to sixteen lists per row is what made the first query
    on a large vault slow.
    """
    columns = _COLUMNS_CACHE.get(vault)
    if columns is None:
        with collector_paused():
            columns = _COLUMNS_CACHE[vault] = _columns(vault)
    return columns


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block that allocates many long-lived or short-lived objects, but no reference
    cycles, without the cyclic garbage collector: on a 10,000-note vault its passes over
    the objects just made took as long as building the index or scoring ``related``.
    Reference counting still frees everything; a cycle would only wait for the next pass."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _columns(vault: Vault) -> dict[str, list[Any]]:
    links: list[Link] = []
    sources: list[str] = []
    for path, note in sorted(vault.notes.items()):
        found = [link for link in note.links if not link.is_self]
        if any(a.line > b.line for a, b in itertools.pairwise(found)):
            found.sort(key=lambda link: link.line)
        links.extend(found)
        sources.extend(itertools.repeat(path, len(found)))
    # One resolution per distinct target spelling: a 10,000-note vault has ~300k links
    # but far fewer distinct targets.
    # Same-named files are told apart by the linking note's folder, so those few targets
    # are resolved per folder.
    targets = {name: _target(vault, name) for name in {link.target for link in links}}
    found_targets = [
        _target(vault, link.target, source)
        if len(vault.resolver.resolve(link.target).candidates) > 1 else targets[link.target]
        for link, source in zip(links, sources, strict=True)]
    # A link that resolves to its own note is a self link too.
    keep = [i for i, (source, target) in enumerate(zip(sources, found_targets, strict=True))
            if target[0] != source]
    if len(keep) < len(links):
        links = [links[i] for i in keep]
        sources = [sources[i] for i in keep]
        found_targets = [found_targets[i] for i in keep]
    contexts = [link.context for link in links]
    tables = {path: _table_lines(vault.notes[path]) for path in dict.fromkeys(sources)
              if vault.notes[path].tables}
    block_lines = [c.block_line if c else link.line
                   for c, link in zip(contexts, links, strict=True)]
    return {
        "source": sources,
        "line": [link.line for link in links],
        "target": [t[1] for t in found_targets],
        "target_name": [t[2] for t in found_targets],
        "target_kind": [t[3] for t in found_targets],
        "resolved": [t[0] for t in found_targets],
        "kind": [edge_kind(link) for link in links],
        "heading": [link.heading for link in links],
        "block_id": [link.block for link in links],
        "display": [link.display for link in links],
        "section": [SECTION_SEPARATOR.join(c.section) if c else "" for c in contexts],
        "block": [c.block if c else "paragraph" for c in contexts],
        "block_line": block_lines,
        "sentence": [c.sentence if c else 0 for c in contexts],
        "column": [c.column if c else None for c in contexts],
        "table": [tables[source].get(line) if source in tables else None
                  for source, line in zip(sources, block_lines, strict=True)],
    }


def build_mentions(vault: Vault) -> pd.DataFrame:
    """Every link occurrence in ``vault`` (self links skipped) with its context.

    Rows come in path then document order. ``target`` is the node key: the vault path of
    the note or attachment it resolves to, else the normalised name of the entity.

    >>> vault.mentions.query("target == 'nvidia'")[["source", "line", "block"]]  # doctest: +SKIP
    """
    return mentions_frame(mention_columns(vault))


def mentions_frame(columns: dict[str, list[Any]], rows: Sequence[int] | None = None
                   ) -> pd.DataFrame:
    """The mentions DataFrame of ``columns``, or of only the given ``rows`` of them.

    Column types are those of the whole table, so a slice reads like a filtered frame:
    a text column is ``str`` unless it holds no value anywhere in the vault.
    """
    import pandas as pd

    data = {}
    for name, values in columns.items():
        dtype = _INTEGER_TYPES.get(name) or ("str" if values.count(None) < len(values)
                                              else object)
        data[name] = pd.Series(values if rows is None else [values[i] for i in rows],
                               dtype=dtype)
    return pd.DataFrame(data, columns=list(COLUMNS))


def _target(vault: Vault, target: str, source: str | None = None
            ) -> tuple[str | None, str, str, str]:
    """Where a link target (written in ``source``) resolves: node key, display name, kind."""
    resolved = vault.resolver.resolve(target, source).path
    if resolved is None:
        kind = "attachment" if is_attachment_name(target) else "entity"
        return None, entity_key(target), target.removesuffix(".md"), kind
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
