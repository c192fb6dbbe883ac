"""Tag counts across the vault."""

from __future__ import annotations

from typing import Any

from vaultkit.vault import Vault


def tag_counts(vault: Vault) -> list[dict[str, Any]]:
    """Each tag (first spelling seen) with how many notes carry it and how often it occurs.

    Sorted by note count, then name, so the order never depends on scan order.
    """
    display: dict[str, str] = {}
    notes: dict[str, set[str]] = {}
    occurrences: dict[str, int] = {}
    for path, note in vault.notes.items():
        for tag in note.tag_occurrences:
            key = tag.name.casefold()
            display.setdefault(key, tag.name)
            notes.setdefault(key, set()).add(path)
            occurrences[key] = occurrences.get(key, 0) + 1
    rows = [{"tag": display[k], "notes": len(notes[k]), "occurrences": occurrences[k]}
            for k in display]
    return sorted(rows, key=lambda r: (-int(r["notes"]), str(r["tag"]).casefold()))
