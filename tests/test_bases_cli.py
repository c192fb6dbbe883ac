"""Where bases appear: ``vaultkit base``, ``Vault.base`` and the ``kind=base`` region."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli
from vaultkit.refresh.run import refresh_vault
from vaultkit.vault import Vault

VAULT = Path(__file__).resolve().parent.parent / "vault"
BASE = """\
filters: file.inFolder("Entities")
properties:
  sector:
    displayName: Sector
views:
  - type: table
    name: By sector
    groupBy:
      property: sector
    order: [file.file, ticker, ret]
    sort:
      - property: ret
        direction: DESC
    summaries:
      ret: Sum
  - type: cards
    name: Tickers
    order: [ticker]
"""
NOTES = {
    "Entities/XLE.md": "---\nticker: XLE\nsector: Energy\nret: 18\n---\n",
    "Entities/XOP.md": "---\nticker: XOP\nsector: Energy\nret: 8\n---\n",
    "Entities/IGV.md": "---\nticker: IGV\nsector: Software\nret: -12.5\n---\n",
    "Desk.md": "# Desk\n\n<!-- vaultkit:begin id=desk kind=base base=Desk.base "
               "view=\"By sector\" -->\n<!-- vaultkit:end id=desk -->\n",
    "Desk.base": BASE,
}


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--vault", str(root), "base", *args])
    return result.exit_code, result.output


def test_json_is_columns_rows_groups_and_summaries(tmp_path: Path) -> None:
    root = write_files(tmp_path, NOTES)
    code, output = _run(root, "Desk.base", "--format", "json")
    assert code == 0, output
    assert json.loads(output) == {
        "columns": ["Sector", "file.file", "ticker", "ret"],
        "rows": [["Energy", "Entities/XLE.md", "XLE", 18], ["Energy", "Entities/XOP.md", "XOP", 8],
                 ["Software", "Entities/IGV.md", "IGV", -12.5]],
        "groups": ["Energy", "Software"],
        "summaries": {"Energy": {"ret": 26}, "Software": {"ret": -12.5}},
    }


def test_view_option_csv_and_markdown(tmp_path: Path) -> None:
    root = write_files(tmp_path, NOTES)
    code, output = _run(root, "Desk.base", "--view", "Tickers", "--format", "csv")
    assert code == 0, output
    assert list(csv.reader(io.StringIO(output))) == [["ticker"], ["IGV"], ["XLE"], ["XOP"]]
    code, output = _run(root, "Desk.base", "--format", "md")
    assert code == 0, output
    assert output.startswith("### Energy\n\n| file.file | ticker | ret |\n")
    assert "| [[Entities/XLE\\|XLE]] | XLE | 18 |" in output
    assert "| **Sum:** 26 |" in output


def test_note_blocks_and_errors_exit_2(tmp_path: Path) -> None:
    blocks = ("```base\nfilters: ret > 0\nviews:\n  - type: table\n    order: [ticker]\n```\n\n"
              "```base\nfilters: 'ret >'\nviews: [{}]\n```\n")
    root = write_files(tmp_path, {**NOTES, "Blocks.md": blocks})
    code, output = _run(root, "--note", "Blocks", "--block", "1", "--format", "json")
    assert code == 0, output
    assert json.loads(output)["rows"] == [["XLE"], ["XOP"]]
    code, output = _run(root, "--note", "Blocks", "--block", "2")
    assert code == 2
    assert "Blocks.md#2: filters: col 6: unexpected end" in output
    code, output = _run(root, "Desk.base", "--view", "Nope")
    assert code == 2 and 'no view named "Nope"' in output
    code, output = _run(root)
    assert code == 2


def test_vault_base_is_a_dataframe_indexed_by_path(tmp_path: Path) -> None:
    frame = Vault.load(write_files(tmp_path, NOTES)).base("Desk.base")
    assert list(frame.columns) == ["Sector", "file.file", "ticker", "ret"]
    assert list(frame.index) == ["Entities/XLE.md", "Entities/XOP.md", "Entities/IGV.md"]
    assert frame.attrs["summaries"]["Energy"] == {"ret": 26}


def test_region_materialises_the_view_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    root = write_files(tmp_path, NOTES)
    first = refresh_vault(root, offline=True)
    text = (root / "Desk.md").read_text(encoding="utf-8")
    assert [r.status for r in first.records] == ["written"]
    assert "### Energy\n\n| file.file | ticker | ret |" in text
    assert "| [[Entities/IGV\\|IGV]] | IGV | -12.5 |" in text
    assert "**Sum:** 26" in text
    assert [r.status for r in refresh_vault(root, offline=True).records] == ["unchanged"]
    assert (root / "Desk.md").read_text(encoding="utf-8") == text
    check = CliRunner().invoke(cli, ["--vault", str(root), "refresh", "--offline", "--check"])
    assert check.exit_code == 0, check.output


def test_sample_vault_base_groups_entities_by_sector(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(VAULT, root, ignore=shutil.ignore_patterns(".vaultkit"))
    code, output = _run(root, "Research.base", "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["columns"][:3] == ["Sector", "Entity", "Ticker"]
    by_ticker = {row[2]: row[0] for row in data["rows"]}
    # Sectors come from the entity notes' tags (XLE is tagged energy, IGV software).
    assert by_ticker["XLE"] == "Energy" and by_ticker["IGV"] == "Software"
    assert data["groups"] == sorted(data["groups"], key=str.casefold)
    code, output = _run(root, "--note", "Research dashboard", "--format", "json")
    assert code == 0, output
    [block] = json.loads(output)
    dates = [row[0] for row in block["rows"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 4


def test_a_base_outside_the_vault_is_refused(tmp_path: Path) -> None:
    root = write_files(tmp_path / "vault", NOTES)
    (tmp_path / "Outside.base").write_text(BASE, encoding="utf-8")
    code, output = _run(root, "../Outside.base")
    assert code == 2 and "outside the vault" in output
