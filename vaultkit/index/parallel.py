"""Parse many notes: in this process, or across a process pool when the batch is big enough.

Parsing is pure Python and CPU-bound, so threads cannot help; processes can. Workers
send each note back already encoded for the index (:func:`vaultkit.index.store.encode_note`),
which is also the cheapest way across the process boundary. The parent does not decode
it: it stores the bytes in the index and hands them to :class:`vaultkit.index.store.NoteMap`,
which decodes a note when it is first asked for. Results come back in the order the
paths were given, so a parallel load is identical to a serial one.
"""

from __future__ import annotations

import collections
import itertools
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from vaultkit.index.collector import gc_paused
from vaultkit.index.link_rows import encode_link_rows, link_rows
from vaultkit.index.rows import NoteRows, note_rows
from vaultkit.index.store import FileIdentity, IndexWarning, encode_note, identify_file
from vaultkit.model import Note
from vaultkit.parse.load import load_note

#: Below this many notes to parse, starting workers costs more than it saves. Fork start-up
#: is ~0.1 s against ~6 ms per note, so on an idle 2-core machine the pool pays from ~50 notes
#: (``benchmarks/run.py --threshold``); with other processes busy on both cores it gained
#: nothing up to 800 notes and cost at most ~20%, so the threshold errs high. At 10,000 notes
#: it halves a cold load (32 s against 62 s in one run of ``make bench``).
MIN_PARALLEL = 150
#: Notes per task: small enough to balance the workers, big enough to amortise the IPC.
CHUNK = 40
#: Tasks per worker submitted ahead of the one being consumed: several writes' worth
#: (:data:`vaultkit.index.load.SAVE_EVERY`), so workers parse while the index is written.
AHEAD = 32


@dataclass(frozen=True, slots=True)
class Parsed:
    """A freshly parsed note, or its encoding when a worker parsed it; ``identity`` is None
    for files the index must not keep."""

    path: str
    note: Note | bytes
    identity: FileIdentity | None
    aliases: tuple[str, ...]
    links: bytes | None = None  # the encoded link rows, sent along with an encoded note
    rows: NoteRows | None = None  # the relational rows, when the index is to keep them

    def blob(self) -> bytes:
        """The note encoded for the index."""
        return self.note if isinstance(self.note, bytes) else encode_note(self.note)

    def links_blob(self) -> bytes:
        """The note's link rows encoded for the index."""
        if self.links is not None:
            return self.links
        assert isinstance(self.note, Note)
        return encode_link_rows(self.path, link_rows(self.note))

    def table_rows(self, root: Path) -> NoteRows:
        """The note's rows of the relational tables (:mod:`vaultkit.index.rows`)."""
        if self.rows is not None:
            return self.rows
        assert isinstance(self.note, Note)
        return note_rows(os.fspath(root), self.note)


def parse_one(root: Path, rel: str) -> Parsed:
    """FileIdentity and parse the note at ``root / rel``."""
    identity = identify_file(root / rel)
    note = load_note(root, rel)
    return Parsed(rel, note, identity, note.aliases)


def available_cores() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(todo: int, workers: int | None) -> int:
    """How many processes parse ``todo`` notes: ``workers`` if given, else every core
    when there are at least :data:`MIN_PARALLEL` notes, else 1 (this process)."""
    if workers is not None:
        return max(1, min(workers, todo))
    if todo < MIN_PARALLEL:
        return 1
    return max(1, min(available_cores(), todo // CHUNK))


def parse_files(root: Path, paths: list[str], workers: int | None = None,
                tables: bool = False) -> list[Parsed]:
    """Parse ``paths`` (vault-relative) in order, in parallel when it pays; workers also
    make each note's relational rows when ``tables``.

    >>> parse_files(vault.root, ["Sector Rotation.md"])[0].aliases
    ()
    """
    return [p for chunk in parse_chunks(root, paths, workers, tables) for p in chunk]


def parse_chunks(root: Path, paths: list[str], workers: int | None = None,
                 tables: bool = False) -> Iterator[list[Parsed]]:
    """:func:`parse_files` in consecutive chunks, each handed out as soon as it is parsed,
    so a caller can store and drop them while the workers go on (a 100,000-note vault's
    rows would not fit in memory at once)."""
    count = worker_count(len(paths), workers)
    if count <= 1:
        for start in range(0, len(paths), CHUNK):
            with gc_paused():
                chunk = [parse_one(root, rel) for rel in paths[start:start + CHUNK]]
            yield chunk
        return
    # The pool loads here, not at the top: concurrent.futures.process (multiprocessing,
    # socket, subprocess) is ~10 ms of every command's start, and a warm load parses nothing.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = iter([paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)])
    finished: set[str] = set()
    try:
        with ProcessPoolExecutor(count) as pool:
            # A bounded window of chunks in flight: results the caller has not stored yet
            # wait in the workers' queue, not in this process's memory.
            window = collections.deque(pool.submit(_parse_chunk, root, chunk, tables)
                                       for chunk in itertools.islice(chunks, AHEAD * count))
            while window:
                done = window.popleft().result()
                following = next(chunks, None)
                if following is not None:
                    window.append(pool.submit(_parse_chunk, root, following, tables))
                finished.update(p.path for p in done)
                yield done
    except (BrokenProcessPool, OSError) as exc:
        # A worker killed (out of memory, say) must not lose the load: finish serially.
        warnings.warn(f"parallel parse failed ({exc!r}); continuing in one process",
                      IndexWarning, stacklevel=2)
        rest = [rel for rel in paths if rel not in finished]
        for start in range(0, len(rest), CHUNK):
            yield [parse_one(root, rel) for rel in rest[start:start + CHUNK]]


def _parse_chunk(root: Path, paths: list[str], tables: bool) -> list[Parsed]:
    parsed = (parse_one(root, rel) for rel in paths)
    with gc_paused():  # a chunk's notes and rows are many small objects, hardly a cycle
        return [replace(p, note=p.blob(), links=p.links_blob(),
                        rows=p.table_rows(root) if tables and p.identity is not None else None)
                for p in parsed]
