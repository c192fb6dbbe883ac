"""The vault: every note parsed, attachments indexed, links resolved."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from vaultkit.errors import NoteNotFound, Problem, VaultkitError
from vaultkit.index.collector import gc_paused
from vaultkit.index.load import LoadStats, NoteMap, load_notes
from vaultkit.index.reader import open_tables
from vaultkit.index.resolve import Resolution, Resolver, lookup_name, named, normalise
from vaultkit.model import Link, Note
from vaultkit.parse.scan import list_files
from vaultkit.views.graph import build_graph
from vaultkit.views.mentions import build_mentions
from vaultkit.views.tables import find_table, table_frame, table_list

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link occurrence together with the note it is in and where it resolves."""

    source: str
    link: Link
    resolved: str | None


class Vault:
    """A loaded vault. Build one with :meth:`Vault.load`.

    >>> vault = Vault.load(SAMPLE_VAULT)   # the repository's vault/ folder
    >>> vault.note("Sector Rotation").tags
    ('concept', 'markets', 'rotation', 'macro')
    """

    def __init__(self, root: Path, notes: NoteMap, attachments: tuple[str, ...],
                 problems: list[Problem]) -> None:
        self.root = root
        #: Every note by vault path, in scan order; read-only, each decoded when first asked.
        self.notes: NoteMap = notes
        self.attachments = attachments
        self._scan_problems = problems
        self._resolver: Resolver | None = None
        self._alias_paths: dict[str, str] | None = None
        self._derived: dict[Callable[[Vault], Any], Any] = {}

    @property
    def resolver(self) -> Resolver:
        """Every file by the names a link may use for it; made when first asked for, as
        commands answered from the index (``scan``, ``orphans``) never resolve a name."""
        if self._resolver is None:
            self._resolver = Resolver(self.notes, self.attachments)
        return self._resolver

    def _resolver_of(self, name: str) -> Resolver:
        """A resolver that resolves ``name`` as :attr:`resolver` does: that one, if made,
        else one of the files so named (a pass over the paths, not a map of them all)."""
        if self._resolver is not None:
            return self._resolver
        key = {lookup_name(name)}
        return Resolver(named(self.notes, key, notes=True),
                        named(self.attachments, key, notes=False))

    @property
    def _aliases(self) -> dict[str, str]:
        if self._alias_paths is None:
            self._alias_paths = {normalise(a): path for path, names in
                                 self.notes.aliases.items() for a in names}
        return self._alias_paths

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
        root = Path(path)
        if not root.is_dir():
            raise VaultkitError(f"vault folder not found: {root}")
        with gc_paused():  # 100,000 paths and stamps, no cycles: see gc_paused
            files = list_files(root)
        notes, stats = load_notes(root, files, cache=cache, workers=workers)
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
        found = self._resolver_of(name).resolve(name).path
        if found is not None and found in self.notes:
            return found
        return self._alias_owner(normalise(name))

    def _alias_owner(self, key: str) -> str | None:
        """The note with an alias whose :func:`normalise` d form is ``key`` (the last in path
        order, if several): from the index's ``aliases`` table when it holds this vault,
        so that one name does not decode every note's aliases."""
        conn = open_tables(self)
        if conn is None:
            return self._aliases.get(key)
        # NOCASE folds ASCII letters only and trim() strips spaces only: exact for printable
        # ASCII aliases; any other alias is compared here, in Python.
        found = [path for path, alias in conn.execute(
            "SELECT path, alias FROM aliases WHERE trim(alias) = ? COLLATE NOCASE "
            "OR alias GLOB '*[^ -~]*' ORDER BY path, seq", (key,))
            if normalise(alias) == key]
        return found[-1] if found else None

    def note(self, name: str) -> Note:
        path = self.find(name)
        if path is None:
            raise NoteNotFound(f"no note named {name!r} in {self.root}")
        return self.notes[path]

    def link_targets(self, path: str) -> tuple[str, ...]:
        """The ``target`` column of :meth:`link_rows`, which is cheaper to read alone."""
        return self.notes.link_targets(path)

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

    # -- derived views (built on first use, then kept) --------------------------------

    def derived(self, build: Callable[[Vault], T]) -> T:
        """``build(self)``, made once per vault (with the cyclic GC paused) and then kept:
        the one cache behind :attr:`graph`, :attr:`mentions`, :meth:`tables` and the query
        lookups. The vault is immutable once loaded, so nothing here goes stale."""
        if build not in self._derived:
            with gc_paused():
                self._derived[build] = build(self)
        return cast(T, self._derived[build])

    def built(self, build: Callable[[Vault], T]) -> T | None:
        """What :meth:`derived` made with ``build``, or None if nothing asked for it yet."""
        return cast("T | None", self._derived.get(build))

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The link graph: one edge per link occurrence (see :mod:`vaultkit.views.graph`)."""
        return self.derived(build_graph)

    @property
    def mentions(self) -> pd.DataFrame:
        """Every link occurrence with its context (see :mod:`vaultkit.views.mentions`)."""
        return self.derived(build_mentions)

    def tables(self) -> pd.DataFrame:
        """One row per table: path, number (1-based in its note), line, heading, columns,
        rows. Built once per vault; copy it before changing it."""
        return self.derived(table_list)

    def table(self, path: str, number: int) -> pd.DataFrame:
        """Table ``number`` (1-based) of the note at ``path`` (or its name) as a DataFrame."""
        return table_frame(find_table(self, path, number).table)

    def query(self, dql: str) -> pd.DataFrame:
        """The result of the Dataview query ``dql`` as a DataFrame: its columns, one row per
        result row, links as vault paths, dates as Timestamps (see ``docs/dataview.md``).

        >>> Vault.load("vault").query('TABLE ticker FROM #entity')  # doctest: +SKIP
        """
        # The engine loads when first asked: a graph command must not pay for it.
        from vaultkit.dataview.engine import run_query
        from vaultkit.lang.pages import Pages
        from vaultkit.lang.values import to_frame as values_frame

        result = run_query(dql, self.derived(Pages))
        return values_frame(list(result.columns), [list(row) for row in result.rows])

    def base(self, path: str | Path, view: str | None = None) -> pd.DataFrame:
        """A view of the Obsidian base ``path`` (a ``.base`` file; the first view unless
        ``view`` names one) as a DataFrame, one row per file; a grouped view has its group
        key first, and ``frame.attrs`` holds ``"groups"`` and ``"summaries"``. See
        ``docs/bases.md``."""
        # The engine loads when first asked: a graph command must not pay for it.
        from vaultkit.bases.load import evaluate_base
        from vaultkit.bases.output import to_frame

        return to_frame(evaluate_base(self, path, view))
