"""The link graph and the mentions table it is built from; exports round-trip."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli
from vaultkit.vault import Vault
from vaultkit.views.graph import export_graph
from vaultkit.views.mentions import COLUMNS, mention_columns, mention_table


def make_vault(root: Path, files: dict[str, str]) -> Vault:
    return Vault.load(write_files(root, files))


FILES = {
    "Themes/Rotation.md": (
        "---\ntags: [macro]\nup: \"[[Index]]\"\n---\n"
        "# Rotation\n\n"
        "## Peers\n\n"
        "| Stock | Note |\n|---|---|\n"
        "| [[NVIDIA]] | shorted with [[palantir\\|PLTR]] |\n\n"
        "See [[Index#Top|the index]] and ![[chart.png]] and [more](Index.md).\n"
        "Back to [[Rotation]] and [[#Peers]].\n"
    ),
    "Index.md": "# Index\n\n- [[Rotation]]\n- [[Palantir]]\n",
    "Lonely.md": "# Lonely\n\nNo links here.\n",
    "chart.png": "png",
}


def test_nodes_are_keyed_by_path_or_normalised_name(tmp_path: Path) -> None:
    graph = make_vault(tmp_path, FILES).graph
    assert graph.nodes["Themes/Rotation.md"] == {
        "kind": "note", "title": "Rotation", "tags": ["macro"], "folder": "Themes",
        "exists": True}
    assert graph.nodes["chart.png"]["kind"] == "attachment"
    # Unresolved targets are ghost nodes; the first spelling seen (Index.md comes first in
    # path order) is the title, later "palantir" joins the same node.
    assert graph.nodes["palantir"] == {"kind": "entity", "title": "Palantir", "tags": [],
                                       "folder": "", "exists": False}
    assert graph.nodes["nvidia"]["title"] == "NVIDIA"
    assert "Lonely.md" in graph


def test_edges_carry_kind_line_subpath_and_context(tmp_path: Path) -> None:
    graph = make_vault(tmp_path, FILES).graph
    edges = sorted(((t, d["kind"], d["line"]) for _, t, d in
                    graph.out_edges("Themes/Rotation.md", data=True)), key=str)
    assert edges == [("Index.md", "frontmatter link", 3), ("Index.md", "link", 13),
                     ("Index.md", "markdown link", 13), ("chart.png", "embed", 13),
                     ("nvidia", "link", 11), ("palantir", "link", 11)]
    row = next(iter(graph.get_edge_data("Themes/Rotation.md", "palantir").values()))
    assert row["section"] == "Rotation > Peers"
    assert row["block"] == "table_row"
    assert row["column"] == "Note"
    assert row["display"] == "PLTR"
    heading = next(d for d in graph.get_edge_data("Themes/Rotation.md", "Index.md").values()
                   if d["kind"] == "link")
    assert heading["heading"] == "Top"
    assert heading["display"] == "the index"


def test_self_links_are_skipped(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, FILES)
    assert not vault.graph.has_edge("Themes/Rotation.md", "Themes/Rotation.md")
    assert not (vault.mentions["source"] == vault.mentions["target"]).any()


def test_mentions_table_is_in_path_then_line_order(tmp_path: Path) -> None:
    frame = make_vault(tmp_path, FILES).mentions
    assert tuple(frame.columns) == COLUMNS
    assert list(zip(frame["source"], frame["line"], strict=True)) == [
        ("Index.md", 3), ("Index.md", 4),
        ("Themes/Rotation.md", 3), ("Themes/Rotation.md", 11), ("Themes/Rotation.md", 11),
        ("Themes/Rotation.md", 13), ("Themes/Rotation.md", 13), ("Themes/Rotation.md", 13)]
    # The table's first line identifies it, so "same table" can be told apart.
    assert frame.loc[frame["target"] == "nvidia", "table"].tolist() == [9]
    assert frame.loc[frame["target"] == "nvidia", "resolved"].isna().all()


def test_rows_of_the_mentions_table_read_like_the_whole_table(tmp_path: Path) -> None:
    # Queries read a few rows (one note's span, or rows scattered over notes) without
    # making the whole table; every way of reading must agree with the whole table,
    # also around the self link dropped from the middle of Rotation.md.
    files = {**FILES, "Zed.md": "[[Lonely]] [[Zed]] [[Index]]\n"}
    whole_vault = make_vault(tmp_path, files)
    whole, frame = mention_columns(whole_vault), whole_vault.mentions
    assert whole["target"][-2:] == ["Lonely.md", "Index.md"]  # [[Zed]] in Zed.md dropped
    for rows in ([], [0], range(2, 8), range(3, 5), range(1, 9), [9, 0, 4, 4], range(10)):
        table = mention_table(Vault.load(tmp_path))  # nothing made yet
        assert len(table) == len(whole["source"]) == 10
        expected = [[whole[name][i] for i in rows] for name in COLUMNS]
        assert table.gather(COLUMNS, rows) == expected, rows
        assert table.frame(rows).equals(frame.iloc[list(rows)].reset_index(drop=True))


def test_empty_vault_has_an_empty_graph(tmp_path: Path) -> None:
    vault = Vault.load(tmp_path)
    assert vault.mentions.empty
    assert vault.graph.number_of_nodes() == 0


def test_graphml_round_trips_through_networkx(tmp_path: Path) -> None:
    graph = make_vault(tmp_path, FILES).graph
    back = nx.read_graphml(io.StringIO(export_graph(graph, "graphml")), force_multigraph=True)
    assert sorted(back.nodes) == sorted(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["Themes/Rotation.md"]["tags"] == "macro"
    assert back.nodes["nvidia"]["exists"] is False
    lines = sorted(d["line"] for _, _, d in back.edges(data=True))
    assert lines == sorted(d["line"] for _, _, d in graph.edges(data=True))


def test_gexf_json_and_csv_exports(tmp_path: Path) -> None:
    graph = make_vault(tmp_path, FILES).graph
    gexf = nx.read_gexf(io.StringIO(export_graph(graph, "gexf")))
    assert gexf.number_of_nodes() == graph.number_of_nodes()
    data = json.loads(export_graph(graph, "json"))
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert len(data["links"]) == graph.number_of_edges()
    rows = export_graph(graph, "csv").splitlines()
    assert rows[0].startswith("source,target,target_title,kind,line")
    assert len(rows) == 1 + graph.number_of_edges()


def test_graph_command_writes_the_file(tmp_path: Path) -> None:
    make_vault(tmp_path / "v", FILES)
    out = tmp_path / "g.graphml"
    result = CliRunner().invoke(cli, ["--vault", str(tmp_path / "v"), "graph", "--format",
                                      "graphml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() == 6
    printed = CliRunner().invoke(cli, ["--vault", str(tmp_path / "v"), "graph", "--format",
                                       "json"])
    assert json.loads(printed.output)["directed"] is True
