"""What the index keeps of the vault's listing, so a warm load reads only rows that changed.

A warm load used to read every note's row of the index (path, size, mtime, digest: 100,000
rows) to compare each with the file's stat. The index now also keeps, in ``meta.listing``,
digests of what its rows hold, a block of :data:`BLOCK` notes (in path order) at a time:
each block's first path and the digest of its notes' paths, sizes and mtimes, plus the
digest of the set of files (attachments included). A load digests its own listing over the
same blocks: a block whose digest agrees holds exactly the rows the files would give (the
same trust as comparing them one by one, since the digest covers exactly those fields),
so only the rows of the blocks that differ are read and compared. An unchanged vault reads
no row; one edited note, one block's.

A block holding a note whose identity is not trusted (``mtime_ns`` 0: a file modified too
recently to trust its time, see :data:`vaultkit.index.store.RACY_NS`, or a note the index
does not keep) has no digest and is always compared.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from vaultkit.index.relational import files_key

#: Notes per block: small enough that one edit reads few rows, big enough that the digests
#: of 100,000 notes (98 blocks) cost nothing to keep.
BLOCK = 1024


@dataclass(frozen=True, slots=True)
class Listing:
    """Digests of the rows the index holds: ``files`` of the file set, and for each block
    its first path (``starts``, the first one ``""``) and digest (None: not trusted)."""

    files: str
    starts: tuple[str, ...]
    digests: tuple[str | None, ...]

    def to_json(self) -> str:
        return json.dumps({"files": self.files, "blocks": list(zip(self.starts, self.digests,
                                                                   strict=True))})

    @classmethod
    def from_json(cls, text: str | None) -> Listing | None:
        """The listing stored by :meth:`to_json`; None for none or a damaged one."""
        if not text:
            return None
        try:
            found = json.loads(text)
            starts, digests = zip(*found["blocks"], strict=True)
            listing = cls(str(found["files"]), tuple(starts), tuple(digests))
        except (TypeError, ValueError, KeyError):
            return None
        if (listing.starts[0] != "" or any(not isinstance(s, str) for s in listing.starts)
                or any(d is not None and not isinstance(d, str) for d in listing.digests)):
            return None
        return listing

    def same_files(self, notes: Sequence[str], attachments: Sequence[str]) -> bool:
        return self.files == files_key(notes, attachments)


def make_listing(notes: Sequence[str], sizes: Sequence[int], mtimes: Sequence[int],
                 attachments: Sequence[str]) -> Listing:
    """The listing of rows that hold ``notes`` with these sizes and mtimes (aligned, in
    path order), cut into blocks of :data:`BLOCK` notes."""
    starts = ("", *notes[BLOCK::BLOCK])
    return Listing(files_key(notes, attachments), starts,
                   tuple(block_digests(starts, notes, sizes, mtimes)))


def block_digests(starts: Sequence[str], notes: Sequence[str], sizes: Sequence[int],
                  mtimes: Sequence[int]) -> list[str | None]:
    """The digest of each block of ``notes`` (sorted) that begins at ``starts``: None for
    a block with a note whose mtime is 0 (not to be trusted)."""
    bounds = [bisect.bisect_left(notes, start) for start in starts[1:]]
    found: list[str | None] = []
    for lo, hi in zip([0, *bounds], [*bounds, len(notes)], strict=True):
        times = array("q", mtimes[lo:hi])
        if 0 in times:
            found.append(None)
            continue
        h = hashlib.blake2b(digest_size=16)
        h.update("\0".join(notes[lo:hi]).encode("utf-8", "surrogateescape") + b"\1")
        h.update(array("q", sizes[lo:hi]).tobytes())
        h.update(times.tobytes())
        found.append(h.hexdigest())
    return found


def changed_ranges(stored: Listing, notes: Sequence[str], sizes: Sequence[int],
                   mtimes: Sequence[int]) -> list[tuple[str, str | None]]:
    """The path ranges ``[low, high)`` (``high`` None: to the end) of the blocks whose rows
    may differ from the files: every block whose digest is not the listing's own."""
    now = block_digests(stored.starts, notes, sizes, mtimes)
    ranges: list[tuple[str, str | None]] = []
    for i, (kept, made) in enumerate(zip(stored.digests, now, strict=True)):
        if kept is None or kept != made:
            high = stored.starts[i + 1] if i + 1 < len(stored.starts) else None
            if ranges and ranges[-1][1] == stored.starts[i]:
                ranges[-1] = (ranges[-1][0], high)  # adjacent blocks: one range
            else:
                ranges.append((stored.starts[i], high))
    return ranges
