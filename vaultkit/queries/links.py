"""Link queries over the mentions table: backlinks, outgoing links, unresolved, orphans.

Each returns a DataFrame in a fixed order, so the same vault always prints the same table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..vault import Vault
from .index import find_node, mention_index

if TYPE_CHECKING:
    import pandas as pd

BACKLINK_COLUMNS = ("path", "line", "count", "kind", "display", "section", "block", "column")
LINK_COLUMNS = ("name", "path", "target_kind", "line", "count", "kind", "heading", "display",
                "section", "block", "column")
UNRESOLVED_COLUMNS = ("name", "kind", "count", "notes", "where")
ORPHAN_COLUMNS = ("path", "title", "folder")


def backlinks(vault: Vault, name: str) -> pd.DataFrame:
    """Every occurrence of a link to ``name`` (note, attachment or unresolved entity).

    One row per occurrence, by linking note then line; ``count`` is how many times that
    note links it.

    >>> backlinks(vault, "NVIDIA")[["path", "line"]]   # doctest: +SKIP
                     path  line
    0  Sector Rotation.md    78
    """
    key = find_node(vault, name)
    frame = vault.mentions
    rows = frame[frame["target"] == key].copy()
    rows["path"] = rows["source"]
    rows["count"] = rows.groupby("source")["line"].transform("size").astype("int64")
    rows = rows.sort_values(["path", "line"], kind="stable", ignore_index=True)
    return rows.loc[:, list(BACKLINK_COLUMNS)]


def links(vault: Vault, name: str) -> pd.DataFrame:
    """Every link written in note ``name``, in document order.

    ``path`` is where the link resolves (null for an unresolved entity); ``count`` how many
    times the note links that target.
    """
    key = find_node(vault, name)
    frame = vault.mentions
    rows = frame[frame["source"] == key].copy()
    rows["name"] = rows["target_name"]
    rows["path"] = rows["resolved"]
    rows["count"] = rows.groupby("target")["line"].transform("size").astype("int64")
    rows = rows.sort_values(["line"], kind="stable", ignore_index=True)
    return rows.loc[:, list(LINK_COLUMNS)]


def unresolved(vault: Vault) -> pd.DataFrame:
    """Link targets with no file: entities (and missing attachments), with where they are
    linked from as ``path:line``, most linked first."""
    import pandas as pd

    frame = vault.mentions
    rows = frame[frame["resolved"].isna()]
    index = mention_index(vault)
    records = []
    for key, group in rows.groupby("target", sort=True):
        records.append({
            "name": index.label(str(key)), "kind": group["target_kind"].iloc[0],
            "count": len(group), "notes": group["source"].nunique(),
            "where": [f"{s}:{n}" for s, n in zip(group["source"], group["line"], strict=True)],
        })
    records.sort(key=lambda r: (-len(r["where"]), str(r["name"]).casefold()))
    return pd.DataFrame(records, columns=list(UNRESOLVED_COLUMNS))


def orphans(vault: Vault) -> pd.DataFrame:
    """Notes with no links in or out (self links do not count), by path."""
    import pandas as pd

    frame = vault.mentions
    linked = set(frame["source"]) | set(frame["target"])
    records = [{"path": path, "title": note.title, "folder": note.folder}
               for path, note in sorted(vault.notes.items()) if path not in linked]
    return pd.DataFrame(records, columns=list(ORPHAN_COLUMNS))
