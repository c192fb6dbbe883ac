"""Backlinks, links, unresolved, orphans, hubs, path and unlinked mentions, and their CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultkit.cli import cli
from vaultkit.queries import lookup  # no function of that name shadows it
from vaultkit.queries.links import backlinks, links, orphans, unresolved
from vaultkit.queries.structure import hubs, pagerank, path
from vaultkit.queries.unlinked import unlinked
from vaultkit.vault import Vault

FILES = {
    "A.md": "# A\n\n[[NVIDIA]] rallied.\n\n| Stock |\n|---|\n| [[nvidia]] |\n\nSee [[B]].\n",
    "Deep/B.md": "---\naliases: [Bee]\n---\n# B\n\nBack to [[A]] and [[Ghost]].\n",
    "C.md": "Mentions [[NVIDIA|Nvidia Corp]] once.\n",
    "Lonely.md": "Nothing links here, and [[Lonely]] links itself.\n",
    "Island.md": "[[Far]]\n",
}


def make_vault(root: Path, files: dict[str, str] = FILES) -> Vault:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return Vault.load(root)


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--vault", str(root), *args])
    return result.exit_code, result.output


def test_backlinks_list_every_note_and_line(tmp_path: Path) -> None:
    frame = backlinks(make_vault(tmp_path), "NVIDIA")
    assert frame[["path", "line", "count"]].values.tolist() == [
        ["A.md", 3, 2], ["A.md", 7, 2], ["C.md", 1, 1]]
    assert frame["block"].tolist() == ["paragraph", "table_row", "paragraph"]
    assert frame["column"].tolist()[1] == "Stock"
    assert frame["display"].tolist()[2] == "Nvidia Corp"


def test_backlinks_read_the_same_before_and_after_the_query_index_is_built(
        tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    before = backlinks(vault, "B")  # a note: no index needed, the target column is scanned
    assert lookup._build not in vault._derived
    hubs(vault)  # builds the index; backlinks now look rows up in it
    assert lookup._build in vault._derived
    assert backlinks(vault, "B").equals(before)
    assert before[["path", "line"]].values.tolist() == [["A.md", 9]]


def test_backlinks_of_a_note_by_alias(tmp_path: Path) -> None:
    frame = backlinks(make_vault(tmp_path), "Bee")
    assert frame[["path", "line"]].values.tolist() == [["A.md", 9]]


def test_links_in_document_order_with_resolution(tmp_path: Path) -> None:
    frame = links(make_vault(tmp_path), "B")
    assert frame["name"].tolist() == ["A", "Ghost"]
    assert frame["path"].tolist()[0] == "A.md"
    assert frame["target_kind"].tolist() == ["note", "entity"]
    assert frame["line"].tolist() == [6, 6]


def test_unresolved_counts_and_where(tmp_path: Path) -> None:
    frame = unresolved(make_vault(tmp_path))
    assert frame["name"].tolist() == ["NVIDIA", "Far", "Ghost"]
    first = frame.iloc[0]
    assert (first["count"], first["notes"]) == (3, 2)
    assert first["where"] == ["A.md:3", "A.md:7", "C.md:1"]


def test_orphans_ignore_self_links(tmp_path: Path) -> None:
    assert orphans(make_vault(tmp_path))["path"].tolist() == ["Lonely.md"]


def test_pagerank_by_hand() -> None:
    assert pagerank(["a", "b"], [("a", "b"), ("b", "a")]) == pytest.approx({"a": .5, "b": .5})
    # a -> b with b dangling: b's rank is spread evenly, so
    # r_a = 0.15/2 + 0.85 r_b/2 and r_b = 0.15/2 + 0.85 (r_a + r_b/2).
    ranks = pagerank(["a", "b"], [("a", "b")])
    assert ranks["a"] + ranks["b"] == pytest.approx(1.0)
    r_b = ranks["b"]
    assert ranks["a"] == pytest.approx(0.075 + 0.425 * r_b)
    assert r_b == pytest.approx(0.075 + 0.85 * ranks["a"] + 0.425 * r_b)
    personal = pagerank(["a", "b", "c"], [("a", "b"), ("b", "c")], personal={"a": 1.0})
    assert personal["a"] > personal["b"] > personal["c"] > 0


def test_hubs_report_degree_and_pagerank(tmp_path: Path) -> None:
    frame = hubs(make_vault(tmp_path), top=None)
    top = frame.iloc[0]
    assert top["name"] == "NVIDIA"
    assert (top["in_degree"], top["out_degree"], top["degree"]) == (2, 0, 2)
    assert frame["pagerank"].sum() == pytest.approx(1.0, abs=1e-4)
    assert "Lonely" in frame["name"].tolist()


def test_path_shows_each_hop_and_its_link(tmp_path: Path) -> None:
    frame = path(make_vault(tmp_path), "C", "Ghost")
    assert frame[["from", "to", "direction", "path", "line"]].values.tolist() == [
        ["C", "NVIDIA", "→", "C.md", 1],
        ["NVIDIA", "A", "←", "A.md", 3],
        ["A", "B", "→", "A.md", 9],
        ["B", "Ghost", "→", "Deep/B.md", 6]]
    assert frame["occurrences"].tolist() == [1, 2, 1, 1]


def test_no_path_is_a_finding(tmp_path: Path) -> None:
    make_vault(tmp_path)
    assert path(Vault.load(tmp_path), "A", "Far").empty
    code, output = invoke(tmp_path, "path", "A", "Far")
    assert code == 1
    assert "no path" in output


UNLINKED = {
    "Palantir.md": "---\naliases: [PLTR]\n---\nPalantir mentions itself.\n",
    "N.md": (
        "---\ntitle: Palantir notes\n---\n"
        "palantir rallied; PLTR too.\n"
        "[[Palantir]] is linked, [[Other|Palantir]] is a link's text.\n"
        "Palantirs and #palantir and https://x.com/palantir are not mentions.\n"
        "`Palantir` in code counts, as in Obsidian.\n"
    ),
}


def test_unlinked_mentions_follow_obsidian(tmp_path: Path) -> None:
    frame = unlinked(make_vault(tmp_path, UNLINKED), "Palantir")
    assert frame[["path", "line", "match"]].values.tolist() == [
        ["N.md", 4, "palantir"], ["N.md", 4, "PLTR"], ["N.md", 7, "Palantir"]]
    assert frame["linked"].all()


def test_unlinked_mentions_of_an_entity(tmp_path: Path) -> None:
    frame = unlinked(make_vault(tmp_path), "Ghost")
    assert frame.empty
    vault = make_vault(tmp_path / "v", {"A.md": "[[Ghost]]\n", "B.md": "A ghost story.\n"})
    assert unlinked(vault, "ghost")[["path", "line", "linked"]].values.tolist() == [
        ["B.md", 1, False]]


@pytest.mark.parametrize("command", [
    ["backlinks", "NVIDIA"], ["links", "A"], ["unresolved"], ["orphans"], ["hubs"],
    ["path", "A", "B"], ["unlinked", "A"], ["related", "A"],
])
def test_commands_print_json_and_csv(tmp_path: Path, command: list[str]) -> None:
    make_vault(tmp_path)
    code, output = invoke(tmp_path, *command, "--format", "json")
    assert code == 0, output
    assert isinstance(json.loads(output), list)
    code, output = invoke(tmp_path, *command, "--format", "csv")
    assert code == 0, output
    code, output = invoke(tmp_path, *command)
    assert code == 0, output


def test_backlinks_json_rows(tmp_path: Path) -> None:
    make_vault(tmp_path)
    code, output = invoke(tmp_path, "backlinks", "NVIDIA", "--format", "json")
    assert json.loads(output)[2] == {
        "path": "C.md", "line": 1, "count": 1, "kind": "link", "display": "Nvidia Corp",
        "section": "", "block": "paragraph", "column": None}
    code, output = invoke(tmp_path, "backlinks", "Nobody")
    assert code == 2


def test_backlinks_follow_the_linking_notes_folder_among_same_named_files(
        tmp_path: Path) -> None:
    for name, text in {"Plugins/Templates.md": "plugin docs\n",
                       "Clipper/Templates.md": "clipper docs\n",
                       "Plugins/Core plugins.md": "see [[Templates]]\n",
                       "Clipper/Guide.md": "see [[Templates]]\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    vault = Vault.load(tmp_path, cache=False)
    assert list(backlinks(vault, "Plugins/Templates.md")["path"]) == ["Plugins/Core plugins.md"]
    assert list(backlinks(vault, "Clipper/Templates.md")["path"]) == ["Clipper/Guide.md"]


def test_path_picks_the_same_chain_among_equal_ones_on_every_run(tmp_path: Path) -> None:
    # A → B → D and A → C → D are both shortest; the sorted-first neighbour (B) wins.
    for name, text in {"A.md": "[[C]] [[B]]\n", "B.md": "[[D]]\n", "C.md": "[[D]]\n",
                       "D.md": "end\n"}.items():
        (tmp_path / name).write_text(text)
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-m", "vaultkit", "--vault", str(tmp_path), "path", "A", "D",
             "--format", "json"], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert [hop["to"] for hop in json.loads(outputs.pop())] == ["B", "D"]
