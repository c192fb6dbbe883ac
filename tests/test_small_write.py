"""A small write (a few edited notes, the same files) stores what a cold load stores.

It resolves the edited notes' links with a resolver that knows only the files named like
their targets; these cases are where that could differ from resolving against every file:
ambiguous names and the linking note's folder, path suffixes, ``.md`` written out,
names that differ only by case, Unicode normalisation or surrounding spaces, attachments.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.vault_files import write_files
from vaultkit import Vault
from vaultkit.index.resolve import Resolver, lookup_name, named
from vaultkit.index.store import INDEX_DIR, INDEX_FILE

FILES: dict[str, str | bytes] = {
    "Desk/Plan.md": "# Plan\n",
    "Other/Plan.md": "# Plan\n",
    "Deep/er/Solo.md": "# Solo\n",
    "Cafe\u0301.md": "# NFD\n",  # a decomposed file name; the link below is composed
    " Spaced.md": "# Spaced\n",  # a leading space: found by [[Spaced]]
    "attachments/Chart.PNG": b"\x89PNG",
    "Desk/Writer.md": "# Writer\nnothing yet\n",
}
LINKS = ("[[Plan]] [[plan]] [[Other/Plan]] [[Desk/Plan.md]] [[er/Solo]] [[SOLO]] "
         "[[Caf\u00e9]] [[Spaced]] [[ Spaced ]] ![[chart.png]] ![[attachments/Chart.PNG]] "
         "[[Ghost]] [[#Writer]] [[Writer]]")
COLUMNS = "path, seq, target, resolved, target_key, target_name, target_kind"


def _links(root: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM links ORDER BY path, seq").fetchall()


@pytest.mark.parametrize("folder", ["Desk", "Elsewhere"])
def test_an_edited_note_resolves_as_a_cold_load_does(tmp_path: Path, folder: str) -> None:
    root = write_files(tmp_path / "vault", {**FILES, f"{folder}/Writer.md": "# Writer\n"})
    Vault.load(root)
    write_files(root, {f"{folder}/Writer.md": f"# Writer\n{LINKS}\n"})
    Vault.load(root)
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns(INDEX_DIR))
    Vault.load(cold)
    assert _links(root) == _links(cold)
    rows = {(row[0], row[1]): row for row in _links(root)}
    writer = [row for key, row in sorted(rows.items()) if key[0] == f"{folder}/Writer.md"]
    assert writer[0][3] == ("Desk/Plan.md" if folder == "Desk" else None)  # [[Plan]]
    assert writer[6][3] == "Cafe\u0301.md"


def test_named_keeps_every_file_a_resolver_needs() -> None:
    notes = [p for p in FILES if p.endswith(".md")]
    attachments = [p for p in FILES if not p.endswith(".md")]
    full = Resolver(notes, attachments)
    for target in LINKS.replace("![[", "[[").split("]] "):
        target = target.strip("[]!")
        names = {lookup_name(target)}
        few = Resolver(named(notes, names, notes=True),
                       named(attachments, names, notes=False))
        for source in ("Desk/Writer.md", "Elsewhere/Writer.md"):
            assert few.resolve(target, source) == full.resolve(target, source), target
