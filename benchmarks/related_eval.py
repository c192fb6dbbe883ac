"""Evaluate ``related`` as link prediction, against the classic baselines, in one run.

Hide 10% of the wikilinks (seeded; each hidden link's markup is removed from the note and
its display text kept), re-load the vault, and for each hidden link ``note → target`` rank
every node ``note`` is not yet linked with. ``related`` competes with Jaccard, Adamic-Adar,
resource allocation, personalised PageRank and degree, all computed on the same re-loaded
link graph. Ranks are filtered (the note's other hidden targets are not competitors) and
ties count half. Reports MRR and hits@1/5/10.

The structured vault is written by :func:`write_structured_vault`: sectors of entities whose
peers share table rows and sentences, theme notes, entity notes, sources and a few index
notes (hubs) — the shape of a research vault. ``--perf`` times every query on a
``benchmarks/generate.py`` vault instead.

    python benchmarks/related_eval.py --vault vault --notes 2000 --seed 1
    python benchmarks/related_eval.py --tune          # grid over the related weights
    python benchmarks/related_eval.py --perf 10000    # query latency after load
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vaultkit.queries.lookup import MentionLookup, mention_lookup
from vaultkit.queries.related import DEFAULT_WEIGHTS, Weights, score_pairs
from vaultkit.queries.structure import pagerank
from vaultkit.syntax import split_wikilink
from vaultkit.vault import Vault
from vaultkit.views.mentions import entity_key

_WIKILINK = re.compile(r"(?<!!)\[\[([^\[\]\n]+?)\]\]")
Scorer = Callable[[str], dict[str, float]]


@dataclass(frozen=True, slots=True)
class Result:
    method: str
    mrr: float
    hits: tuple[float, float, float]
    queries: int


# -- hiding links ------------------------------------------------------------------------


def hide_links(source: Path, target: Path, fraction: float, seed: int) -> list[tuple[str, str]]:
    """Copy the vault ``source`` to ``target`` without a seeded ``fraction`` of its distinct
    (note, target) wikilink pairs; returns the hidden pairs as (note path, node key)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
    vault = Vault.load(source)
    frame = vault.mentions
    body = frame[(frame["kind"] == "link")]
    pairs = sorted(set(zip(body["source"], body["target"], strict=True)))
    hidden = sorted(random.Random(seed).sample(pairs, round(len(pairs) * fraction)))
    by_note: dict[str, set[str]] = {}
    for note, key in hidden:
        by_note.setdefault(note, set()).add(key)
    for note, keys in by_note.items():
        file = target / note
        text = file.read_text(encoding="utf-8")
        file.write_text(_WIKILINK.sub(partial(_unlink, vault, keys=keys), text),
                        encoding="utf-8")
    return hidden


def _unlink(vault: Vault, match: re.Match[str], *, keys: set[str]) -> str:
    parts = split_wikilink(match.group(1))
    resolved = vault.resolver.resolve(parts.target).path
    key = resolved if resolved is not None else entity_key(parts.target)
    if key not in keys:
        return match.group(0)
    return parts.display or parts.target


# -- scorers -------------------------------------------------------------------------------


def scorers(index: MentionLookup, weights: Weights) -> dict[str, Scorer]:
    """Every method, as query → {candidate: score} over non-attachment nodes."""
    nodes = sorted(k for k, kind in index.kinds.items() if kind != "attachment")
    wanted = set(nodes)
    near = {k: frozenset(n for n in index.neighbours.get(k, ()) if n in wanted) for k in nodes}
    edges = [(s, o.target) for s, occs in index.by_source.items() for o in occs
             if s in wanted and o.target in wanted]

    def shared(query: str, weight: Callable[[int], float]) -> dict[str, float]:
        scores: dict[str, float] = {}
        for via in near[query]:
            w = weight(len(near[via]))
            for other in near[via]:
                scores[other] = scores.get(other, 0.0) + w
        return scores

    def jaccard(query: str) -> dict[str, float]:
        return {k: v / len(near[query] | near[k]) for k, v in shared(query, lambda d: 1).items()}

    def ppr(query: str) -> dict[str, float]:
        return pagerank(nodes, edges, personal={query: 1.0})

    def ours(query: str) -> dict[str, float]:
        return {k: p.total for k, p in score_pairs(index, query, weights).items()}

    degree = {k: float(len(near[k])) for k in nodes}
    return {
        "related": ours,
        "jaccard": jaccard,
        "adamic-adar": lambda q: shared(q, lambda d: 1 / math.log(d) if d > 1 else 0.0),
        "resource allocation": lambda q: shared(q, lambda d: 1 / d),
        "personalised pagerank": ppr,
        "degree": lambda q: degree,
    }


