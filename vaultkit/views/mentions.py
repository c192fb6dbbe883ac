"""The mentions table: one row per link occurrence, with where it sits in its note.

Every graph query (backlinks, related, hubs, path, the graph itself) is computed from this
one table, so a filter applied to it applies to every kind of evidence alike.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

from vaultkit.index.link_rows import FIELDS as LINK_FIELDS
from vaultkit.index.link_rows import LinkRows
from vaultkit.index.relational import ATTACHMENT_EXTENSIONS, entity_key, is_attachment_name
from vaultkit.model import note_name

if TYPE_CHECKING:
    import pandas as pd

    from vaultkit.vault import Vault

__all__ = ["ATTACHMENT_EXTENSIONS", "COLUMNS", "MentionTable", "build_mentions", "entity_key",
           "is_attachment_name", "mention_columns", "mention_table"]

#: Column order of :func:`build_mentions`; scripts rely on these names.
COLUMNS = (
    "source", "line", "target", "target_name", "target_kind", "resolved", "kind",
    "heading", "block_id", "display", "section", "block", "block_line", "sentence",
    "column", "table",
)

_INTEGER_TYPES = {"line": "int64", "block_line": "int64", "sentence": "int64", "table": "Int64"}


def mention_table(vault: Vault) -> MentionTable:
    """The vault's mentions table, built on first use and kept (:meth:`Vault.derived`)."""
    return vault.derived(MentionTable)


def mention_columns(vault: Vault) -> dict[str, list[Any]]:
    """The whole mentions table as one list per column (see :data:`COLUMNS`)."""
    return mention_table(vault).columns()


class MentionTable:
    """The mentions table, made column by column or row by row as queries ask.

    Built eagerly: which note each row is in (``source``) and where its link resolves
    (``target``, the node key; ``found`` holds resolved path, key, name and kind). The
    rest of a row (line, context, ...) stays in its note's link rows, not even decoded,
    until a query reads it, so a first query on a large vault reads the rows of the notes
    it looks at, not 300k rows of sixteen columns.
    """

    def __init__(self, vault: Vault) -> None:
        self._notes = vault.notes  # not the vault: the vault's cache holds this table
        self.source: list[str] = []
        self.target: list[str] = []
        self.found: list[Where] = []
        self._paths: list[str] = []  # notes with rows, sorted
        self._starts: list[int] = []  # each one's first row
        self._rows: dict[int, LinkRows] = {}  # by note number, once read
        self._kept: dict[int, list[int]] = {}  # rows kept of notes with self links
        resolve = _Resolutions(vault)
        for path in sorted(vault.notes):
            found = resolve(vault.link_targets(path), path)
            keys = [f[1] for f in found]
            keep = None
            if path in keys:  # a link resolving to its own note is a self link
                keep = [i for i, key in enumerate(keys) if key != path]
                found, keys = [found[i] for i in keep], [keys[i] for i in keep]
            if not found:
                continue
            if keep is not None:
                self._kept[len(self._paths)] = keep
            self._paths.append(path)
            self._starts.append(len(self.source))
            self.source.extend(itertools.repeat(path, len(found)))
            self.found.extend(found)
            self.target.extend(keys)
        self._columns = {"source": self.source, "target": self.target}

    def __len__(self) -> int:
        return len(self.source)

    def spans(self) -> dict[str, range]:
        """Each note with links and its rows (a note's rows are consecutive), by path."""
        ends = [*self._starts[1:], len(self.source)]
        return {path: range(start, end)
                for path, start, end in zip(self._paths, self._starts, ends, strict=True)}

    def column(self, name: str) -> list[Any]:
        """One whole column of :data:`COLUMNS`."""
        made = self._columns.get(name)
        if made is None:
            made = self._columns[name] = self._make_column(name)
        return made

    def columns(self) -> dict[str, list[Any]]:
        """Every column of the table, in :data:`COLUMNS` order."""
        return {name: self.column(name) for name in COLUMNS}

    def gather(self, names: Sequence[str], rows: Sequence[int]) -> list[list[Any]]:
        """Columns ``names`` of the given rows only, in the order of ``rows``."""
        if _is_span(rows) and len(rows):
            note = bisect.bisect_right(self._starts, rows.start) - 1
            start = self._starts[note]
            if rows.stop <= self._end(note):
                span = range(rows.start - start, rows.stop - start)
                return self._take(names, rows, [self._note_rows(note)], [], span)
        # Rows of many notes: find each row's note once, not once per column.
        notes = [bisect.bisect_right(self._starts, i) - 1 for i in rows]
        held = [self._note_rows(n) for n in notes]
        local = [i - self._starts[n] for i, n in zip(rows, notes, strict=True)]
        return self._take(names, rows, held, local)

    def frame(self, rows: Sequence[int] | None = None) -> pd.DataFrame:
        """The table (or only ``rows`` of it) as a DataFrame with fixed column types."""
        import pandas as pd

        values = self.columns() if rows is None else dict(
            zip(COLUMNS, self.gather(COLUMNS, rows), strict=True))
        return pd.DataFrame({name: pd.Series(values[name], dtype=_dtype(name))
                             for name in COLUMNS}, columns=list(COLUMNS))

    # -- internals -----------------------------------------------------------------------

    def _make_column(self, name: str) -> list[Any]:
        if name in _FOUND:
            part = _FOUND[name]
            return [f[part] for f in self.found]
        field = LINK_FIELDS.index(name)
        made: list[Any] = []
        for note in range(len(self._paths)):
            if name == "line" and note not in self._rows:  # stored apart: cheap alone
                lines = self._notes.link_lines(self._paths[note])
                keep = self._kept.get(note)
                made.extend(lines if keep is None else [lines[i] for i in keep])
            else:
                made.extend(self._note_rows(note)[field])
        return made

    def _end(self, note: int) -> int:
        """One past the last row of note number ``note``."""
        return self._starts[note + 1] if note + 1 < len(self._starts) else len(self.source)

    def _note_rows(self, note: int) -> LinkRows:
        """The link rows of note number ``note`` (self links left out), read once."""
        rows = self._rows.get(note)
        if rows is None:
            rows = self._notes.link_rows(self._paths[note])
            keep = self._kept.get(note)
            if keep is not None:
                rows = tuple(tuple(column[i] for i in keep) for column in rows)
            self._rows[note] = rows
        return rows

    def _take(self, names: Sequence[str], rows: Sequence[int], held: list[LinkRows],
              local: list[int], span: range | None = None) -> list[list[Any]]:
        """``names`` of ``rows``: from whole columns already made, the resolutions, or the
        link rows ``held`` of each row at place ``local`` in its note (or of one note, the
        rows at ``span`` in it)."""
        taken: list[list[Any]] = []
        for name in names:
            if name in self._columns:
                column = self._columns[name]
                taken.append(column[rows.start:rows.stop] if _is_span(rows)
                             else [column[i] for i in rows])
            elif name in _FOUND:
                part = _FOUND[name]
                taken.append([self.found[i][part] for i in rows])
            else:
                field = LINK_FIELDS.index(name)
                taken.append(list(held[0][field][span.start:span.stop]) if span is not None
                             else [r[field][j] for r, j in zip(held, local, strict=True)])
        return taken


