"""A page: one note's fields as a query sees them, built lazily from a loaded Vault.

``Pages(vault)`` is the vault's pages by path; ``page.get("sector")`` is the typed value of a
field (frontmatter and inline fields merged, Dataview's key normalisation), ``page.get("file")``
the implicit ``file.*`` object, whose costly members (``inlinks``, ``tasks``, ``lists``,
``ctime``…) are computed only when a query reads them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultkit.lang.literals import parse_date, parse_frontmatter_value, parse_inline_value
from vaultkit.lang.values import Link, Value
from vaultkit.model import Note, note_name

if TYPE_CHECKING:
    from vaultkit.vault import Vault

#: Reads a note file's (size, ctime, mtime); tests swap it to pin the clock.
StatReader = Callable[[str], tuple[int, dt.datetime, dt.datetime]]

_NAME_RUN = re.compile(r"[0-9\w-]+|\s+|.", re.S)


def canonical_key(key: str) -> str:
    """Dataview's ``canonicalizeVarName``: ``Key Name`` is also reachable as ``key-name``
    (letters, digits, ``_`` and ``-`` kept and lower-cased, a whitespace run becomes ``-``,
    emoji kept, other characters dropped)."""
    out = []
    for piece in _NAME_RUN.findall(key):
        if piece.isspace():
            out.append("-")
        elif re.fullmatch(r"[0-9\w-]+", piece):
            out.append(piece.lower())
        elif unicodedata.category(piece[0]) == "So":
            out.append(piece)
    return "".join(out)


class LazyObject(dict[str, Any]):
    """A dict whose values are computed on first read (``file.inlinks`` costs a vault-wide
    index; ``file.name`` must not pay for it). Iterating or sizing it computes them all."""

    def __init__(self, builders: dict[str, Callable[[], Value]],
                 optional: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self._builders = builders
        self._optional = optional  # keys that exist only when their value is not null

    def __missing__(self, key: str) -> Value:
        build = self._builders.get(key)
        if build is None:
            raise KeyError(key)
        value = self[key] = build()
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


@dataclass(frozen=True, slots=True)
class ListItem:
    """A list item (a task when ``status`` is not None) found by a line scan of the note."""

    line: int  # 1-based
    indent: int
    symbol: str
    status: str | None
    text: str
    parent: int | None  # line of the parent item


_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^([ \t>]*)([-*+]|\d+[.)])[ \t]+(?:\[(.)\][ \t]+)?(.*)$")


def scan_list_items(text: str) -> list[ListItem]:
    """Every list item of a note, with its parent by indentation; code fences and the
    frontmatter skipped."""
    items: list[ListItem] = []
    stack: list[ListItem] = []
    lines = text.split("\n")
    start, fence = 0, None
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
        start = end + 1 if end else 0
    for number in range(start, len(lines)):
        raw = lines[number].rstrip("\r")
        opener = _FENCE.match(raw)
        if opener:
            fence = None if fence == opener.group(1) else (fence or opener.group(1))
            continue
        if fence is not None:
            continue
        match = _ITEM.match(raw)
        if not match:
            if not raw.strip():
                continue
            if not raw.startswith((" ", "\t")):
                stack.clear()
            continue
        indent = len(match.group(1).expandtabs(4))
        while stack and stack[-1].indent >= indent:
            stack.pop()
        item = ListItem(number + 1, indent, match.group(2), match.group(3), match.group(4).strip(),
                        stack[-1].line if stack else None)
        items.append(item)
        stack.append(item)
    return items


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
        return self._stat(path)


class Page:
    """One note's data: :meth:`get` a field by name (``file`` for the implicit fields)."""

    __slots__ = ("_fields", "_file", "_items", "_row", "pages", "path")

    def __init__(self, pages: Pages, path: str) -> None:
        self.pages = pages
        self.path = path
        self._fields: dict[str, Value] | None = None
        self._file: LazyObject | None = None
        self._items: list[ListItem] | None = None
        self._row: dict[str, Value] | None = None

    def tag_keys(self) -> tuple[str, ...]:
        """The note's tags lower-cased, without ``#`` (FROM #tag matches these)."""
        return tuple(t.lower() for t in self.note.tags)

    @property
    def note(self) -> Note:
        return self.pages.vault.notes[self.path]

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
            self._fields = merge_fields(self._raw_fields())
        return self._fields

    def _raw_fields(self) -> list[tuple[str, Value]]:
        """Frontmatter, then fields of plain list items, then the other inline fields (the
        order Dataview gathers them in); a task's fields are the task's, not the page's."""
        note = self.note
        resolve = self._resolver()
        pairs = [(str(k), parse_frontmatter_value(v, resolve)) for k, v in note.frontmatter.items()
                 if k != "position"]
        if not note.fields:
            return pairs
        kinds = {item.line: item.status is not None for item in self.list_items()}
        items = [f for f in note.fields if kinds.get(f.line) is False]
        others = [f for f in note.fields if f.line not in kinds]
        pairs.extend((f.key, parse_inline_value(f.value, resolve)) for f in [*items, *others])
        return pairs

    def _resolver(self) -> Callable[[str], str | None]:
        return lambda target: self.pages.resolve(target, self.path)

    def row(self) -> dict[str, Value]:
        """Every field by name, ``file`` included: the row a query's expressions read.
        Built once and shared: treat it as read-only (copy it to change it)."""
        if self._row is None:
            self._row = {"file": self.file,
                         **{k: v for k, v in self.fields.items() if k != "file"}}
        return self._row

    @property
    def file(self) -> LazyObject:
        """The implicit ``file.*`` fields, each built when first read."""
        if self._file is None:
            self._file = LazyObject(self._file_builders(), frozenset({"day"}))
        return self._file

    def _file_builders(self) -> dict[str, Callable[[], Value]]:
        path, pages = self.path, self.pages
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
        builders: dict[str, Callable[[], Value]] = {
            "path": lambda: path,
            "folder": lambda: folder,
            "name": lambda: note_name(path),
            "link": lambda: Link(path, resolved=True),
            "ext": lambda: ext,
            "outlinks": self._outlinks,
            "inlinks": lambda: [Link(p, resolved=True) for p in pages.inlinks(path)],
            "etags": self._etags,
            "tags": self._tags,
            "aliases": lambda: list(self.note.aliases),
            "tasks": lambda: [t for t in self._list_objects() if t["task"]],
            "lists": self._list_objects,
            "frontmatter": lambda: dict(self.note.frontmatter),
            "size": lambda: pages.stat(path)[0],
            "ctime": lambda: pages.stat(path)[1],
            "cday": lambda: pages.stat(path)[1].date(),
            "mtime": lambda: pages.stat(path)[2],
            "mday": lambda: pages.stat(path)[2].date(),
            "starred": lambda: False,
            "day": self._day,
        }
        return builders

    def _etags(self) -> list[str]:
        """Tags as written, each once: body tags in order, then frontmatter tags."""
        tags = sorted(self.note.tag_occurrences, key=lambda t: t.source == "frontmatter")
        return list(dict.fromkeys("#" + t.name for t in tags))

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

    def list_items(self) -> list[ListItem]:
        if self._items is None:
            try:
                text = (self.pages.vault.root / self.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._items = scan_list_items(text)
        return self._items

    def _list_objects(self) -> list[dict[str, Value]]:
        """``file.lists``: each item as Dataview serialises it (task fields when a task)."""
        items = self.list_items()
        by_line: dict[int, dict[str, Value]] = {}
        result = []
        headings = self.note.headings
        field_lines: dict[int, list[tuple[str, str]]] = {}
        for field in self.note.fields:
            field_lines.setdefault(field.line, []).append((field.key, field.value))
        resolve = self._resolver()
        for item in items:
            above = [h for h in headings if h.line < item.line]
            section = (Link(self.path, subpath=above[-1].text, kind="header", resolved=True)
                       if above else Link(self.path, resolved=True))
            data: dict[str, Value] = {
                "symbol": item.symbol, "link": section, "section": section, "text": item.text,
                "line": item.line - 1, "path": self.path, "children": [],
                "task": item.status is not None, "parent": None if item.parent is None
                else item.parent - 1, "tags": re.findall(r"(?<!\S)#[^\s#]+", item.text),
                "outlinks": [], "annotated": bool(field_lines.get(item.line)),
            }
            if item.status is not None:
                data.update(status=item.status, checked=item.status != " ",
                            completed=item.status in ("x", "X"),
                            fullyCompleted=item.status in ("x", "X"))
            fields = merge_fields([(k, parse_inline_value(v, resolve))
                                   for k, v in field_lines.get(item.line, [])]
                                  + _emoji_fields(item.text) if item.status is not None
                                  else [(k, parse_inline_value(v, resolve))
                                        for k, v in field_lines.get(item.line, [])])
            for key, value in fields.items():
                data.setdefault(key, value)
            for key, alias in (("completion", "completion"), ("due", "due"),
                               ("created", "created"), ("start", "start"),
                               ("scheduled", "scheduled")):
                if isinstance(fields.get(key), dt.date):
                    data[alias] = fields[key]
            by_line[item.line] = data
            result.append(data)
        for item in items:
            if item.parent is not None and item.parent in by_line:
                children = by_line[item.parent]["children"]
                assert isinstance(children, list)
                children.append(by_line[item.line])
        for data in result:
            data["fullyCompleted"] = _fully(data) if data["task"] else data.get("fullyCompleted")
            if not data["task"]:
                data.pop("fullyCompleted", None)
        return result


_EMOJI = {"🗓️": "due", "📅": "due", "📆": "due", "✅": "completion", "➕": "created",
          "🛫": "start", "⏳": "scheduled", "⌛": "scheduled"}
_EMOJI_DATE = re.compile("(" + "|".join(map(re.escape, _EMOJI)) + r")\s*(\d{4}-\d{2}-\d{2})")


def _emoji_fields(text: str) -> list[tuple[str, Value]]:
    """The Tasks plugin's shorthands Dataview reads on a task: ``📅 2026-12-05`` is due,
    ``✅`` completion, ``➕`` created, ``🛫`` start, ``⏳`` scheduled."""
    out: list[tuple[str, Value]] = []
    for match in _EMOJI_DATE.finditer(text):
        found = parse_date(match.group(2))
        if found:
            out.append((_EMOJI[match.group(1)], found[0]))
    return out


def _fully(task: dict[str, Value]) -> bool:
    if not task.get("completed"):
        return False
    return all(_fully(c) for c in task["children"] if c.get("task"))


def merge_fields(pairs: list[tuple[str, Value]]) -> dict[str, Value]:
    """Fields as Dataview's page holds them: each key's values in order (one value stays
    itself, several become a list), then each normalised key not already present."""
    grouped: dict[str, list[Value]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    merged: dict[str, list[Value]] = dict(grouped)
    for key, values in grouped.items():
        norm = canonical_key(key)
        if not norm or norm in grouped:
            continue
        merged[norm] = [*merged.get(norm, []), *values]
    return {k: v[0] if len(v) == 1 else v for k, v in merged.items()}
