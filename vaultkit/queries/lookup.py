"""An in-memory index over the mentions table, built once per vault and cached.

Queries look occurrences up by source and by target instead of filtering the table each
time, and each group (a node's backlinks, neighbours, targets) is made only when a query
asks for it: that keeps ``related`` on a 10,000-note vault well under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from vaultkit.errors import NoteNotFound
from vaultkit.model import note_name
from vaultkit.views.mentions import MentionTable, entity_key, mention_table

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vaultkit.vault import Vault

T = TypeVar("T")

class Occurrence(NamedTuple):
    """One row of the mentions table, as the scoring code reads it; a tuple, as a
    ``related`` makes tens of thousands (a frozen dataclass took four times as long)."""

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


class Citation(NamedTuple):
    """Where a note cites a node, as co-citation compares places: the mentions columns
    ``related`` reads of a note's every citation (the note itself is the group's key), so
    the tens of thousands a query reads carry no field it never looks at."""

    target: str
    line: int
    block: str
    block_line: int
    sentence: int
    table: int | None
    section: str

    @classmethod
    def of(cls, occ: Occurrence) -> Citation:
        """The citation part of an occurrence."""
        return cls(occ.target, occ.line, occ.block, occ.block_line, occ.sentence, occ.table,
                   occ.section)


#: A record of mentions columns, named as the columns are.
MentionRecord = TypeVar("MentionRecord", Occurrence, Citation)


class Occurrences(Mapping[str, tuple[MentionRecord, ...]]):
    """Occurrences grouped by a node key, made into ``record`` s (:class:`Occurrence` or
    :class:`Citation`) only when a query asks for that node: a first ``related`` reads a
    few hundred of 300k rows."""

    def __init__(self, table: MentionTable, rows: Mapping[str, Sequence[int]],
                 record: type[MentionRecord], skip: frozenset[str] = frozenset()) -> None:
        self._table = table
        self.rows = rows
        self._record: type[MentionRecord] = record
        self._skip = skip
        self._made: dict[str, tuple[MentionRecord, ...]] = {}

    def __getitem__(self, key: str) -> tuple[MentionRecord, ...]:
        made = self._made.get(key)
        if made is None:
            rows = self.rows[key]
            if self._skip:
                targets = self._table.target
                rows = [i for i in rows if targets[i] not in self._skip]
            columns = self._table.gather(self._record._fields, rows)
            made = self._made[key] = tuple(map(self._record, *columns))
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True, eq=False)
class MentionLookup:
    """Occurrences grouped both ways, plus each node's name, kind and neighbours.

    ``citing`` holds each note's citations of notes and entities (attachments left
    out), ``cited`` how many distinct ones that is, ``targets`` each note's distinct
    targets in order; ``memo`` lets queries cache per-node
    work for as long as the index lives.
    """

    by_source: Occurrences[Occurrence]
    by_target: Occurrences[Occurrence]
    names: dict[str, str]
    kinds: dict[str, str]
    neighbours: Grouped[frozenset[str]]
    citing: Occurrences[Citation]
    cited: dict[str, int]
    targets: Grouped[tuple[str, ...]]
    memo: dict[object, object] = field(default_factory=dict)

    def path(self, key: str) -> str | None:
        """The vault path of a node, None for an unresolved entity."""
        return None if self.kinds.get(key) == "entity" else key

    def degree(self, key: str) -> int:
        """Distinct nodes linked to or from ``key``."""
        return self.neighbours.size(key)

    def label(self, key: str) -> str:
        return self.names.get(key, key)

    def read_neighbours(self, keys: Collection[str]) -> None:
        """Nothing to read: every node's neighbours are in memory already."""

    def median_degree(self) -> float:
        """The median of every linked node's degree (the upper one of an even count)."""
        cached = self.memo.get("median degree")
        if not isinstance(cached, float):
            found = sorted(self.degree(n) for n in self.neighbours)
            cached = self.memo["median degree"] = float(found[len(found) // 2]) if found \
                else 0.0
        return cached


class Lookup(Protocol):
    """What the scoring of ``related`` reads of the link graph: :class:`MentionLookup`
    (in memory) or :class:`~vaultkit.queries.neighbourhood.StoredLookup` (the index)."""

    @property
    def by_source(self) -> Mapping[str, tuple[Occurrence, ...]]: ...
    @property
    def by_target(self) -> Mapping[str, tuple[Occurrence, ...]]: ...
    @property
    def citing(self) -> Mapping[str, tuple[Citation, ...]]: ...
    @property
    def cited(self) -> Mapping[str, int]: ...
    @property
    def kinds(self) -> Mapping[str, str]: ...
    @property
    def neighbours(self) -> Mapping[str, frozenset[str]]: ...
    @property
    def memo(self) -> dict[object, object]: ...

    def path(self, key: str) -> str | None: ...
    def degree(self, key: str) -> int: ...
    def label(self, key: str) -> str: ...
    def median_degree(self) -> float: ...
    def read_neighbours(self, keys: Collection[str]) -> None:
        """Read the neighbours of ``keys`` at once, where they are read a node at a time."""


def mention_lookup(vault: Vault) -> MentionLookup:
    """The lookup of ``vault``'s mentions by node, built on first use and kept."""
    return vault.derived(_build)


def _build(vault: Vault) -> MentionLookup:
    import numpy as np

    table = mention_table(vault)
    by_source = table.spans()  # rows come sorted by source: each note's are one range
    keys = table.target
    names: dict[str, str] = {path: note_name(path) for path in vault.notes}
    kinds: dict[str, str] = dict.fromkeys(vault.notes, "note")
    for path in vault.attachments:
        names[path] = path.rsplit("/", 1)[-1]
        kinds[path] = "attachment"
    # Nodes are numbered once, sources first (a dict beats hashing an object array), so
    # distinct pairs, neighbours and groups are array work.
    node = list({**dict.fromkeys(by_source), **dict.fromkeys(keys)})
    numbers = {key: i for i, key in enumerate(node)}
    number = numbers.__getitem__
    src = np.repeat(np.arange(len(by_source), dtype=np.int64),
                    [len(rows) for rows in by_source.values()])
    dst = np.array(list(map(number, keys)), dtype=np.int64)
    order = _stable_order(dst)  # rows by target, each target's in row order
    by_dst = dst[order]
    firsts = np.flatnonzero(np.r_[True, by_dst[1:] != by_dst[:-1]]) if len(by_dst) else by_dst
    # A target's name and kind come from its first row.
    for code, row in zip(by_dst[firsts].tolist(), order[firsts].tolist(), strict=True):
        _, _, name, kind = table.found[row]
        names.setdefault(node[code], name)
        kinds.setdefault(node[code], kind)
    node_array = np.array(node, dtype=object)
    size = max(len(node), 1)
    pairs = src * size + dst
    by_pair = _stable_order(pairs)
    ordered = pairs[by_pair]
    first = np.sort(by_pair[np.r_[True, ordered[1:] != ordered[:-1]]]) if len(pairs) else by_pair
    pair_src, pair_dst = src[first], dst[first]
    attachment = np.array([kinds[key] == "attachment" for key in node], dtype=bool)
    counted = np.bincount(pair_src[~attachment[pair_dst]], minlength=len(node))
    # Linked either way, each pair once: sorted by the first node, they are its neighbours.
    both = distinct(np.concatenate([pair_src * size + pair_dst, pair_dst * size + pair_src]))
    return MentionLookup(
        by_source=Occurrences(table, by_source, Occurrence),
        by_target=Occurrences(table, Grouped(node, numbers, by_dst, order, list), Occurrence),
        names=names, kinds=kinds,
        neighbours=Grouped(node, numbers, both // size, node_array[both % size],
                           frozenset),
        citing=Occurrences(table, by_source, Citation,
                           skip=frozenset(k for k, kind in kinds.items()
                                          if kind == "attachment")),
        cited=dict(zip(by_source, counted[:len(by_source)].tolist(), strict=True)),
        targets=Grouped(node, numbers, pair_src, node_array[pair_dst], tuple),
    )


def _stable_order(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``argsort`` keeping equal keys in place order: ties broken by position, so that the
    quick sort serves (numpy's stable sort took four times as long on 300k rows)."""
    import numpy as np

    count = len(keys)
    if count and int(keys.max()) >= np.iinfo(np.int64).max // count:
        return np.argsort(keys, kind="stable")  # the tie-break would overflow
    return np.argsort(keys * max(count, 1) + np.arange(count, dtype=np.int64))


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, ascending: ``np.unique`` by sorting, as numpy 2's hash-based
    default took 30 times as long on 600k link pairs."""
    import numpy as np

    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


class Grouped(Mapping[str, T]):
    """Values grouped by node, each group made (by ``make``, from a list) when first asked
    for: a query reads a few groups of tens of thousands.

    ``codes`` are node numbers (``number`` maps each of ``node`` to its own) in ascending
    order, ``values`` the value of each code, in step with it. Nodes without values are
    not keys.
    """

    def __init__(self, node: list[str], number: dict[str, int], codes: npt.NDArray[np.int64],
                 values: npt.NDArray[Any], make: Callable[[list[Any]], T]) -> None:
        import numpy as np

        sizes = np.bincount(codes, minlength=len(node))
        self._offsets: list[int] = np.concatenate([[0], np.cumsum(sizes)]).tolist()
        self._node = node
        self._number = number  # shared by the index's groupings: one dict, not three
        self._values = values
        self._make = make
        self._made: dict[str, T] = {}
        self._keys: list[str] | None = None

    def __getitem__(self, key: str) -> T:
        made = self._made.get(key)
        if made is None:
            i = self._number.get(key)
            if i is None or self._offsets[i] == self._offsets[i + 1]:
                raise KeyError(key)
            group = self._values[self._offsets[i]:self._offsets[i + 1]].tolist()
            made = self._made[key] = self._make(group)
        return made

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.size(key) > 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._present())

    def __len__(self) -> int:
        return len(self._present())

    def size(self, key: str) -> int:
        """How many values ``key`` has, without making its group."""
        i = self._number.get(key)
        return 0 if i is None else self._offsets[i + 1] - self._offsets[i]

    def _present(self) -> list[str]:
        if self._keys is None:
            offsets = self._offsets
            self._keys = [key for i, key in enumerate(self._node) if offsets[i + 1] > offsets[i]]
        return self._keys


def target_rows(vault: Vault, key: str) -> Sequence[int]:
    """The mentions rows whose target is ``key``: from the index when it is built, else by
    one pass over the column (a first ``backlinks`` need not build the whole index)."""
    index = vault.built(_build)
    if index is not None:
        return index.by_target.rows.get(key, [])
    return [i for i, target in enumerate(mention_table(vault).target) if target == key]


def find_node(vault: Vault, name: str) -> str:
    """The node key for ``name``: a note (by path, name or alias), an attachment, or an
    unresolved entity (by its name, case-insensitively). Raises if nothing matches.

    >>> find_node(vault, "NVDA")     # an alias of a note: the note's path
    'Entities/NVIDIA.md'
    >>> find_node(vault, "Europe")   # no Europe note: the entity key
    'europe'
    """
    found = vault.find(name)
    if found is not None:
        return found
    index = mention_lookup(vault)
    if name in index.kinds:
        return name
    attachment = vault.resolver.resolve(name).path
    if attachment is not None:
        return attachment
    key = entity_key(name)
    if key in index.kinds:
        return key
    raise NoteNotFound(f"nothing named {name!r} in {vault.root}: no note, attachment "
                        "or link target has that name")
