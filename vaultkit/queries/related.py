"""``related NAME``: what else the vault connects to a note or entity, and why.

Three parts, each kept in the result so the ranking can be read:

1. **direct** — links between the two, either way;
2. **cocitation** — notes citing both, weighted by how close the two links sit (same
   sentence or table row ≫ same paragraph or list item ≫ same table ≫ same section ≫
   same note), discounted for notes that cite many things (a reading list says less than
   a table row);
3. **twohop** — resource allocation over shared neighbours (linked or co-cited), leaving
   out the notes already counted as co-citers and skipping hubs, whose neighbours are
   related to everything.

The default :class:`Weights` were tuned with ``benchmarks/related_eval.py``.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, itemgetter, mul, truediv
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from vaultkit.index.collector import gc_paused
from vaultkit.queries.associations import Associations, Scoring, Spot, read_associations
from vaultkit.queries.excluded import excluded_notes
from vaultkit.queries.lookup import Lookup, Occurrence, find_node, mention_lookup
from vaultkit.queries.neighbourhood import StoredLookup
from vaultkit.queries.proximity import proximities
from vaultkit.vault import Vault

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("name", "path", "score", "direct", "cocitation", "twohop", "linked",
           "explanation", "evidence")


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts; see the module docstring."""

    direct: float = 1.0
    cocitation: float = 1.0
    twohop: float = 1.0
    sentence: float = 1.0
    paragraph: float = 0.4
    table: float = 0.3
    section: float = 0.2
    note: float = 0.08
    #: Share of a note's further co-occurrences of a pair beyond the closest one.
    repeat: float = 0.5
    #: Exponent of the discount for a note that cites ``k`` things: ``k ** -discount``.
    discount: float = 0.5
    #: Nodes with more distinct links than this many times the median node are hubs
    #: (index notes, reading lists) and pass on no two-hop signal.
    hub_factor: float = 5.0
    #: A neighbour shares its resource out divided by its total association to this power
    #: (1 is resource allocation proper; lower lets well-connected neighbours speak louder).
    spread: float = 0.5
    #: Only the strongest neighbours pass two-hop resource on; the rest add next to nothing.
    via_limit: int = 60

    def levels(self) -> dict[str, float]:
        """The weight of each proximity, by the name evidence gives it."""
        return {
            "same sentence": self.sentence, "same table row": self.sentence,
            "same paragraph": self.paragraph, "same list item": self.paragraph,
            "same table": self.table, "same section": self.section, "same note": self.note,
        }


DEFAULT_WEIGHTS = Weights()

#: Pieces of evidence a row lists (its explanation names the first four).
EVIDENCE_SHOWN = 10

#: Nodes whose associations stay cached between queries, least recently used dropped
#: first: one is ~160 KB on a 10,000-note vault, and kept without a bound they grew a
#: notebook's memory by ~7 MB per ``related`` (1 GB after 100 queries).
ASSOCIATIONS_KEPT = 1000


class Evidence(NamedTuple):
    """One reason two nodes are related; a tuple, as ``related`` makes ~100k of them."""

    kind: str
    path: str | None
    line: int | None
    weight: float
    via: str | None = None

    def describe(self) -> str:
        if self.via is not None:
            return f"via [[{self.via}]]"
        return f"{self.path}:{self.line} {self.kind}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "line": self.line,
                "weight": round(self.weight, 6)}


@dataclass(slots=True)
class _Pair:
    """The association between the subject and one other node."""

    direct: float = 0.0
    cocitation: float = 0.0
    twohop: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    #: Two-hop shares as ``(share, spot, via)``, the spot worked out when asked: made
    #: into evidence only for the rows shown, as a query passes tens of thousands of them.
    via: list[tuple[float, Callable[[], Spot], str]] = field(default_factory=list)

    def all_evidence(self, shown: int | None = None) -> list[Evidence]:
        """Every piece of evidence. With ``shown``, a share that can be neither among the
        ``shown`` strongest nor the strongest share keeps no place (path and line None):
        only those are shown (see :func:`_leaders_first`), and each spot is a look-up."""
        floor = -1.0
        if shown is not None and self.via and len(self.evidence) + len(self.via) > shown:
            weights = [e.weight for e in self.evidence] + [s for s, _, _ in self.via]
            floor = min(max(s for s, _, _ in self.via), heapq.nlargest(shown, weights)[-1])
        shares = []
        for share, spot, label in self.via:
            path, line = spot() if share >= floor else (None, None)
            shares.append(Evidence("via", path, line, share, via=label))
        return self.evidence + shares

    @property
    def total(self) -> float:
        return self.direct + self.cocitation + self.twohop


class _Via(NamedTuple):
    """One neighbour passing two-hop resource on: to each of its associations but
    ``skip``, ``lead * weight / spread`` of the association's weight."""

    label: str
    lead: float
    spread: float
    associations: Associations
    skip: set[str]


