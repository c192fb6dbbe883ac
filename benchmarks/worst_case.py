"""``make bench``: the parser's worst cases, in MB/s beside ordinary prose, in one run.

Each pattern is one construct's delimiters repeated, nested, unclosed or interleaved with
the others' (:data:`GROUPS`), filling a note of ``--size`` characters: on one line, or one
unit a line when the unit ends in ``\n``. The table shows, per pattern, MB/s, how many
times slower than prose it is per byte (``slower``: the bar is 10×), and its growth: time
at ``size`` over time at ``size / 2`` (linear time gives about 2, quadratic about 4).
Issue #12's quadratic cases took 11 s for 64 KB of ``[[`` and 215 s for 160 KB of ``[k:: ``.

    python benchmarks/worst_case.py                     # 1 MB, every pattern (~10 min)
    python benchmarks/worst_case.py --size 65536        # a quick run
    python benchmarks/worst_case.py --only '[[' --size 16384 32768 65536
    python benchmarks/worst_case.py --timeout 60        # give up on a pattern after 60 s

Every measurement runs in a child process with a time limit, so a pattern that has gone
quadratic shows as ``>timeout`` instead of stalling the run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

#: Ordinary note text: a heading, prose with links, tags, a table, a list and a task.
PROSE = (
    "## Energy update\n\n"
    "XLE outran [[IGV]] by 14pp over 90 days as #markets/energy led; see [[Sector Rotation"
    "#Historical rotations|rotations]] and ![[xle-vs-igv.png|300]]. Costs $5 and $10.\n\n"
    "| Ticker | Return | Note |\n|---|---|---|\n| [[XLE]] | +12% | energy |\n"
    "| [[IGV\\|software]] | -3% | *lagging* |\n\n"
    "- [ ] check [[NVIDIA]] earnings #todo\n- rate:: 4.5%\n> [!note] Why\n> because `code`.\n\n"
)

#: Each construct's delimiters: repeated, unclosed (with text), one a line, nested and
#: interleaved with the others. The unit is repeated to fill the note; its repr is the name.
GROUPS: dict[str, list[str]] = {
    "wikilinks": ["[[", "![[", "]]", "[[a|", "[[a\\|", "[[|", "[[a#", "[[a]] ", "[[a\n",
                  "[[a]", "[[[!", "![[\\|"],
    "tags": ["#a", "#a ", "##", "#a/", "# a\n", "\\[#a"],
    "fields": ["[k:: ", "(k:: ", "k:: ", "[k::v] ", "[k:: \n", "k:: v\n", "[[k:: ", "[k:: [",
               "(k:: (", "[k:: [a] ", "[k:: \\]", "[k:: ]"],
    "tables": ["\\|", "|", "| a ", "|a|\n", "|-", "|a|b|\n|-|-|\n" + "|[[x\\|y]]|#t|\n" * 40],
    "math": ["$", "$a", "$$", "$a $", "$$a"],
    "comments": ["%%", "%% a", "%%\n", "a %%\n", "- %% [[a]] %%\n", "<!--", "<!-- a -->"],
    "callouts": ["> [!a]\n", "> ", ">\n", "[!"],
    "emphasis": ["*", "**a", "*a_", "_a*", "~~", "***a", "_["],
    "html": ["<a ", "<", "<div>\n", "</", '<a href="'],
    "code": ["`", "`a", "``a`"],
    "links": ["[", "[a](", "![", "[a]", "[a]: ", "](", "[a](<", "<http:", "![[]("],
    "footnotes": ["[^1] ", "[^1]: a\n", "[^a"],
    "lists": ["- [ ] [[a]] #t\n", "- a\n  ", "- "],
    "blocks": ["^a ", "---\n", "a\n-\n", "\\"],
    "mixed": ["[[#a$%%![[\\|[k:: (k:: `*_<!--", "[^[!", "[[<", "![[]*_"],
}
PATTERNS: dict[str, str] = {repr(unit)[1:-1]: unit for units in GROUPS.values() for unit in units}
#: Text put before the repeated unit: ``[^a`` is only read as a reference with a definition.
PREFIX = {"[^a": "[^a]: defined\n\n"}


def note_of(unit: str, size: int) -> str:
    """``unit`` repeated (after its prefix) as many whole times as fit in ``size``
    characters: cut mid-unit, a note can end in a closer that changes how it all parses
    (a line of ``$$a`` ending in ``$$`` is one math block), which is not growth."""
    prefix = PREFIX.get(unit, "")
    return prefix + unit * max((size - len(prefix)) // len(unit), 1)


def child(key: str, sizes: list[int]) -> None:
    """Parse the note of pattern number ``key`` (or prose) at each size; print the seconds."""
    from vaultkit.parse.note import parse_note

    parse_note(PROSE, "warm.md")
    unit = PROSE if key == "prose" else list(PATTERNS.values())[int(key)]
    seconds = []
    for size in sizes:
        text = note_of(unit, size)
        start = time.perf_counter()
        parse_note(text, "worst.md")
        seconds.append(time.perf_counter() - start)
    print(json.dumps(seconds))


def measure(name: str, size: int, timeout: float) -> tuple[float, float] | None:
    """Seconds to parse the pattern at ``size // 2`` and ``size``, or None past ``timeout``."""
    # By number: a pattern such as ``---\n`` would read as an option.
    key = "prose" if name == "prose" else str(list(PATTERNS).index(name))
    cmd = [sys.executable, __file__, "--child", key, str(size // 2), str(size)]
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    half, full = json.loads(out.stdout.strip().splitlines()[-1])
    return float(half), float(full)


def main() -> int:
    parser = argparse.ArgumentParser(description="parser worst cases against prose")
    parser.add_argument("--size", type=int, nargs="+", default=[2**20],
                        help="note sizes in bytes (growth is measured against size/2)")
    parser.add_argument("--only", nargs="+", help="patterns to run (default: all)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds per pattern (both sizes)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], [int(size) for size in args.child[1:]])
        return 0
    names = args.only or list(PATTERNS)
    worst = 0.0
    for size in args.size:
        prose = measure("prose", size, args.timeout)
        prose_seconds = prose[1] if prose else float("inf")
        print(f"\nnote size {size:,} bytes; prose {size / prose_seconds / 1e6:.2f} MB/s")
        print(f"{'pattern':<16}{'MB/s':>9}{'slower':>9}{'growth':>8}")
        for name in names:
            measured = measure(name, size, args.timeout)
            if measured is None:
                print(f"{name[:15]:<16}{'>' + format(args.timeout, '.0f') + ' s':>9}")
                worst = float("inf")
                continue
            half, seconds = measured
            slower = seconds / prose_seconds
            worst = max(worst, slower)
            print(f"{name[:15]:<16}{size / seconds / 1e6:>9.2f}{slower:>8.1f}×"
                  f"{seconds / half:>8.2f}", flush=True)
    print(f"\nworst pattern: {worst:.1f}× slower than prose per byte (bar: 10×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
