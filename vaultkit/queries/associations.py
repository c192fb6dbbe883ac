"""Nodes' associations as two-hop scoring reads them, made from the index in one read.

``related`` spreads the subject's association through its sixty strongest neighbours, and
each shares it out in proportion to its own associations: direct links (one point a
direction) plus co-citations. :func:`read_associations` makes all sixty from one read of
the notes citing them (:meth:`~vaultkit.queries.neighbourhood.StoredLookup.cocited`), with
the arithmetic of :func:`vaultkit.queries.related._associations` done in the same order,
so every weight is the same float. Where an association is strongest (the evidence a row
shows) is worked out only for the nodes a query shows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add

from vaultkit.queries.neighbourhood import CLOSENESS, Cocited, StoredLookup

#: Where an association is strongest: note path and line.
Spot = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Associations:
    """What a node is associated with: each associated node's weight, in the order first
    reached; what the node cites and which notes (not left out) link to it; and ``spot``,
    where the association with a given node is strongest."""

    weights: dict[str, float]
    cites: frozenset[str]
    linked_from: frozenset[str]
    spot: Callable[[str], Spot]


@dataclass(frozen=True, slots=True)
class Scoring:
    """What a co-citation weighs: each proximity level's weight, by the name evidence
    gives it; the share of a pair's further co-occurrences in a note; and the exponent of
    the discount for a note citing ``k`` things (``k ** -discount``)."""

    levels: Mapping[str, float]
    repeat: float
    discount: float

    def scale(self, targets: Collection[str]) -> float:
        """The discount of a note citing ``targets``."""
        scale: float = max(len(targets), 1) ** -self.discount
        return scale

    def score(self, scale: float, placed: list[float]) -> float:
        """A node's co-citation in one note, where its citations weigh ``placed``: the
        closest counts whole, the others ``repeat`` each."""
        total = 0.0
        best = -1.0
        for weight in placed:
            total += weight
            best = max(best, weight)
        return scale * (best + self.repeat * (total - best))


def read_associations(index: StoredLookup, nodes: Sequence[str], scoring: Scoring,
                      excluded: frozenset[str]) -> list[Associations]:
    """The associations of each of ``nodes``, leaving out the notes ``excluded``."""
    reader = _Reader(index, scoring, excluded)
    reader.lines.update(index.first_lines(nodes))
    return [reader.associations(node, notes)
            for node, notes in zip(nodes, index.cocited(nodes, excluded), strict=True)]


class _Reader:
    """One query's reading: the index, what counts, and the reads spots share."""

    def __init__(self, index: StoredLookup, scoring: Scoring, excluded: frozenset[str]) -> None:
        self.index = index
        self.scoring = scoring
        self.excluded = excluded
        self.weight_of = {code: scoring.levels[kind] for code, kind in CLOSENESS.items()}
        #: Each node's targets with the line of its first citation, read once a query.
        self.lines: dict[str, dict[str, int]] = {}
        self._citations: dict[str, dict[str, list[int]]] = {}

    def associations(self, node: str, notes: list[Cocited]) -> Associations:
        cites = self.first_lines(node)
        direct = {target: 1.0 for target in cites
                  if target not in self.excluded and target != node}
        for note in notes:  # each note linking to the node once, the left out ones not read
            direct[note.note] = direct.get(note.note, 0.0) + 1.0
        cocited = _cocitation(node, notes, self.scoring, self.weight_of, self.excluded)
        weights = {**direct, **cocited}
        for key in direct.keys() & cocited.keys():
            weights[key] = direct[key] + cocited[key]

        def spot(key: str) -> Spot:
            """As ``related._associations`` keeps it: the node's first link to ``key``,
            else ``key``'s first link to the node, else the closest co-citation."""
            line = cites.get(key)
            if line is not None:
                return node, line
            line = self.first_lines(key).get(node)
            if line is not None:
                return key, line
            return self.closest(key, notes)

        return Associations(weights, frozenset(cites), frozenset(n.note for n in notes), spot)

    def first_lines(self, node: str) -> dict[str, int]:
        """Each target ``node`` cites with the line of its first citation, in order."""
        found = self.lines.get(node)
        if found is None:
            found = self.lines[node] = self.index.first_lines([node])[node]
        return found

    def closest(self, key: str, notes: list[Cocited]) -> Spot:
        """Where ``key`` is co-cited most strongly among ``notes``: the note scoring
        highest (the first of equals) and there its closest citation (the first of
        equals)."""
        lines = self.citations(key)
        best: tuple[float, str, int] | None = None
        for note, targets, codes in notes:
            if note not in lines:
                continue
            # The key's citations here in document order, as its occurrences from here are.
            placed = [self.weight_of[codes[i]] for i, target in enumerate(targets)
                      if target == key]
            score = self.scoring.score(self.scoring.scale(set(targets)), placed)
            if best is None or score > best[0]:
                best = (score, note, lines[note][placed.index(max(placed))])
        if best is None:
            raise KeyError(key)
        return best[1], best[2]

    def citations(self, key: str) -> dict[str, list[int]]:
        """The lines where each note cites ``key``, in document order."""
        found = self._citations.get(key)
        if found is None:
            found = self._citations[key] = {}
            for occ in self.index.by_target.get(key, ()):
                found.setdefault(occ.source, []).append(occ.line)
        return found


def _cocitation(node: str, notes: list[Cocited], scoring: Scoring,
                weight_of: dict[str, float], excluded: frozenset[str]) -> dict[str, float]:
    """Each node's co-citation with ``node``: its score in each note summed over ``notes``
    in order, the nodes in the order first reached."""
    summed: dict[str, float] = {}
    for _, targets, codes in notes:
        distinct = set(targets)
        scale = scoring.scale(distinct)
        if len(distinct) < len(targets) or excluded or node not in distinct:
            # A target cited twice, or left out (or no place of the node to cut out).
            _add_each(summed, node, targets, codes, scale, scoring, weight_of)
            continue
        # Each target once, the node among them (nearly every note): a target's score is
        # the note's discount times its weight, added to its sum by C loops (40,000 of
        # them at 10,000 notes).
        at = targets.index(node)
        keys = targets[:at] + targets[at + 1:]
        scores = {code: scale * weight for code, weight in weight_of.items()}
        summed.update(zip(keys, map(add, map(summed.get, keys, repeat(0.0)),
                                    map(scores.__getitem__, codes[:at] + codes[at + 1:])),
                          strict=True))
    return summed


def _add_each(summed: dict[str, float], node: str, targets: list[str], codes: str,
              scale: float, scoring: Scoring, weight_of: dict[str, float]) -> None:
    """Add each target's score in one note to ``summed``, from every place it is cited
    (the node itself and left out targets, coded "-", are not scored)."""
    placed: dict[str, list[float]] = {}
    for key, code in zip(targets, codes, strict=True):
        if code != "-" and key != node:
            placed.setdefault(key, []).append(weight_of[code])
    for key, weights in placed.items():
        summed[key] = summed.get(key, 0.0) + scoring.score(scale, weights)
