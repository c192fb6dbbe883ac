"""``related``: proximity-weighted co-citation, hub discount, two-hop, filters, evidence.

Numbers are worked out by hand with the explicit weights ``W`` below, so retuning the
defaults does not change what these tests check.
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli
from vaultkit.queries.lookup import Occurrence
from vaultkit.queries.proximity import proximity
from vaultkit.queries.related import COLUMNS, Weights, related
from vaultkit.vault import Vault

ROOT = Path(__file__).resolve().parent.parent
W = Weights(direct=1.0, cocitation=1.0, twohop=0.0, sentence=1.0, paragraph=0.4, table=0.3,
            section=0.2, note=0.1, repeat=0.5, discount=0.5, spread=1.0)


def make_vault(root: Path, files: dict[str, str]) -> Vault:
    return Vault.load(write_files(root, files))


def by_name(frame: object) -> dict[str, dict[str, object]]:
    return {row["name"]: row for row in frame.to_dict("records")}  # type: ignore[attr-defined]


def _occ(block: str, block_line: int, sentence: int = 0, table: int | None = None,
         section: str = "A") -> Occurrence:
    return Occurrence("n.md", "t", block_line, "link", block, block_line, sentence, table,
                      section, None)


@pytest.mark.parametrize(("a", "b", "expected"), [
    (_occ("paragraph", 3), _occ("paragraph", 3), "same sentence"),
    (_occ("paragraph", 3), _occ("paragraph", 3, sentence=1), "same paragraph"),
    (_occ("list_item", 5), _occ("list_item", 5, sentence=2), "same list item"),
    (_occ("table_row", 9, table=7), _occ("table_row", 9, table=7), "same table row"),
    (_occ("table_row", 9, table=7), _occ("table_row", 10, table=7), "same table"),
    (_occ("paragraph", 3), _occ("paragraph", 12), "same section"),
    (_occ("paragraph", 3), _occ("paragraph", 12, section="B"), "same note"),
    (_occ("frontmatter", 1), _occ("frontmatter", 1), "same paragraph"),
])
def test_proximity_levels(a: Occurrence, b: Occurrence, expected: str) -> None:
    assert proximity(a, b) == expected


def test_same_table_row_ranks_above_same_section(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"Q.md": (
        "# Q\n\n## Peers\n\n| A | B |\n|---|---|\n| [[X]] | [[Row]] |\n\n"
        "Text about [[Sec]].\n")})
    rows = by_name(related(vault, "X", weights=W))
    # Q cites three things: each co-citation is scaled by 3 ** -0.5.
    assert rows["Row"]["cocitation"] == pytest.approx(1.0 / 3 ** 0.5, abs=1e-6)
    assert rows["Sec"]["cocitation"] == pytest.approx(0.2 / 3 ** 0.5, abs=1e-6)
    assert list(related(vault, "X", weights=W)["name"]) == ["Q", "Row", "Sec"]
    assert rows["Row"]["explanation"] == "Q.md:7 same table row"
    assert rows["Sec"]["explanation"] == "Q.md:9 same section"
    assert rows["Q"]["direct"] == 1.0
    assert rows["Q"]["linked"] is True
    assert rows["Row"]["linked"] is False


def test_notes_citing_many_things_count_for_less(tmp_path: Path) -> None:
    fillers = " ".join(f"[[F{i}]]" for i in range(14))
    vault = make_vault(tmp_path, {
        "Big.md": f"[[X]] and [[Y]] moved.\n\n{fillers}\n",
        "Small.md": "[[X]] and [[Z]] moved.\n",
    })
    rows = by_name(related(vault, "X", weights=W, top=None))
    assert rows["Z"]["cocitation"] == pytest.approx(2 ** -0.5, abs=1e-6)
    assert rows["Y"]["cocitation"] == pytest.approx(16 ** -0.5, abs=1e-6)
    undiscounted = by_name(related(vault, "X", weights=Weights(discount=0.0, twohop=0.0)))
    assert undiscounted["Y"]["cocitation"] == undiscounted["Z"]["cocitation"] == 1.0


def test_repeated_co_occurrence_adds_a_share(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"N.md": "[[X]] with [[Y]].\n\nLater [[Y]] again.\n"})
    # Closest spot 1.0 (same sentence), the second Y is in the same note's section: 0.2.
    expected = (1.0 + 0.5 * 0.2) / 2 ** 0.5
    assert by_name(related(vault, "X", weights=W))["Y"]["cocitation"] == \
        pytest.approx(expected, abs=1e-6)


def test_a_row_lists_its_ten_strongest_pieces_of_evidence(tmp_path: Path) -> None:
    # Y sits in X's sentence in two notes, and only in X's section in ten more.
    files = {f"S{i}.md": "[[X]] and [[Y]] together.\n" for i in range(2)}
    files.update({f"T{i:02}.md": "[[X]] here.\n\nAnd [[Y]] there.\n" for i in range(10)})
    row = by_name(related(make_vault(tmp_path, files), "X", top=None))["Y"]
    assert [(e["path"], e["kind"]) for e in row["evidence"]] == [
        ("S0.md", "same sentence"), ("S1.md", "same sentence"),
        *((f"T{i:02}.md", "same section") for i in range(8))]


def test_two_hop_through_a_shared_neighbour(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"A.md": "[[B]]\n", "B.md": "[[C]]\n"})
    weights = Weights(twohop=1.0, spread=1.0)
    rows = by_name(related(vault, "A", weights=weights))
    # A gives 1 to B; B's associations are C (link) and A (backlink): C gets 1 * 1 / 2.
    assert rows["C"]["twohop"] == pytest.approx(0.5)
    assert rows["C"]["explanation"] == "via [[B]]"
    assert rows["C"]["evidence"] == [{"kind": "via", "path": "B.md", "line": 1,
                                      "weight": 0.5}]
    assert rows["C"]["linked"] is False


def test_two_hop_skips_hubs(tmp_path: Path) -> None:
    fillers = " ".join(f"[[F{i}]]" for i in range(11))
    vault = make_vault(tmp_path, {"A.md": "[[H]]\n", "H.md": f"[[C]] {fillers}\n"})
    assert "C" not in set(related(vault, "A", weights=Weights(twohop=1.0))["name"])
    small = make_vault(tmp_path / "small", {"A.md": "[[H]]\n", "H.md": "[[C]] [[F1]]\n"})
    assert "C" in set(related(small, "A", weights=Weights(twohop=1.0))["name"])


def test_co_citers_are_not_counted_again_as_two_hop(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"N.md": "[[X]] and [[Y]].\n"})
    rows = by_name(related(vault, "X", weights=Weights(twohop=1.0)))
    assert rows["Y"]["twohop"] == 0.0
    assert rows["Y"]["cocitation"] > 0


def test_filters_apply_to_results_and_evidence(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {
        "Daily/d.md": "[[X]] and [[Y]].\n",
        "Notes/n.md": "---\ntags: [keep]\n---\n[[X]] and [[Z]].\n",
        "Notes/t.md": "---\ntags: [journal/work]\n---\n[[X]] and [[Tee]].\n",
    })
    everything = set(related(vault, "X", top=None)["name"])
    assert {"Y", "Z", "Tee", "d", "n", "t"} <= everything
    no_daily = set(related(vault, "X", top=None, exclude_folder="Daily/")["name"])
    assert "Y" not in no_daily and "d" not in no_daily and "Z" in no_daily
    no_journal = set(related(vault, "X", top=None, exclude_tag="#journal")["name"])
    assert "Tee" not in no_journal and "t" not in no_journal and "Y" in no_journal
    unlinked = set(related(vault, "X", top=None, unlinked_only=True)["name"])
    assert unlinked == {"Y", "Z", "Tee"}


def test_unknown_name_is_an_input_error(tmp_path: Path) -> None:
    make_vault(tmp_path, {"A.md": "[[B]]\n"})
    result = CliRunner().invoke(cli, ["--vault", str(tmp_path), "related", "Nope"])
    assert result.exit_code == 2
    assert "Nope" in result.output


def _seed_vault(tmp_path: Path) -> Path:
    seed = ROOT / "tests" / "data" / "seed" / "Sector Rotation.md"
    if not seed.exists():
        seed = next((ROOT.parent / "shared" / "seeds").glob("001_*.txt"))
    shutil.copy(seed, tmp_path / "Sector Rotation.md")
    return tmp_path


def test_seed_related_nvidia_lists_palantir_and_burry_from_line_78(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(_seed_vault(tmp_path)), "related",
                                      "NVIDIA", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all(tuple(row) == COLUMNS for row in rows)
    names = [row["name"] for row in rows]
    for peer in ("Palantir", "Michael Burry"):
        assert names.index(peer) <= 3, names
        row = rows[names.index(peer)]
        assert row["path"] is None
        assert row["linked"] is False
        assert row["explanation"].startswith("Sector Rotation.md:78 same table row")
        assert {k: row["evidence"][0][k] for k in ("kind", "path", "line")} == \
            {"kind": "same table row", "path": "Sector Rotation.md", "line": 78}
    assert rows[0]["name"] == "Sector Rotation"
    assert rows[0]["direct"] > 0 and rows[0]["linked"] is True


def test_cached_associations_are_bounded_and_change_no_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    related_module = importlib.import_module("vaultkit.queries.related")  # the package
    # re-exports the function under the module's name
    from vaultkit.queries.lookup import mention_lookup

    root = shutil.copytree(ROOT / "vault", tmp_path / "vault",
                           ignore=shutil.ignore_patterns(".vaultkit"))
    subjects = ["NVIDIA", "Palantir", "Michael Burry", "Sector Rotation", "XLE", "IGV"]
    unbounded = Vault.load(root)
    expected = [related(unbounded, name).to_json() for name in subjects * 2]
    monkeypatch.setattr(related_module, "ASSOCIATIONS_KEPT", 3)
    bounded = Vault.load(root)
    assert [related(bounded, name).to_json() for name in subjects * 2] == expected
    assert len(mention_lookup(bounded).memo["associations"]) == 3  # type: ignore[arg-type]
    assert len(mention_lookup(unbounded).memo["associations"]) > 3  # type: ignore[arg-type]
