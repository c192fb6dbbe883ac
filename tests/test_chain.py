"""``path``'s chain, searched from both ends, is the one breadth-first search from the start
finds (neighbours in sorted order, a node's parent its first discoverer) on any graph:
checked against that search, written out here, on random graphs full of equally short
chains."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultkit.queries.chain import shortest_chain
from vaultkit.queries.lookup import Lookup


@dataclass
class Graph:
    """What the search reads of a lookup: the nodes and each one's neighbours."""

    kinds: dict[str, str] = field(default_factory=dict)
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)

    def read_neighbours(self, keys: object) -> None:
        """All in memory."""


def graph(size: int, edges: list[tuple[int, int]]) -> Graph:
    found: dict[str, set[str]] = {}
    for x, y in edges:
        if x != y:
            found.setdefault(f"n{x:02}", set()).add(f"n{y:02}")
            found.setdefault(f"n{y:02}", set()).add(f"n{x:02}")
    return Graph({f"n{i:02}": "note" for i in range(size)},
                 {node: frozenset(others) for node, others in found.items()})


def breadth_first(g: Graph, a: str, b: str) -> list[str]:
    """The search ``path`` promises, over the whole graph."""
    if a not in g.kinds or b not in g.kinds:
        return []
    parents: dict[str, str | None] = {a: None}
    frontier = [a]
    while frontier and b not in parents:
        following = []
        for node in frontier:
            for other in sorted(g.neighbours.get(node, ())):
                if other not in parents:
                    parents[other] = node
                    following.append(other)
        frontier = following
    if b not in parents:
        return []
    chain = [b]
    while (parent := parents[chain[-1]]) is not None:
        chain.append(parent)
    return chain[::-1]


GRAPHS = st.integers(min_value=1, max_value=24).flatmap(lambda size: st.tuples(
    st.just(size),
    st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=60),
    st.integers(0, size - 1), st.integers(0, size - 1)))


@settings(max_examples=1500, deadline=None)
@given(GRAPHS)
def test_the_chain_is_breadth_first_searchs(case: tuple[int, list[tuple[int, int]], int, int]
                                            ) -> None:
    size, edges, x, y = case
    g = graph(size, edges)
    a, b = f"n{x:02}", f"n{y:02}"
    assert shortest_chain(cast(Lookup, g), a, b) == breadth_first(g, a, b)


def test_of_two_chains_the_first_discoverers_not_the_first_names() -> None:
    # a's neighbours sorted are [m, n]; n reaches c, m reaches z; both reach b. The search
    # from a reaches z (through m) before c (through n), so b's parent is z.
    g = Graph({k: "note" for k in "abcmnz"}, {
        "a": frozenset("mn"), "m": frozenset("az"), "n": frozenset("ac"),
        "z": frozenset("mb"), "c": frozenset("nb"), "b": frozenset("zc")})
    assert shortest_chain(cast(Lookup, g), "a", "b") == ["a", "m", "z", "b"]
    assert shortest_chain(cast(Lookup, g), "b", "a") == ["b", "c", "n", "a"]
    assert shortest_chain(cast(Lookup, g), "a", "a") == ["a"]
    assert shortest_chain(cast(Lookup, g), "a", "nowhere") == []
