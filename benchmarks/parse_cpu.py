"""``make bench``: CPU per note of parsing, with the inline shortcuts against without.

Parses the notes of a generated vault (``load_note``: read, markdown-it, the walk) with
:func:`~vaultkit.syntax.obsidian_markdown` as it is, and again with markdown-it's own
``inline`` core rule and rule chain (the dispatcher off): the baseline, measured in the
same run. Process time, median of ``--repeat`` rounds, alternating the two. Issue #13 asks
the cold load to stay within noise of the blobs-only index; the parse is most of its CPU.

    python benchmarks/parse_cpu.py                     # 1,000 generated notes
    python benchmarks/parse_cpu.py --notes 10000 --repeat 3
    python benchmarks/parse_cpu.py --vault /path/to/generated/vault
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from markdown_it.rules_core import inline  # noqa: E402

from benchmarks.generate import generate_vault  # noqa: E402
from vaultkit.parse.load import load_note  # noqa: E402
from vaultkit.parse.scan import list_files  # noqa: E402
from vaultkit.syntax import obsidian_markdown  # noqa: E402
from vaultkit.syntax.plain_inline import plain_inline_plugin  # noqa: E402


@contextmanager
def markdown_its_own() -> Iterator[None]:
    """The shared parser with markdown-it's inline core rule and full rule chain."""
    md = obsidian_markdown()
    md.core.ruler.at("inline", inline)
    md.inline.ruler.disable("dispatch")
    try:
        yield
    finally:
        plain_inline_plugin(md)
        md.inline.ruler.enable("dispatch")


def cpu_ms_per_note(root: Path, paths: list[str]) -> float:
    start = time.process_time()
    for rel in paths:
        load_note(root, rel)
    return (time.process_time() - start) / len(paths) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=1000, help="generated notes to parse")
    parser.add_argument("--vault", type=Path, help="parse this vault instead")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.vault or Path(tmp) / "vault"
        if args.vault is None:
            generate_vault(root, args.notes, seed=10000)
        paths = list_files(root).notes[: args.notes]
        load_note(root, paths[0])  # imports and the parser's set-up, not timed
        own: list[float] = []
        fast: list[float] = []
        for _ in range(args.repeat):
            with markdown_its_own():
                own.append(cpu_ms_per_note(root, paths))
            fast.append(cpu_ms_per_note(root, paths))
    base, now = statistics.median(own), statistics.median(fast)
    print(f"parse CPU per note, {len(paths):,} notes, median of {args.repeat} (process time)")
    print(f"{'markdown-it inline rule and chain':36} {base:7.3f} ms")
    print(f"{'with the inline shortcuts':36} {now:7.3f} ms   {now / base:.2f}x")


if __name__ == "__main__":
    main()
