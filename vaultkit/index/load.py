"""Loading notes through the index: reuse what is unchanged, parse the rest (in parallel
when it pays), save what was parsed, and hand back a mapping that decodes lazily."""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from vaultkit.index.collector import gc_paused
from vaultkit.index.link_rows import (
    LinkRows,
    StoredLinks,
    decode_link_head,
    join_link_rows,
    link_rows,
)
from vaultkit.index.listing import Listing, changed_ranges, make_listing
from vaultkit.index.parallel import Parsed, parse_chunks, worker_count
from vaultkit.index.relational import Batch
from vaultkit.index.store import (
    BlobReader,
    FileIdentity,
    NoteIndex,
    decode_aliases,
    decode_note,
    identify_file,
)
from vaultkit.model import Note
from vaultkit.parse.load import load_note
from vaultkit.parse.scan import VaultFiles

#: Notes parsed between two writes of a big load to the index: small enough that the writes
#: overlap the parse (the last one is all that waits for it), big enough to batch them.
SAVE_EVERY = 400


@dataclass(frozen=True, slots=True)
class LoadStats:
    """What a load did: notes parsed, taken from the index, and rows dropped; ``stored``
    when the index now holds exactly the notes loaded (its tables answer for them)."""

    parsed: int
    reused: int
    removed: int
    workers: int
    indexed: bool
    stored: bool = False
    #: ``meta.links`` of the index as the load read or wrote it (see
    #: :class:`~vaultkit.index.store.BlobReader`): while it holds, so do the tables.
    version: str | None = None


def load_notes(root: Path, files: VaultFiles, *, cache: bool = True,
               workers: int | None = None) -> tuple[NoteMap, LoadStats]:
    """Parse the notes of ``files``, taking unchanged ones from the index when ``cache``.

    The result is keyed and ordered like ``files.notes`` and equals a cold parse of the
    files. The attachments decide, with the notes, where the links in the index's
    relational tables resolve. Only the index rows of the notes whose block of the listing
    changed are read (:mod:`vaultkit.index.listing`): none for an unchanged vault.
    """
    index = NoteIndex.open(root) if cache else None
    try:
        with gc_paused():  # the load makes many small acyclic records: see gc_paused
            return _load(root, files, index, workers)
    finally:
        if index is not None:
            index.close()


def _load(root: Path, files: VaultFiles, index: NoteIndex | None,
          workers: int | None) -> tuple[NoteMap, LoadStats]:
    """Take from ``index`` the notes whose rows are current, parse the others, store them
    (with the listing the index keeps from now on) and hand back the notes."""
    paths = files.notes
    kept = index.listing() if index is not None else None
    stated = len(files.sizes) == len(paths)  # the listing stat'ed every note
    ranges = (changed_ranges(kept, paths, files.sizes, files.mtimes)
              if kept is not None and stated else None)
    reidentified: list[tuple[str, FileIdentity]] = []
    gone: list[str] = []
    found = _current(root, files, index, ranges, reidentified, gone)
    parsed_aliases: dict[str, tuple[str, ...]] = {}
    links: dict[str, bytes] = {}
    identities: dict[str, FileIdentity | None] = {}  # of the notes parsed or reidentified
    todo = [rel for rel in paths if rel not in found]
    batch = Batch(os.fspath(root), paths, files.attachments, reused=len(found))
    pending: list[Parsed] = []  # parsed, not yet stored
    parsed = 0
    stored = True
    for chunk in parse_chunks(root, todo, workers, tables=index is not None):
        parsed += len(chunk)
        for p in chunk:
            found[p.path], parsed_aliases[p.path] = p.note, p.aliases
            identities[p.path] = p.identity
            if p.links is not None:
                links[p.path] = p.links
        pending.extend(chunk)
        if index is not None and stored and len(pending) >= SAVE_EVERY:
            # A big load stores as it goes: rows of 100,000 notes do not fit in memory.
            stored = _store(index, root, pending, batch, found, links)
            pending = [p for p in pending if p.identity is None] if stored else pending
    changed = bool(pending or reidentified or gone or parsed) or (
        kept is not None and not kept.same_files(paths, files.attachments))
    if index is not None and (changed or kept is None):  # an older index gets its listing
        batch.final = True
        batch.reidentified = [rel for rel, _ in reidentified]
        identities.update(reidentified)
        listing = _listing_after(files, identities) if stated else None
        saved = _store(index, root, pending, batch, found, links, reidentified,
                       gone, set(paths), listing)
        stored = (saved or not changed) and stored
        stored = stored and all(p.identity is not None for p in pending)
    stats = LoadStats(parsed, len(paths) - parsed, len(gone),
                      worker_count(len(todo), workers), index is not None,
                      index is not None and stored,
                      index.version if index is not None and stored else None)
    blobs = BlobReader(index.file, index.version) if index is not None else None
    if ranges != []:  # some were compared or parsed: back in the listing's order
        found = {rel: found[rel] for rel in paths}
    notes = NoteMap(root, found, parsed_aliases, links, blobs)
    return notes, stats


