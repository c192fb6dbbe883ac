"""``make bench``: ``related`` answered from the index (issue #13: at most 1 s at 100,000 notes).

On a generated vault whose index is warm, for three subjects (the most backlinked note,
the most cited entity, a quiet note):

- CPU of ``related`` read from the index just after a warm load (nothing cached yet, as in
  a fresh command), beside the in-memory ``related`` after its own warm load: the same
  answer without the index, the baseline of the ratio;
- ``vaultkit related NAME --format json`` as fresh processes beside ``vaultkit --help``
  (median of ``--repeat`` interleaved rounds; wall times on a shared machine are noisy).

    python benchmarks/related_index.py                      # 2,000 notes
    python benchmarks/related_index.py --notes 10000
    python benchmarks/related_index.py --vault PATH         # an existing generated vault
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.fresh import bench_options, fresh_rounds, print_rounds, warm_vault  # noqa: E402
from vaultkit import Vault  # noqa: E402
from vaultkit.cli.graph import records  # noqa: E402
from vaultkit.queries import related, stored  # noqa: E402


def subjects(root: Path) -> dict[str, str]:
    """The busiest note, the most cited entity and a quiet note, by name."""
    with sqlite3.connect(root / ".vaultkit" / "index.sqlite3") as conn:
        (hub,) = conn.execute("SELECT target FROM mentions WHERE target_kind = 'note' "
                              "GROUP BY target ORDER BY count(*) DESC LIMIT 1").fetchone()
        (entity,) = conn.execute("SELECT target_name FROM mentions WHERE target_kind = "
                                 "'entity' GROUP BY target ORDER BY count(*) DESC "
                                 "LIMIT 1").fetchone()
        (quiet,) = conn.execute("SELECT node FROM degrees WHERE node LIKE '%.md' "
                                "ORDER BY degree, node LIMIT 1").fetchone()
    return {"busiest note": hub, "entity": entity, "quiet note": quiet}


def cpu_after_load(root: Path, name: str, from_index: bool, repeat: int) -> float:
    """Median CPU seconds of one ``related`` (top 20) on a vault just loaded."""
    times = []
    for _ in range(repeat):
        vault = Vault.load(root)
        start = time.process_time()
        if from_index:
            assert stored.related(vault, name) is not None, "the index is not warm"
        else:
            related(vault, name)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    options = bench_options(__doc__.splitlines()[0])
    with warm_vault(options) as root:
        names = subjects(root)
        print(f"related from the index, {root}")
        print(f"  {'CPU after a warm load':28} {'index s':>8} {'memory s':>9} {'ratio':>6}")
        for label, name in names.items():
            vault = Vault.load(root)
            assert stored.related(vault, name) == records(related(vault, name))
            index = cpu_after_load(root, name, True, options.repeat)
            memory = cpu_after_load(root, name, False, options.repeat)
            print(f"  {label:28} {index:8.3f} {memory:9.3f} {index / memory:6.2f}")
        print_rounds(fresh_rounds({
            f"related ({label})": ["--vault", str(root), "related", name, "--format", "json"]
            for label, name in names.items()}, options.repeat))


if __name__ == "__main__":
    main()