def _is_span(rows: Sequence[int]) -> TypeGuard[range]:
    return isinstance(rows, range) and rows.step == 1


#: Where a link target resolves: vault path (None if unresolved), node key, name, kind.
Where = tuple[str | None, str, str, str]
#: The columns taken from :data:`Where`, by their place in it.
_FOUND = {"resolved": 0, "target": 1, "target_name": 2, "target_kind": 3}


class _Resolutions:
    """Resolves link targets for :class:`MentionTable`: once per distinct spelling, as a
    10,000-note vault has ~300k links but far fewer distinct targets; per linking note
    only for the few names several files share (the note's folder decides those)."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._known: dict[str, Where] = {}
        self._shared: set[str] = set()
        self._by_folder: dict[tuple[str, str], Where] = {}  # shared names, per note folder

    def __call__(self, names: Sequence[str], source: str) -> list[Where]:
        """Where each of ``names``, written in note ``source``, resolves."""
        found = list(map(self._known.get, names))  # mostly seen before: one C-level pass
        if None in found:
            found = [f or self._one(name, source) for f, name in zip(found, names, strict=True)]
        return found  # type: ignore[return-value]

    def _one(self, name: str, source: str) -> Where:
        if name not in self._shared:
            resolution = self._vault.resolver.resolve(name)
            if len(resolution.candidates) < 2:
                where = self._known[name] = _where(self._vault, name, resolution.path)
                return where
            self._shared.add(name)
        key = (name, source.rsplit("/", 1)[0] if "/" in source else "")
        found = self._by_folder.get(key)
        if found is None:
            found = self._by_folder[key] = _target(self._vault, name, source)
        return found


def build_mentions(vault: Vault) -> pd.DataFrame:
    """Every link occurrence in ``vault`` (self links skipped) with its context.

    Rows come in path then document order. ``target`` is the node key: the vault path of
    the note or attachment it resolves to, else the normalised name of the entity.

    >>> rows = vault.mentions.query("target == 'Entities/NVIDIA.md'")
    >>> rows[["source", "line", "block"]].head(2).values.tolist()
    [['Entities/Michael Burry.md', 11, 'paragraph'], ['Entities/Michael Burry.md', 13, 'paragraph']]
    """
    return mention_table(vault).frame()


def _dtype(name: str) -> str:
    """A column's type, the same in every vault: integers, else text (missing is NA)."""
    return _INTEGER_TYPES.get(name, "str")


def _target(vault: Vault, target: str, source: str | None = None) -> Where:
    """Where a link target (written in ``source``) resolves: node key, display name, kind."""
    return _where(vault, target, vault.resolver.resolve(target, source).path)


def _where(vault: Vault, target: str, resolved: str | None) -> Where:
    if resolved is None:
        kind = "attachment" if is_attachment_name(target) else "entity"
        return None, entity_key(target), target.removesuffix(".md"), kind
    if resolved in vault.notes:
        return resolved, resolved, note_name(resolved), "note"
    return resolved, resolved, resolved.rsplit("/", 1)[-1], "attachment"
