"""``make bench`` (audit): the thesis ledger on the sample vault and on generated vaults.

Baselines, measured in the same run on the same vault: a cold ``Vault.load`` (parse every
note, no index) and ``build_facts`` (every table cell typed — the ledger's own input). The
ledger's time is printed beside them and as a ratio. Generated vaults come from
``benchmarks/generate.py``; this script adds seeded synthetic closes for its tickers and one
claims note per 50 notes whose figures the rules can check (returns, spreads, streaks), so
the measuring path is timed, not only the rules that turn most figures away.

    python benchmarks/audit.py              # the sample vault and 1,000 notes
    python benchmarks/audit.py --big        # also 10,000 notes
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import TICKERS, generate_vault  # noqa: E402
from vaultkit import Vault, build_facts  # noqa: E402
from vaultkit.audit import audit_vault  # noqa: E402
from vaultkit.data import make_provider  # noqa: E402

T = TypeVar("T")
LATEST = dt.date(2026, 11, 20)


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """CPU seconds of ``work`` in this process (the load's worker processes included)."""
    start = time.process_time(), _children()
    result = work()
    return time.process_time() - start[0] + _children() - start[1], result


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_prices(root: Path, seed: int = 0) -> None:
    """Seeded random-walk closes, weekdays 2024-01-01..LATEST, one CSV per ticker."""
    rng = random.Random(seed)
    folder = root / "data" / "prices"
    folder.mkdir(parents=True, exist_ok=True)
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i)
            for i in range((LATEST - dt.date(2024, 1, 1)).days + 1)]
    sessions = [d for d in days if d.weekday() < 5]
    for ticker in TICKERS:
        close, lines = 100.0, ["# synthetic sample data (benchmark)", "Date,Close"]
        for day in sessions:
            close *= 1 + rng.gauss(0.0003, 0.015)
            lines.append(f"{day},{close:.2f}")
        (folder / f"{ticker}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_claims(root: Path, count: int, seed: int = 0) -> None:
    """``count`` notes of dated claims the rules can read (some right, most not)."""
    rng = random.Random(seed)
    folder = root / "Claims"
    folder.mkdir(exist_ok=True)
    for i in range(count):
        a, b = rng.sample(TICKERS, 2)
        day = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
        rows = [f"| {a} YTD | {rng.uniform(-20, 20):+.1f}% |",
                f"| {b} 90d | {rng.uniform(-20, 20):+.1f}% |",
                f"| {a} 2025 | {rng.uniform(-30, 30):+.0f}% |",
                f"| {a} vs {b} 3m | ~{rng.uniform(-15, 15):+.0f}pp |",
                f"| {a} vs {b} streak | {rng.randint(1, 5)} sessions |"]
        text = (f"# Claims {i}\n\n### {day:%B} {day.day}, {day.year} update\n\n"
                "| Metric | Value |\n|---|---|\n" + "\n".join(rows) + "\n")
        (folder / f"Claims {i}.md").write_text(text, encoding="utf-8")


def measure(root: Path, latest: dt.date) -> dict[str, float | int | str]:
    load, vault = timed(lambda: Vault.load(root, cache=False))
    facts, frame = timed(lambda: build_facts(vault))
    provider = make_provider("csv", root)
    ledger, rows = timed(lambda: audit_vault(vault, provider, latest))
    verdicts = Counter(row.verdict for row in rows)
    return {"notes": len(vault.notes), "facts": len(frame), "load": load, "facts_s": facts,
            "audit": ledger, "checked": sum(row.checked for row in rows),
            "verdicts": ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items()))}


def cli_seconds(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one ``vaultkit`` command on the sample vault (CPU too, since
    on a shared machine the wall clock mostly measures the neighbours)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "vaultkit", "--vault", str(ROOT / "vault"), *args],
                   check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def report(name: str, figures: dict[str, float | int | str]) -> None:
    load, facts, ledger = (float(figures[k]) for k in ("load", "facts_s", "audit"))
    print(f"{name}: {figures['notes']} notes, {figures['facts']} facts, "
          f"{figures['checked']} checked ({figures['verdicts']})")
    print(f"  CPU: cold load {load:.2f} s · facts {facts:.2f} s · audit {ledger:.2f} s "
          f"= {ledger / load:.2f}x load, {ledger / facts:.2f}x facts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--big", action="store_true", help="also audit 10,000 notes")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    options = parser.parse_args()
    sizes = [*options.sizes, *([10_000] if options.big else [])]
    report("sample vault", measure(ROOT / "vault", LATEST))
    (audit_wall, audit_cpu), (scan_wall, scan_cpu) = (cli_seconds("audit", "--format", "json"),
                                                      cli_seconds("scan"))
    print(f"  `vaultkit audit` {audit_wall:.2f} s wall, {audit_cpu:.2f} s CPU = "
          f"{audit_cpu / scan_cpu:.2f}x `vaultkit scan` ({scan_wall:.2f} s wall, "
          f"{scan_cpu:.2f} s CPU)")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate_vault(root, size)
            write_prices(root)
            write_claims(root, max(1, size // 50))
            report(f"generated {size:,}", measure(root, LATEST))


if __name__ == "__main__":
    main()
