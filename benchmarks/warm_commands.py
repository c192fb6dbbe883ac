"""``make bench``: the vault as a database — warm commands beside ``vaultkit --help``.

On a generated vault (10,000 notes by default) whose index is warm, every graph and
structure command runs as a fresh process, and its wall time is printed beside the wall
time of ``vaultkit --help`` measured in the same rounds (the target: at most 2×). Also:

- the cold load that builds the index (wall time, peak memory of the largest process);
- one changed note: ``scan`` after appending a line to one note, against a warm ``scan``;
- the views people read (no ``--format``) of the commands whose tables grow with the vault;
- the first ask after a write of each command whose answer the index keeps (``unresolved``,
  ``lint``, ``orphans``, ``tags``, ``hubs``): the warm table reads the kept answer;
- streaming: time to the first row and to the end of ``facts``/``tables`` as CSV;
- ``--engines``: SQLite (``vaultkit sql``'s engine) against DuckDB for three typical
  aggregations, DuckDB reading the Parquet export (its best case: columnar files);
- ``--big``: the same on 100,000 notes (long: the cold load alone takes many minutes on
  two cores; run it once).

    python benchmarks/warm_commands.py               # 10,000 notes
    python benchmarks/warm_commands.py --notes 2000 --repeat 1
    python benchmarks/warm_commands.py --big         # 100,000 notes
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate_vault  # noqa: E402

EXE = Path(sys.executable).with_name("vaultkit")
BASE = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "vaultkit"]

#: Typical aggregations: figures by entity and date, co-mentions, citing notes by month.
QUERIES = {
    "figures by entity and date": (
        "SELECT c.label AS entity, t.date, count(*) AS n, avg(c.value) AS mean "
        "FROM cells c JOIN tables t ON t.path = c.path AND t.number = c.table_number "
        "WHERE c.value IS NOT NULL GROUP BY entity, t.date ORDER BY n DESC LIMIT 20"),
    "co-mentioned entities": (
        "SELECT a.target AS a, b.target AS b, count(*) AS together FROM mentions a "
        "JOIN mentions b ON a.source = b.source AND a.block_line = b.block_line "
        "AND a.target < b.target GROUP BY a.target, b.target ORDER BY together DESC LIMIT 20"),
    "most cited targets": (
        "SELECT target, count(DISTINCT source) AS notes FROM mentions "
        "GROUP BY target ORDER BY notes DESC LIMIT 20"),
}


def environment(bytecode: bool) -> dict[str, str]:
    """The environment of a run: with Python's bytecode cache (as after ``pip install``),
    or without (``PYTHONDONTWRITEBYTECODE=1``, as this machine sets it: every module is
    compiled again in every process)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def wall(args: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of one ``vaultkit ARGS`` run (output discarded; it must succeed or find)."""
    start = time.perf_counter()
    done = subprocess.run([*BASE, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False, env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"vaultkit {' '.join(args)} failed ({done.returncode})")
    return time.perf_counter() - start


def streamed(args: list[str]) -> tuple[float, float, int]:
    """Seconds to the first data row, seconds to the end, and rows, of ``vaultkit ARGS``."""
    start = time.perf_counter()
    first = 0.0
    rows = -1  # the header line
    with subprocess.Popen([*BASE, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        for _ in proc.stdout:
            rows += 1
            if rows == 1:
                first = time.perf_counter() - start
    return first, time.perf_counter() - start, max(rows, 0)


def cold_load(vault: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, the largest process) of the load that builds the
    index, in a fresh child (its workers are its children)."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *BASE, "--vault", str(vault), "scan"],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def commands(vault: Path) -> dict[str, list[str]]:
    """The commands measured, on names taken from the vault's index."""
    file = vault / ".vaultkit" / "index.sqlite3"
    with sqlite3.connect(file) as conn:
        (hub,) = conn.execute("SELECT target FROM mentions WHERE target_kind = 'note' "
                              "GROUP BY target ORDER BY count(*) DESC LIMIT 1").fetchone()
        (other,) = conn.execute("SELECT source FROM mentions WHERE target = ? "
                                "ORDER BY source LIMIT 1", (hub,)).fetchone()
        far = farthest_note(conn, hub)
    v = ["--vault", str(vault)]
    return {
        "--help": ["--help"],
        "note": [*v, "note", hub],
        "backlinks": [*v, "backlinks", hub, "--format", "json"],
        "links": [*v, "links", other, "--format", "json"],
        "related": [*v, "related", hub, "--format", "json"],
        "path": [*v, "path", other, hub, "--format", "json"],
        # A chain of several hops: the search reads level after level of the graph.
        "path (far)": [*v, "path", far, hub, "--format", "json"],
        "tags": [*v, "tags", "--format", "json"],
        "unresolved": [*v, "unresolved", "--format", "json"],
        "orphans": [*v, "orphans", "--format", "json"],
        "hubs": [*v, "hubs", "--format", "json"],
        "scan": [*v, "scan", "--format", "json"],
        "lint": [*v, "lint", "--format", "json"],
        "sql": [*v, "sql", "SELECT count(*) FROM links", "--format", "json"],
    }


def farthest_note(conn: sqlite3.Connection, start: str) -> str:
    """The note the most links away from ``start`` (either way; the first such path)."""
    neighbours: dict[str, set[str]] = {}
    for source, target in conn.execute("SELECT source, target FROM mentions"):
        neighbours.setdefault(source, set()).add(target)
        neighbours.setdefault(target, set()).add(source)
    notes = {path for (path,) in conn.execute("SELECT path FROM files")}
    seen, frontier, last = {start}, [start], start
    while frontier:
        following = sorted({n for node in frontier for n in neighbours.get(node, ())} - seen)
        seen.update(following)
        last = next((node for node in following if node in notes), last)
        frontier = following
    return last.removesuffix(".md")


def warm_table(vault: Path, repeat: int, bytecode: bool = False) -> dict[str, float]:
    """Median wall time of each command, in interleaved rounds (drifting load from other
    processes hits every command alike); ``bytecode``: see :func:`environment`."""
    measured = commands(vault)
    env = environment(bytecode)
    if bytecode:  # a first run of each writes the bytecode
        for args in measured.values():
            wall(args, env)
    times: dict[str, list[float]] = {name: [] for name in measured}
    for _ in range(repeat):
        for name, args in measured.items():
            times[name].append(wall(args, env))
    return {name: statistics.median(t) for name, t in times.items()}


def print_warm_table(vault: Path, repeat: int) -> float:
    """Both tables side by side; returns ``--help``'s time without a bytecode cache."""
    plain, cached = warm_table(vault, repeat), warm_table(vault, repeat, bytecode=True)
    print(f"  {'':12} {'no bytecode cache':>28}   {'with a bytecode cache':>28}")
    print(f"  {'command':12} {'seconds':>8} {'× --help':>9} {'':9}   "
          f"{'seconds':>8} {'× --help':>9}")
    for name in plain:
        row = f"  {name:12}"
        for table in (plain, cached):
            s, help_s = table[name], table["--help"]
            verdict = "" if name == "--help" else ("ok" if s <= 2 * help_s else "over 2×")
            row += f" {s:8.2f} {s / help_s:9.2f} {verdict:9}  "
        print(row.rstrip(), flush=True)
    return plain["--help"]


def engines(vault: Path, workdir: Path) -> None:
    """SQLite against DuckDB (over the Parquet export) on :data:`QUERIES`."""
    try:
        import duckdb
    except ImportError:
        print("  (duckdb not installed: pip install duckdb to compare engines)")
        return
    out = workdir / "parquet"
    start = time.perf_counter()
    subprocess.run([*BASE, "--vault", str(vault), "export", str(out)], check=True,
                   capture_output=True)
    export = time.perf_counter() - start
    print(f"  export --format parquet: {export:.2f} s")
    conn = sqlite3.connect(f"file:{vault / '.vaultkit' / 'index.sqlite3'}?mode=ro", uri=True)
    duck = duckdb.connect()
    for name in ("cells", "tables", "mentions"):
        duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{out}/{name}.parquet')")
    print(f"  {'query':30} {'sqlite s':>9} {'duckdb s':>9}")
    for name, sql in QUERIES.items():
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        lite = time.perf_counter() - start
        start = time.perf_counter()
        duck.execute(sql).fetchall()
        quack = time.perf_counter() - start
        print(f"  {name:30} {lite:9.3f} {quack:9.3f}")


def changed_note(vault: Path, repeat: int) -> tuple[float, float]:
    """Warm ``scan`` against ``scan`` right after one note changed (median of rounds)."""
    scan = ["--vault", str(vault), "scan", "--format", "json"]
    note = next(iter(sorted(vault.glob("**/*.md"))))
    warm, changed = [], []
    for i in range(repeat):
        warm.append(wall(scan))
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdited {i} [[Sector Rotation]] #edited\n")
        changed.append(wall(scan))
    return statistics.median(warm), statistics.median(changed)


#: Commands whose whole-vault answer the index keeps until its next write: the warm table
#: reads the kept answer; the first ask after a write computes it (and keeps it).
KEPT = ("unresolved", "lint", "orphans", "tags", "hubs")


def first_after_write(vault: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Each kept command's first ask after one note changed (the load that writes the
    change runs before it, as a ``scan``), with ``--help`` in the same rounds: medians."""
    measured = commands(vault)
    note = next(iter(sorted(vault.glob("**/*.md"))))
    times: dict[str, list[float]] = {name: [] for name in KEPT}
    helps: list[float] = []
    for i in range(repeat):
        for name in KEPT:
            with note.open("a", encoding="utf-8") as handle:
                handle.write(f"\nEdited {name} {i} [[Sector Rotation]] [[New {name} {i}]]\n")
            wall(["--vault", str(vault), "scan"])  # writes the changed note
            times[name].append(wall(measured[name]))
            helps.append(wall(measured["--help"]))
    help_s = statistics.median(helps)
    return {name: (statistics.median(t), help_s) for name, t in times.items()}


def print_first_after_write(vault: Path, repeat: int) -> None:
    """The kept commands' first ask after a write (the warm table shows the kept path)."""
    print("  first ask after a write (one note edited and loaded; computes and keeps):")
    for name, (s, help_s) in first_after_write(vault, repeat).items():
        print(f"    {name:12} {s:8.2f} s {s / help_s:9.2f} × --help", flush=True)


#: Commands whose view for people is long on a big vault, as a researcher sees it.
TERMINAL = ("note", "backlinks", "related", "unresolved", "tags")


def print_terminal_views(vault: Path, repeat: int) -> None:
    """The same commands without ``--format``: the tables people read, in colour, 100
    columns wide (rich's layout, or the line by line writing that gives the same bytes)."""
    measured = commands(vault)
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "100"}
    times: dict[str, list[float]] = {name: [] for name in ("--help", *TERMINAL)}
    for _ in range(repeat):
        for name in times:
            args = [a for a in measured[name] if a not in ("--format", "json")]
            times[name].append(wall(args, env))
    help_s = statistics.median(times.pop("--help"))
    print("  terminal views (no --format; colour, 100 columns):")
    for name, found in times.items():
        s = statistics.median(found)
        print(f"    {name:12} {s:8.2f} s {s / help_s:9.2f} × --help", flush=True)


