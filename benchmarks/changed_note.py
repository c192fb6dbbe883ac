"""``make bench``: one changed note — where the time of ``scan`` after an edit goes.

On a warm vault (2,000 generated notes by default; ``--vault`` an existing generated vault,
e.g. a 100,000-note one), each round times a warm ``scan --format json`` as a fresh
process, appends a line to one note, and times the ``scan`` that follows (the target:
at most 0.5 s over warm at 100,000 notes). Then, in this process, the same edit once more
with every statement of the index's write transaction timed: the write's parts (each
statement kind, summed) and the Python between them, and ``scan``'s totals read after it.

    python benchmarks/changed_note.py                       # 2,000 notes
    python benchmarks/changed_note.py --vault /path/to/v100k --repeat 3
"""

from __future__ import annotations

import re
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.fresh import bench_options, fresh_rounds, warm_vault  # noqa: E402
from vaultkit import Vault  # noqa: E402
from vaultkit.index import relational, store  # noqa: E402
from vaultkit.index.reader import open_tables  # noqa: E402
from vaultkit.queries import stored  # noqa: E402
from vaultkit.queries.stored import table_totals  # noqa: E402


class TimedConnection:
    """A connection that sums the seconds spent in each kind of statement."""

    def __init__(self, conn: sqlite3.Connection, spent: dict[str, float]) -> None:
        self._conn = conn
        self._spent = spent

    def execute(self, sql: str, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            # fetched here, so that reading the rows is timed with the statement
            return _Rows(self._conn.execute(sql, *args).fetchall())
        finally:
            self._spent[_kind(sql)] += time.perf_counter() - start

    def executemany(self, sql: str, rows: Any) -> Any:
        rows = list(rows)  # made outside the timer: that is the caller's Python
        start = time.perf_counter()
        try:
            return self._conn.executemany(sql, rows)
        finally:
            self._spent[_kind(sql)] += time.perf_counter() - start

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class _Rows(list[Any]):
    def fetchone(self) -> Any:
        return self[0] if self else None

    def fetchall(self) -> list[Any]:
        return list(self)


def _kind(sql: str) -> str:
    """A statement's kind: its verb and first table, e.g. ``DELETE links``."""
    text = " ".join(sql.split())
    found = re.match(r'(\w+)(?: OR \w+)?\s+(?:INTO |FROM )?"?(\w+)', text)
    verb, table = (found.group(1), found.group(2)) if found else (text[:20], "")
    if verb.upper() == "SELECT":
        table = text[:60]
    return f"{verb.upper()} {table}"


@contextmanager
def timed_writes(spent: dict[str, float]) -> Iterator[None]:
    """Time every statement of the index's writes, and the whole relational write."""
    save, write = store.NoteIndex.save, relational.write

    def timed_save(self: store.NoteIndex, *args: Any, **kwargs: Any) -> bool:
        plain = self._conn
        self._conn = TimedConnection(plain, spent)  # type: ignore[assignment]
        start = time.perf_counter()
        try:
            return save(self, *args, **kwargs)
        finally:
            spent["(whole transaction)"] += time.perf_counter() - start
            self._conn = plain

    def timed_write(*args: Any, **kwargs: Any) -> None:
        start = time.perf_counter()
        try:
            write(*args, **kwargs)
        finally:
            spent["(relational.write)"] += time.perf_counter() - start

    store.NoteIndex.save = timed_save  # type: ignore[method-assign]
    relational.write = timed_write
    try:
        yield
    finally:
        store.NoteIndex.save = save  # type: ignore[method-assign]
        relational.write = write


def edit(note: Path, i: int) -> None:
    with note.open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdited {i} [[Sector Rotation]] [[Brand new {i}]] #edited{i}\n")


def main() -> None:
    options = bench_options(__doc__.splitlines()[0] if __doc__ else "")
    with warm_vault(options) as root:
        note = next(iter(sorted(root.glob("*.md"))))
        scan = ["--vault", str(root), "scan", "--format", "json"]
        warm, changed = [], []
        for i in range(options.repeat):
            warm.append(fresh_rounds({"scan": scan}, 1)["scan"][0])
            edit(note, i)
            changed.append(fresh_rounds({"scan": scan}, 1)["scan"][0])
        w, c = statistics.median(warm), statistics.median(changed)
        print(f"one changed note: scan {c:.2f} s against {w:.2f} s warm "
              f"(+{c - w:.2f} s, {c / w:.2f}×), medians of {options.repeat}")
        rounds = [_in_process(root, note, options.repeat + i) for i in range(options.repeat)]
        load, whole, relational_s, kept, counted = (
            statistics.median(r[k] for r in rounds) for k in range(5))
        print(f"in process (medians of {options.repeat}): load {load:.3f} s, of which the "
              f"index's write transaction {whole:.3f} s ({relational_s:.3f} s in "
              f"relational.write); scan's totals after it {kept:.3f} s, against "
              f"{counted:.3f} s to count them again ({counted / kept:.0f}×)")
        kinds = {kind for r in rounds for kind in r[5]}
        spent = {kind: statistics.median(r[5].get(kind, 0.0) for r in rounds) for kind in kinds}
        for kind, seconds in sorted(spent.items(), key=lambda item: -item[1])[:12]:
            print(f"  {seconds:7.3f} s  {seconds / whole:5.1%}  {kind}")
        print(f"  {whole - sum(spent.values()):7.3f} s  (Python between the statements)")


def _in_process(root: Path, note: Path, i: int
                ) -> tuple[float, float, float, float, float, dict[str, float]]:
    """One edit loaded here with the write's statements timed: (load, transaction,
    relational write, kept totals read, totals counted again, seconds by statement)."""
    spent: dict[str, float] = defaultdict(float)
    edit(note, i)
    start = time.perf_counter()
    with timed_writes(spent):
        vault = Vault.load(root)
    load = time.perf_counter() - start
    start = time.perf_counter()
    stored.scan_totals(vault)
    kept = time.perf_counter() - start
    conn = open_tables(vault)
    assert conn is not None
    start = time.perf_counter()
    table_totals(conn)
    counted = time.perf_counter() - start
    whole, relational_s = spent.pop("(whole transaction)"), spent.pop("(relational.write)")
    return load, whole, relational_s, kept, counted, dict(spent)

if __name__ == "__main__":
    main()