def _current(root: Path, files: VaultFiles, index: NoteIndex | None,
             ranges: list[tuple[str, str | None]] | None,
             reidentified: list[tuple[str, FileIdentity]],
             gone: list[str]) -> dict[str, Note | bytes | None]:
    """The notes whose index rows still hold their files' bytes (each None: read from the
    index when asked for). The rows outside ``ranges`` are, by their blocks' digests; those
    inside (every row when ``ranges`` is None) are compared with the listing, and hashed
    where their stamps differ. Rows of notes no longer listed join ``gone``; notes whose
    bytes are the same but whose stamps changed join ``reidentified``."""
    paths = files.notes
    found: dict[str, Note | bytes | None] = {}
    compared: set[str] = set(paths) if ranges is None else set()
    if ranges is not None:  # the notes of unchanged blocks are the rows as they are
        found = dict.fromkeys(paths)
        for low, high in ranges:
            inside = paths[bisect.bisect_left(paths, low):
                           len(paths) if high is None else bisect.bisect_left(paths, high)]
            compared.update(inside)
            for rel in inside:
                del found[rel]
    if index is None or ranges == []:
        return found
    base = os.fspath(root)
    # What the listing saw of each note (none if it did not stat them: hash them all).
    seen = dict(zip(paths, zip(files.sizes, files.mtimes, strict=True), strict=False))
    for rel, size, mtime, digest in index.rows(ranges):
        if rel not in compared:
            gone.append(rel)
        elif (mtime and seen.get(rel) == (size, mtime)) or _same_bytes(
                f"{base}/{rel}", rel, digest, (size, mtime), reidentified):
            found[rel] = None
    return found


def _listing_after(files: VaultFiles,
                   changed: dict[str, FileIdentity | None]) -> Listing:
    """The listing the index keeps once this load's last write is in: what the listing
    saw, but the new identities of the notes parsed or reidentified (mtime 0, never
    matched, for a note the index does not keep)."""
    sizes, mtimes = list(files.sizes), list(files.mtimes)
    for rel, identity in changed.items():
        at = bisect.bisect_left(files.notes, rel)
        sizes[at], mtimes[at] = (identity.size, identity.mtime_ns) if identity else (0, 0)
    return make_listing(files.notes, sizes, mtimes, files.attachments)


def _store(index: NoteIndex, root: Path, parsed: list[Parsed], batch: Batch,
           found: dict[str, Note | bytes | None], links: dict[str, bytes],
           reidentified: list[tuple[str, FileIdentity]] | None = None,
           gone: list[str] | None = None, keep: set[str] | None = None,
           listing: Listing | None = None) -> bool:
    """Store ``parsed`` notes (the final write of a load, with ``gone``, also the new
    identities and removals); once stored, a note's blobs leave memory and are read back
    from the index when asked for. False when the index could not be written."""
    kept = [p for p in parsed if p.identity is not None]
    rows = [(p.path, p.identity, p.blob(), p.aliases, p.links_blob())
            for p in parsed if p.identity is not None]
    batch.fresh = [(p.path, p.table_rows(root)) for p in kept]
    batch.final = gone is not None
    saved = index.save(rows, reidentified or [], gone, keep, batch, listing)
    batch.fresh = []
    if saved:
        for p in kept:
            if isinstance(found[p.path], bytes):  # parsed in a worker: never decoded here
                found[p.path] = None
                links.pop(p.path, None)
    return saved


def _same_bytes(file: str, rel: str, digest: bytes, stored: tuple[int, int],
                reidentified: list[tuple[str, FileIdentity]]) -> bool:
    """Whether a file whose size or time differ from its row's (``stored``), or whose time
    was not trusted, still holds the bytes the row was parsed from (same digest); if so
    and its identity changed, the new one joins ``reidentified``."""
    now = identify_file(file)
    if now is None or now.digest != digest:
        return False
    if (now.size, now.mtime_ns) != stored:
        reidentified.append((rel, now))
    return True


