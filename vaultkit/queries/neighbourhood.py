"""The link graph read from the index's tables one node at a time.

:class:`StoredLookup` answers what :class:`~vaultkit.queries.lookup.MentionLookup` answers
(a node's occurrences by source and by target, its neighbours, name, kind and degree), but
each from an indexed query on the ``mentions`` view when first asked for, so ``related X``
and ``path A B`` read X's neighbourhood, not 300,000 rows of the whole graph. The one
whole-graph figure scoring needs, the median degree, comes from the ``degrees`` table
(:mod:`vaultkit.index.degrees`). Rows come in the lookup's order (by source path, then
document order), so every score and tie-break is the same.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from vaultkit.index import degrees
from vaultkit.model import note_name
from vaultkit.queries.lookup import Citation, MentionRecord, Occurrence

T = TypeVar("T")



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
        self.citing: Mapping[str, tuple[Citation, ...]] = _ByNode(
            self._records(Citation, "source = ? AND target_kind <> 'attachment'", "seq"),
            self._sources)
        self.cited: Mapping[str, int] = _ByNode(self._cited, self._sources)
        self.neighbours: Mapping[str, frozenset[str]] = _ByNode(self._neighbours, self._nodes)
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
        return frozenset(node for (node,) in self._conn.execute(
            "SELECT target FROM mentions WHERE source = ?1 "
            "UNION SELECT source FROM mentions WHERE target = ?1", (key,)))

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
