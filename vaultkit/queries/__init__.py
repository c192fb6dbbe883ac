"""Read-only questions asked of a loaded vault; each returns a DataFrame or plain records.

>>> from vaultkit.queries import backlinks, related
>>> sorted(related(vault, "NVIDIA", top=3)["name"])[:1]
['Microsoft']
>>> "Entities/Palantir.md" in set(backlinks(vault, "NVIDIA")["path"])
True
"""

from vaultkit.queries.links import backlinks, links, orphans, unresolved
from vaultkit.queries.related import related
from vaultkit.queries.structure import hubs, path
from vaultkit.queries.tags import tag_counts
from vaultkit.queries.unlinked import unlinked

__all__ = ["backlinks", "hubs", "links", "orphans", "path", "related", "tag_counts",
           "unlinked", "unresolved"]
