"""The CLI is a thin layer: help for every command, exit codes, and python -m."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tests.vault_files import write_files
from vaultkit.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _vault(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_files(tmp_path, files)


def test_every_command_has_help_and_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    for name, command in cli.every_command().items():
        assert command.help, f"command {name} has no help text"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert f"vaultkit {name}" in readme or f"`{name}" in readme, f"{name} not in README"


def test_scan_json_counts_links_of_every_kind(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {
        "A.md": "[[B]] and ![[pic.png]] and [md](B.md) and [[Ghost]] #t\n",
        "B.md": "back to [[a]]\n",
        "pic.png": "png",
    })
    result = CliRunner().invoke(cli, ["--vault", str(vault), "scan", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == {"notes": 2, "attachments": 1, "links": 5, "resolved": 4,
                    "unresolved_targets": 1, "tags": 1, "tables": 0, "errors": []}


def test_unknown_note_is_an_input_error_exit_2(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"A.md": "text\n"})
    result = CliRunner().invoke(cli, ["--vault", str(vault), "note", "Nope"])
    assert result.exit_code == 2
    assert "Nope" in result.output


def test_missing_vault_folder_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--vault", str(tmp_path / "none"), "scan"])
    assert result.exit_code == 2


def test_lint_exit_1_with_path_line_messages(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {
        "A.md": "| a | b |\n|---|---|\n| [[X|y]] | z |\n\n![[missing.png]]\n",
    })
    result = CliRunner().invoke(cli, ["--vault", str(vault), "lint"])
    assert result.exit_code == 1
    assert "A.md:3: unescaped | inside a wikilink in a table" in result.output
    assert "A.md:5: embedded attachment not found: missing.png" in result.output


def test_lint_clean_vault_exit_0(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"A.md": "| a | b |\n|---|---|\n| [[X\\|y]] | z |\n"})
    result = CliRunner().invoke(cli, ["--vault", str(vault), "lint"])
    assert result.exit_code == 0, result.output


def test_tags_counts_notes_case_insensitively(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {
        "A.md": "---\ntags: [Macro]\n---\n#macro #rates\n",
        "B.md": "#MACRO\n",
    })
    result = CliRunner().invoke(cli, ["--vault", str(vault), "tags", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"tag": "Macro", "notes": 2, "occurrences": 3},
        {"tag": "rates", "notes": 1, "occurrences": 1},
    ]


def test_python_dash_m_runs_the_same_cli(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"A.md": "[[B]]\n"})
    done = subprocess.run([sys.executable, "-m", "vaultkit", "--vault", str(vault), "scan",
                           "--format", "json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["links"] == 1


def test_vault_from_environment_variable(tmp_path: Path) -> None:
    vault = _vault(tmp_path, {"A.md": "x\n", "B.md": "y\n"})
    result = CliRunner().invoke(cli, ["scan", "--format", "json"],
                                env={"VAULTKIT_VAULT": str(vault)})
    assert json.loads(result.output)["notes"] == 2
