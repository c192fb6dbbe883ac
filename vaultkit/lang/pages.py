"""A page: one note's fields as a query sees them, built lazily from a loaded Vault.

``Pages(vault)`` is the vault's pages by path; ``page.get("sector")`` is the typed value of a
field (frontmatter and inline fields merged, Dataview's key normalisation), ``page.get("file")``
the implicit ``file.*`` object, whose costly members (``inlinks``, ``tasks``, ``lists``,
``ctime``…) are computed only when a query reads them.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from vaultkit.index.table_notes import NoteFields, TableNotes, table_notes
from vaultkit.lang.fields import merged_keys, merged_value
from vaultkit.lang.lists import ListItem, list_objects, scan_list_items
from vaultkit.lang.literals import parse_date, parse_frontmatter_value, parse_inline_value
from vaultkit.lang.values import Link, Value
from vaultkit.model import note_name

if TYPE_CHECKING:
    from vaultkit.vault import Vault

#: Reads a note file's (size, ctime, mtime); tests swap it to pin the clock.
StatReader = Callable[[str], tuple[int, dt.datetime, dt.datetime]]
#: Types a field's raw value (frontmatter or inline), resolving links with the resolver.
Typer = Callable[[Any, Callable[[str], str | None]], Value]
#: A value not typed yet.
_UNTYPED: Any = object()

class LazyObject(dict[str, Any]):
    """A dict whose values are computed on first read (``file.inlinks`` costs a vault-wide
    index; ``file.name`` must not pay for it). Iterating or sizing it computes them all.
    Each builder is called with ``args`` (so one table of builders serves every page)."""

    def __init__(self, builders: dict[str, Callable[..., Value]],
                 optional: frozenset[str] = frozenset(), *args: Any) -> None:
        super().__init__()
        self._builders = builders
        self._optional = optional  # keys that exist only when their value is not null
        self._args = args

    def __missing__(self, key: str) -> Value:
        build = self._builders.get(key)
        if build is None:
            raise KeyError(key)
        value = self[key] = build(*self._args)
        return value

    def get(self, key: str, default: Value = None) -> Value:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key in self._optional:
            return self.get(key) is not None
        return key in self._builders or dict.__contains__(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ordered())

    def __len__(self) -> int:
        return len(self._ordered())

    def keys(self) -> Any:
        return self._ordered().keys()

    def items(self) -> Any:
        return self._ordered().items()

    def values(self) -> Any:
        return self._ordered().values()

    def _ordered(self) -> dict[str, Value]:
        return {key: self[key] for key in self._builders
                if key not in self._optional or self[key] is not None}


def _os_stat(path: str) -> tuple[int, dt.datetime, dt.datetime]:
    info = os.stat(path)
    birth = getattr(info, "st_birthtime", info.st_ctime)
    return (info.st_size, dt.datetime.fromtimestamp(birth).replace(microsecond=0),
            dt.datetime.fromtimestamp(info.st_mtime).replace(microsecond=0))


class Pages:
    """Every note of a vault as a :class:`Page`, by vault path, in path order.

    >>> pages = Pages(Vault.load("vault"))              # doctest: +SKIP
    >>> pages["Entities/NVIDIA.md"].get("file")["name"]  # doctest: +SKIP
    'NVIDIA'
    """

    def __init__(self, vault: Vault, stat: StatReader | None = None) -> None:
        self.vault = vault
        self.paths: list[str] = sorted(vault.notes)
        self._known = frozenset(self.paths)  # membership without decoding a note
        self._stat = stat or (lambda path: _os_stat(str(vault.root / path)))
        self._pages: dict[str, Page] = {}
        self._inlinks: dict[str, list[str]] | None = None
        self._tagged: dict[str, set[str]] | None = None
        self._stats: dict[str, tuple[int, dt.datetime, dt.datetime]] = {}
        self._tables: TableNotes | bool | None = False  # False: not asked yet

    def note(self, path: str) -> NoteFields:
        """The parts of note ``path`` a page reads: from the index's tables when they hold
        the vault (no note decoded), else the decoded note."""
        if self._tables is False:
            self._tables = table_notes(self.vault)
        if isinstance(self._tables, TableNotes):
            return self._tables.note(path)
        return self.vault.notes[path]

    def __getitem__(self, path: str) -> Page:
        page = self._pages.get(path)
        if page is None:
            page = self._pages[path] = Page(self, path)
        return page

    def __contains__(self, path: str) -> bool:
        return path in self._known

    def __iter__(self) -> Iterator[Page]:
        return (self[path] for path in self.paths)

    def resolve(self, target: str, source: str | None = None) -> str | None:
        """The vault path a link target written in note ``source`` names, or None."""
        if not target:
            return source
        return self.vault.resolver.resolve(target, source).path

    def link(self, target: str, source: str | None = None, **kwargs: Any) -> Link:
        """A link to ``target`` as written in ``source``, resolved if it names a file."""
        path = self.resolve(target, source)
        return Link(path or target, resolved=path is not None, **kwargs)

    def outlinks(self, path: str) -> list[str]:
        """The vault paths (or unresolved targets) note ``path`` links to, in order,
        duplicates kept."""
        out = []
        for target in self.vault.link_targets(path):
            out.append(self.resolve(target, path) or target if target else path)
        return out

    def inlinks(self, path: str) -> list[str]:
        """The notes linking to ``path``, in path order, each once."""
        if self._inlinks is None:
            index: dict[str, list[str]] = {}
            for source in self.paths:
                for target in dict.fromkeys(self.outlinks(source)):
                    index.setdefault(target, []).append(source)
            self._inlinks = index
        return self._inlinks.get(path, [])

    def tagged(self, tag: str) -> set[str]:
        """The notes carrying ``tag`` (no ``#``, any case) or a tag nested under it."""
        if self._tagged is None:
            index: dict[str, set[str]] = {}
            for page in self:
                for name in page.tag_keys():
                    while True:
                        index.setdefault(name, set()).add(page.path)
                        if "/" not in name:
                            break
                        name = name.rsplit("/", 1)[0]
            self._tagged = index
        return self._tagged.get(tag.lstrip("#").lower(), set())

    def stat(self, path: str) -> tuple[int, dt.datetime, dt.datetime]:
        """The note file's (size, ctime, mtime), read once."""
        found = self._stats.get(path)
        if found is None:
            found = self._stats[path] = self._stat(path)
        return found


class Page:
    """One note's data: :meth:`get` a field by name (``file`` for the implicit fields)."""

    __slots__ = ("_fields", "_file", "_items", "_layout", "_raw", "_row", "_typed", "pages",
                 "path")

    def __init__(self, pages: Pages, path: str) -> None:
        self.pages = pages
        self.path = path
        self._fields: dict[str, Value] | None = None
        self._layout: dict[str, list[int]] | None = None
        self._raw: list[tuple[str, object, Typer]] = []
        self._typed: list[Value] = []
        self._file: LazyObject | None = None
        self._items: list[ListItem] | None = None
        self._row: LazyObject | None = None

    def tag_keys(self) -> tuple[str, ...]:
        """The note's tags lower-cased, without ``#`` (FROM #tag matches these)."""
        return tuple(dict.fromkeys(t[1:].lower() for t in self._etags()))

    @property
    def note(self) -> NoteFields:
        return self.pages.note(self.path)

    def get(self, name: str) -> Value:
        """A field's typed value, null when the note lacks it."""
        if name == "file":
            return self.file
        return self.fields.get(name)

    @property
    def fields(self) -> dict[str, Value]:
        """Frontmatter properties and inline fields, typed and merged as Dataview does: a
        key given more than once holds the list of its values; the normalised key
        (``key-name``) is added beside the written one."""
        if self._fields is None:
            self._fields = {key: self._merged(places)
                            for key, places in self._field_layout().items()}
        return self._fields

    def _field_layout(self) -> dict[str, list[int]]:
        """Each field's key with the places of its values (:func:`merged_keys`); a value
        is typed the first time a query reads its field (:meth:`_merged`)."""
        if self._layout is None:
            self._raw = self._raw_fields()
            self._layout = merged_keys([key for key, _, _ in self._raw])
            self._typed = [_UNTYPED] * len(self._raw)
        return self._layout

    def _merged(self, places: list[int]) -> Value:
        return merged_value([self._value(place) for place in places])

    def _value(self, place: int) -> Value:
        """The value at ``place`` typed (once: a field and its normalised key share it)."""
        value = self._typed[place]
        if value is _UNTYPED:
            _, raw, typer = self._raw[place]
            value = self._typed[place] = typer(raw, self._resolver())
        return value

    def _raw_fields(self) -> list[tuple[str, object, Typer]]:
        """Frontmatter, then fields of plain list items, then the other inline fields (the
        order Dataview gathers them in), each with how to type its value; a task's fields
        are the task's, not the page's."""
        note = self.note
        pairs: list[tuple[str, object, Typer]] = [
            (str(k), v, parse_frontmatter_value)
            for k, v in note.frontmatter.items() if k != "position"]
        task_lines = {task.line for task in note.tasks}
        inline = [f for f in note.fields if f.line not in task_lines]
        if len({f.key for f in inline}) < len(inline):
            # A repeated key lists its values in Dataview's order: plain list items' fields
            # before the others. Only then is the file read for its list items.
            kinds = {item.line: item.status is not None for item in self.list_items()}
            inline = ([f for f in inline if kinds.get(f.line) is False]
                      + [f for f in inline if f.line not in kinds])
        pairs.extend((f.key, f.value, _inline_value) for f in inline)
        return pairs

    def _resolver(self) -> Callable[[str], str | None]:
        return lambda target: self.pages.resolve(target, self.path)

    def row(self) -> dict[str, Value]:
        """Every field by name, ``file`` included: the row a query's expressions read,
        each field typed when first read (a WHERE on one field types only that one).
        Built once and shared: treat it as read-only (copy it to change it)."""
        if self._row is None:
            builders: dict[str, Callable[[], Value]] = {"file": _file_of(self)}
            for key, places in self._field_layout().items():
                if key != "file":
                    builders[key] = functools.partial(self._merged, places)
            self._row = LazyObject(builders)
        return self._row

    @property
    def file(self) -> LazyObject:
        """The implicit ``file.*`` fields, each built when first read."""
        if self._file is None:
            self._file = LazyObject(_FILE_FIELDS, frozenset({"day"}), self)
        return self._file

    def _etags(self) -> list[str]:
        """Tags as written, each once: body tags in order (Obsidian's cache), then the
        frontmatter's as Dataview reads them itself (:func:`dataview_frontmatter_tags`)."""
        body = ["#" + t.name for t in self.note.tag_occurrences if t.source != "frontmatter"]
        return list(dict.fromkeys(body + dataview_frontmatter_tags(self.note.frontmatter)))

    def _outlinks(self) -> list[Link]:
        """Frontmatter links, then body links in order (duplicates kept), then embeds."""
        links = sorted(self.note.links, key=lambda link: (
            0 if link.kind == "frontmatter" else 2 if link.embed else 1))
        out = []
        for link in links:
            target = self.pages.resolve(link.target, self.path) if link.target else self.path
            subpath, kind = link.heading, "header"
            if link.block:
                subpath, kind = link.block, "block"
            out.append(Link(target or link.target, None, subpath, link.embed,
                            kind if subpath else "file", target is not None))
        return out

    def _tags(self) -> list[str]:
        full: dict[str, None] = {}
        for tag in self._etags():
            while True:
                full.setdefault(tag, None)
                if "/" not in tag:
                    break
                tag = tag.rsplit("/", 1)[0]
        return list(full)

    def _day(self) -> Value:
        """``file.day``: a ``date``/``day`` field holding a date, else a date in the name."""
        for key, value in self.fields.items():
            if key.lower() not in ("date", "day"):
                continue
            if isinstance(value, list) and value and isinstance(value[0], dt.date):
                return value[0]
            if isinstance(value, dt.date):
                return value
        name = note_name(self.path)
        match = re.search(r"(\d{4})-(\d{2})-(\d{2})", name) or re.search(r"(\d{4})(\d{2})(\d{2})",
                                                                          name)
        if match:
            found = parse_date("-".join(match.groups()))
            return found[0] if found else None
        return None

    def _list_objects(self) -> list[dict[str, Value]]:
        return list_objects(self.path, self.list_items(), self.note.headings, self.note.fields,
                            self._resolver())

    def list_items(self) -> list[ListItem]:
        if self._items is None:
            try:
                text = (self.pages.vault.root / self.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._items = scan_list_items(text)
        return self._items


def _file_of(page: Page) -> Callable[[], Value]:
    return lambda: page.file


def _inline_value(raw: object, resolve: Callable[[str], str | None]) -> Value:
    return parse_inline_value(str(raw), resolve)


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _extension(path: str) -> str:
    return path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""


#: The implicit ``file.*`` fields: how each is computed from its page (one table for all).
_FILE_FIELDS: dict[str, Callable[[Page], Value]] = {
    "path": lambda page: page.path,
    "folder": lambda page: _folder(page.path),
    "name": lambda page: note_name(page.path),
    "link": lambda page: Link(page.path, resolved=True),
    "ext": lambda page: _extension(page.path),
    "outlinks": lambda page: page._outlinks(),
    "inlinks": lambda page: [Link(p, resolved=True) for p in page.pages.inlinks(page.path)],
    "etags": lambda page: page._etags(),
    "tags": lambda page: page._tags(),
    "aliases": lambda page: list(page.note.aliases),
    "tasks": lambda page: [t for t in page._list_objects() if t["task"]],
    "lists": lambda page: page._list_objects(),
    "frontmatter": lambda page: dict(page.note.frontmatter),
    "size": lambda page: page.pages.stat(page.path)[0],
    "ctime": lambda page: page.pages.stat(page.path)[1],
    "cday": lambda page: page.pages.stat(page.path)[1].date(),
    "mtime": lambda page: page.pages.stat(page.path)[2],
    "mday": lambda page: page.pages.stat(page.path)[2].date(),
    "starred": lambda page: False,
    "day": lambda page: page._day(),
}


_TAG_SEPARATORS = re.compile(r"[,\s]+")


def dataview_frontmatter_tags(frontmatter: dict[str, Any]) -> list[str]:
    """The ``tags``/``tag`` properties as Dataview reads them (``extractTags`` and
    ``splitFrontmatterTagOrAlias`` in its ``markdown-file.ts``): every string, in a list or
    alone, split on commas and whitespace, each with a ``#``. Obsidian's own cache (the
    parser's rule) reads ``tags: energy etf`` as no tag at all; Dataview, which queries
    through this rule, sees two.

    >>> dataview_frontmatter_tags({"tags": "energy, etf", "Tag": ["#macro x"]})
    ['#energy', '#etf', '#macro', '#x']
    """
    found: list[str] = []

    def split(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                if item:
                    split(item)
        elif value is not None:
            found.extend(t if t.startswith("#") else "#" + t
                         for t in _TAG_SEPARATORS.split(str(value)) if t.strip())

    for key, value in frontmatter.items():
        if key.lower() in ("tags", "tag"):
            split(value)
    return found