@dataclass(slots=True)
class _Scores:
    """Every node's score parts. Direct links and co-citations reach a few hundred nodes
    and carry evidence; two-hop reaches tens of thousands, so it keeps plain sums, and a
    node's shares are listed again from ``vias`` only for the rows shown (a record and a
    list of shares for each node took a third of a query)."""

    pairs: dict[str, _Pair] = field(default_factory=dict)
    twohop: dict[str, float] = field(default_factory=dict)
    vias: list[_Via] = field(default_factory=list)

    def totals(self) -> list[tuple[str, float]]:
        """Each node with a positive total and that total, in the order first reached."""
        twohop, found = self.twohop, []
        for key, pair in self.pairs.items():
            total = pair.direct + pair.cocitation + twohop.get(key, 0.0)
            if total > 0:
                found.append((key, total))
        for key, share in twohop.items():
            if share > 0 and key not in self.pairs:
                found.append((key, share))
        return found

    def pair(self, key: str) -> _Pair:
        """The node's three parts and all its evidence."""
        pair = self.pairs.get(key)
        if pair is None:
            pair = _Pair()
        shares: list[tuple[float, Callable[[], Spot], str]] = []
        for via in self.vias:
            weight = via.associations.weights.get(key)
            if weight is not None and key not in via.skip:
                shares.append((via.lead * weight / via.spread,
                               functools.partial(via.associations.spot, key), via.label))
        return _Pair(pair.direct, pair.cocitation, self.twohop.get(key, 0.0), pair.evidence,
                     shares)


def related(vault: Vault, name: str, *, top: int | None = 20,
            exclude_folder: str | Sequence[str] = (), exclude_tag: str | Sequence[str] = (),
            unlinked_only: bool = False, weights: Weights = DEFAULT_WEIGHTS) -> pd.DataFrame:
    """Notes and entities related to ``name``, best first, each with its reasons.

    ``exclude_folder``/``exclude_tag`` drop matching notes both from the results and as
    evidence; ``unlinked_only`` keeps only those not yet linked either way.

    >>> related(vault, "NVIDIA", top=2)["name"].tolist()
    ['Sector Rotation', 'Microsoft']
    """
    import pandas as pd

    index = mention_lookup(vault)
    subject = find_node(vault, name)
    excluded = excluded_notes(vault, _as_tuple(exclude_folder), _as_tuple(exclude_tag))
    rows = related_rows(index, subject, excluded, top=top, unlinked_only=unlinked_only,
                        weights=weights)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def related_rows(index: Lookup, subject: str, excluded: set[str], *, top: int | None = 20,
                 unlinked_only: bool = False, weights: Weights = DEFAULT_WEIGHTS
                 ) -> list[dict[str, Any]]:
    """The rows of :func:`related` for the node key ``subject``, as plain dicts, leaving
    out the notes ``excluded`` (the subject itself always stays)."""
    excluded = excluded - {subject}
    # Scoring makes many small objects and no cycles; see gc_paused.
    with gc_paused():
        scores = _score(index, subject, weights, frozenset(excluded))
        rows: list[dict[str, Any]] = []
        for key in _ranked(scores.totals(), index.label):
            pair = scores.pair(key)
            linked = pair.direct > 0
            if unlinked_only and linked:
                continue
            evidence = _leaders_first(pair.all_evidence(shown=EVIDENCE_SHOWN))
            rows.append({
                "name": index.label(key), "path": index.path(key),
                "score": round(pair.total, 6),
                "direct": round(pair.direct, 6), "cocitation": round(pair.cocitation, 6),
                "twohop": round(pair.twohop, 6), "linked": linked,
                "explanation": "; ".join(_unique(e.describe() for e in evidence[:4])),
                "evidence": [e.to_dict() for e in evidence[:EVIDENCE_SHOWN]],
            })
            if top is not None and len(rows) >= top:
                break
        return rows


def _ranked(totals: list[tuple[str, float]], label: Callable[[str], str]) -> Iterator[str]:
    """Best total first, ties by name then key; names are looked up only for the ties
    read, as a query scores thousands of nodes and shows twenty."""
    by_total = sorted(totals, key=itemgetter(1), reverse=True)
    for _, tied in itertools.groupby(by_total, key=itemgetter(1)):
        for key, _ in sorted(tied, key=lambda kv: (label(kv[0]).casefold(), kv[0])):
            yield key


def score_pairs(index: Lookup, subject: str, weights: Weights = DEFAULT_WEIGHTS,
                excluded: frozenset[str] = frozenset()) -> dict[str, _Pair]:
    """The three score parts (already weighted) for every node related to ``subject``.

    This is the engine under :func:`related`; the evaluation harness calls it directly.
    """
    scores = _score(index, subject, weights, excluded)
    return {key: scores.pair(key) for key, _ in scores.totals()}


