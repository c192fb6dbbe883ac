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
    weight_of = {code: scoring.levels[kind] for code, kind in CLOSENESS.items()}
    citers: dict[str, frozenset[str]] = {}

    def citing(key: str) -> frozenset[str]:
        """The notes citing ``key`` (read once a query: spots ask for few keys, often)."""
        found = citers.get(key)
        if found is None:
            found = citers[key] = frozenset(o.source for o in index.by_target.get(key, ()))
        return found

    return [_associations(index, node, notes, scoring, weight_of, excluded, citing)
            for node, notes in zip(nodes, index.cocited(nodes, excluded), strict=True)]


def _associations(index: StoredLookup, node: str, notes: list[Cocited], scoring: Scoring,
                  weight_of: dict[str, float], excluded: frozenset[str],
                  citing: Callable[[str], frozenset[str]]) -> Associations:
    cites = index.citing.get(node, ())
    direct: dict[str, float] = {}
    for cited in cites:
        if cited.target not in excluded and cited.target != node:
            direct.setdefault(cited.target, 1.0)
    for note in notes:  # each note linking to the node once, the left out ones not read
        direct[note.note] = direct.get(note.note, 0.0) + 1.0
    cocited = _cocitation(node, notes, scoring, weight_of, excluded)
    weights = {**direct, **cocited}
    for key in direct.keys() & cocited.keys():
        weights[key] = direct[key] + cocited[key]

    def spot(key: str) -> Spot:
        """As ``related._associations`` keeps it: the node's first link to ``key``, else
        ``key``'s first link to the node, else the closest co-citation (the first note's of
        equals)."""
        for cited in cites:
            if cited.target == key:
                return node, cited.line
        for cited in index.citing.get(key, ()):
            if cited.target == node:
                return key, cited.line
        return _closest(index, key, notes, scoring, weight_of, citing(key))

    return Associations(weights, frozenset(c.target for c in cites),
                        frozenset(note.note for note in notes), spot)


def _cocitation(node: str, notes: list[Cocited], scoring: Scoring,
                weight_of: dict[str, float], excluded: frozenset[str]) -> dict[str, float]:
    """Each node's co-citation with ``node``: its score in each note summed over ``notes``
    in order, the nodes in the order first reached."""
    summed: dict[str, float] = {}
    for _, targets, codes in notes:
        distinct = set(targets)
        scale = scoring.scale(distinct)
        if len(distinct) < len(targets):  # a node cited twice here: scored from all places
            _add_repeated(summed, node, targets, codes, scale, scoring, weight_of)
            continue
        # Each target once (nearly every note): its score is the note's discount times its
        # weight, added to the sums by C loops (40,000 of them at 10,000 notes).
        placed = dict(zip(targets, codes, strict=True))
        del placed[node]
        for key in excluded.intersection(placed) if excluded else ():
            del placed[key]
        scores = {code: scale * weight for code, weight in weight_of.items()}
        keys = list(placed)
        summed.update(zip(keys, map(add, map(summed.get, keys, repeat(0.0)),
                                    map(scores.__getitem__, placed.values())), strict=True))
    return summed


def _add_repeated(summed: dict[str, float], node: str, targets: list[str], codes: str,
                  scale: float, scoring: Scoring, weight_of: dict[str, float]) -> None:
    placed: dict[str, list[float]] = {}
    for key, code in zip(targets, codes, strict=True):
        if code != "-" and key != node:
            placed.setdefault(key, []).append(weight_of[code])
    for key, weights in placed.items():
        summed[key] = summed.get(key, 0.0) + scoring.score(scale, weights)


def _closest(index: StoredLookup, key: str, notes: list[Cocited], scoring: Scoring,
             weight_of: dict[str, float], citing: frozenset[str]) -> Spot:
    """Where ``key`` is co-cited most strongly among ``notes``: the note scoring highest
    (the first of equals) and there the line of its closest citation (the first of
    equals)."""
    best: tuple[float, str, int] | None = None
    for note, targets, codes in notes:
        if note not in citing:
            continue
        # The key's citations here, in document order, are its occurrences from this note.
        lines = [occ.line for occ in index.by_target[key] if occ.source == note]
        placed = [weight_of[codes[i]] for i, target in enumerate(targets) if target == key]
        score = scoring.score(scoring.scale(set(targets)), placed)
        line = lines[placed.index(max(placed))]
        if best is None or score > best[0]:
            best = (score, note, line)
    if best is None:
        raise KeyError(key)
    return best[1], best[2]