def evaluate(vault: Vault, hidden: list[tuple[str, str]], methods: dict[str, Scorer],
             limit: int, seed: int) -> list[Result]:
    """Filtered rank of each hidden target among the query note's unlinked candidates."""
    index = mention_lookup(vault)
    candidates = {k for k, kind in index.kinds.items() if kind != "attachment"}
    hidden_of: dict[str, set[str]] = {}
    for note, key in hidden:
        hidden_of.setdefault(note, set()).add(key)
    cases = [(n, k) for n, k in hidden
             if k in candidates and n in candidates and k not in index.neighbours.get(n, ())]
    if len(cases) > limit:
        cases = sorted(random.Random(seed).sample(cases, limit))
    results = []
    for name, method in methods.items():
        ranks = []
        for note, key in cases:
            pool = candidates - index.neighbours.get(note, frozenset()) - {note}
            others = hidden_of[note] - {key}
            ranks.append(_rank(method(note), key, pool - others))
        hits = [statistics.fmean(r <= k for r in ranks) for k in (1, 5, 10)]
        results.append(Result(name, statistics.fmean(1 / r for r in ranks),
                              (hits[0], hits[1], hits[2]), len(ranks)))
    return results


def _rank(scores: dict[str, float], key: str, pool: set[str]) -> float:
    mine = scores.get(key, 0.0)
    greater = equal = 0
    for other in pool:
        if other == key:
            continue
        value = scores.get(other, 0.0)
        greater += value > mine
        equal += value == mine
    return 1 + greater + equal / 2


def run(source: Path, label: str, weights: Weights, seed: int, limit: int) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        hidden = hide_links(source, Path(tmp) / "vault", 0.10, seed)
        vault = Vault.load(Path(tmp) / "vault")
        results = evaluate(vault, hidden, scorers(mention_lookup(vault), weights), limit, seed)
    print(f"\n{label}: {len(hidden)} wikilinks hidden, {results[0].queries} rankable")
    print(f"{'method':<24}{'MRR':>8}{'hits@1':>8}{'hits@5':>8}{'hits@10':>9}")
    for r in sorted(results, key=lambda r: -r.mrr):
        print(f"{r.method:<24}{r.mrr:8.3f}{r.hits[0]:8.3f}{r.hits[1]:8.3f}{r.hits[2]:9.3f}")
    return results


# -- a research vault with structure --------------------------------------------------------


