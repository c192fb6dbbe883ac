"""The shortest chain of links between two nodes, the one breadth-first search picks,
found by searching from both ends.

``path`` promises one of several equally short chains, the same on every run: the one a
breadth-first search from the start finds, reading each node's neighbours in sorted order
(a node's parent is the first node of the level before it that neighbours it). That search
reads ever wider levels of the graph: four hops reach most of a 100,000-note vault, and
reading them took half a minute. Searching from both ends instead, always widening the
smaller frontier, meets in the middle having read far less. The chain the one-sided search
would pick is then picked among the nodes on shortest chains only: a node's first
discoverer, and every node the search would reach it through, is on a shortest chain too
(one link closer to the start than a node that is).
"""

from __future__ import annotations

from vaultkit.queries.lookup import Lookup


def shortest_chain(index: Lookup, a: str, b: str) -> list[str]:
    """The nodes of the chain from ``a`` to ``b`` (links either way), ``[]`` when they are
    not connected (or either is no node)."""
    if a not in index.kinds or b not in index.kinds:
        return []
    if a == b:
        return [a]
    start, end = _Search(index, a), _Search(index, b)
    while True:
        side, other = (start, end) if len(start.frontier) <= len(end.frontier) else (end, start)
        found = side.widen()
        if not found:
            return []  # one end's part of the graph is all read: the other is not in it
        if any(node in other.distance for node in found):
            break
    return _first_chain(index, a, b, _on_shortest_chains(index, start, end))


class _Search:
    """Breadth-first search from one node: every node reached, with its distance, by level."""

    def __init__(self, index: Lookup, node: str) -> None:
        self.index = index
        self.distance = {node: 0}
        self.levels = [[node]]

    @property
    def frontier(self) -> list[str]:
        return self.levels[-1]

    def widen(self) -> list[str]:
        """Reach the next level: every node first reached from the frontier."""
        self.index.read_neighbours(self.frontier)  # one query for the level
        depth = len(self.levels)
        found: list[str] = []
        for node in self.frontier:
            for other in self.index.neighbours.get(node, ()):
                if other not in self.distance:
                    self.distance[other] = depth
                    found.append(other)
        self.levels.append(found)
        return found


def _on_shortest_chains(index: Lookup, start: _Search, end: _Search) -> list[set[str]]:
    """The nodes on shortest chains, by distance from the start, once the searches met: at
    the start's last level, those the end's last level holds; before it, those linked to
    one of them a level on; after it (the end's levels), likewise, a level back."""
    ahead, behind = len(start.levels) - 1, len(end.levels) - 1
    length = ahead + behind
    middle = {node for node in start.levels[ahead] if end.distance.get(node) == behind}
    layers: list[set[str]] = [set() for _ in range(length + 1)]
    layers[ahead] = middle
    for level in range(ahead - 1, -1, -1):
        layers[level] = _linked_to(index, start.levels[level], layers[level + 1])
    for level in range(ahead + 1, length + 1):
        layers[level] = _linked_to(index, end.levels[length - level], layers[level - 1])
    return layers


def _linked_to(index: Lookup, nodes: list[str], layer: set[str]) -> set[str]:
    """Those of ``nodes`` (their neighbours already read) linked to a node of ``layer``."""
    return {node for node in nodes if not layer.isdisjoint(index.neighbours.get(node, ()))}


def _first_chain(index: Lookup, a: str, b: str, layers: list[set[str]]) -> list[str]:
    """Breadth-first search from ``a`` among the nodes of ``layers`` only, neighbours in
    sorted order: each node's parent is the one the search over the whole graph gives it."""
    parents: dict[str, str | None] = {a: None}
    level = [a]
    for layer in layers[1:]:
        index.read_neighbours(level)
        following = []
        for node in level:
            for other in sorted(layer.intersection(index.neighbours.get(node, ()))):
                if other not in parents:
                    parents[other] = node
                    following.append(other)
        level = following
    chain = [b]
    while (parent := parents[chain[-1]]) is not None:
        chain.append(parent)
    return chain[::-1]