def _score(index: Lookup, subject: str, weights: Weights, excluded: frozenset[str]
           ) -> _Scores:
    scores = _Scores()
    if isinstance(index, StoredLookup):  # the notes co-citing the subject, read at once
        index.read_citing({o.source for o in index.by_target.get(subject, ())})
    pairs = scores.pairs
    # One point per direction: a note linking NVIDIA five times is still one link.
    for occurrences, kind in ((index.by_source.get(subject, ()), "link"),
                              (index.by_target.get(subject, ()), "backlink")):
        seen: set[str] = set()
        for occ in occurrences:
            key = occ.target if kind == "link" else occ.source
            if not _candidate(index, key, subject, excluded):
                continue
            pair = pairs.get(key)
            if pair is None:
                pair = pairs[key] = _Pair()
            if key not in seen:
                seen.add(key)
                pair.direct += weights.direct
            pair.evidence.append(Evidence(kind, occ.source, occ.line, weights.direct))
    for key, (weight, evidence) in cocitations(index, subject, weights, excluded).items():
        pair = pairs.get(key)
        if pair is None:
            pair = pairs[key] = _Pair()
        pair.cocitation = weights.cocitation * weight
        pair.evidence.extend(
            Evidence(e.kind, e.path, e.line, weights.cocitation * e.weight) for e in evidence)
    if weights.twohop > 0:
        _two_hop(index, subject, weights, excluded, scores)
    return scores


def cocitations(index: Lookup, subject: str, weights: Weights,
                excluded: frozenset[str]) -> dict[str, tuple[float, list[Evidence]]]:
    """Co-citation of ``subject`` with every node cited alongside it: the summed weight
    and one piece of evidence (the closest spot) per co-citing note."""
    found: dict[str, tuple[float, list[Evidence]]] = {}
    for key, note, kind, line, score in _cocited(index, subject, weights, excluded):
        previous, evidence = found.get(key, (0.0, []))
        evidence.append(Evidence(kind, note, line, score))
        found[key] = (previous + score, evidence)
    return found


def _cocited(index: Lookup, subject: str, weights: Weights, excluded: frozenset[str]
             ) -> Iterator[tuple[str, str, str, int, float]]:
    """Each node co-cited with ``subject`` in each note citing both: ``(node, note,
    proximity, line, score)``, at the closest spot, scored with the note's discount and
    the pair's further co-occurrences there."""
    by_note: dict[str, list[Occurrence]] = defaultdict(list)
    for occ in index.by_target.get(subject, ()):
        if occ.source not in excluded:
            by_note[occ.source].append(occ)
    levels = weights.levels()
    for note, subject_occs in by_note.items():
        scale = max(index.cited.get(note, 1), 1) ** -weights.discount
        best: dict[str, tuple[float, str, int]] = {}
        total: dict[str, float] = {}
        rows = index.citing.get(note, ())
        # Unpacked, not read by field name: this loop sees ~40,000 rows on a big vault.
        for (key, line, _, _, _, _, _), kind in zip(rows, proximities(subject_occs, rows),
                                                    strict=True):
            if key == subject or key in excluded:
                continue
            weight = levels[kind]
            total[key] = total.get(key, 0.0) + weight
            if weight > best.get(key, _NOTHING)[0]:
                best[key] = (weight, kind, line)
        for key, (weight, kind, line) in best.items():
            yield key, note, kind, line, scale * (weight + weights.repeat * (total[key] - weight))


#: What a node not yet seen in a note compares as.
_NOTHING = (-1.0, "", 0)


def _two_hop(index: Lookup, subject: str, weights: Weights, excluded: frozenset[str],
             scores: _Scores) -> None:
    """Resource allocation: the subject's association spreads through each neighbour,
    which shares it out in proportion to its own associations."""
    first = _associations(index, subject, weights, excluded)
    citers = {o.source for o in index.by_target.get(subject, ())}
    strongest = sorted(first.items(), key=lambda kv: (-kv[1][0], kv[0]))[:weights.via_limit]
    hub_degree = max(weights.hub_factor * index.median_degree(), 10.0)
    vias = [(via, strength) for via, (strength, _) in strongest
            if index.degree(via) <= hub_degree]
    twohop = scores.twohop
    seconds = _associations_of(index, [via for via, _ in vias], weights, excluded)
    for (via, strength), second in zip(vias, seconds, strict=True):
        # A note citing both the subject and a node is a co-citer, counted already.
        cites = second.cites
        skip = {subject, *cites} if via in citers else {subject}
        # Nor is a co-citer reached back through a node it is linked with either way: its
        # own co-citation would flow round to it a second time.
        skip.update([key for key in citers if key in second.weights and key not in skip and (
            key in cites or key in second.linked_from)])
        via_share = _Via(index.label(via), weights.twohop * strength,
                         sum(second.weights.values()) ** weights.spread, second, skip)
        scores.vias.append(via_share)
        _share_out(twohop, second.weights, skip, via_share.lead, via_share.spread)


