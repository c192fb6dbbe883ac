"""Which notes a query leaves out: those inside given folders or carrying given tags."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from vaultkit.vault import Vault


def excluded_notes(vault: Vault, folders: tuple[str, ...], tags: tuple[str, ...],
                   tagged: Callable[[], Iterable[tuple[str, str]]] | None = None) -> set[str]:
    """Paths of notes inside any of ``folders`` or carrying any of ``tags`` (nested
    tags included: excluding ``#daily`` also excludes ``#daily/work``)."""
    prefixes = tuple(f.strip("/") + "/" for f in folders if f.strip("/"))
    wanted = tuple(t.lstrip("#").casefold() for t in tags if t.lstrip("#"))
    found: set[str] = set()
    if not prefixes and not wanted:
        return found
    if prefixes:
        found.update(path for path in vault.notes if path.startswith(prefixes))
    if wanted:
        # ``tagged`` gives (path, tag) pairs from the index, without decoding a note.
        pairs = tagged() if tagged is not None else (
            (path, tag) for path, note in vault.notes.items() for tag in note.tags)
        found.update(path for path, tag in pairs if _tag_matches(tag.casefold(), wanted))
    return found


def _tag_matches(tag: str, wanted: tuple[str, ...]) -> bool:
    return any(tag == w or tag.startswith(w + "/") for w in wanted)