class NoteMap(Mapping[str, Note]):
    """The vault's notes by path, in scan order: a read-only mapping that decodes a note
    taken from the index on first access, then keeps it.

    A blob that does not decode to the note at its path (a damaged row) is replaced by a
    fresh parse of the file: a bad row costs that note's parse, never the load.
    :meth:`link_rows` reads a note's links from their own, smaller blob when it has one.

    >>> vault.notes["Sector Rotation.md"].title
    'Sector Rotation'
    """

    __slots__ = ("_blobs", "_entries", "_link_rest", "_links", "_root", "aliases")

    def __init__(self, root: Path, entries: dict[str, Note | bytes | None],
                 aliases: dict[str, tuple[str, ...]] | None = None,
                 links: dict[str, bytes] | None = None,
                 blobs: BlobReader | None = None) -> None:
        self._root = root
        # A note; its blob until first asked for; None while its blob is still in the index.
        self._entries = entries
        self._links = links or {}  # encoded link rows of notes not yet decoded
        self._blobs = blobs
        self._link_rest: dict[str, StoredLinks] = {}
        #: Every note's aliases by path, known without decoding the notes: those parsed by
        #: the load, the others' as the index stores them (read when first asked for, if
        #: the load did not read them).
        self.aliases = StoredAliases(self, aliases or {}, blobs)

    def link_targets(self, path: str) -> tuple[str, ...]:
        """The targets column of :meth:`link_rows`, decoding as little as possible."""
        stored = self._stored_links(path)
        return stored[0] if stored is not None else link_rows(self[path])[0]

    def link_lines(self, path: str) -> tuple[int, ...]:
        """The line column of :meth:`link_rows`, decoding as little as possible."""
        stored = self._stored_links(path)
        return stored[1] if stored is not None else link_rows(self[path])[1]

    def link_rows(self, path: str) -> LinkRows:
        """The note's links as :func:`vaultkit.link_rows.link_rows` gives them, without
        decoding the note when the index kept them."""
        stored = self._stored_links(path)
        if stored is not None:
            rows = join_link_rows(stored)
            if rows is not None:
                return rows
        return link_rows(self[path])

    def _stored_links(self, path: str) -> StoredLinks | None:
        """The note's stored targets, lines and the rest of its link rows, if the index
        kept them and the note has not been decoded since (then the note is quicker)."""
        if isinstance(self._entries[path], Note):
            return None
        stored = self._link_rest.get(path)
        if stored is None:
            blob = self._links.pop(path, None)
            if blob is None and self._blobs is not None:
                blob = self._blobs.get("links", path)
            stored = decode_link_head(blob, path) if blob is not None else None
            if stored is not None:
                self._link_rest[path] = stored
        return stored

    def __getitem__(self, path: str) -> Note:
        entry = self._entries[path]
        if isinstance(entry, Note):
            return entry
        if entry is None and self._blobs is not None:
            entry = self._blobs.get("note", path)
        with gc_paused():
            note = decode_note(entry) if entry is not None else None
        if note is None or note.path != path or note.aliases != self.aliases.stored(path):
            note = load_note(self._root, path)
        # Replacing the value of a present key is safe while someone iterates the dict.
        self._entries[path] = note
        return note

    def __contains__(self, path: object) -> bool:
        return path in self._entries  # without decoding, unlike Mapping's default

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        pending = sum(not isinstance(e, Note) for e in self._entries.values())
        return f"<NoteMap: {len(self)} notes, {len(self) - pending} decoded>"


class StoredAliases(Mapping[str, tuple[str, ...]]):
    """Every note's aliases by path, in the notes' order: a parsed note's own, else what the
    index's ``aliases`` column holds, read when first asked for (one row at a time, then
    the whole column: :class:`~vaultkit.index.store.BlobReader`). A note whose stored
    aliases are damaged — or are no longer the load's, as the index moved on — gives its own.
    """

    __slots__ = ("_blobs", "_decoded", "_notes", "_parsed")

    def __init__(self, notes: NoteMap, parsed: dict[str, tuple[str, ...]],
                 blobs: BlobReader | None) -> None:
        self._notes = notes
        self._parsed = parsed
        self._blobs = blobs
        self._decoded: dict[str, tuple[str, ...] | None] = {}

    def stored(self, path: str) -> tuple[str, ...] | None:
        """The aliases the load knows for ``path`` without decoding the note; None when
        the index's are damaged or no longer the load's."""
        found = self._parsed.get(path)
        if found is not None:
            return found
        if path not in self._decoded:
            text = self._blobs.aliases(path) if self._blobs is not None else None
            self._decoded[path] = decode_aliases(text) if text is not None else None
        return self._decoded[path]

    def __getitem__(self, path: str) -> tuple[str, ...]:
        if path not in self._notes:
            raise KeyError(path)
        found = self.stored(path)
        return found if found is not None else self._notes[path].aliases

    def __iter__(self) -> Iterator[str]:
        return iter(self._notes)

    def __len__(self) -> int:
        return len(self._notes)