def write_structured_vault(root: Path, notes: int, seed: int) -> None:
    """Sectors of entities; peers (groups of four) share table rows and sentences.

    A third of the notes are entity notes, the rest themes, sources and a few index notes
    that link across every sector (the hubs ``related`` must discount). One link in five is
    noise drawn from anywhere, and popularity inside a sector is Zipf-like.
    """
    rng = random.Random(seed)
    sectors = [[f"S{s} Co{e}" for e in range(24)] for s in range(max(4, notes // 60))]
    everything = [e for sector in sectors for e in sector]
    with_note = set(rng.sample(everything, notes // 3))

    def pick(sector: list[str]) -> str:
        if rng.random() < 0.2:
            return rng.choice(everything)
        return sector[min(int(rng.paretovariate(1.2)) - 1, len(sector) - 1)]

    def peers(sector: list[str]) -> list[str]:
        start = rng.randrange(0, len(sector), 4)
        group = sector[start:start + 4]
        return [e if rng.random() > 0.2 else rng.choice(everything)
                for e in rng.sample(group, rng.randint(2, 3))]

    def body(topics: list[list[str]]) -> Iterator[str]:
        for sector in topics:
            yield f"\n## {sector[0].split()[0]} outlook\n"
            yield " ".join(f"Flows into [[{a}]] and [[{b}]] this week." if rng.random() < 0.5
                           else f"Breadth in [[{pick(sector)}]] improved."
                           for a, b in (peers(sector)[:2] for _ in range(rng.randint(1, 3))))
            yield "\n| Name | Peer | Move |\n|---|---|---|"
            for _ in range(rng.randint(2, 5)):
                row = peers(sector)
                yield f"| [[{row[0]}]] | [[{row[1]}]] | {rng.randint(-30, 30)}% |"
            yield ""
        yield "\n## Related\n"
        yield "\n".join(f"- [[{pick(rng.choice(topics))}]]" for _ in range(rng.randint(2, 6)))

    files: dict[str, str] = {}
    for entity in sorted(with_note):
        sector = sectors[int(entity.split()[0][1:])]
        files[f"Entities/{entity}.md"] = f"# {entity}\n" + "\n".join(body([sector]))
    for i in range(notes - len(files) - 3):
        topics = rng.sample(sectors, rng.randint(1, 2))
        folder = "Themes" if i % 2 else "Sources"
        files[f"{folder}/Note {i}.md"] = f"# Note {i}\n" + "\n".join(body(topics))
    for i in range(3):
        listed = rng.sample(everything, min(len(everything), 150))
        files[f"Index {i}.md"] = "# Index\n" + "\n".join(f"- [[{e}]]" for e in listed)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text + "\n", encoding="utf-8")


# -- tuning and timing --------------------------------------------------------------------------


def tune(source: Path, seed: int, limit: int) -> None:
    """Try each weight one step up and down from the defaults; print MRR for each."""
    grid: dict[str, tuple[float, ...]] = {
        "twohop": (1.0, 4.0), "paragraph": (0.25, 0.6), "table": (0.2, 0.5),
        "section": (0.1, 0.3), "note": (0.04, 0.15), "repeat": (0.25, 1.0),
        "discount": (0.25, 0.75), "hub_factor": (3.0, 10.0), "via_limit": (30, 120),
        "spread": (0.25, 1.0)}
    with tempfile.TemporaryDirectory() as tmp:
        hidden = hide_links(source, Path(tmp) / "vault", 0.10, seed)
        vault = Vault.load(Path(tmp) / "vault")
        index = mention_lookup(vault)
        trials = [("defaults", DEFAULT_WEIGHTS)] + [
            (f"{name}={value}", replace(DEFAULT_WEIGHTS, **{name: value}))  # type: ignore[arg-type]
            for name, values in grid.items() for value in values]
        for label, weights in trials:
            ours = scorers(index, weights)["related"]
            result = evaluate(vault, hidden, {"related": ours}, limit, seed)[0]
            print(f"{label:<20} MRR {result.mrr:.4f}  hits@10 {result.hits[2]:.3f}")


def perf(notes: int, seed: int) -> None:
    """Load a generate.py vault of ``notes`` notes, then time each query: the first call
    (cold: nothing cached by ``related`` yet) and the best of two more (warm)."""
    from generate import generate_vault

    from vaultkit.queries import backlinks, hubs, links, orphans, related, unlinked, unresolved
    from vaultkit.queries import path as shortest_path

    with tempfile.TemporaryDirectory() as tmp:
        generate_vault(Path(tmp), notes, seed)
        start = time.perf_counter()
        vault = Vault.load(tmp)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        mention_lookup(vault)
        indexed = time.perf_counter() - start
        print(f"{notes} notes: load {loaded:.2f}s, mentions + index {indexed:.2f}s, "
              f"{len(vault.mentions)} link occurrences")
        top = hubs(vault, top=3)
        busiest, entity = str(top["name"].iloc[0]), str(top["name"].iloc[-1])
        note = next(iter(vault.notes))
        queries: dict[str, Callable[[], object]] = {
            f"related {busiest}": lambda: related(vault, busiest),
            f"related {entity}": lambda: related(vault, entity),
            f"related {note}": lambda: related(vault, note),
            f"backlinks {busiest}": lambda: backlinks(vault, busiest),
            f"links {note}": lambda: links(vault, note),
            "unresolved": lambda: unresolved(vault),
            "orphans": lambda: orphans(vault),
            "hubs": lambda: hubs(vault),
            f"path {note} {entity}": lambda: shortest_path(vault, note, entity),
            f"unlinked {busiest}": lambda: unlinked(vault, busiest),
        }
        vault.graph  # noqa: B018  (path needs the networkx graph; build it outside the timing)
        # A loaded vault is a million long-lived objects; without this, a full garbage
        # collection pass can land inside any one query and dominate its time.
        gc.freeze()
        print(f"  {'query':<62}{'cold':>9}{'warm':>9}")
        for label, query in queries.items():
            times = []
            for _ in range(3):
                start = time.perf_counter()
                query()
                times.append(time.perf_counter() - start)
            print(f"  {label[:60]:<62}{times[0] * 1000:7.0f}ms{min(times[1:]) * 1000:7.0f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--vault", type=Path, default=Path("vault"), help="sample vault")
    parser.add_argument("--notes", type=int, default=2000, help="structured vault size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=1000, help="hidden links ranked at most")
    parser.add_argument("--tune", action="store_true", help="grid over the related weights")
    parser.add_argument("--perf", type=int, metavar="NOTES", help="time queries instead")
    args = parser.parse_args()
    if args.perf:
        perf(args.perf, args.seed)
        return
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "structured"
        write_structured_vault(generated, args.notes, args.seed)
        if args.tune:
            tune(generated, args.seed, args.limit)
            return
        outcomes = []
        if (args.vault / "Sector Rotation.md").exists():
            outcomes.append(run(args.vault, f"sample vault {args.vault}", DEFAULT_WEIGHTS,
                                args.seed, args.limit))
        outcomes.append(run(generated, f"structured vault, {args.notes} notes",
                            DEFAULT_WEIGHTS, args.seed, args.limit))
    beaten = all(r[0].mrr > max(o.mrr for o in r[1:]) for r in outcomes)
    print("\nrelated beats every baseline on MRR" if beaten else "\nrelated does NOT win")
    sys.exit(0 if beaten else 1)


if __name__ == "__main__":
    main()