def run(n: int, repeat: int, workdir: Path, with_engines: bool) -> None:
    vault = workdir / f"vault-{n}"
    made = generate_vault(vault, n, seed=n)
    shutil.rmtree(vault / ".vaultkit", ignore_errors=True)  # a cold load, even on a kept vault
    print(f"\nN = {n:,} notes, {made.bytes / 1e6:.1f} MB", flush=True)
    seconds, rss = cold_load(vault)
    print(f"  cold load (builds the index): {seconds:.1f} s, peak {rss:.0f} MB "
          "(largest process)", flush=True)
    help_s = print_warm_table(vault, repeat)
    print_terminal_views(vault, repeat)
    for command in ("facts", "tables"):
        first, total, rows = streamed(["--vault", str(vault), command, "--format", "csv"])
        print(f"  {command} --format csv: first row {first:.2f} s "
              f"({first / help_s:.1f}× --help), all {rows:,} rows {total:.2f} s", flush=True)
    warm, changed = changed_note(vault, repeat)
    print(f"  one changed note: scan {changed:.2f} s against {warm:.2f} s warm "
          f"(+{changed - warm:.2f} s)", flush=True)
    # The index keeps hubs' ranking until the links change: the first hubs after a
    # change ranks the whole graph again (the table above shows the kept ranking read).
    ranked = wall(["--vault", str(vault), "hubs", "--format", "json"])
    print(f"  hubs, first after a change (ranks the graph): {ranked:.2f} s "
          f"({ranked / help_s:.1f}× --help)", flush=True)
    print_first_after_write(vault, repeat)
    if with_engines:
        engines(vault, workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="also 100,000 notes (long)")
    parser.add_argument("--engines", action="store_true", help="SQLite against DuckDB")
    parser.add_argument("--workdir", type=Path, help="keep the generated vaults here")
    args = parser.parse_args()
    print(f"vaultkit warm commands ({os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f}); times are wall seconds, medians of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        run(args.notes, args.repeat, workdir, args.engines)
        if args.big:
            run(100_000, 1, workdir, args.engines)


if __name__ == "__main__":
    main()
