"""Whole-graph questions: which nodes are hubs, and how two nodes are connected."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from vaultkit.queries.chain import shortest_chain
from vaultkit.queries.lookup import Lookup, distinct, find_node, mention_lookup
from vaultkit.vault import Vault

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

HUB_COLUMNS = ("name", "path", "kind", "in_degree", "out_degree", "degree", "pagerank")
PATH_COLUMNS = ("step", "from", "to", "direction", "path", "line", "kind", "occurrences")


def pagerank(nodes: Sequence[str], edges: Iterable[tuple[str, str]],
             personal: Mapping[str, float] | None = None, alpha: float = 0.85,
             tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank by power iteration over distinct edges (numpy, no scipy needed).

    Dangling nodes hand their rank out by the personalisation vector, as networkx does;
    with ``personal`` set this is personalised PageRank.
    """
    import numpy as np

    position = {node: i for i, node in enumerate(nodes)}
    size = len(position)
    if size == 0:
        return {}
    coded = np.fromiter((position[a] * size + position[b] for a, b in edges if a != b),
                        dtype=np.int64)
    teleport = None
    if personal:
        teleport = np.zeros(size)
        for node, weight in personal.items():
            teleport[position[node]] = weight
        teleport /= teleport.sum()
    rank = coded_pagerank(size, distinct(coded), teleport, alpha, tol, max_iter)
    return {node: float(rank[i]) for node, i in position.items()}


def coded_pagerank(size: int, coded: npt.NDArray[np.int64],
                   teleport: npt.NDArray[np.float64] | None = None, alpha: float = 0.85,
                   tol: float = 1e-10, max_iter: int = 200) -> npt.NDArray[np.float64]:
    """:func:`pagerank` of ``size`` nodes numbered from 0, its distinct edges ascending
    ``coded`` as ``source * size + target`` (no self loops); ``teleport`` sums to 1."""
    import numpy as np

    src, dst = coded // size, coded % size
    out = np.bincount(src, minlength=size).astype(float)
    if teleport is None:
        teleport = np.full(size, 1.0 / size)
    dangling = out == 0
    rank = teleport.copy()
    for _ in range(max_iter):
        share = np.divide(rank, out, out=np.zeros(size), where=~dangling)
        spread = np.bincount(dst, weights=share[src], minlength=size)
        new = alpha * spread + (alpha * rank[dangling].sum() + 1 - alpha) * teleport
        done = float(np.abs(new - rank).sum()) < size * tol
        rank = new
        if done:
            break
    return rank


def hubs(vault: Vault, top: int | None = 20) -> pd.DataFrame:
    """The most connected notes and entities: distinct links in and out, and PageRank over
    the link graph (attachments left out), highest PageRank first."""
    import pandas as pd

    records = hub_rows(vault)
    return pd.DataFrame(records[:top] if top is not None else records,
                        columns=list(HUB_COLUMNS))


def hub_rows(vault: Vault) -> list[dict[str, object]]:
    """Every row of :func:`hubs` (no top), as plain dicts."""
    index = mention_lookup(vault)
    nodes = sorted(k for k, kind in index.kinds.items() if kind != "attachment")
    wanted = set(nodes)
    cited = {s: [t for t in targets if t in wanted] for s, targets in index.targets.items()}
    return rank_hubs(nodes, cited, index.kinds.__getitem__, index.label, index.degree)


def rank_hubs(nodes: list[str], cited: Mapping[str, Sequence[str]],
              kind: Callable[[str], str], label: Callable[[str], str],
              degree: Callable[[str], int]) -> list[dict[str, object]]:
    """The rows of :func:`hubs` for the graph of ``nodes`` (sorted, attachments left out),
    ``cited`` holding what each note links to (among ``nodes``; none itself, a node any
    number of times); ``degree`` counts a node's neighbours, attachments included."""
    import numpy as np

    size = len(nodes)
    if size == 0:
        return []
    position = {node: i for i, node in enumerate(nodes)}
    number = position.__getitem__
    counts = [len(targets) for targets in cited.values()]
    # Numbered in C: three million edges at 100,000 notes.
    src = np.repeat(np.fromiter(map(number, cited), dtype=np.int64, count=len(cited)), counts)
    dst = np.fromiter(map(number, itertools.chain.from_iterable(cited.values())),
                      dtype=np.int64, count=sum(counts))
    coded = distinct(src * size + dst)
    ranks = coded_pagerank(size, coded).tolist()
    outgoing = np.bincount(coded // size, minlength=size).tolist()
    incoming = np.bincount(coded % size, minlength=size).tolist()
    order = sorted(range(size), key=lambda i: (-ranks[i], -degree(nodes[i]),
                                               label(nodes[i]).casefold()))
    return [{
        "name": label(k), "path": None if kind(k) == "entity" else k, "kind": kind(k),
        "in_degree": incoming[i], "out_degree": outgoing[i],
        "degree": degree(k), "pagerank": round(ranks[i], 6),
    } for i in order for k in (nodes[i],)]


def path(vault: Vault, start: str, end: str) -> pd.DataFrame:
    """The shortest chain of links (either direction) from ``start`` to ``end``, one row per
    hop with the link that makes it: ``→`` when the hop's first node links the second.

    Empty when the two are not connected.
    """
    import pandas as pd

    index = mention_lookup(vault)
    a, b = find_node(vault, start), find_node(vault, end)
    return pd.DataFrame(path_rows(index, a, b), columns=list(PATH_COLUMNS))


def path_rows(index: Lookup, a: str, b: str) -> list[dict[str, object]]:
    """The rows of :func:`path` between the node keys ``a`` and ``b``, as plain dicts."""
    nodes = shortest_chain(index, a, b)
    hops = enumerate(itertools.pairwise(nodes), start=1)
    return [_hop(index, step, u, v) for step, (u, v) in hops]


def _hop(index: Lookup, step: int, u: str, v: str) -> dict[str, object]:
    forward = [o for o in index.by_source.get(u, ()) if o.target == v]
    backward = [o for o in index.by_source.get(v, ()) if o.target == u]
    found = forward or backward
    first = found[0]
    return {"step": step, "from": index.label(u), "to": index.label(v),
            "direction": "→" if forward else "←", "path": first.source, "line": first.line,
            "kind": first.kind, "occurrences": len(found)}
