"""``make bench``: vaultkit's load, queries and memory against three baselines, in one run.

Baselines, measured on the same generated vault in the same run:
  (a) ``read``      reading the bytes of every note (the floor);
  (b) ``tokenise``  markdown-it-py (CommonMark + tables) tokenising every note, alone,
                    on one core and on every core;
  (c) ``otools``    obsidiantools ``Vault(path).connect().gather()`` (1,000 notes only:
                    it takes ~45 s per 1,000).
Every measurement runs in a fresh subprocess (``--child``) so that imports, caches and
memory of one cannot flatter another; times exclude interpreter start-up and imports,
which the ``vaultkit --help`` row covers. Timings are medians of ``--repeat`` runs.

    python benchmarks/run.py            # N = 1,000 and 10,000
    python benchmarks/run.py --quick    # a small smoke run
    python benchmarks/run.py --threshold  # when does the process pool pay?
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate_vault  # noqa: E402

Result = dict[str, Any]


def child(kind: str, vault: Path, *args: str) -> Result:
    """Run one measurement in a fresh interpreter; it prints one JSON object."""
    cmd = [sys.executable, str(HERE / "children.py"), kind, str(vault), *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _median(runs: list[Result]) -> Result:
    """Median of every number over the runs; peak memory is the largest seen."""
    merged: Result = {k: statistics.median(r[k] for r in runs) for k in runs[0]
                      if isinstance(runs[0][k], (int, float))}
    merged["rss_mb"] = max(r["rss_mb"] for r in runs)
    merged["runs"] = [round(r["seconds"], 3) for r in runs]
    return merged


def median_of(kind: str, vault: Path, repeat: int, *args: str) -> Result:
    """Median seconds (and max peak memory) over ``repeat`` fresh runs."""
    return _median([child(kind, vault, *args) for _ in range(repeat)])


def cli_time(repeat: int, *args: str) -> float:
    """Median wall time of ``vaultkit ARGS``, start-up included."""
    exe = Path(sys.executable).with_name("vaultkit")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "vaultkit"]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([*cmd, *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(n: int, workdir: Path, repeat: int, with_otools: bool) -> dict[str, Result]:
    """Every figure for one vault size."""
    vault = workdir / f"vault-{n}"
    made = generate_vault(vault, n, seed=n)
    mb = made.bytes / 1e6
    print(f"  N={n:,}: {mb:.1f} MB generated; measuring …", file=sys.stderr, flush=True)
    r: dict[str, Result] = {"meta": {"notes": n, "mb": mb}}
    # Interleaved rounds, so that load from other processes drifting during the run hits
    # every figure alike; "cold" leaves the index that "warm" and "one" then use.
    plan = {"read": ("read",), "tok1": ("tokenise", "1"), "tok2": ("tokenise", str(_cores())),
            "serial": ("load", "nocache", "1"), "parsed": ("load", "nocache"),
            "cold": ("load", "cold"),
            "warm": ("load", "warm"), "one": ("load", "one")}
    runs: dict[str, list[Result]] = {key: [] for key in plan}
    for _ in range(repeat):
        for key, (kind, *args) in plan.items():
            runs[key].append(child(kind, vault, *args))
    r.update({key: _median(found) for key, found in runs.items()})
    # The index is current again after "one": this is a command on a warm index.
    r["note"] = {"seconds": cli_time(repeat, "--vault", str(vault), "note",
                                     made.notes[len(made.notes) // 2], "--format", "json")}
    r["delta"] = child("one_changed", vault)
    for which in ("backlinks", "related"):  # each first in a fresh process
        r[which] = _median([child("queries", vault, which) for _ in range(repeat)])
        r[f"{which}_cli"] = {"seconds": cli_time(repeat, "--vault", str(vault), which,
                                                 made.notes[len(made.notes) // 3])}
    r["otools"] = child("otools", vault) if with_otools else {}
    return r


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _s(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) < 0.001:
        return f"{value * 1e6:.0f} µs"
    return f"{value * 1000:.1f} ms" if abs(value) < 1 else f"{value:.2f} s"


def _x(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "n/a"
    return f"{value / base:.3g}×"


def _row(r: dict[str, Result], label: str, value: float | None, key: str = "seconds") -> str:
    ot = r["otools"]
    bases = [r["read"].get(key), r["tok1"].get(key), r["tok2"].get(key), ot.get(key)]
    shown = _s(value) if key == "seconds" else f"{value:.0f} MB" if value else "n/a"
    return f"  {label:<38}{shown:>10}" + "".join(f"{_x(value, b):>10}" for b in bases)


def table(results: list[dict[str, Result]]) -> str:
    """The report: one block per vault size, ratios as vaultkit ÷ baseline."""
    many = f"÷tok {_cores()}c"
    head = f"  {'measure':<38}{'vaultkit':>10}{'÷read':>10}{'÷tok 1c':>10}{many:>10}{'÷otools':>10}"
    lines: list[str] = []
    for r in results:
        meta, ot = r["meta"], r["otools"]
        n, mb = meta["notes"], meta["mb"]
        cold = r["cold"]["seconds"]
        lines.append(f"\nN = {n:,} notes, {mb:.1f} MB")
        lines.append(f"  baselines: read {_s(r['read']['seconds'])}, tokenise 1 core "
                     f"{_s(r['tok1']['seconds'])}, {_cores()} cores {_s(r['tok2']['seconds'])}, "
                     "obsidiantools "
                     + (_s(ot.get("seconds")) if ot else "skipped (~45 s per 1,000 notes)"))
        lines.append(head)
        lines.append(_row(r, f"cold load ({n / cold:,.0f} notes/s, {mb / cold:.1f} MB/s)", cold))
        lines.append(_row(r, "cold load, 1 process, no index", r["serial"]["seconds"]))
        parsed = r["parsed"]["seconds"]
        lines.append(_row(r, "parse only, every core, no index", parsed))
        lines.append(f"  the index's cost on a cold load (blobs and relational tables): "
                     f"cold ÷ parse only = {_x(cold, parsed)}")
        lines.append(_row(r, "warm load, nothing changed", r["warm"]["seconds"]))
        lines.append(_row(r, "warm load, one note changed", r["one"]["seconds"]))
        lines.append(f"  {'vaultkit note NAME (wall, warm index)':<38}"
                     f"{_s(r['note']['seconds']):>10}")
        for name in ("backlinks", "related"):
            q = r[name]
            other = (f"; obsidiantools get_backlinks {_s(ot.get('backlinks_median'))}"
                     if name == "backlinks" and ot else "")
            lines.append(f"  {name + ' after load, first / next':<38}{_s(q['first']):>10} / "
                         f"{_s(q['median'])}{other}")
            lines.append(f"  {'vaultkit ' + name + ' NAME (wall, warm)':<38}"
                         f"{_s(r[name + '_cli']['seconds']):>10}")
        lines.append(_row(r, "peak memory, cold load (main process)", r["cold"]["rss_mb"],
                          "rss_mb"))
        lines.append(_row(r, "peak memory, warm load", r["warm"]["rss_mb"], "rss_mb"))
        lines.append(f"  largest worker during cold load: {r['cold']['workers_mb']:.0f} MB; "
                     f"warm ÷ cold = {_x(r['warm']['seconds'], cold)}; one changed − warm = "
                     f"{_s(r['one']['seconds'] - r['warm']['seconds'])}, paired in one "
                     f"process {_s(r['delta']['seconds'])} (one note's parse ≈ "
                     f"{_s(r['serial']['seconds'] / n)})")
    return "\n".join(lines)


def threshold(workdir: Path, repeat: int) -> None:
    """Serial vs process-pool parse for growing batches: where the pool starts to pay."""
    vault = workdir / "vault-threshold"
    generate_vault(vault, 800, seed=3)
    print(f"{'notes':>6}{'1 process':>12}{str(_cores()) + ' processes':>14}")
    for n in (25, 50, 100, 150, 200, 400, 800):
        one = median_of("parse", vault, repeat, str(n), "1")["seconds"]
        many = median_of("parse", vault, repeat, str(n), str(_cores()))["seconds"]
        print(f"{n:>6}{_s(one):>12}{_s(many):>14}")


def main() -> None:
    """Command-line entry point (``make bench``)."""
    parser = argparse.ArgumentParser(description="vaultkit benchmarks")
    parser.add_argument("--quick", action="store_true", help="small smoke run (N=60, once)")
    parser.add_argument("--threshold", action="store_true",
                        help="measure when the process pool pays")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--otools-max", type=int, default=1000,
                        help="largest N to run obsidiantools on")
    args = parser.parse_args()
    sizes, repeat = ([60], 1) if args.quick else (args.sizes, args.repeat)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="vaultkit-bench-") as tmp:
        if args.threshold:
            threshold(Path(tmp), repeat)
            return
        results = [measure(n, Path(tmp), repeat, not args.quick and n <= args.otools_max)
                   for n in sizes]
    end_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"vaultkit benchmarks — {_cores()} cores, load average {load:.2f} at start, "
          f"{end_load:.2f} at end; medians of {repeat} run(s); ratios are vaultkit ÷ baseline")
    print(table(results))
    print(f"\nvaultkit --help: {_s(cli_time(max(repeat, 3), '--help'))} wall time")


if __name__ == "__main__":
    main()
