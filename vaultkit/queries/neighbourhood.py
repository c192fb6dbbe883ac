"""The link graph read from the index's tables one node at a time.

:class:`StoredLookup` answers what :class:`~vaultkit.queries.lookup.MentionLookup` answers
(a node's occurrences by source and by target, its neighbours, name, kind and degree), but
each from an indexed query on the ``mentions`` view when first asked for, so ``related X``
and ``path A B`` read X's neighbourhood, not 300,000 rows of the whole graph. The one
whole-graph figure scoring needs, the median degree, comes from the ``degrees`` table
(:mod:`vaultkit.index.degrees`). Rows come in the lookup's order (by source path, then
document order), so every score and tie-break is the same.

Two-hop scoring reads the co-citations of sixty nodes at once: :meth:`StoredLookup.cocited`
has SQLite place every citation of every note citing them (~40,000 on a 10,000-note vault)
and hands back one row a note, its targets and their closeness packed in two strings, as
reading them a note at a time (1,279 queries) and placing them in Python took 0.1 s.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple, TypeVar

from vaultkit.index import degrees
from vaultkit.model import note_name
from vaultkit.queries.lookup import Citation, MentionRecord, Occurrence

T = TypeVar("T")

#: How close a citation sits to the node its note is read for, one character each, as
#: ``related`` names the levels ("-": the node itself, or a target left out).
CLOSENESS = {"R": "same table row", "S": "same sentence", "I": "same list item",
             "P": "same paragraph", "T": "same table", "C": "same section", "N": "same note"}
#: Between packed values: a control character no path or name holds (one that did is read
#: again from its own query, as the count no longer matches).
SEPARATOR = "\x1f"


class Cocited(NamedTuple):
    """A note citing a node: everything the note cites (attachments left out) in document
    order, and a :data:`CLOSENESS` code for each, how close it sits to the node there."""

    note: str
    targets: list[str]
    closeness: str


class _ByNode(Mapping[str, T]):
    """Values by node key, each read by ``read`` when first asked for and kept; a node
    whose value is empty is not a key, as in the in-memory lookup."""

    def __init__(self, read: Callable[[str], T], keys: Callable[[], list[str]]) -> None:
        self._read = read
        self._keys = keys
        self._made: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        if key not in self._made:
            self._made[key] = self._read(key)
        found = self._made[key]
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:  # every node: a whole-graph read, rarely wanted
        return iter(self._keys())

    def unread(self, keys: Iterable[str]) -> list[str]:
        """Those of ``keys`` not read yet."""
        return [key for key in keys if key not in self._made]

    def keep(self, found: Mapping[str, T]) -> None:
        """Keep values read for several keys at once, as if each had been asked for."""
        self._made.update(found)

    def __len__(self) -> int:
        return len(self._keys())


class StoredLookup:
    """A node-at-a-time :class:`~vaultkit.queries.lookup.MentionLookup` over ``conn``
    (an index whose tables hold the vault: :func:`vaultkit.index.reader.open_tables`);
    ``notes`` and ``attachments`` are the vault's paths, which name their own nodes;
    ``median`` gives :meth:`median_degree`."""

    def __init__(self, conn: sqlite3.Connection, notes: Mapping[str, object],
                 attachments: frozenset[str], median: Callable[[], float] | None = None
                 ) -> None:
        self._conn = conn
        self._median = median
        self._notes = notes
        self._attachments = attachments
        self.by_source: Mapping[str, tuple[Occurrence, ...]] = _ByNode(
            self._records(Occurrence, "source = ?", "seq"), self._sources)
        self.by_target: Mapping[str, tuple[Occurrence, ...]] = _ByNode(
            self._records(Occurrence, "target = ?", "source, seq"), self._targets)
        # Attachments are not cited: a note's chart says nothing about what it is about.
        # Only the citations' columns: ~40,000 rows on the 100k hub's two-hop walk, where
        # three fewer columns save a sixth of the reading.
        self.citing: _ByNode[tuple[Citation, ...]] = _ByNode(
            self._records(Citation, "source = ? AND target_kind <> 'attachment'", "seq"),
            self._sources)
        self.cited: Mapping[str, int] = _ByNode(self._cited, self._sources)
        self.neighbours: _ByNode[frozenset[str]] = _ByNode(self._neighbours, self._nodes)
        self.kinds: Mapping[str, str] = _ByNode(lambda key: self._name_kind(key)[1],
                                                self._every_node)
        self._found: dict[str, tuple[str, str] | None] = {}
        self.memo: dict[object, object] = {}

    # -- what the scoring code reads -----------------------------------------------------

    def path(self, key: str) -> str | None:
        """The vault path of a node, None for an unresolved entity."""
        return None if self._name_kind(key)[1] == "entity" else key

    def degree(self, key: str) -> int:
        """Distinct nodes linked to or from ``key``."""
        row = self._conn.execute("SELECT degree FROM degrees WHERE node = ?", (key,)).fetchone()
        return 0 if row is None else int(row[0])

    def label(self, key: str) -> str:
        name = self._name_kind(key)[0]
        return name or key

    def median_degree(self) -> float:
        """The median of every linked node's degree: from ``median`` when given (it may keep
        the figure), else read from the ``degrees`` table (a sort of every node)."""
        return self._median() if self._median is not None else degrees.median(self._conn)

    def cocited(self, nodes: Sequence[str], excluded: Collection[str] = ()) -> list[list[Cocited]]:
        """For each of ``nodes``, the notes citing it but ``excluded`` ones, by path: what
        each cites and how close to the node (a target in ``excluded`` is coded "-")."""
        sql = _COCITED_EXCLUDING if excluded else _COCITED
        found: list[list[Cocited]] = [[] for _ in nodes]
        rows = self._conn.execute(sql, {"nodes": json.dumps(list(nodes)),
                                        "excluded": json.dumps(sorted(excluded))}).fetchall()
        for rank, note, packed in sorted(rows):
            codes, _, targets = packed.partition(SEPARATOR)
            split = targets.split(SEPARATOR)
            if len(split) != len(codes):
                split = [cited.target for cited in self.citing[note]]
            found[rank].append(Cocited(note, split, codes))
        return found

    def read_citing(self, keys: Collection[str]) -> None:
        """Read what each of ``keys`` cites in one query, kept for :attr:`citing` (a query
        a note took 60 µs: ``related`` reads a hundred notes this way)."""
        columns = ", ".join(f'"{name}"' for name in Citation._fields)
        found: dict[str, list[Citation]] = {key: [] for key in keys}
        make = functools.partial(tuple.__new__, Citation)
        for source, *row in self._conn.execute(
                f"SELECT source, {columns} FROM mentions WHERE source IN "
                "(SELECT value FROM json_each(?)) AND target_kind <> 'attachment' "
                "ORDER BY source, seq", (json.dumps(list(found)),)):
            found[source].append(make(row))
        self.citing.keep({key: tuple(rows) for key, rows in found.items()})

    def read_neighbours(self, keys: Collection[str]) -> None:
        """Read the neighbours of each of ``keys`` not read yet in one query, kept for
        :attr:`neighbours` (``path`` reads a breadth-first level at once: a query a node
        was most of a long path's time)."""
        wanted = self.neighbours.unread(keys)
        if wanted:
            self.neighbours.keep(self._neighbour_sets(wanted))

    def first_lines(self, keys: Collection[str]) -> dict[str, dict[str, int]]:
        """For each of ``keys``, what it cites (attachments left out), in order, with the
        line of its first citation: one query for them all."""
        found: dict[str, dict[str, int]] = {key: {} for key in keys}
        for source, target, line in self._conn.execute(
                "SELECT source, target, line FROM mentions WHERE source IN "
                "(SELECT value FROM json_each(?)) AND target_kind <> 'attachment' "
                "ORDER BY source, seq", (json.dumps(list(found)),)):
            found[source].setdefault(target, line)
        return found

    # -- reading ---------------------------------------------------------------------------

    def _records(self, record: type[MentionRecord], where: str, order: str
                 ) -> Callable[[str], tuple[MentionRecord, ...]]:
        # The record's fields are mentions columns of the same names.
        columns = ", ".join(f'"{name}"' for name in record._fields)
        sql = f"SELECT {columns} FROM mentions WHERE {where} ORDER BY {order}"
        # What ``record._make`` does, without a Python call per row: half the time on the
        # 40,000 rows of the 100k hub's two-hop walk.
        make = functools.partial(tuple.__new__, record)

        def read(key: str) -> tuple[MentionRecord, ...]:
            return tuple(map(make, self._conn.execute(sql, (key,))))

        return read

    def _cited(self, key: str) -> int:
        # A note citing nothing but attachments counts as citing one thing, as it does
        # in scoring (the in-memory lookup stores 0 there, which scoring raises to 1).
        return len({occ.target for occ in self.citing.get(key, ())}) or 1

    def _neighbours(self, key: str) -> frozenset[str]:
        return self._neighbour_sets([key])[key]

    def _neighbour_sets(self, keys: list[str]) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {key: set() for key in keys}
        for node, other in self._conn.execute(_NEIGHBOURS, (json.dumps(keys),)):
            found[node].add(other)
        return {key: frozenset(others) for key, others in found.items()}

    def _name_kind(self, key: str) -> tuple[str, str]:
        """A node's name and kind: a note's and an attachment's from its path, an entity's
        from its first occurrence; ``("", "")`` for a key that is no node."""
        if key in self._notes:
            return note_name(key), "note"
        if key in self._attachments:
            return key.rsplit("/", 1)[-1], "attachment"
        if key not in self._found:
            self._found[key] = self._conn.execute(
                "SELECT target_name, target_kind FROM mentions WHERE target = ? "
                "ORDER BY source, seq LIMIT 1", (key,)).fetchone()
        found = self._found[key]
        return ("", "") if found is None else (str(found[0]), str(found[1]))

    def _sources(self) -> list[str]:
        return [s for (s,) in self._conn.execute("SELECT DISTINCT source FROM mentions")]

    def _targets(self) -> list[str]:
        return [t for (t,) in self._conn.execute("SELECT DISTINCT target FROM mentions")]

    def _every_node(self) -> list[str]:
        return list(dict.fromkeys([*self._notes, *self._attachments, *self._nodes()]))

    def _nodes(self) -> list[str]:
        return [n for (n,) in self._conn.execute("SELECT node FROM degrees ORDER BY node")]


#: Each of a JSON list of nodes with every node it links to or is linked from.
_NEIGHBOURS = """WITH node(key) AS (SELECT value FROM json_each(?))
SELECT source, target FROM mentions WHERE source IN node
UNION SELECT target, source FROM mentions WHERE target IN node"""

#: How close citation ``r`` sits to occurrence ``{o}`` of the node, ranked as the levels
#: nest (5 same row or sentence, 4 same block, 3 same table, 2 same section, 1 same note).
_RANK = """CASE WHEN r.block_line IS {o}.block_line AND r.block IS {o}.block THEN
    CASE WHEN r.block IN ('table_row', 'table_header')
           OR (r.block IS NOT 'frontmatter' AND r.sentence IS {o}.sentence) THEN 5 ELSE 4 END
  WHEN r."table" = {o}."table" THEN 3 WHEN r.section IS {o}.section THEN 2 ELSE 1 END"""
#: A rank's CLOSENESS code: the block of ``r`` tells a row from a sentence, an item from a
#: paragraph.
_CODE = """CASE {rank} WHEN 5 THEN CASE WHEN r.block IN ('table_row', 'table_header')
                           THEN 'R' ELSE 'S' END
  WHEN 4 THEN CASE WHEN r.block = 'list_item' THEN 'I' ELSE 'P' END
  WHEN 3 THEN 'T' WHEN 2 THEN 'C' ELSE 'N' END"""
#: Each citation's code: to the node's one occurrence in the note (nearly always), else to
#: the closest of them.
_CLOSENESS = f"""CASE WHEN r.target = occ.node{{excluding}} THEN '-'
  WHEN occ.n = 1 THEN {_CODE.format(rank=_RANK.format(o="occ"))}
  ELSE {_CODE.format(rank=f"(SELECT max({_RANK.format(o='o')}) FROM mentions o "
                          "WHERE o.target = occ.node AND o.source = occ.note)")} END"""
#: One row a note citing a node: the node's rank in ``:nodes``, the note, and the codes
#: and targets of the note's citations packed (a note's rows are read in document order).
_COCITED_SQL = f"""WITH node(key, rank) AS (SELECT value, key FROM json_each(:nodes)),
excluded(path) AS (SELECT value FROM json_each(:excluded)),
occ AS (SELECT node.rank, node.key AS node, m.source AS note, count(*) AS n, m.block_line,
               m.block, m.sentence, m."table", m.section
        FROM node JOIN mentions m ON m.target = node.key {{where}}
        GROUP BY node.rank, m.source)
SELECT rank, note, (
  SELECT group_concat({_CLOSENESS}, '') || char(31) || group_concat(r.target, char(31))
  FROM mentions r WHERE r.source = occ.note AND r.target_kind <> 'attachment')
FROM occ"""
_COCITED = _COCITED_SQL.format(excluding="", where="")
_COCITED_EXCLUDING = _COCITED_SQL.format(excluding=" OR r.target IN excluded",
                                         where="WHERE m.source NOT IN excluded")
