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

from .link_rows import FIELDS as LINK_FIELDS
from .model import note_name
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
    per_note = [(path, vault.link_rows(path)) for path in sorted(vault.notes)]
    raw: dict[str, list[Any]] = {name: [] for name in LINK_FIELDS}
    sources: list[str] = []
    for path, rows in per_note:
        for name, column in zip(LINK_FIELDS, rows, strict=True):
            raw[name].extend(column)
        sources.extend(itertools.repeat(path, len(rows[0])))
    # One resolution per distinct target spelling: a 10,000-note vault has ~300k links
    # but far fewer distinct targets. Same-named files are told apart by the linking
    # note's folder, so only those few targets are resolved per link.
    names = raw["target"]
    targets = {name: _target(vault, name) for name in dict.fromkeys(names)}
    shared = {name for name in targets if len(vault.resolver.resolve(name).candidates) > 1}
    found = ([targets[name] for name in names] if not shared else
             [_target(vault, name, source) if name in shared else targets[name]
              for name, source in zip(names, sources, strict=True)])
    # A link that resolves to its own note is a self link too.
    self_links = {i for i, (source, target) in enumerate(zip(sources, found, strict=True))
                  if target[0] == source}
    if self_links:
        take = [i for i in range(len(sources)) if i not in self_links]
        sources = [sources[i] for i in take]
        found = [found[i] for i in take]
        raw = {name: [column[i] for i in take] for name, column in raw.items()}
    return {
        "source": sources,
        "line": raw["line"],
        "target": [t[1] for t in found],
        "target_name": [t[2] for t in found],
        "target_kind": [t[3] for t in found],
        "resolved": [t[0] for t in found],
        "kind": raw["kind"],
        "heading": raw["heading"],
        "block_id": raw["block_id"],
        "display": raw["display"],
        "section": raw["section"],
        "block": raw["block"],
        "block_line": raw["block_line"],
        "sentence": raw["sentence"],
        "column": raw["column"],
        "table": raw["table"],
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
        return resolved, resolved, note_name(resolved), "note"
    return resolved, resolved, resolved.rsplit("/", 1)[-1], "attachment"
