"""The engine with the bundled generators on a fresh copy of the sample vault (as after a
``git clone``): ``make refresh`` refreshes it, a second run and ``--check`` change nothing,
and every byte outside the regions stays as written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from test_refresh_splice import outside

from vaultkit.cli import cli

VAULT = Path(__file__).resolve().parent.parent / "vault"


def _notes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.md")) if ".vaultkit" not in p.parts}


def test_fresh_copy_of_the_sample_vault_refreshes_then_stays_put(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(VAULT, root, ignore=shutil.ignore_patterns(".vaultkit"))
    before = _notes(root)
    runner = CliRunner()
    first = runner.invoke(cli, ["--vault", str(root), "refresh", "--offline", "--format",
                                "json"])
    assert first.exit_code == 0, first.output
    records = json.loads(first.output)
    assert records and all(r["status"] != "skipped" for r in records)
    after = _notes(root)
    assert after.keys() == before.keys()
    for path, text in before.items():
        assert outside(after[path]) == outside(text), path
    charts = {p.name: p.read_bytes() for p in (root / "attachments").glob("*.png")}
    assert charts

    second = runner.invoke(cli, ["--vault", str(root), "refresh", "--offline"])
    assert second.exit_code == 0, second.output
    assert _notes(root) == after
    assert {p.name: p.read_bytes() for p in (root / "attachments").glob("*.png")} == charts
    check = runner.invoke(cli, ["--vault", str(root), "refresh", "--offline", "--check"])
    assert check.exit_code == 0, check.output
