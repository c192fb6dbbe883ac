"""Vault text appears in the terminal exactly as written: square brackets are the
researcher's, not rich markup (issue #18). Each command's human output is checked for the
markup-looking text it shows: note and folder names, headings, table cells, row labels,
aliases, link display text, unresolved entities, mention lines and related's evidence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli

SAMPLE = Path(__file__).resolve().parent.parent / "vault"
#: Wide enough that no cell wraps, so each string can be looked for whole.
WIDE = "400"

FILES = {
    "Alpha.md": (
        "---\naliases: [\"[blink]Al\"]\n---\n"
        "# [red]Alpha heading[/red]\n\n"
        "Alpha links [[Beta|[b]shown[/b] here]] and [[x [dim]Delta]] and [[obsidian-outliner]].\n\n"
        "| [bold]row | [italic]Move |\n|---|---|\n"
        "| [bold]x | [red]5%[/red] |\n\n"
        "![[pic [bold]x.png]]\n"
    ),
    "Beta.md": "# Beta\n\nBeta cites [[obsidian-outliner]] and [[x [dim]Delta]] together.\n"
               "Alpha is up [red]5%[/red] today, :smile: and all.\n",
    "obsidian-outliner.md": "# obsidian-outliner\n\nSee [[Gamma]].\n",
    "Gamma.md": "# Gamma\n\nBack to [[Beta]].\n",
    "[i]Lonely.md": "# Lonely\n\nNo links here.\n",
    "Desk.base": "views:\n  - type: table\n    name: All\n    order: [file.name]\n",
}
#: command → (arguments, strings that must appear verbatim in its human output)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "scan": (["scan"], ["v[bold]ault"]),
    "note": (["note", "Alpha"], ["[red]Alpha heading[/red]", "[blink]Al", "[b]shown[/b]",
                                 "x [dim]Delta", "[bold]row | [italic]Move"]),
    "lint": (["lint"], ["pic [bold]x.png"]),
    "backlinks": (["backlinks", "x [dim]Delta"], ["Alpha",
                                                  "x [dim]Delta"]),
    "backlinks-display": (["backlinks", "Beta"], ['as "[b]shown[/b] here"']),
    "backlinks-long": (["backlinks", "Beta", "--long"], ["[b]shown[/b]"]),
    "links": (["links", "Alpha"], ["x [dim]Delta", 'as "[b]shown[/b] here"', "obsidian-outliner"]),
    "related": (["related", "Gamma"], ["x [dim]Delta", "via [[obsidian-outliner]]"]),
    "related-long": (["related", "Gamma", "--long"], ["via [[obsidian-outliner]]"]),
    "path": (["path", "Gamma", "x [dim]Delta"], ["x [dim]Delta"]),
    "orphans": (["orphans"], ["[i]Lonely"]),
    "unresolved": (["unresolved"], ["x [dim]Delta", "pic [bold]x.png"]),
    "hubs": (["hubs"], ["x [dim]Delta"]),
    "unlinked": (["unlinked", "Alpha"], ["Alpha is up [red]5%[/red] today, :smile: and all."]),
    "tables": (["tables"], ["[red]Alpha heading[/red]", "[bold]row | [italic]Move"]),
    "facts": (["facts"], ["[bold]x", "[italic]Move", "[red]5%[/red]"]),
    "facts-long": (["facts", "--long"], ["[red]Alpha heading[/red]", "[red]5%[/red]"]),
    "tags": (["tags"], ["[red]hot"]),
    "query": (["query", "LIST"], ["[i]Lonely"]),
    "sql": (["sql", "SELECT path FROM files ORDER BY path"], ["[i]Lonely.md"]),
    "base": (["base", "Desk.base"], ["[i]Lonely.md"]),
    "status": (["status", "--offline"], ["[red]Tracker", "[bold]Desk"]),
    "status-long": (["status", "--offline", "--long"], ["[bold]Desk/[red]Tracker.md"]),
    "audit": (["audit", "--offline"], ["[red]5%[/red]", "[bold]x"]),
    "refresh": (["refresh", "--offline"], ["[bold]Desk/[red]Tracker.md", "xle-igv"]),
}


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("markup") / "v[bold]ault"
    files = dict(FILES)
    files["[bold]Desk/[red]Tracker.md"] = (
        "---\ntags: [\"[red]hot\"]\n---\n# Tracker\n\n"
        "<!-- vaultkit:begin id=xle-igv kind=pair a=XLE b=IGV window=90d -->\n"
        "<!-- vaultkit:end id=xle-igv -->\n"
        "<!-- vaultkit:begin id=edited kind=pair a=XLE b=IGV window=90d -->\n"
        "| [red]kept[/red] |\n<!-- vaultkit:end id=edited -->\n")
    write_files(root, files)
    (root / "data" / "prices").mkdir(parents=True)
    for ticker in ("XLE", "IGV"):
        shutil.copy(SAMPLE / "data" / "prices" / f"{ticker}.csv", root / "data" / "prices")
    return root


def test_every_command_with_human_output_is_covered() -> None:
    covered = {args[0] for args, _ in CASES.values()}
    # graph writes graphml/gexf/json/csv, export Parquet files; watch runs until Ctrl-C and
    # prints refresh's report
    assert covered == set(cli.every_command()) - {"graph", "export", "watch"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_vault_text_is_shown_exactly(vault: Path, case: str) -> None:
    args, expected = CASES[case]
    result = CliRunner().invoke(cli, ["--vault", str(vault), *args],
                                env={"COLUMNS": WIDE, "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    assert not isinstance(result.exception, Exception), result.exception
    for text in expected:
        assert text in result.stdout, f"{text!r} not shown verbatim by {args}:\n{result.stdout}"


def test_skip_reason_in_refresh_names_the_hand_edited_region(vault: Path) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(vault), "refresh", "--offline"],
                                env={"COLUMNS": WIDE})
    assert result.exit_code == 1
    assert "hand-edited: region has content but no checksum" in result.stdout
