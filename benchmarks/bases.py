"""``make bench`` (Bases): one view of a base over a generated vault, against a baseline.

Measured in one process on a warm vault (its index already built):
  (a) ``load``         ``Vault.load`` with the index built;
  (b) ``frontmatter``  reading every note's frontmatter (the floor of any property query);
  (c) ``view``         the base's grouped view the first time (filters, formulas, sort,
                       group, summaries over every file; notes decoded on demand);
  (d) ``view again``   the same view on the same vault (notes read, no result kept);
  (e) ``other view``   a different, ungrouped view with a limit on that warm vault.
The target is (d) and (e) ≤ 1 s wall on 10,000 notes (a warm vault: loaded, its notes read
once, as in a notebook session). With the index's tables (:mod:`vaultkit.index.table_notes`)
no note is decoded, so (c) is now well below (b), which decodes every note. Ratios are
against (b).

Then each view as a fresh ``vaultkit base`` process on the warm vault, against ``vaultkit
--help``, medians of ``--repeat`` interleaved rounds (:mod:`benchmarks.fresh`): the grouped
view as JSON and as the terminal table (thousands of rows, written line by line when they
need no wrapping), and the other view. The target is ≤ 1 s wall at 10,000 notes.

    python benchmarks/bases.py                # 2,000 notes
    python benchmarks/bases.py --notes 10000  # the target size
    python benchmarks/bases.py --vault DIR    # a vault made by generate.py (kept)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.fresh import bench_options, fresh_rounds, print_rounds, warm_vault  # noqa: E402
from vaultkit.bases import evaluate_base  # noqa: E402
from vaultkit.vault import Vault  # noqa: E402

BASE = """\
formulas:
  age_days: ((now() - created) / 86400000).round()
  topics: file.tags.filter(value.startsWith("#")).length
views:
  - type: table
    name: Recent by folder
    filters:
      and:
        - file.ext == "md"
        - created >= "2026-06-01"
    groupBy:
      property: file.folder
    order: [file.name, created, formula.age_days, formula.topics]
    sort:
      - property: created
        direction: DESC
    summaries:
      created: Earliest
      formula.age_days: Average
  - type: table
    name: Companies
    filters:
      and:
        - file.inFolder("Entities/Companies")
        - created < "2026-09-01"
    order: [file.name, created, file.tags]
    sort:
      - property: created
      - property: file.name
        direction: DESC
    limit: 50
"""


CPU: dict[float, float] = {}


def _timed(function: object) -> float:
    """Wall seconds of ``function()``; its CPU seconds are kept in :data:`CPU` (on a shared
    machine wall time also counts the other processes)."""
    start, cpu = time.perf_counter(), time.process_time()
    function()  # type: ignore[operator]
    wall = time.perf_counter() - start
    CPU[wall] = time.process_time() - cpu
    return wall


def main() -> None:
    args = bench_options(__doc__.splitlines()[0])
    with warm_vault(args) as root:
        base = root / "Bench.base"
        if not base.exists() or base.read_text(encoding="utf-8") != BASE:
            base.write_text(BASE, encoding="utf-8")
        load = _timed(lambda: Vault.load(root))
        vault = Vault.load(root)
        first = _timed(lambda: evaluate_base(vault, "Bench.base"))
        again = _timed(lambda: evaluate_base(vault, "Bench.base"))
        other = _timed(lambda: evaluate_base(vault, "Bench.base", "Companies"))
        rows = len(evaluate_base(vault, "Bench.base").rows)
        floor_vault = Vault.load(root)
        floor = _timed(lambda: [floor_vault.notes[p].frontmatter for p in floor_vault.notes])
        v = ["--vault", str(root), "base", "Bench.base"]
        fresh = fresh_rounds({"vaultkit base (json)": [*v, "--format", "json"],
                              "vaultkit base (table)": v,
                              "vaultkit base --view other": [*v, "--view", "Companies"]},
                             args.repeat)
    print(f"Bases view over {len(vault.notes):,} notes ({rows:,} rows in the view)")
    for name, seconds in (("load (warm)", load), ("frontmatter (baseline)", floor),
                          ("view", first), ("view again", again), ("other view", other)):
        print(f"  {name:24} {seconds:7.3f} s wall  {CPU[seconds]:7.3f} s CPU  "
              f"{seconds / floor:5.2f}x baseline")
    print("  target: view again and other view ≤ 1 s at 10,000 notes")
    print(f"Fresh processes on the warm vault (median of {args.repeat}):")
    print_rounds(fresh)


if __name__ == "__main__":
    main()
