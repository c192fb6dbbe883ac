"""The rows a base runs over: every file of the vault (notes, attachments, other bases),
with Bases' file properties and a note's typed frontmatter, read lazily."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vaultkit.bases.dates import parse_date
from vaultkit.index.table_notes import NoteFields, TableNotes, table_notes
from vaultkit.lang.values import Link
from vaultkit.model import Link as NoteLink

if TYPE_CHECKING:
    from vaultkit.vault import Vault

#: A file's (ctime, mtime); the conformance harness fixes them, a vault reads them.
Times = Callable[[str], tuple[dt.datetime, dt.datetime]]

_WIKILINK = re.compile(r"^\s*!?\[\[([^\]|#^]*)(?:#\^?([^\]|]*))?(?:\|([^\]]*))?\]\]\s*$")


def disk_times(root: os.PathLike[str] | str) -> Times:
    """Times from the file system: birth time where the OS keeps it, else the earlier of
    the change and modification times; local wall-clock time."""

    def times(path: str) -> tuple[dt.datetime, dt.datetime]:
        info = os.stat(os.path.join(root, path))
        born = getattr(info, "st_birthtime", None) or min(info.st_ctime, info.st_mtime)
        return dt.datetime.fromtimestamp(born), dt.datetime.fromtimestamp(info.st_mtime)

    return times


@dataclass(slots=True, eq=False)
class FileRecord:
    """One file of the vault as Bases sees it; note data and disk reads happen on first use."""

    path: str
    files: VaultFiles
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def basename(self) -> str:
        name = self.name
        return name.rsplit(".", 1)[0] if "." in name[1:] else name

    @property
    def ext(self) -> str:
        name = self.name
        return name.rsplit(".", 1)[1] if "." in name[1:] else ""

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else "/"

    @property
    def note(self) -> NoteFields | None:
        """The note's parts Bases reads (from the index's tables when they hold the vault),
        None for a file that is not a note."""
        return self.files.note(self.path)

    def properties(self) -> dict[str, Any]:
        """The note's frontmatter as typed values (dates, links); empty for other files."""
        found = self._cache.get("properties")
        if found is None:
            note = self.note
            found = {} if note is None else {
                k: self.files.typed(v, self.path) for k, v in note.frontmatter.items()}
            self._cache["properties"] = found
        return found

    def prop(self, name: str) -> Any:
        """One property typed (a filter on one property types only that one)."""
        found = self._cache.get("properties")
        if found is not None:
            return found.get(name)
        typed: dict[str, Any] = self._cache.setdefault("typed", {})
        if name not in typed:
            note = self.note
            frontmatter = {} if note is None else note.frontmatter
            typed[name] = (self.files.typed(frontmatter[name], self.path)
                           if name in frontmatter else None)
        return typed[name]

    def tags(self) -> list[str]:
        """Each tag once (first spelling), frontmatter tags first, then the body's."""
        found = self._cache.get("tags")
        if found is not None:
            return found  # type: ignore[no-any-return]
        note = self.note
        if note is None:
            return []
        # Every occurrence is a frontmatter's or a body's, so these two passes also hold
        # each of ``note.tags`` (the same names, deduplicated).
        seen: dict[str, str] = {}
        occurrences = note.tag_occurrences
        for occurrence in occurrences:
            if occurrence.source == "frontmatter":
                seen.setdefault(occurrence.name.casefold(), occurrence.name)
        for occurrence in occurrences:
            if occurrence.source != "frontmatter":
                seen.setdefault(occurrence.name.casefold(), occurrence.name)
        self._cache["tags"] = list(seen.values())
        return self._cache["tags"]  # type: ignore[no-any-return]

    def links(self) -> list[Link]:
        """Internal links of the note, frontmatter included, embeds excluded."""
        note = self.note
        return [] if note is None else [self.files.link(k, self.path) for k in note.links
                                        if not k.embed]

    def embeds(self) -> list[Link]:
        note = self.note
        return [] if note is None else [self.files.link(k, self.path) for k in note.links
                                        if k.embed]

    def link_paths(self) -> set[str]:
        found = self._cache.get("link_paths")
        if found is None:
            found = {link.path for link in self.links()}
            self._cache["link_paths"] = found
        return found

    def backlinks(self) -> list[Link]:
        return [Link(p, resolved=True) for p in self.files.backlinks().get(self.path, ())]

    def size(self) -> int:
        try:
            return os.path.getsize(self.files.vault.root / self.path)
        except OSError:
            return 0

    def ctime(self) -> dt.datetime:
        return self.files.times(self.path)[0]

    def mtime(self) -> dt.datetime:
        return self.files.times(self.path)[1]


