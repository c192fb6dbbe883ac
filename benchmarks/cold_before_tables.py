"""``make bench``: the cold load now against the cold load before the relational tables.

Issue #13 made the index relational and asked that the cold load keep its speed. This
measures both in the same run, on the same generated vault: this tree's vaultkit, and the
last commit whose index held blobs only (:data:`BEFORE`), taken from the repository's
history with ``git archive`` into a temporary folder. Each round removes the index and runs
``vaultkit --vault V scan`` as a fresh process of each, interleaved, so that load from other
processes drifting during the run hits both alike; the medians of wall and CPU seconds
(user + system, the workers included) and their ratios are printed. CPU is the steadier
figure on a shared machine: on two cores the cold load is bound by its total CPU.

    python benchmarks/cold_before_tables.py                  # 2,000 notes, 3 rounds
    python benchmarks/cold_before_tables.py --notes 10000 --repeat 3

Without git or the commit (a shallow clone), it says so and measures nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate_vault  # noqa: E402

#: The last commit before the relational tables (issue #13): its index held blobs only.
BEFORE = "53a6fb3"


def export_tree(commit: str, into: Path) -> Path | None:
    """The package of ``commit`` extracted under ``into``; None without git or the commit."""
    archive = into / "tree.tar"
    try:
        with archive.open("wb") as out:
            subprocess.run(["git", "-C", str(HERE.parent), "archive", commit, "vaultkit"],
                           check=True, stdout=out, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        return None
    tree = into / commit
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def cold_load(tree: Path, vault: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one cold ``scan`` by the vaultkit in ``tree``."""
    shutil.rmtree(vault / ".vaultkit", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = os.times()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "vaultkit", "--vault", str(vault), "scan"],
                   cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        before = export_tree(BEFORE, Path(folder))
        if before is None:
            print(f"\ncold load against {BEFORE}: skipped (no git history here)")
            return
        vault = Path(folder) / "vault"
        made = generate_vault(vault, options.notes, seed=options.notes)
        megabytes = made.bytes / 1e6
        trees = {f"blobs only ({BEFORE})": before, "now (relational tables)": HERE.parent}
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(options.repeat):
            for name, tree in trees.items():
                runs[name].append(cold_load(tree, vault))
    print(f"\nCold load ({options.notes:,} notes, {megabytes:.1f} MB; "
          f"medians of {options.repeat} interleaved rounds)")
    print(f"  {'index':28} {'wall s':>8} {'CPU s':>8} {'× wall':>8} {'× CPU':>8}")
    base_wall = base_cpu = 0.0
    for name, found in runs.items():
        wall = statistics.median(w for w, _ in found)
        cpu = statistics.median(c for _, c in found)
        base_wall, base_cpu = (wall, cpu) if not base_wall else (base_wall, base_cpu)
        print(f"  {name:28} {wall:8.2f} {cpu:8.2f} {wall / base_wall:8.2f} {cpu / base_cpu:8.2f}")


if __name__ == "__main__":
    main()
