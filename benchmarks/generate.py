"""Generate a realistic, deterministic Obsidian research vault for benchmarks and tests.

The notes imitate the seed note (``tests/data/seed/Sector Rotation.md``): frontmatter with
aliases and tags, a title heading, themed sections, dated update sections, GFM tables whose
cells hold links (with ``\\|`` aliases), ``$`` amounts, embeds of charts, and code blocks
whose fake ``[[links]]`` and ``#tags`` a correct parser must ignore. About a third of the
link targets are entities without a note, as in a real research vault.

>>> from pathlib import Path
>>> generate_vault(Path("/tmp/vault"), 1000, seed=7)     # doctest: +SKIP

Run as a script: ``python benchmarks/generate.py OUT --notes 1000 --seed 7``.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

FOLDERS = (
    "Themes", "Themes/Rotation", "Entities/Companies", "Entities/ETFs", "Entities/Indices",
    "Sources/2025", "Sources/2026/Q1", "Sources/2026/Q2", "Macro", "Daily/2026/02",
)
WORDS = (
    "capital", "flows", "rotation", "valuation", "cycle", "earnings", "breadth", "leadership",
    "momentum", "defensive", "cyclical", "growth", "value", "small", "large", "cap", "energy",
    "software", "semiconductor", "margin", "guidance", "positioning", "liquidity", "spread",
    "yield", "curve", "dollar", "duration", "credit", "volatility", "factor", "dispersion",
    "regime", "catalyst", "thesis", "repricing", "drawdown", "rally", "sentiment", "inflows",
    "outflows", "estimate", "revision", "multiple", "premium", "discount", "consensus",
    "allocation", "overweight", "underweight",
)
TOPICS = (
    "Sector", "Energy", "Software", "Small Cap", "Credit", "Rates", "Dollar", "Oil", "AI",
    "Semis", "Banks", "Utilities", "Europe", "Japan", "Emerging", "Value", "Momentum",
    "Quality", "Housing", "Consumer", "Gold", "Copper", "Biotech", "Defense", "Shipping",
)
KINDS = ("Rotation", "Thesis", "Basket", "Outlook", "Watch", "Breadth", "Spread", "Regime")
TICKERS = ("XLE", "IGV", "IWM", "QQQ", "SPY", "RSP", "XLU", "XLF", "SMH", "TLT", "GLD", "EEM")
TAGS = ("macro", "markets", "rotation", "concept", "source/ft", "source/bloomberg",
        "entity/company", "entity/etf", "theme/energy", "theme/ai", "status/active",
        "status/archived", "review/2026", "risk/high", "y2026")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class GeneratedVault:
    """What :func:`generate_vault` wrote: vault-relative note and attachment paths."""

    root: Path
    notes: tuple[str, ...]
    attachments: tuple[str, ...]

    @property
    def bytes(self) -> int:
        """Total size of the notes, for MB/s figures."""
        return sum((self.root / rel).stat().st_size for rel in self.notes)


def generate_vault(root: Path, n: int, seed: int = 0) -> GeneratedVault:
    """Write ``n`` notes (and some attachments) under ``root``; same ``seed``, same bytes."""
    rng = random.Random(seed)
    names = _note_names(rng, n)
    # Entities a researcher links to but never wrote a note for (most of the seed's links).
    phantoms = [f"{rng.choice(TOPICS)} {rng.choice(KINDS)} {chr(65 + i % 26)}{i}"
                for i in range(max(20, n // 4))]
    attachments = [f"attachments/charts/{t.lower()}-chart-{i}.png"
                   for i, t in enumerate(rng.choice(TICKERS) for _ in range(max(4, n // 20)))]
    paths = [f"{FOLDERS[i % len(FOLDERS)]}/{name}.md" for i, name in enumerate(names)]
    for i in range(50, n, 97):
        # Some names repeat in another folder: shallower wins, equal depth is ambiguous.
        names[i] = names[i - 1]
        paths[i] = f"{names[i]}.md" if i % 2 else f"Archive/{names[i]}.md"
    writer = _NoteWriter(rng, names, phantoms, attachments)
    for i, rel in enumerate(paths):
        file = root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(writer.note(names[i]), encoding="utf-8", newline="\n")
    for rel in attachments:
        file = root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(64))
    return GeneratedVault(root, tuple(sorted(paths)), tuple(sorted(attachments)))


def _note_names(rng: random.Random, n: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = f"{rng.choice(TOPICS)} {rng.choice(KINDS)}"
        if name.casefold() in seen:
            name = f"{name} {len(names)}"
        seen.add(name.casefold())
        names.append(name)
    return names


class _NoteWriter:
    def __init__(self, rng: random.Random, names: list[str], phantoms: list[str],
                 attachments: list[str]) -> None:
        self.rng = rng
        self.names = names
        self.phantoms = phantoms
        self.attachments = [a.rsplit("/", 1)[-1] for a in attachments]

    def note(self, name: str) -> str:
        rng = self.rng
        budget = rng.randint(5, 30)
        parts = [self._frontmatter(name), f"# {name}\n", self._paragraph(budget_links=1)]
        budget -= 1
        tables = rng.randint(1, 4)
        sections = rng.randint(3, 6)
        for s in range(sections):
            parts.append(f"## {rng.choice(TOPICS)} {rng.choice(WORDS)} {s + 1}\n")
            links = budget // (sections - s)
            budget -= links
            parts.append(self._paragraph(budget_links=links))
            if s < tables:
                parts.append(self._table())
            if rng.random() < 0.3:
                parts.append(self._code_block())
            if rng.random() < 0.25:
                parts.append(self._extras())
        for _ in range(rng.randint(0, 3)):
            parts.append(self._update())
        return "\n".join(parts)

    # -- pieces ------------------------------------------------------------------------

    def _frontmatter(self, name: str) -> str:
        rng = self.rng
        aliases = [name.replace(" ", "-").lower()] if rng.random() < 0.5 else []
        tags = rng.sample(TAGS, rng.randint(1, 4))
        lines = ["---", f"created: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
        lines.append("aliases: [" + ", ".join(f'"{a}"' for a in aliases) + "]")
        lines.append("tags:")
        lines.extend(f"  - {t}" for t in tags)
        if rng.random() < 0.3:
            lines.append(f'related: "[[{self._target()}]]"')
        lines.append("---\n")
        return "\n".join(lines)

    def _target(self) -> str:
        pool = self.phantoms if self.rng.random() < 0.35 else self.names
        return self.rng.choice(pool)

    def _link(self, in_table: bool = False) -> str:
        rng = self.rng
        roll = rng.random()
        bar = "\\|" if in_table else "|"
        if roll < 0.08:
            size = rng.choice(("", "|300", "|100x145")) if not in_table else ""
            return f"![[{rng.choice(self.attachments)}{size}]]"
        target = self._target()
        if roll < 0.25:
            return f"[[{target}{bar}{rng.choice(WORDS)}]]"
        if roll < 0.35:
            return f"[[{target}#{rng.choice(TOPICS)} {rng.choice(WORDS)}]]"
        if roll < 0.38:
            return f"[[{target}#^blk{rng.randint(1, 9)}]]"
        if roll < 0.41 and not in_table:
            return f"[{rng.choice(WORDS)}]({target.replace(' ', '%20')}.md)"
        return f"[[{target}]]"

    def _sentence(self, links: int) -> str:
        rng = self.rng
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
        for _ in range(links):
            words.insert(rng.randrange(len(words)), self._link())
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), f"#{rng.choice(TAGS)}")
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)),
                         f"~${rng.randint(5, 900)}B and ${rng.randint(1, 99)}")
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), f"({rng.choice(TICKERS)} {_pct(rng)})")
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def _paragraph(self, budget_links: int) -> str:
        rng = self.rng
        sentences = rng.randint(3, 6)
        out = []
        for k in range(sentences):
            share = budget_links // (sentences - k)
            budget_links -= share
            out.append(self._sentence(share))
        return " ".join(out) + "\n"

    def _table(self) -> str:
        rng = self.rng
        cols = rng.randint(3, 5)
        header = ["Asset"] + [f"{rng.choice(WORDS).title()} {c}" for c in range(1, cols)]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * cols]
        for _ in range(rng.randint(3, 8)):
            cells = [self._link(in_table=True) if rng.random() < 0.6 else
                     f"**{rng.choice(TICKERS)}**"]
            for _ in range(cols - 1):
                roll = rng.random()
                cells.append(_pct(rng) if roll < 0.5 else
                             f"~${rng.randint(10, 900)}B" if roll < 0.7 else
                             self._link(in_table=True) if roll < 0.8 else rng.choice(WORDS))
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def _code_block(self) -> str:
        rng = self.rng
        return (f"```python\n# [[{rng.choice(self.names)}]] is not a link, #{rng.choice(TAGS)}"
                f" not a tag\nspread = {rng.random():.3f}  # $5 and $10\n```\n")

    def _extras(self) -> str:
        rng = self.rng
        return rng.choice((
            f"> [!note] {rng.choice(WORDS).title()}\n> Watch [[{self._target()}]] closely.\n",
            f"- [ ] check {rng.choice(TICKERS)} breadth\n- [x] update [[{self._target()}]]\n",
            f"conviction:: {rng.choice(('high', 'medium', 'low'))}\n",
            f"Inline math $x_{{t}} = {rng.randint(1, 9)}$ and %% hidden [[{self._target()}]] %%\n",
            f"See [the source](https://example.com/{rng.randint(1, 999)}#frag) for details.\n",
        ))

    def _update(self) -> str:
        rng = self.rng
        date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, 2026"
        return (f"### {date} update — {rng.choice(TOPICS)} {rng.choice(WORDS)}\n\n"
                + self._paragraph(budget_links=rng.randint(0, 2)))


def _pct(rng: random.Random) -> str:
    return f"{rng.choice('+-')}{rng.randint(1, 60)}%"


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write the vault into")
    parser.add_argument("--notes", type=int, default=1000, help="number of notes")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    args = parser.parse_args()
    made = generate_vault(args.out, args.notes, args.seed)
    print(f"{len(made.notes)} notes, {len(made.attachments)} attachments, "
          f"{made.bytes / 1e6:.1f} MB in {made.root}")


if __name__ == "__main__":
    main()
