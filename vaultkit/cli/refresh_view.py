"""What ``vaultkit refresh`` tells a person: what is up to date and as of which session, from
which source, what changed (each region with its headline figure), what was skipped and
why (grouped by :class:`~vaultkit.refresh.report.SkipCode`), and what to open."""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.cli.terminal import ELLIPSIS, lines, plain, show, width
from vaultkit.errors import VaultkitError
from vaultkit.refresh import writer
from vaultkit.refresh.regions import find_regions
from vaultkit.refresh.report import SKIPPED, UNCHANGED, WRITTEN
from vaultkit.refresh.updates import summarize

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from vaultkit.refresh.report import RefreshReport, RegionRecord

#: `` (2026-08-21 → 2026-11-20)`` in a summary line: the dates of a window.
_SPAN = re.compile(r" \(\d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}\)")
#: The source the bookkeeping regions (dated updates, stamps) name: not a data source.
OWN_SOURCE = "vaultkit"


def headline(record: RegionRecord) -> str:
    """A region's headline figure: for a pair its first window (``XLE +18.0% vs IGV -26.1%,
    spread +44.1pp over 90d``), else the first line of its summary that carries numbers,
    without the session range (the report states the session once)."""
    if not record.figures or record.kind is None:
        return ""
    text = summarize(record.kind, record.figures).splitlines()
    line = text[1].removeprefix("- ") if len(text) > 1 else text[0]
    return _SPAN.sub("", line)


def clip(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, ``…`` at the cut."""
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def sessions(records: list[RegionRecord]) -> str:
    """``as of the 2026-11-20 session (source: …)``, or the span when regions differ."""
    days = sorted({r.asof for r in records if r.asof})
    sources = sorted({r.source for r in records if r.source and r.source != OWN_SOURCE})
    if not days:
        return ""
    when = (f"as of the {days[0].isoformat()} session" if len(days) == 1 else
            f"as of sessions {days[0].isoformat()} to {days[-1].isoformat()}")
    return when + (f" (source: {'; '.join(sources)})" if sources else "")


def charts_of(root: Path, rel: str) -> list[str]:
    """The charts a note's regions name that exist, as vault paths (what one can open)."""
    try:
        text = (root / rel).read_text(encoding="utf-8")
        folder = writer.attachment_folder(root, rel)
        regions = find_regions(text, rel)
    except (OSError, UnicodeDecodeError, VaultkitError):
        return []
    found = []
    for region in regions:
        for key, name in region.spec.params.items():
            chart = folder / name
            if (key == "chart" or key.endswith("chart")) and chart.is_file():
                found.append(chart.resolve().relative_to(root.resolve()).as_posix())
    return found


def print_summary(report: RefreshReport, root: Path) -> None:
    """The human report of a refresh (or, with ``dry_run``, of what it would do)."""
    records = list(report.records)
    if not records:
        show(plain("No note has managed regions (<!-- vaultkit:begin … --> markers): "
                   "nothing to do."))
        return
    changed = [r for r in records if r.status == WRITTEN]
    current = [r for r in records if r.status == UNCHANGED]
    skipped = [r for r in records if r.status == SKIPPED]
    notes = sorted({r.path for r in records})
    verb = "would change" if report.dry_run else "changed"
    when = sessions([r for r in records if r.status != SKIPPED])
    head = f"{plural(len(records), 'region')} in {plural(len(notes), 'note')}"
    head += f", {when}:" if when else ":"
    if changed or skipped:
        tally = f" {len(changed)} {verb}, {len(current)} up to date, {len(skipped)} skipped."
    else:
        tally = f" all up to date, nothing {'would change' if report.dry_run else 'to write'}."
    out: list[RenderableType] = [plain(head + tally)]
    if changed:
        pad = max(len(r.id or "") for r in changed)
        listing = [f"{verb.capitalize()}: {plural(len(changed), 'region')} in "
                   f"{plural(len(report.changed_notes), 'note')}"]
        for path, group in groupby(changed, key=lambda r: r.path):
            listing.append(f"  {path}")
            listing.extend(clip(f"    {r.id or '':<{pad}}  {headline(r)}".rstrip(), width())
                           for r in group)
        out.append(lines(listing))
    if skipped:
        out.append(_skipped(skipped))
    written = set(report.charts)
    opened = [_open_line(rel, charts_of(root, rel), written, records) for rel in notes]
    out.append(lines(["Open:", *opened]))
    show(*out)


def _open_line(rel: str, charts: list[str], written: set[str],
               records: list[RegionRecord]) -> str:
    count = sum(r.path == rel and r.id is not None for r in records)
    text = f"  {rel} ({plural(count, 'region')})"
    return text + "".join(f"\n    {chart}" + (" (new)" if chart in written else "")
                          for chart in charts)


def _skipped(skipped: list[RegionRecord]) -> Text:
    """The skipped regions by note, each with its code and reason, under a count by code."""
    codes = Counter(str(r.code or "other") for r in skipped)
    why = ", ".join(f"{n} {code}" for code, n in codes.most_common())
    out = plain(f"Skipped: {plural(len(skipped), 'region')} ({why})")
    pad = max(len(r.id or "(note)") for r in skipped)
    for path, group in groupby(skipped, key=lambda r: r.path):
        out.append(f"\n  {path}")
        for record in group:
            out.append(f"\n    {record.id or '(note)':<{pad}}  ")
            out.append(f"{record.code or 'other'}: ", style="bold")
            out.append(record.reason or "")
    return out
