"""Field keys and values as Dataview keeps them on a page: each key's values merged,
every key also reachable normalised (``Key Name`` → ``key-name``)."""

from __future__ import annotations

import functools
import re
import unicodedata

from vaultkit.lang.values import Value

_NAME_RUN = re.compile(r"[0-9\w-]+|\s+|.", re.S)


@functools.lru_cache(maxsize=4096)
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


def merge_fields(pairs: list[tuple[str, Value]]) -> dict[str, Value]:
    """Fields as Dataview's page holds them: each key's values in order (one value stays
    itself, several become a list), then each normalised key not already present."""
    values = [value for _, value in pairs]
    return {key: merged_value([values[i] for i in places])
            for key, places in merged_keys([key for key, _ in pairs]).items()}


def merged_keys(keys: list[str]) -> dict[str, list[int]]:
    """The layout of :func:`merge_fields`: each merged key with the places (in ``keys``)
    of the values it holds, so a caller can type only the values a query reads."""
    grouped: dict[str, list[int]] = {}
    for place, key in enumerate(keys):
        grouped.setdefault(key, []).append(place)
    merged: dict[str, list[int]] = dict(grouped)
    for key, places in grouped.items():
        norm = canonical_key(key)
        if not norm or norm in grouped:
            continue
        merged[norm] = [*merged.get(norm, []), *places]
    return merged


def merged_value(values: list[Value]) -> Value:
    """One value stays itself; several are the list of them."""
    return values[0] if len(values) == 1 else values
