"""Link queries over the mentions table: backlinks, outgoing links, unresolved, orphans.

Each returns a DataFrame in a fixed order, so the same vault always prints the same table.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from vaultkit.queries.lookup import find_node, mention_lookup, target_rows
from vaultkit.vault import Vault
from vaultkit.views.mentions import mention_table

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

    >>> backlinks(vault, "NVIDIA")[["path", "line"]].head(2)
                            path  line
    0  Entities/Michael Burry.md    11
    1  Entities/Michael Burry.md    13
    """
    key = find_node(vault, name)
    # Only the rows wanted, not a filter of vault.mentions: one query need not pay for
    # the whole table.
    rows = mention_table(vault).frame(target_rows(vault, key))
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
    table = mention_table(vault)
    sources = table.source  # sorted: the note's rows are one run
    rows = table.frame(range(bisect.bisect_left(sources, key), bisect.bisect_right(sources, key)))
    rows["name"] = rows["target_name"]
    rows["path"] = rows["resolved"]
    rows["count"] = rows.groupby("target")["line"].transform("size").astype("int64")
    rows = rows.sort_values(["line"], kind="stable", ignore_index=True)
    return rows.loc[:, list(LINK_COLUMNS)]


def unresolved(vault: Vault) -> pd.DataFrame:
    """Link targets with no file: entities (and missing attachments), with where they are
    linked from as ``path:line``, most linked first."""
    import pandas as pd

    index = mention_lookup(vault)
    by_target = index.by_target.rows
    attachments = set(vault.attachments)
    # Unresolved targets are cited from everywhere: two whole columns read once beat
    # making an occurrence record for each of their rows.
    table = mention_table(vault)
    sources, lines = table.source, table.column("line")
    found = sorted(((key, by_target[key]) for key in by_target
                    if key not in vault.notes and key not in attachments),
                   key=lambda item: (-len(item[1]), index.label(item[0]).casefold(), item[0]))
    records = [{
        "name": index.label(key), "kind": index.kinds[key], "count": len(rows),
        "notes": len({sources[i] for i in rows}),
        "where": [f"{sources[i]}:{lines[i]}" for i in rows],
    } for key, rows in found]
    return pd.DataFrame(records, columns=list(UNRESOLVED_COLUMNS))


def orphans(vault: Vault) -> pd.DataFrame:
    """Notes with no links in or out (self links do not count), by path."""
    import pandas as pd

    linked = mention_lookup(vault).neighbours
    records = [{"path": path, "title": note.title, "folder": note.folder}
               for path in sorted(vault.notes) if path not in linked
               for note in [vault.notes[path]]]
    return pd.DataFrame(records, columns=list(ORPHAN_COLUMNS))
