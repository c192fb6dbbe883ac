"""The vault as a networkx ``MultiDiGraph``, and its exports for Gephi, D3 and spreadsheets.

Nodes are keyed by vault path (notes, attachments) or by normalised name (unresolved link
targets: Obsidian's ghost nodes, which in a research vault are the companies and tickers).
One edge per link occurrence, built from :attr:`Vault.mentions`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from vaultkit.vault import Vault

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv")

#: Edge attributes copied from the mentions table, in export order.
EDGE_ATTRIBUTES = ("kind", "line", "heading", "block_id", "display", "section", "block",
                   "block_line", "sentence", "column")


def build_graph(vault: Vault) -> nx.MultiDiGraph[str]:
    """Build the link graph of ``vault``; self links are skipped.

    >>> g = vault.graph
    >>> g.nodes["Entities/NVIDIA.md"]["kind"], g.in_degree("Entities/NVIDIA.md") > 10
    ('note', True)
    >>> g.nodes["europe"]["kind"]   # an unresolved link target is an entity node
    'entity'
    """
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for path, note in vault.notes.items():
        graph.add_node(path, kind="note", title=note.title, tags=list(note.tags),
                       folder=note.folder, exists=True)
    for path in vault.attachments:
        graph.add_node(path, kind="attachment", title=path.rsplit("/", 1)[-1], tags=[],
                       folder=path.rsplit("/", 1)[0] if "/" in path else "", exists=True)
    for row in vault.mentions.to_dict("records"):
        source, target = str(row["source"]), str(row["target"])
        if target not in graph:
            # First-seen spelling names the ghost node, as Obsidian shows it.
            graph.add_node(target, kind=row["target_kind"], title=row["target_name"], tags=[],
                           folder="", exists=False)
        graph.add_edge(source, target, **{name: _plain(row[name]) for name in EDGE_ATTRIBUTES})
    return graph


def _plain(value: Any) -> Any:
    """numpy scalars and pandas NA become plain Python values (None for missing)."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def export_graph(graph: nx.MultiDiGraph[str], fmt: str) -> str:
    """The graph as text in ``fmt``: graphml, gexf, json (node-link, for D3) or csv (edges).

    GraphML and GEXF hold only scalar attributes, so tags become a comma-separated string
    and missing values are left out.
    """
    import networkx as nx

    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "csv":
        return _edge_csv(graph)
    if fmt not in ("graphml", "gexf"):
        raise ValueError(f"unknown graph format {fmt!r}; choose from {EXPORT_FORMATS}")
    flat = _scalar_copy(graph)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buffer)
    else:
        nx.write_gexf(flat, buffer)
    return buffer.getvalue().decode("utf-8")


def write_graph(graph: nx.MultiDiGraph[str], fmt: str, out: str | Path) -> None:
    """Write :func:`export_graph` output to the file ``out``."""
    Path(out).write_text(export_graph(graph, fmt), encoding="utf-8")


def _scalar_copy(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    import networkx as nx

    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        flat.add_node(node, **_scalars(attrs))
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, **_scalars(attrs))
    return flat


def _scalars(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in attrs.items():
        if value is None:
            continue
        out[name] = ",".join(value) if isinstance(value, (list, tuple)) else value
    return out


def _edge_csv(graph: nx.MultiDiGraph[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "target", "target_title", *EDGE_ATTRIBUTES])
    for source, target, attrs in graph.edges(data=True):
        title = graph.nodes[target].get("title", target)
        writer.writerow([source, target, title,
                         *("" if attrs.get(a) is None else attrs[a] for a in EDGE_ATTRIBUTES)])
    return buffer.getvalue()
