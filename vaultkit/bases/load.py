"""Find and read a base — a ``.base`` file of the vault or a note's ``base`` code blocks —
and evaluate one of its views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.bases.engine import BaseResult, run_view
from vaultkit.bases.errors import BaseError
from vaultkit.bases.files import FileRecord, Times, VaultFiles
from vaultkit.bases.spec import BaseSpec, read_base
from vaultkit.errors import NoteNotFound, UnsafePathError
from vaultkit.index.collector import gc_paused

if TYPE_CHECKING:
    from vaultkit.vault import Vault


@dataclass(frozen=True, slots=True)
class BaseSource:
    """The YAML of a base, where it was read from, and the file ``this`` stands for."""

    label: str  # "Entities.base", or "Desks/Energy.md#1" for a note's first block
    text: str
    this: str  # vault path of the base file, or of the note holding the block
    line_offset: int = 0


def vault_files(vault: Vault, times: Times | None = None) -> VaultFiles:
    """The vault's files as Bases sees them; kept with the vault unless ``times`` is given
    (the conformance harness fixes the clock of every file)."""
    if times is not None:
        return VaultFiles(vault, times)
    return vault.derived(VaultFiles)


def base_path(vault: Vault, name: str | Path) -> str:
    """The vault path of a ``.base`` file named by vault path, absolute path or name."""
    root = vault.root.resolve()
    path = root / name  # an absolute ``name`` stays itself
    if path.is_file():
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            raise UnsafePathError(f"{name}: the base is outside the vault") from None
    text = str(name) if str(name).endswith(".base") else f"{name}.base"
    found = vault.resolver.resolve(text).path
    if found is None or not found.endswith(".base"):
        raise BaseError(f"no base file named {str(name)!r} in {vault.root}")
    return found


def file_source(vault: Vault, name: str | Path) -> BaseSource:
    path = base_path(vault, name)
    text = (vault.root / path).read_text(encoding="utf-8-sig")
    return BaseSource(path, text, path)


def block_sources(vault: Vault, note: str) -> list[BaseSource]:
    """Every ````base`` code block of a note, in order."""
    from markdown_it import MarkdownIt

    path = vault.find(note)
    if path is None:
        raise NoteNotFound(f"no note named {note!r} in {vault.root}")
    text = (vault.root / path).read_text(encoding="utf-8-sig")
    tokens = MarkdownIt("commonmark").parse(text)
    found: list[BaseSource] = []
    for token in tokens:
        if token.type == "fence" and token.info.strip().split(" ")[0] == "base" and token.map:
            found.append(BaseSource(f"{path}#{len(found) + 1}", token.content, path,
                                    token.map[0] + 1))
    return found


def block_source(vault: Vault, note: str, number: int) -> BaseSource:
    """The ``number``-th (1-based) ``base`` block of ``note``."""
    blocks = block_sources(vault, note)
    if not 1 <= number <= len(blocks):
        path = vault.find(note) or note
        raise BaseError("no base code block", f"{path}#{number}")
    return blocks[number - 1]


def read_source(source: BaseSource) -> BaseSpec:
    return read_base(source.text, source.label, source.line_offset)


def evaluate_source(vault: Vault, source: BaseSource, view: str | None = None, *,
                    this: str | None = None, now: dt.datetime | None = None,
                    times: Times | None = None) -> BaseResult:
    """Evaluate ``view`` (the first when None) of a base. ``this`` is the note embedding it
    (default: the base file, or the note holding the block); ``now`` fixes the clock."""
    spec = read_source(source)
    chosen = spec.view(view)
    files = vault_files(vault, times)
    this_record: FileRecord | None = files.by_path.get(this or source.this)
    # A view reads thousands of notes and builds many small values: without the cyclic
    # GC rescanning the vault meanwhile, a 10,000-note view runs several times faster.
    with gc_paused():
        return run_view(spec, chosen, files, this=this_record, now=now or dt.datetime.now())


def evaluate_base(vault: Vault, name: str | Path, view: str | None = None, *,
                  this: str | None = None, now: dt.datetime | None = None,
                  times: Times | None = None) -> BaseResult:
    """Evaluate a view of the ``.base`` file ``name`` over ``vault``.

    >>> evaluate_base(Vault.load("vault"), "Research.base", "Entities by sector"
    ...               ).to_json()["columns"]                      # doctest: +SKIP
    ['Sector', 'file.name', 'ticker', ...]
    """
    return evaluate_source(vault, file_source(vault, name), view, this=this, now=now,
                           times=times)
