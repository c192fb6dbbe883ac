"""``make bench``: what starting a command costs, beside a bare interpreter.

The commands a researcher types first (``scan``, ``backlinks``, ``related``, ``tags``,
``note``, ``sql``, ``query``, ``base``, ``--help``) and ``import vaultkit`` run as fresh
processes on a warm index (a copy of the sample vault by default), in interleaved rounds.
Printed for each: the median wall time, that time × a bare ``python -c pass`` measured in
the same rounds, how many modules it imported and which heavy ones.

vaultkit runs from a copy of the package in two modes: without a bytecode cache, as this
machine runs it (``PYTHONDONTWRITEBYTECODE=1``: every vaultkit module is compiled at every
start), then with the cache a warm-up run writes. ``--against DIR`` runs another tree's
package (``DIR/vaultkit``) in the same rounds, on its own copy of the vault (the two trees'
parsers may differ, and each would rebuild the other's index), and prints the ratio.

    python benchmarks/startup.py                     # sample vault, 5 rounds
    python benchmarks/startup.py --vault /tmp/v10k   # an existing vault (copied; warm it first)
    mkdir /tmp/main && git archive main vaultkit | tar -x -C /tmp/main
    python benchmarks/startup.py --against /tmp/main
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
SAMPLE = HERE.parent / "vault"
#: What a warm command should not need to import (packages and vaultkit's own engines).
HEAVY = ("markdown_it", "yaml", "rich", "pandas", "numpy", "networkx", "lark",
         "concurrent.futures.process", "vaultkit.syntax", "vaultkit.parse.note",
         "vaultkit.bases", "vaultkit.dataview")
#: Runs ``vaultkit ARGS`` in this interpreter, then prints the names of the loaded modules.
LISTING = ("import contextlib, io, sys\nfrom vaultkit.cli import main\n"
           "sys.argv = ['vaultkit', *sys.argv[1:]]\n"
           "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
           "    main()\n"
           "print(' '.join(sys.modules))\n")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--vault", type=Path, help="an existing vault (default: the sample)")
    parser.add_argument("--against", type=Path, help="another tree holding a vaultkit/ folder")
    parser.add_argument("--repeat", type=int, default=5, help="rounds (median kept)")
    return parser.parse_args()


def commands(vault: Path) -> dict[str, list[str]]:
    """Each measured command's arguments, on names taken from the vault's index."""
    with sqlite3.connect(vault / ".vaultkit" / "index.sqlite3") as conn:
        (hub,) = conn.execute("SELECT target FROM mentions WHERE target_kind = 'note' "
                              "GROUP BY target ORDER BY count(*) DESC LIMIT 1").fetchone()
    bases = sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.base"))
    v = ["--vault", str(vault)]
    found = {
        "python -c pass": [],
        "import vaultkit": [],
        "vaultkit --help": ["--help"],
        "scan": [*v, "scan", "--format", "json"],
        "backlinks": [*v, "backlinks", hub, "--format", "json"],
        "related": [*v, "related", hub, "--format", "json"],
        "tags": [*v, "tags", "--format", "json"],
        "note": [*v, "note", hub, "--format", "json"],
        "sql": [*v, "sql", "SELECT count(*) FROM links", "--format", "json"],
        "query": [*v, "query", "TABLE file.name FROM #macro LIMIT 5", "--format", "json"],
    }
    if bases:
        found["base"] = [*v, "base", bases[0], "--format", "json"]
    return found


def argv(name: str, args: list[str]) -> list[str]:
    if name == "python -c pass":
        return [sys.executable, "-c", "pass"]
    if name == "import vaultkit":
        return [sys.executable, "-c", "import vaultkit"]
    return [sys.executable, "-m", "vaultkit", *args]


def wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode})")
    return time.perf_counter() - start


def loaded(name: str, args: list[str], env: dict[str, str]) -> list[str]:
    """Every module ``vaultkit ARGS`` imports (none for the two plain interpreters)."""
    if not args:
        return []
    out = subprocess.run([sys.executable, "-c", LISTING, *args], env=env, check=True,
                         cwd=env["PYTHONPATH"], capture_output=True, text=True).stdout
    return out.split()


def heavy(modules: list[str]) -> str:
    return " ".join(h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in modules))


def main() -> None:
    opts = options()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        trees = {"this tree": HERE.parent}
        if opts.against is not None:
            trees["against"] = opts.against
        setups = {}
        for label, tree in trees.items():
            copy = work / label.replace(" ", "-")
            shutil.copytree(tree / "vaultkit", copy / "vaultkit",
                            ignore=shutil.ignore_patterns("__pycache__"))
            vault = copy / "vault"
            shutil.copytree(opts.vault or SAMPLE, vault,
                            ignore=None if opts.vault else shutil.ignore_patterns(".vaultkit"))
            # Run from the copy: the current folder comes first on sys.path.
            env = {**os.environ, "PYTHONPATH": str(copy)}
            # Warms the index for this tree's parser (a cold load when it was built by another).
            subprocess.run([sys.executable, "-m", "vaultkit", "--vault", str(vault), "scan"],
                           env=env, cwd=copy, check=True, stdout=subprocess.DEVNULL)
            setups[label] = (env, commands(vault))
        size = len(next(iter(setups.values()))[1])
        print(f"startup: {opts.vault or 'the sample vault'}, {opts.repeat} rounds, "
              f"{size - 2} commands as fresh processes (median wall ms)")
        for mode, cache in (("no bytecode cache (PYTHONDONTWRITEBYTECODE=1)", False),
                            ("with a bytecode cache", True)):
            rounds(mode, cache, setups, opts.repeat)


def rounds(mode: str, cache: bool, setups: dict[str, tuple[dict[str, str], dict[str, list[str]]]],
           repeat: int) -> None:
    envs = {}
    for label, (env, measured) in setups.items():
        env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        if not cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        envs[label] = env
        if cache:  # the warm-up run writes the bytecode
            for name, args in measured.items():
                wall(argv(name, args), env)
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(repeat):
        for label, (_, measured) in setups.items():
            for name, args in measured.items():
                times.setdefault((label, name), []).append(wall(argv(name, args), envs[label]))
    median = {key: statistics.median(runs) * 1000 for key, runs in times.items()}
    labels = list(setups)
    print(f"\n  {mode}")
    header = "".join(f"{label:>22}" for label in labels)
    ratio = f"{'this/against':>13}" if len(labels) > 1 else ""
    print(f"  {'':18}{header}{ratio}  {'modules':>7}  heavy modules imported (this tree)")
    env, measured = setups[labels[0]]
    for name, args in measured.items():
        cells = ""
        for label in labels:
            ms = median[(label, name)]
            cells += f"{ms:9.0f} ({ms / median[(label, 'python -c pass')]:4.1f}× py)    "
        if len(labels) > 1:
            cells += f"{median[(labels[0], name)] / median[(labels[1], name)]:10.2f}   "
        modules = loaded(name, args, envs[labels[0]])
        print(f"  {name:18}{cells}{len(modules) or '':>7}  {heavy(modules)}")


if __name__ == "__main__":
    main()
