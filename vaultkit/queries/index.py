"""An in-memory index over :attr:`Vault.mentions`, built once per vault and cached.

Queries look occurrences up by source and by target instead of filtering the DataFrame
each time: that keeps ``related`` on a 10,000-note vault well under a second.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import VaultkitError
from ..mentions import collector_paused, entity_key, mention_columns
from ..model import note_name
from ..vault import Vault

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_CACHE: weakref.WeakKeyDictionary[Vault, MentionIndex] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One row of the mentions table, as the scoring code reads it."""

    source: str
    target: str
    line: int
    kind: str
    block: str
    block_line: int
    sentence: int
    table: int | None
    section: str
    column: str | None


#: The mentions columns an :class:`Occurrence` is made of, in field order.
_FIELDS = ("source", "target", "line", "kind", "block", "block_line", "sentence", "table",
           "section", "column")


class Occurrences(Mapping[str, tuple[Occurrence, ...]]):
    """Occurrences grouped by a node key, made into :class:`Occurrence` records only when
    a query asks for that node: a first ``related`` reads a few hundred of 300k rows."""

    def __init__(self, columns: dict[str, list[Any]], rows: Mapping[str, Sequence[int]],
                 skip: frozenset[str] = frozenset()) -> None:
        self._columns = [columns[name] for name in _FIELDS]
        self.rows = rows
        self._skip = skip
        self._made: dict[str, tuple[Occurrence, ...]] = {}

    def __getitem__(self, key: str) -> tuple[Occurrence, ...]:
        made = self._made.get(key)
        if made is None:
            rows = self.rows[key]
            if self._skip:
                targets = self._columns[1]
                rows = [i for i in rows if targets[i] not in self._skip]
            # Column by column: slices for a note's range of rows, gathers otherwise.
            fields = ([column[rows.start:rows.stop] for column in self._columns]
                      if isinstance(rows, range) else
                      [[column[i] for i in rows] for column in self._columns])
            made = self._made[key] = tuple(map(Occurrence, *fields))
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True, eq=False)
class MentionIndex:
    """Occurrences grouped both ways, plus each node's name, kind and neighbours.

    ``citing`` holds each note's occurrences of notes and entities (attachments left
    out), ``cited`` how many distinct ones that is, ``targets`` each note's distinct
    targets in order; ``memo`` lets queries cache per-node
    work for as long as the index lives.
    """

    by_source: Occurrences
    by_target: Occurrences
    names: dict[str, str]
    kinds: dict[str, str]
    neighbours: dict[str, frozenset[str]]
    citing: Occurrences
    cited: dict[str, int]
    targets: dict[str, tuple[str, ...]]
    memo: dict[object, object] = field(default_factory=dict)

    def path(self, key: str) -> str | None:
        """The vault path of a node, None for an unresolved entity."""
        return None if self.kinds.get(key) == "entity" else key

    def degree(self, key: str) -> int:
        """Distinct nodes linked to or from ``key``."""
        return len(self.neighbours.get(key, ()))

    def label(self, key: str) -> str:
        return self.names.get(key, key)


def mention_index(vault: Vault) -> MentionIndex:
    """The cached index of ``vault`` (built on first use)."""
    index = _CACHE.get(vault)
    if index is None:
        with collector_paused():
            index = _CACHE[vault] = _build(vault)
    return index


def _build(vault: Vault) -> MentionIndex:
    import numpy as np
    import pandas as pd

    columns = mention_columns(vault)
    sources, keys = columns["source"], columns["target"]
    names: dict[str, str] = {path: note_name(path) for path in vault.notes}
    kinds: dict[str, str] = dict.fromkeys(vault.notes, "note")
    for path in vault.attachments:
        names[path] = path.rsplit("/", 1)[-1]
        kinds[path] = "attachment"
    # Names and kinds come from each target's first row, neighbours from distinct pairs.
    first_row = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    target_names, target_kinds = columns["target_name"], columns["target_kind"]
    in_order = dict.fromkeys(keys)  # each target once, by first row
    for key in in_order:
        row = first_row[key]
        names.setdefault(key, target_names[row])
        kinds.setdefault(key, target_kinds[row])
    # Nodes are numbered once, so distinct pairs, neighbours and groups are array work.
    count = len(sources)
    codes, node_array = pd.factorize(np.array(sources + keys, dtype=object))
    node: list[str] = node_array.tolist()
    src, dst = codes[:count].astype(np.int64), codes[count:].astype(np.int64)
    first = np.sort(np.unique(src * max(len(node), 1) + dst, return_index=True)[1])
    pair_src, pair_dst = src[first], dst[first]
    attachment = np.array([kinds[key] == "attachment" for key in node], dtype=bool)
    counted = np.bincount(pair_src[~attachment[pair_dst]], minlength=len(node))
    # Rows come sorted by source, so each note's rows are one range.
    starts = dict(zip(reversed(sources), range(count - 1, -1, -1), strict=True))
    ends = dict(zip(sources, range(1, count + 1), strict=True))
    by_source = {source: range(starts[source], stop) for source, stop in ends.items()}
    by_target = {node[code]: rows.tolist()
                 for code, rows in _groups(dst, np.arange(count, dtype=np.int64))}
    return MentionIndex(
        by_source=Occurrences(columns, by_source),
        by_target=Occurrences(columns, {key: by_target[key] for key in in_order}),
        names=names, kinds=kinds,
        neighbours={node[code]: frozenset(node_array[near].tolist()) for code, near in
                    _groups(np.concatenate([pair_src, pair_dst]),
                            np.concatenate([pair_dst, pair_src]))},
        citing=Occurrences(columns, by_source,
                           skip=frozenset(k for k, kind in kinds.items()
                                          if kind == "attachment")),
        cited={source: int(counted[code]) for source, code in
               zip(ends, np.unique(src).tolist(), strict=True)},
        targets={node[code]: tuple(node_array[group].tolist())
                 for code, group in _groups(pair_src, pair_dst)},
    )


def _groups(keys: npt.NDArray[np.int64], values: npt.NDArray[np.int64]
            ) -> Iterator[tuple[int, npt.NDArray[np.int64]]]:
    """``values`` grouped by ``keys``: each key (ascending) with its values in order."""
    import numpy as np

    if not len(keys):
        return iter(())
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return zip(keys[starts].tolist(), np.split(values, starts[1:]), strict=True)


def find_node(vault: Vault, name: str) -> str:
    """The node key for ``name``: a note (by path, name or alias), an attachment, or an
    unresolved entity (by its name, case-insensitively). Raises if nothing matches.

    >>> find_node(vault, "NVIDIA")   # no NVIDIA note: the entity key  # doctest: +SKIP
    'nvidia'
    """
    found = vault.find(name)
    if found is not None:
        return found
    index = mention_index(vault)
    if name in index.kinds:
        return name
    attachment = vault.resolver.resolve(name).path
    if attachment is not None:
        return attachment
    key = entity_key(name)
    if key in index.kinds:
        return key
    raise VaultkitError(f"nothing named {name!r} in {vault.root}: no note, attachment "
                        "or link target has that name")
