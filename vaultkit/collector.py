"""Building many small records without the cyclic garbage collector in the way."""

from __future__ import annotations

import contextlib
import gc
import weakref
from collections.abc import Callable, Iterator
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many small acyclic records (decoding notes, the
    mentions table, the query index, scoring ``related``).

    Left running, the collector rescans the growing vault every few thousand allocations
    (over half the decode time); left paused, its first pass afterwards scans them all at
    once (~50 ms after each ``related`` on a 10,000-note vault). ``freeze()`` +
    ``unfreeze()`` instead files everything young straight into the oldest generation, in
    constant time, unless the program froze objects of its own.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def built_once(cache: weakref.WeakKeyDictionary[K, V], key: K, build: Callable[[K], V]) -> V:
    """``cache[key]``, made by ``build(key)`` (with the collector paused) on first use: the
    per-vault views (mentions table, query index) are cached this way."""
    found = cache.get(key)
    if found is None:
        with gc_paused():
            found = cache[key] = build(key)
    return found
