"""Help that teaches: each command's --help shows a worked example on the sample vault
(and the example works), and ``vaultkit`` alone lists the commands and where to start."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultkit.cli import cli
from vaultkit.cli.app import FIRST_COMMANDS

ROOT = Path(__file__).resolve().parent.parent
#: The command modules of issue #18; commands other modules add bring their own examples.
MODULES = {"vaultkit.cli.notes", "vaultkit.cli.graph", "vaultkit.cli.tables",
           "vaultkit.cli.refresh"}
COMMANDS = sorted(name for name, command in cli.every_command().items()
                  if command.callback is not None and command.callback.__module__ in MODULES)


def example(name: str) -> list[str]:
    """The arguments of the example in ``vaultkit NAME --help``."""
    text = CliRunner().invoke(cli, [name, "--help"], env={"COLUMNS": "100"}).output
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("Example, on the sample vault:")
    return shlex.split(lines[start + 1])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("help")
    shutil.copytree(ROOT / "vault", parent / "vault", ignore=shutil.ignore_patterns(".vaultkit"))
    return parent


def test_the_commands_of_the_issue_are_all_here() -> None:
    assert {"related", "backlinks", "links", "unlinked", "facts", "hubs", "path", "lint",
            "refresh"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_help_shows_an_example_that_works_on_the_sample_vault(
        name: str, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = example(name)
    assert argv[:4] == ["vaultkit", "--vault", "vault", name]
    monkeypatch.chdir(sample)
    result = CliRunner().invoke(cli, argv[1:])
    assert result.exit_code == 0, result.output
    assert not result.stdout.rstrip().endswith(": none")
    assert result.stdout.strip() or name == "lint"  # lint is silent on a clean vault


def test_vaultkit_alone_lists_the_commands_and_where_to_start() -> None:
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:\n")[1]
              .split("\n\n")[0].splitlines()]
    assert listed == sorted(cli.every_command())
    assert result.output.rstrip().endswith("\n".join(f"  {c}" for c in FIRST_COMMANDS))
    # one line per command (23 of them), the usage and the two first commands
    assert len(result.output.splitlines()) < 40


def test_the_first_commands_work_on_the_sample_vault(sample: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample)
    for command in FIRST_COMMANDS:
        assert CliRunner().invoke(cli, shlex.split(command)[1:]).exit_code == 0
