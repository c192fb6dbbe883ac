"""One digest of a vault's listing, so that a warm load of an unchanged vault reads no row.

A warm load used to read every note's row of the index (path, size, time, digest, aliases:
100,000 rows, 0.3 s) to compare each with the file's stat. The index now also keeps, in
``meta.listing``, a digest of what it holds: every note's path, size and mtime and every
attachment's path, written in the same transaction as the rows. A load digests the listing
it has just made the same way: when the two agree, every note's row is current (the same
trust as comparing them one by one, since the digest covers exactly those fields) and
the load reads nothing else. When they differ the load compares row by row, as before.

No digest is kept while some note's identity is not trusted (``mtime_ns`` 0: a file
modified too recently to trust its time, see :data:`vaultkit.index.store.RACY_NS`, or a
note the index does not keep): such a vault is always compared row by row.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Sequence

from vaultkit.index.relational import files_key


def listing_key(notes: Sequence[str], sizes: Sequence[int], mtimes: Sequence[int],
                attachments: Sequence[str]) -> str | None:
    """The digest of a listing: note paths with sizes and mtimes (aligned), attachment
    paths; None when some note's mtime is 0 (not to be trusted) or the lists disagree."""
    if len(sizes) != len(notes) or len(mtimes) != len(notes) or 0 in mtimes:
        return None
    h = hashlib.blake2b(digest_size=16)
    h.update(files_key(notes, attachments).encode())
    h.update(array("q", sizes).tobytes())
    h.update(array("q", mtimes).tobytes())
    return h.hexdigest()
