"""Resolution across a vault of hand-written edge cases (``tests/data/edge_vault``), as
Obsidian resolves links, and ``vaultkit lint`` on it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultkit.cli import cli
from vaultkit.index.reader import open_tables
from vaultkit.vault import Vault
from vaultkit.views.lint import lint_vault

EDGE = Path(__file__).parent / "data" / "edge_vault"


@pytest.fixture(scope="module")
def vault() -> Vault:
    return Vault.load(EDGE)


def _resolved(vault: Vault, source: str) -> list[tuple[int, str, str | None]]:
    return [(ref.link.line, ref.link.target, ref.resolved)
            for ref in vault.link_refs() if ref.source == source]


def test_the_vault_files_are_what_the_cases_need() -> None:
    """Guards against an editor or git normalising the files that make the cases."""
    assert b"\r\n" in (EDGE / "CRLF note.md").read_bytes()
    assert (EDGE / "BOM note.md").read_bytes().startswith(b"\xef\xbb\xbf---")
    names = [p.name for p in EDGE.iterdir()]
    assert unicodedata.normalize("NFD", "Résumé.md") in names
    assert unicodedata.normalize("NFC", "Café.md") in names
    hub = (EDGE / "Hub.md").read_text(encoding="utf-8")
    assert "[[" + unicodedata.normalize("NFD", "Café") + "]]" in hub
    assert "[[" + unicodedata.normalize("NFC", "Résumé") + "]]" in hub


def test_dot_folders_are_not_indexed(vault: Vault) -> None:
    assert not [p for p in vault.notes if p.startswith(".")]
    assert vault.attachments == ("attachments/chart.png", "attachments/report.pdf")
    assert "hidden" not in {t for n in vault.notes.values() for t in n.tags}


def test_hub_links_resolve_as_in_obsidian(vault: Vault) -> None:
    nfd_resume = unicodedata.normalize("NFD", "Résumé.md")
    assert _resolved(vault, "Hub.md") == [
        (5, "alpha", "Alpha.md"),                      # case-insensitive
        (6, "ALPHA", "Alpha.md"),                      # [[ALPHA.md]]: .md optional
        (7, unicodedata.normalize("NFD", "Café"), "Café.md"),   # NFD link, NFC file
        (8, "Résumé", nfd_resume),                     # NFC link, NFD file
        (9, "Projects/Plan", "Projects/Plan.md"),      # path suffix
        (9, "archive/plan", "Archive/Plan.md"),        # path suffix, any case
        (10, "Plan", None),                            # two at the same depth: ambiguous
        (11, "Topic", "Topic.md"),                     # shortest path wins when unique
        (11, "Deep/Topic", "Deep/Topic.md"),
        (12, "Sub/Note", "Area/Sub/Note.md"),          # suffix of a deeper path
        (13, "Strasse", None),                         # lower-casing, not case folding
        (14, "SocGen", None),                          # an alias is not a link target
        (15, "Ghost", None),                           # unresolved entity
        (16, "Trashed", None),                         # .trash/ is not indexed
        (17, "", "Hub.md"),                            # [[#Resolution]] is a self link
        (18, "Alpha", "Alpha.md"),                     # [alpha](Alpha.md)
        (18, "Projects/Plan", "Projects/Plan.md"),
        (18, "Note With Space", "Note With Space.md"),  # [space](Note%20With%20Space.md)
        (22, "chart.png", "attachments/chart.png"),    # attachment by file name
        (23, "CHART.PNG", "attachments/chart.png"),
        (24, "report.pdf", "attachments/report.pdf"),  # ![[report.pdf#page=3]]
        (25, "attachments/chart.png", "attachments/chart.png"),
        (26, "missing.png", None),
        (32, "Alpha", "Alpha.md"),                     # [[Alpha\|a]] in a table
    ]


def test_ambiguous_link_lists_its_candidates(vault: Vault) -> None:
    plan = next(link for link in vault.note("Hub").links if link.target == "Plan")
    resolution = vault.resolution(plan)
    assert resolution.ambiguous
    assert resolution.candidates == ("Archive/Plan.md", "Projects/Plan.md")


def test_crlf_note_reads_like_lf(vault: Vault) -> None:
    note = vault.notes["CRLF note.md"]
    assert note.frontmatter == {"tags": ["crlf"]}
    assert note.tags == ("crlf", "crlf-body")
    assert [h.text for h in note.headings] == ["CRLF note"]
    assert _resolved(vault, "CRLF note.md") == [(6, "Alpha", "Alpha.md"),
                                                (10, "Topic", "Topic.md")]
    assert note.tables[0].rows == (("[[Topic|t]]", "1"),)
    assert note.errors == ()


def test_bom_note_keeps_its_frontmatter(vault: Vault) -> None:
    note = vault.notes["BOM note.md"]
    assert note.frontmatter == {"tags": ["bom"]}
    assert note.tags == ("bom", "bom-body")
    assert _resolved(vault, "BOM note.md") == [(6, "Alpha", "Alpha.md")]


def test_broken_frontmatter_still_yields_links_and_tags(vault: Vault) -> None:
    note = vault.notes["Broken frontmatter.md"]
    assert note.frontmatter == {}
    assert note.tags == ("still-tagged",)
    assert _resolved(vault, "Broken frontmatter.md") == [(7, "Alpha", "Alpha.md"),
                                                         (7, "Ghost", None)]
    assert [str(p) for p in note.errors] == [
        "Broken frontmatter.md:3: invalid frontmatter YAML: "
        "expected ',' or ']', but got '<stream end>'"]


def test_backlinks_come_from_every_kind_of_link(vault: Vault) -> None:
    sources = sorted({ref.source for ref in vault.link_refs() if ref.resolved == "Alpha.md"})
    assert sources == ["BOM note.md", "Broken frontmatter.md", "CRLF note.md", "Hub.md"]


EXPECTED_LINT = [
    "Broken frontmatter.md:3: invalid frontmatter YAML: expected ',' or ']', but got "
    "'<stream end>'",
    "Hub.md:10: ambiguous link [[Plan]]: matches Archive/Plan.md, Projects/Plan.md",
    "Hub.md:26: embedded attachment not found: missing.png",
    "Hub.md:33: unescaped | inside a wikilink in a table: write \\| or the cell is split in two",
    "Hub.md:35: duplicate block id ^dup",
    "Hub.md:37: duplicate block id ^dup",
]


def test_lint_finds_every_planted_problem(vault: Vault) -> None:
    assert [str(p) for p in lint_vault(vault)] == EXPECTED_LINT


def test_lint_cli_prints_path_line_message_and_exits_1() -> None:
    result = CliRunner().invoke(cli, ["--vault", str(EDGE), "lint"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.rsplit(" [", 1)[0] for line in lines] == EXPECTED_LINT
    assert all(line.endswith(" [error]") for line in lines)


def test_lint_cli_exits_0_on_a_clean_vault(tmp_path: Path) -> None:
    (tmp_path / "A.md").write_text("[[B]] and [[Nowhere]]\n", encoding="utf-8")
    (tmp_path / "B.md").write_text("# B\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--vault", str(tmp_path), "lint"])
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_find_before_and_after_the_resolver_is_made_agree(tmp_path: Path) -> None:
    # find() resolves one name from the files so named until the full resolver exists.
    names = {link.target for note in Vault.load(EDGE, cache=False).notes.values()
             for link in note.links} | {"alpha", "ALPHA.md", "Plan", "Nothing such"}
    for name in sorted(names):
        fresh = Vault.load(EDGE, cache=False)
        made = Vault.load(EDGE, cache=False)
        assert made.resolver is not None  # the whole vault's, made first
        assert fresh.find(name) == made.find(name), name


def test_find_by_alias_from_the_index_equals_the_notes(tmp_path: Path) -> None:
    # Aliases as researchers write them: case, spaces, accents in either normal form, a
    # non-ASCII letter that lower-cases to ASCII (KELVIN SIGN), and one alias on two notes.
    root = tmp_path / "vault"
    root.mkdir()
    aliases = {
        "Nvidia.md": ["NVDA", " Nvidia Corp ", "Café"],
        "Kelvin.md": ["\u212aelvin scale"],
        "Accents.md": [unicodedata.normalize("NFD", "Résumé")],
        "A/Shared.md": ["Shared name"],
        "B/Shared too.md": ["shared NAME"],
        "Tabbed.md": ["\ttabbed alias"],
    }
    for path, names in aliases.items():
        (root / path).parent.mkdir(exist_ok=True)
        listed = ", ".join(f'"{a}"' for a in names).replace("\t", "\\t")
        (root / path).write_text(f"---\naliases: [{listed}]\n---\n# x\n", encoding="utf-8")
    Vault.load(root)  # builds the index
    asked = ["nvda", "NVIDIA CORP", "  nvidia corp", "café", unicodedata.normalize("NFD", "CAFÉ"),
             "kelvin scale", "Résumé", "shared name", "Tabbed alias", "nothing", "Kelvin"]
    warm = Vault.load(root)
    cold = Vault.load(root, cache=False)
    assert open_tables(warm) is not None  # the index answers, not the notes' aliases
    for name in asked:
        assert warm.find(name) == cold.find(name), name
    assert warm.find("shared name") == "B/Shared too.md"  # the last in path order
    assert warm.find("kelvin scale") == "Kelvin.md"
