"""``make bench``: the parser's worst cases, in MB/s beside ordinary prose, in one run.

Each pattern is one construct's opening delimiter repeated, nested, unclosed or
interleaved with others, filling a note of ``--size`` bytes (on one line, or one unit a
line for the ``/nl`` variants). The table shows, per pattern, MB/s, how many times slower
than prose per byte (``slower``: the bar is 10×), and the growth ratio: time at ``size``
over time at ``size / 2`` (linear time gives about 2, quadratic about 4).

    python benchmarks/worst_case.py                     # 1 MB, every pattern
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

#: name → the unit repeated to fill the note. The names are what the table prints.
PATTERNS: dict[str, str] = {
    "[[": "[[", "![[": "![[", "]]": "]]", "[[a|": "[[a|", "[[a\\|": "[[a\\|", "[[|": "[[|",
    "[[a]]": "[[a]] ", "[[a#": "[[a#", "\\[\\[": "\\[\\[#a ", "[[a\\n": "[[a\n",
    "#a": "#a", "#a ": "#a ", "##": "##", "#a/": "#a/", "# a\\n": "# a\n",
    "[k:: ": "[k:: ", "(k:: ": "(k:: ", "k:: ": "k:: ", "[k::v]": "[k::v] ",
    "[k:: \\n": "[k:: \n", "k::\\n": "k:: v\n",
    "$": "$", "$a": "$a", "$$": "$$", "$a $": "$a $",
    "%%": "%%", "%% a": "%% a", "%%\\n": "%%\n", "<!--": "<!--", "<!-- a -->": "<!-- a -->",
    "> [!a]\\n": "> [!a]\n", "> ": "> ", ">\\n": ">\n",
    "| a ": "| a ", "|a|\\n": "|a|\n", "table": "|a|b|\n|-|-|\n" + "|[[x\\|y]]|#t|\n" * 40,
    "*": "*", "**a": "**a", "*a_": "*a_", "_a*": "_a*", "~~": "~~",
    "<a ": "<a ", "<": "<", "<div>\\n": "<div>\n",
    "`": "`", "`a": "`a", "``a`": "``a`",
    "[": "[", "[a](": "[a](", "![": "![", "[a]": "[a]", "[a]:": "[a]: ",
    "^a ": "^a ", "- [ ] \\n": "- [ ] [[a]] #t\n", "  - \\n": "- a\n  ",
    "[^1]": "[^1] ", "[^1]: \\n": "[^1]: a\n", "\\": "\\",
    "mix": "[[#a$%%![[\\|[k:: (k:: `*_<!--",
}


def note_of(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def child(name: str, size: int) -> None:
    """Parse one generated note and print the seconds it took."""
    from vaultkit.parse.note import parse_note

    text = note_of(PROSE if name == "prose" else PATTERNS[name], size)
    parse_note(PROSE, "warm.md")
    start = time.perf_counter()
    parse_note(text, "worst.md")
    print(json.dumps(time.perf_counter() - start))


def measure(name: str, size: int, timeout: float) -> float | None:
    """Seconds to parse the pattern at ``size``, or None past ``timeout``."""
    cmd = [sys.executable, __file__, "--child", name, str(size)]
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description="parser worst cases against prose")
    parser.add_argument("--size", type=int, nargs="+", default=[2**20],
                        help="note sizes in bytes (growth is measured against size/2)")
    parser.add_argument("--only", nargs="+", help="patterns to run (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per parse")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    names = args.only or list(PATTERNS)
    worst = 0.0
    for size in args.size:
        prose = measure("prose", size, args.timeout) or float("inf")
        print(f"\nnote size {size:,} bytes; prose {size / prose / 1e6:.2f} MB/s")
        print(f"{'pattern':<14}{'MB/s':>9}{'slower':>9}{'growth':>8}")
        for name in names:
            seconds = measure(name, size, args.timeout)
            if seconds is None:
                print(f"{name:<14}{'>' + format(args.timeout, '.0f') + ' s':>9}")
                worst = float("inf")
                continue
            half = measure(name, size // 2, args.timeout) or float("nan")
            slower = seconds / prose
            worst = max(worst, slower)
            print(f"{name:<14}{size / seconds / 1e6:>9.2f}{slower:>8.1f}×{seconds / half:>8.2f}")
    print(f"\nworst pattern: {worst:.1f}× slower than prose per byte (bar: 10×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