def _share_out(twohop: dict[str, float], weights: dict[str, float], skip: set[str],
               lead: float, spread: float) -> None:
    """Add ``lead * weight / spread`` to the two-hop sum of each node in ``weights`` but
    ``skip``'s, in order, by C loops (40,000 shares at 10,000 notes)."""
    shared = dict(weights)
    for key in skip:
        shared.pop(key, None)
    keys = list(shared)
    shares = map(truediv, map(mul, repeat(lead), shared.values()), repeat(spread))
    twohop.update(zip(keys, map(add, map(twohop.get, keys, repeat(0.0)), shares),
                      strict=True))


def _associations_of(index: Lookup, nodes: list[str], weights: Weights,
                     excluded: frozenset[str]) -> list[Associations]:
    """The associations of each of ``nodes``: read at once from the index's tables (one
    read for sixty nodes' co-citations), else from the in-memory lookup (and its cache)."""
    if isinstance(index, StoredLookup):
        return read_associations(index, nodes, Scoring(weights.levels(), weights.repeat,
                                                       weights.discount), excluded)
    found = []
    for node in nodes:
        associated = _associations(index, node, weights, excluded)
        found.append(Associations(
            {key: weight for key, (weight, _) in associated.items()},
            frozenset(o.target for o in index.citing.get(node, ())),
            frozenset(o.source for o in index.by_target.get(node, ())
                      if o.source not in excluded),
            functools.partial(_spot, associated)))
    return found


def _spot(associated: dict[str, tuple[float, Spot]], key: str) -> Spot:
    return associated[key][1]


def _associations(index: Lookup, node: str, weights: Weights,
                  excluded: frozenset[str]) -> dict[str, tuple[float, Spot]]:
    """Direct links (one point a direction) plus co-citations of ``node``, each with the
    spot of its strongest evidence; cached on the index, as two-hop asks for the same
    nodes again."""
    kept = cast(dict[object, dict[str, tuple[float, Spot]]],
                index.memo.setdefault("associations", {}))
    memo_key = (node, weights, excluded)
    cached = kept.pop(memo_key, None)
    if cached is not None:
        kept[memo_key] = cached  # the most recently used last
        return cached
    found: dict[str, tuple[float, Spot]] = {}
    for cited in index.citing.get(node, ()):
        if cited.target not in excluded and cited.target not in found and cited.target != node:
            found[cited.target] = (1.0, (node, cited.line))
    seen: set[str] = set()
    for occ in index.by_target.get(node, ()):
        if occ.source not in excluded and occ.source not in seen:
            seen.add(occ.source)
            weight, first = found.get(occ.source, (0.0, (occ.source, occ.line)))
            found[occ.source] = (weight + 1.0, first)
    # Summed here, not through cocitations(): only each node's closest spot is kept, so
    # there is no list of evidence to make for each of them.
    # Each node's [summed score, closest score, its note, its line].
    cocited: dict[str, list[Any]] = {}
    for key, note, _, line, score in _cocited(index, node, weights, excluded):
        summed = cocited.get(key)
        if summed is None:
            cocited[key] = [0.0 + score, score, note, line]
        else:
            summed[0] += score
            if score > summed[1]:
                summed[1:] = score, note, line
    for key, (weight, _, note, line) in cocited.items():
        previous, first = found.get(key, (0.0, (note, line)))
        found[key] = (previous + weight, first)
    kept[memo_key] = found
    if len(kept) > ASSOCIATIONS_KEPT:
        del kept[next(iter(kept))]  # the least recently used
    return found


def _candidate(index: Lookup, key: str, subject: str, excluded: frozenset[str]) -> bool:
    return key != subject and key not in excluded and index.kinds.get(key) != "attachment"


def _as_tuple(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _leaders_first(evidence: list[Evidence]) -> list[Evidence]:
    """The strongest piece of each part (direct, co-citation, two-hop) first, then the rest
    by weight: a direct link must not crowd the shared table row out of the explanation."""
    ranked = sorted(evidence, key=lambda e: (-e.weight, e.path or "", e.line or 0))
    leaders: dict[str, Evidence] = {}
    for item in ranked:
        part = "direct" if item.kind in ("link", "backlink") else \
            "twohop" if item.via is not None else "cocitation"
        leaders.setdefault(part, item)
    first = [leaders[p] for p in ("direct", "cocitation", "twohop") if p in leaders]
    return first + [e for e in ranked if all(e is not f for f in first)]


def _unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
