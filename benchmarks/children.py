"""One benchmark measurement per process: ``python children.py KIND VAULT [ARGS]``.

Prints one JSON object: ``seconds`` (the measured work only, imports excluded) and
``rss_mb`` (this process's peak resident memory), plus ``workers_mb`` (the largest worker's
peak) where a process pool was used. ``benchmarks/run.py`` runs these and builds the table.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Result = dict[str, Any]
QUERY_NAMES = 10


def _rss_mb(who: int) -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(who).ru_maxrss / 1024


def _notes(root: Path) -> list[Path]:
    from vaultkit.parse.scan import list_files

    return [root / rel for rel in list_files(root).notes]


def _timed(work: Callable[[], object]) -> Result:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_mb": _rss_mb(resource.RUSAGE_SELF),
            "workers_mb": _rss_mb(resource.RUSAGE_CHILDREN)}


def read(root: Path) -> Result:
    """Baseline (a): the bytes of every note, all held in memory."""
    files = _notes(root)
    return _timed(lambda: [f.read_bytes() for f in files])


def _tokenise_chunk(files: list[Path]) -> int:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    return sum(len(md.parse(f.read_text(encoding="utf-8"))) for f in files)


def tokenise(root: Path, workers: str) -> Result:
    """Baseline (b): markdown-it-py tokenising every note, on ``workers`` processes."""
    import markdown_it  # noqa: F401  (imported before the clock starts)

    files = _notes(root)
    count = int(workers)
    if count == 1:
        return _timed(lambda: _tokenise_chunk(files))
    chunks = [files[i : i + 40] for i in range(0, len(files), 40)]

    def pooled() -> int:
        with ProcessPoolExecutor(count) as pool:
            return sum(pool.map(_tokenise_chunk, chunks))

    return _timed(pooled)


def load(root: Path, mode: str, workers: str = "") -> Result:
    """vaultkit ``Vault.load``: ``cold`` (index removed first), ``warm`` (index current),
    ``one`` (one note edited first) or ``nocache``."""
    from vaultkit import Vault

    count = int(workers) if workers else None
    if mode == "cold":
        shutil.rmtree(root / ".vaultkit", ignore_errors=True)
    if mode == "one":
        _edit_one(root, os.getpid())
    vaults: list[Vault] = []
    result = _timed(lambda: vaults.append(
        Vault.load(root, cache=mode != "nocache", workers=count)))
    stats = vaults[0].load_stats
    result["parsed"] = stats.parsed if stats else -1
    return result


def _edit_one(root: Path, seed: int) -> None:
    notes = _notes(root)
    victim = notes[(seed * 7919) % len(notes)]
    with victim.open("a", encoding="utf-8") as handle:
        handle.write(f"\nEdited at {time.time_ns()} with [[New link]].\n")


def one_changed(root: Path, pairs: str = "9") -> Result:
    """What one changed note adds to a warm load, measured in pairs in one process (a warm
    load, then one note edited and a load) so that drift between processes, larger than
    the figure itself, cancels: the median of the differences."""
    from vaultkit import Vault

    Vault.load(root)
    differences = []
    for i in range(int(pairs)):
        warm = _timed(lambda: Vault.load(root))["seconds"]
        _edit_one(root, os.getpid() + i)
        differences.append(_timed(lambda: Vault.load(root))["seconds"] - warm)
    return {"seconds": statistics.median(differences), "rss_mb": _rss_mb(resource.RUSAGE_SELF)}


def _latency(call: Callable[[str], object], names: list[str]) -> Result:
    times = []
    for name in names:
        start = time.perf_counter()
        call(name)
        times.append(time.perf_counter() - start)
    return {"first": times[0], "median": statistics.median(times[1:])}


def queries(root: Path, which: str) -> Result:
    """Latency of ``which`` (backlinks or related) on a warm vault, just loaded in this
    process: the first call (which builds the mentions table and query index) and the
    median of the next ones, on notes spread through the vault. Imports are excluded here
    as everywhere (pandas alone takes ~0.4 s); the ``vaultkit backlinks`` row has them."""
    import pandas  # noqa: F401

    from vaultkit import Vault
    from vaultkit.model import note_name
    from vaultkit.queries.links import backlinks
    from vaultkit.queries.related import related

    vault = Vault.load(root)
    paths = list(vault.notes)  # names from paths: picking them must decode nothing
    names = [note_name(p) for p in paths[:: max(1, len(paths) // 11)]][: QUERY_NAMES + 1]
    query = {"backlinks": backlinks, "related": related}[which]
    timing = _latency(lambda name: query(vault, name), names)
    return {"first": timing["first"], "median": timing["median"], "seconds": timing["first"],
            "rss_mb": _rss_mb(resource.RUSAGE_SELF)}


def otools(root: Path) -> Result:
    """Baseline (c): obsidiantools ``Vault(path).connect().gather()``, then backlinks."""
    import obsidiantools.api as ot

    vaults: list[Any] = []
    result = _timed(lambda: vaults.append(ot.Vault(root).connect().gather()))
    vault = vaults[0]
    names = sorted(vault.md_file_index)[:: max(1, len(vault.md_file_index) // 11)]
    result["backlinks_median"] = _latency(vault.get_backlinks, names)["median"]
    return result


def parse(root: Path, count: str, workers: str) -> Result:
    """The first ``count`` notes through ``parse_files`` on ``workers`` processes."""
    from vaultkit.index.parallel import parse_files
    from vaultkit.parse.scan import list_files

    paths = list(list_files(root).notes[: int(count)])
    return _timed(lambda: parse_files(root, paths, int(workers)))


CHILDREN: dict[str, Callable[..., Result]] = {
    "read": read, "tokenise": tokenise, "load": load, "queries": queries, "otools": otools,
    "parse": parse, "one_changed": one_changed,
}

if __name__ == "__main__":
    kind, vault, *rest = sys.argv[1:]
    print(json.dumps(CHILDREN[kind](Path(vault), *rest)))
