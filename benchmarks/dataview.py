"""``make bench`` (Dataview): a typical DQL query over a generated vault, against a baseline.

The query is the issue's "typical" one: FROM a tag, WHERE on a field, SORT, LIMIT. Measured
in one process on a warm vault (its index already built):
  (a) ``load``         ``Vault.load`` with the index built;
  (b) ``frontmatter``  reading every note's frontmatter (the floor of any field query);
  (c) ``query``        the query the first time (notes decoded, fields typed on demand);
  (d) ``query again``  the same query on the same vault (pages already built);
  (e) ``other query``  a different typical query on that warm vault.
The target is (d) and (e) ≤ 1 s wall on 10,000 notes (a warm vault: loaded, its notes
read once, as in a notebook session); (c) decodes only the notes the index's tables say
carry the tag (FROM is narrowed before any note is decoded), bounded above by (b), which
decodes every note. Ratios are against (b).

Then each query as a fresh ``vaultkit query`` process on the warm vault, against
``vaultkit --help`` (the cost of starting the command at all), medians of ``--repeat``
interleaved rounds (:mod:`benchmarks.fresh`); the target is ≤ 1 s wall at 10,000 notes.
A fresh process reads the pages' fields from the index's tables and decodes no note.

    python benchmarks/dataview.py                # 2,000 notes
    python benchmarks/dataview.py --notes 10000  # the target size
    python benchmarks/dataview.py --vault DIR    # a vault made by generate.py (kept)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.fresh import bench_options, fresh_rounds, print_rounds, warm_vault  # noqa: E402
from vaultkit.vault import Vault  # noqa: E402

QUERY = ('TABLE created, file.folder FROM #macro WHERE created >= date(2026-06-01) '
         'SORT created DESC LIMIT 20')
OTHER = ('TABLE created, length(file.outlinks) AS links FROM #rotation AND "Themes" '
         'WHERE created < date(2026-09-01) SORT created ASC, file.name DESC LIMIT 50')


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    args = bench_options(__doc__.splitlines()[0])
    import pandas  # noqa: F401  (imported once here, so no timing pays for it)

    with warm_vault(args) as root:
        load = _timed(lambda: Vault.load(root))
        vault = Vault.load(root)
        first = _timed(lambda: vault.query(QUERY))
        again = _timed(lambda: vault.query(QUERY))
        other = _timed(lambda: vault.query(OTHER))
        rows = len(vault.query(QUERY))
        floor_vault = Vault.load(root)
        floor = _timed(lambda: [floor_vault.notes[p].frontmatter for p in floor_vault.notes])
        fresh = fresh_rounds({
            "vaultkit query": ["--vault", str(root), "query", QUERY],
            "vaultkit query (other)": ["--vault", str(root), "query", OTHER]}, args.repeat)
    print(f"Dataview query over {len(vault.notes):,} notes ({rows} rows): {QUERY}")
    for name, seconds in (("load (warm)", load), ("frontmatter (baseline)", floor),
                          ("query (first)", first), ("query again", again),
                          ("other query (warm)", other)):
        print(f"  {name:24} {seconds:7.3f} s   {seconds / floor:5.2f}x baseline")
    print(f"  warm query (worst)       {max(again, other):7.3f} s   target ≤ 1 s at 10,000 notes")
    print(f"Fresh processes on the warm vault (median of {args.repeat}):")
    print_rounds(fresh)


if __name__ == "__main__":
    main()
