"""Resolve link targets to vault paths the way Obsidian does.

Matching is case-insensitive (lower case) and Unicode-NFC; ``.md`` is optional; a target may name a
path suffix (``dir/Note``). When several files match, Obsidian's order decides: a file whose
vault path is the target itself, else the one file in the linking note's own folder, else the
one with the shortest path if it is unique; a tie is ambiguous and resolves to nothing
(reported, never guessed).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass


def normalise(name: str) -> str:
    """The key Obsidian compares names by: NFC, lower-cased, trimmed.

    Lower-casing, not ``casefold``: Obsidian compares ``toLowerCase()`` keys, so
    ``[[Strasse]]`` does not find ``Straße.md``.
    """
    return unicodedata.normalize("NFC", name).strip().lower()


def _depth(path: str) -> int:
    return path.count("/")


@dataclass(frozen=True, slots=True)
class Resolution:
    path: str | None
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.path is None and len(self.candidates) > 1


class Resolver:
    """Index of every file in the vault by the names a link may use for it."""

    def __init__(self, notes: Iterable[str], attachments: Iterable[str]) -> None:
        self._by_name: dict[str, list[str]] = defaultdict(list)
        for path in notes:
            self._by_name[normalise(_basename(path)[:-3])].append(path)
        for path in attachments:
            self._by_name[normalise(_basename(path))].append(path)
        self._stems: dict[str, str] = {}  # normalised path without ".md", when needed
        self._cache: dict[str, Resolution] = {}

    def resolve(self, target: str, source: str | None = None) -> Resolution:
        """Where ``target`` points; ``source`` is the vault path of the note the link is in.

        Obsidian prefers, among several files of that name, the one in the linking note's
        own folder (``[[Templates]]`` in ``Plugins/Core plugins.md`` is
        ``Plugins/Templates.md`` even beside ``Web Clipper/Templates.md``); an exact vault
        path still wins over it.
        """
        key = normalise(target).replace("\\", "/").lstrip("/")
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._resolve(key)
        if source is None or len(cached.candidates) < 2 or _is_path(cached.path, key):
            return cached
        folder = normalise(_folder(source))
        near = [p for p in cached.candidates if normalise(_folder(p)) == folder]
        if len(near) == 1:
            return Resolution(near[0], cached.candidates)
        return cached

    def _stem(self, path: str) -> str:
        """A file's path as a link key compares with it: normalised, without ``.md``."""
        stem = self._stems.get(path)
        if stem is None:
            stem = normalise(path)
            stem = self._stems[path] = stem[:-3] if stem.endswith(".md") else stem
        return stem

    def _resolve(self, key: str) -> Resolution:
        if key.endswith(".md"):
            key = key[:-3]
        if not key:
            return Resolution(None)
        name = key.rsplit("/", 1)[-1]
        candidates = [path for path in self._by_name.get(name, ())
                      if (stem := self._stem(path)) == key or stem.endswith("/" + key)]
        if not candidates:
            return Resolution(None)
        candidates.sort(key=lambda p: (_depth(p), p))
        if len(candidates) == 1 or _depth(candidates[0]) < _depth(candidates[1]):
            return Resolution(candidates[0], tuple(candidates))
        return Resolution(None, tuple(candidates))


def lookup_name(target: str) -> str:
    """The file name (normalised, without ``.md``) a link ``target`` is looked up by: only
    files of that name can be where it resolves.

    >>> lookup_name("Notes/Sector Rotation.md")
    'sector rotation'
    """
    key = normalise(target).replace("\\", "/").lstrip("/")
    return key.removesuffix(".md").rsplit("/", 1)[-1]


def named(paths: Iterable[str], names: Container[str], *, notes: bool) -> list[str]:
    """The ``paths`` whose file name (without ``.md`` for ``notes``) is one of ``names``
    (:func:`lookup_name` s): all a :class:`Resolver` needs to resolve links to them."""
    if not names:  # a write that stores no link (only new file times, say)
        return []
    return [path for path in paths if file_name_key(path, notes=notes) in names]


def file_name_key(path: str, *, notes: bool) -> str:
    """The file name of ``path`` (without ``.md`` for ``notes``) as :func:`lookup_name`
    gives a target naming it."""
    base = path[path.rfind("/") + 1:len(path) - 3 if notes else len(path)]
    # NFC leaves ASCII as it is: normalising most names is a strip and a lower.
    return base.strip().lower() if base.isascii() else normalise(base)


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _is_path(path: str | None, key: str) -> bool:
    """Whether ``path`` is the file the target names by its full vault path."""
    if path is None:
        return False
    stem = normalise(path)
    return key in (stem, stem[:-3] if stem.endswith(".md") else stem)


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]
