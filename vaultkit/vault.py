"""The vault: every note parsed, attachments indexed, links resolved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem, VaultkitError
from .model import Link, Note
from .parse import parse_note
from .resolve import Resolution, Resolver, normalise
from .scan import list_files, read_note

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from .index import LoadStats, NoteMap
    from .link_rows import LinkRows


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link occurrence together with the note it is in and where it resolves."""

    source: str
    link: Link
    resolved: str | None


class Vault:
    """A loaded vault. Build one with :meth:`Vault.load`.

    >>> vault = Vault.load("vault")            # doctest: +SKIP
    >>> vault.note("Sector Rotation").tags     # doctest: +SKIP
    ('concept', 'markets', 'rotation', 'macro')
    """

    def __init__(self, root: Path, notes: NoteMap, attachments: tuple[str, ...],
                 problems: list[Problem]) -> None:
        self.root = root
        #: Every note by vault path, in scan order; read-only, each decoded when first asked.
        self.notes: NoteMap = notes
        self.attachments = attachments
        self._scan_problems = problems
        self.resolver = Resolver(notes, attachments)
        self._aliases = {normalise(a): path for path, names in notes.aliases.items()
                         for a in names}

    #: What the last :meth:`load` did (notes parsed vs. taken from the index).
    load_stats: LoadStats | None = None

    @classmethod
    def load(cls, path: str | Path, *, cache: bool = True, workers: int | None = None) -> Vault:
        """Scan and parse the vault at ``path``. One bad file never stops the scan.

        With ``cache`` (the default) parse results are kept in ``<vault>/.vaultkit/`` and a
        later load parses only the notes whose bytes changed, and decodes a note kept there
        only when :attr:`notes` is first asked for it. ``workers`` is the number of
        processes that parse: None uses every core when enough notes need parsing, 1 parses
        in this process.
        """
        from .index import load_notes

        root = Path(path)
        if not root.is_dir():
            raise VaultkitError(f"vault folder not found: {root}")
        files = list_files(root)
        notes, stats = load_notes(root, files.notes, cache=cache, workers=workers)
        vault = cls(root, notes, files.attachments, [])
        vault.load_stats = stats
        return vault

    # -- lookup ------------------------------------------------------------------------

    def resolve(self, link: Link, source: str) -> str | None:
        """The vault path ``link`` (written in note ``source``) points to, or None."""
        if link.is_self:
            return source
        return self.resolver.resolve(link.target, source).path

    def resolution(self, link: Link, source: str | None = None) -> Resolution:
        """How ``link`` resolves from note ``source``, with every candidate file."""
        return self.resolver.resolve(link.target, source)

    def find(self, name: str) -> str | None:
        """A note's path by vault path, link name or alias (as a wikilink would)."""
        if name in self.notes:
            return name
        found = self.resolver.resolve(name).path
        if found is not None and found in self.notes:
            return found
        return self._aliases.get(normalise(name))

    def note(self, name: str) -> Note:
        path = self.find(name)
        if path is None:
            raise VaultkitError(f"no note named {name!r} in {self.root}")
        return self.notes[path]

    def link_rows(self, path: str) -> LinkRows:
        """The links of the note at ``path`` as columns (see :mod:`vaultkit.link_rows`),
        read from the index without decoding the whole note when possible."""
        return self.notes.link_rows(path)

    def link_targets(self, path: str) -> tuple[str, ...]:
        """The ``target`` column of :meth:`link_rows`, which is cheaper to read alone."""
        return self.notes.link_targets(path)

    def link_lines(self, path: str) -> tuple[int, ...]:
        """The ``line`` column of :meth:`link_rows`, also cheaper to read alone."""
        return self.notes.link_lines(path)

    def link_refs(self) -> Iterator[LinkRef]:
        """Every link occurrence in the vault, in path then document order."""
        for path, note in self.notes.items():
            for link in note.links:
                yield LinkRef(path, link, self.resolve(link, path))

    @property
    def problems(self) -> list[Problem]:
        """Every recorded problem, sorted by path and line."""
        found = list(self._scan_problems)
        for note in self.notes.values():
            found.extend(note.errors)
        return sorted(found, key=lambda p: (p.path, p.line, p.message))

    # -- derived views (computed lazily, cached) ---------------------------------------

    @cached_property
    def graph(self) -> nx.MultiDiGraph[str]:
        from .graph import build_graph

        return build_graph(self)

    @cached_property
    def mentions(self) -> pd.DataFrame:
        from .mentions import build_mentions

        return build_mentions(self)

    def tables(self) -> pd.DataFrame:
        """One row per table: path, number (1-based in its note), line, heading, columns, rows."""
        from .tables import table_index

        return table_index(self)

    def table(self, path: str, number: int) -> pd.DataFrame:
        """Table ``number`` (1-based) of the note at ``path`` (or its name) as a DataFrame."""
        from .tables import find_table, table_frame

        return table_frame(find_table(self, path, number).table)


def load_note(root: Path, rel: str) -> Note:
    """Read and parse one note; a crash inside the parser becomes a recorded problem."""
    text, problems = read_note(root, rel)
    try:
        note = parse_note(text, rel)
    except Exception as exc:  # the scan must go on past any single file
        note = parse_note("", rel)
        problems.append(Problem(rel, 1, f"could not parse note: {type(exc).__name__}: {exc}"))
    if problems:
        note = replace(note, errors=tuple(problems) + note.errors)
    return note
