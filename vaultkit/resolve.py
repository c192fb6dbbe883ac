"""Resolve link targets to vault paths the way Obsidian does.

Matching is case-insensitive (lower case) and Unicode-NFC; ``.md`` is optional; a target may name a
path suffix (``dir/Note``). When several files match, the one with the shortest path wins
if it is unique; a tie is ambiguous and resolves to nothing (reported, never guessed).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
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
        self._cache: dict[str, Resolution] = {}

    def resolve(self, target: str) -> Resolution:
        key = normalise(target).replace("\\", "/").lstrip("/")
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._resolve(key)
        return cached

    def _resolve(self, key: str) -> Resolution:
        if key.endswith(".md"):
            key = key[:-3]
        if not key:
            return Resolution(None)
        name = key.rsplit("/", 1)[-1]
        candidates = [p for p in self._by_name.get(name, []) if _matches(p, key)]
        if not candidates:
            return Resolution(None)
        candidates.sort(key=lambda p: (_depth(p), p))
        if len(candidates) == 1 or _depth(candidates[0]) < _depth(candidates[1]):
            return Resolution(candidates[0], tuple(candidates))
        return Resolution(None, tuple(candidates))


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _matches(path: str, key: str) -> bool:
    stem = normalise(path)
    if stem.endswith(".md"):
        stem = stem[:-3]
    return stem == key or stem.endswith("/" + key)