class VaultFiles:
    """Every file of a vault as a :class:`FileRecord`, in path order, with link resolution."""

    def __init__(self, vault: Vault, times: Times | None = None) -> None:
        self.vault = vault
        self.times: Times = times or disk_times(vault.root)
        paths = sorted({*vault.notes, *vault.attachments})
        self.records = [FileRecord(p, self) for p in paths]
        self.by_path = {r.path: r for r in self.records}
        self._backlinks: dict[str, list[str]] | None = None
        self._tables: TableNotes | bool | None = False  # False: not asked yet

    def note(self, path: str) -> NoteFields | None:
        """Note ``path``'s parts read from the index's tables when they hold the vault (no
        note decoded), else the decoded note; None when ``path`` is not a note."""
        if path not in self.vault.notes:
            return None
        tables = self._table_notes()
        return tables.note(path) if tables is not None else self.vault.notes[path]

    def _table_notes(self) -> TableNotes | None:
        if self._tables is False:
            self._tables = table_notes(self.vault)
        return self._tables if isinstance(self._tables, TableNotes) else None

    def find(self, name: str, source: str | None = None) -> FileRecord | None:
        """The file a path or link text names (``Entities/XLE.md``, ``XLE``, ``[[XLE]]``)."""
        match = _WIKILINK.match(name)
        target = match.group(1).strip() if match else name.strip()
        if target in self.by_path:
            return self.by_path[target]
        found = self.vault.resolver.resolve(target, source).path
        return self.by_path.get(found) if found else None

    def link(self, link: NoteLink, source: str) -> Link:
        resolved = self.vault.resolve(link, source)
        subpath = link.block if link.block is not None else link.heading
        return Link(resolved or link.target, link.display, subpath, link.embed,
                    "block" if link.block is not None else ("header" if link.heading else "file"),
                    resolved is not None)

    def parse_link(self, text: str, source: str | None, display: str | None = None) -> Link:
        """A Link from ``[[T#h|d]]`` text or a bare path/name, resolved from ``source``."""
        match = _WIKILINK.match(text)
        if match:
            target, subpath, written = match.groups()
            display = display if display is not None else written
        else:
            target, subpath = text, None
        target = target.strip()
        if not target and source is not None:
            return Link(source, display, subpath, resolved=True)
        found = self.find(target, source)
        return Link(found.path if found else target, display, subpath,
                    resolved=found is not None)

    def typed(self, value: Any, source: str) -> Any:
        """A frontmatter value as Bases types it: ``[[X]]`` text is a link, ISO date text
        a date (or a datetime with its time), lists and objects element by element."""
        if isinstance(value, str):
            if value.startswith(("[[", "![[")) and _WIKILINK.match(value):
                return self.parse_link(value, source)
            if value[:1].isdigit() and len(value) >= 10:
                date = parse_date(value)
                if date is not None:
                    return date
            return value
        if isinstance(value, list):
            return [self.typed(v, source) for v in value]
        if isinstance(value, dict):
            return {k: self.typed(v, source) for k, v in value.items()}
        return value

    def backlinks(self) -> dict[str, list[str]]:
        """Vault path → the notes linking to it (each once, in path order)."""
        tables = self._table_notes() if self._backlinks is None else None
        if tables is not None:
            self._backlinks = tables.backlinks()  # from the links table: no note decoded
        if self._backlinks is None:
            found: dict[str, list[str]] = {}
            for ref in self.vault.link_refs():
                if ref.resolved is not None and ref.resolved != ref.source:
                    sources = found.setdefault(ref.resolved, [])
                    if not sources or sources[-1] != ref.source:
                        sources.append(ref.source)
            self._backlinks = found
        return self._backlinks
