"""Compact human views of the graph and table commands, laid out for a 100-column terminal
and long, deeply-foldered names: the note's name first, its folder shortened under it, the
scores in one column, the best one or two pieces of evidence and ``+N more``.

Each view takes the same records the command prints as JSON (the full lists stay there and
behind ``--long``) and returns something to print; vault text is always plain ``Text``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Any

from vaultkit.cli.terminal import (
    folder_limit,
    folder_of,
    lines,
    more,
    name_of,
    new_table,
    plain,
    short_folder,
    shorten,
    spot,
)

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

Record = Mapping[str, Any]
#: Evidence lines shown per row before ``+N more``.
SHOWN = 2
DIM = "dim"
#: Longest name shown after ``via`` in a compact row (``--long`` shows it whole).
VIA_LIMIT = 32


def note_cell(name: str, path: str | None, *, entity: str = "no note") -> Text:
    """The name, and under it (dim) the folder, shortened, or ``entity`` for an entity."""
    if path is None:
        return lines([plain(name), plain(entity, DIM)]) if entity else plain(name)
    folder = folder_of(path)
    if not folder:
        return plain(name)
    return lines([plain(name), plain(short_folder(folder, folder_limit()), DIM)])


def _evidence(items: Sequence[str], total: int) -> Text:
    shown = [plain(item) for item in items[:SHOWN]]
    extra = more(total, len(shown))
    if extra:
        if shown:
            shown[-1].append(f"  {extra}", style=DIM)
        else:
            shown.append(plain(extra, DIM))
    return lines(shown)


def related_view(records: Sequence[Record], title: str) -> Table:
    """``related``: rank, note, score (and its parts: links + co-citation + two-hop), why."""
    table = new_table("#", "note", "score", "why (file:line what)", title=title,
                      right=("#", "score"), names=("note",))
    for rank, row in enumerate(records, 1):
        items = _related_items(row)
        score = lines([plain(f"{row['score']:.2f}"),
                       plain(f"{_num(row['direct'])}+{_num(row['cocitation'])}"
                             f"+{_num(row['twohop'])}", DIM)])
        table.add_row(plain(rank), note_cell(row["name"], row["path"]), score,
                      _evidence(items, max(len(row["evidence"]), len(items))))
    table.caption = plain("score = links + co-citation + two-hop; --long lists all evidence",
                          DIM)
    table.caption_justify = "left"
    return table


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _related_items(row: Record) -> list[str]:
    """The explanation's pieces (``path:line kind`` or ``via [[X]]``) with each path cut
    to the file's name. Split only before a piece that starts like one, so a name holding
    ``; `` stays whole."""
    paths = {e["path"] for e in row["evidence"] if e.get("path")}
    pieces: list[str] = []
    for piece in str(row["explanation"] or "").split("; "):
        starts = piece.startswith("via [[") or any(piece.startswith(f"{p}:") for p in paths)
        if pieces and not starts:
            pieces[-1] += "; " + piece
        else:
            pieces.append(piece)
    out = []
    for piece in pieces:
        if piece.startswith("via [[") and piece.endswith("]]"):
            out.append(f"via [[{shorten(piece[6:-2], VIA_LIMIT)}]]")
            continue
        path = next((p for p in sorted(paths, key=len, reverse=True)
                     if piece.startswith(f"{p}:")), None)
        if path is None:
            out.append(piece)
        else:
            line, _, what = piece[len(path) + 1:].partition(" ")
            out.append(spot(path, line, what))
    return [p for p in out if p]


def _occurrence(row: Record) -> str:
    """``:78 table row (Event) as "NVDA"``: where in its note a link is written."""
    block = str(row.get("block") or "").replace("_", " ")
    what = f":{row['line']} {block}".rstrip()
    if row.get("column"):
        what += f" ({row['column']})"
    if row.get("display"):
        what += f' as "{row["display"]}"'
    return what


def backlinks_view(records: Sequence[Record], title: str) -> Table:
    """``backlinks``: one row per linking note, its links' lines and places."""
    table = new_table("note", "links", "where (:line place)", title=title, right=("links",),
                      names=("note",))
    for path, group in groupby(records, key=lambda r: r["path"]):
        rows = list(group)
        table.add_row(note_cell(name_of(path), path), plain(len(rows)),
                      _evidence([_occurrence(r) for r in rows], len(rows)))
    return table


def links_view(records: Sequence[Record], title: str) -> Table:
    """``links``: one row per target, in order of first appearance, with where it is."""
    table = new_table("target", "kind", "times", "where (:line place)", title=title,
                      right=("times",), names=("target",))
    order: dict[tuple[str, str | None], list[Record]] = {}
    for row in records:
        order.setdefault((row["name"], row["path"]), []).append(row)
    for (name, path), rows in order.items():
        table.add_row(note_cell(name, path, entity=""),
                      plain(rows[0]["target_kind"]), plain(len(rows)),
                      _evidence([_occurrence(r) for r in rows], len(rows)))
    return table


def unlinked_view(records: Sequence[Record], title: str, width: int = 60) -> Table:
    """``unlinked``: one row per note, each mention's line with the text around it."""
    table = new_table("note", "mentions", "where (:line text)", title=title,
                      right=("mentions",), names=("note",))
    for path, group in groupby(records, key=lambda r: r["path"]):
        rows = list(group)
        name = note_cell(name_of(path), path)
        if rows[0]["linked"]:
            name.append("\nlinks it already", style=DIM)
        items = [f":{r['line']} {_around(r['text'], r['match'], width)}" for r in rows]
        table.add_row(name, plain(len(rows)), _evidence(items, len(rows)))
    return table


def _around(text: str, match: str, width: int) -> str:
    """A window of ``text`` around the first ``match`` (case-insensitive)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    at = max(0, text.casefold().find(match.casefold()))
    start = max(0, min(at - width // 3, len(text) - width))
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def facts_view(records: Sequence[Record], title: str) -> Table:
    """``facts``: grouped by note (named once, its folder beside it), one line per figure
    as written and as read."""
    table = new_table("line", "row", "column", "as written", "value", title=title,
                      right=("line",), no_wrap=("value",))
    for path, group in groupby(records, key=lambda r: r["path"]):
        heading = plain(name_of(path), "bold")
        if folder_of(path):
            heading.append(f"  {short_folder(folder_of(path), folder_limit())}", style=DIM)
        table.add_row(plain(""), heading, plain(""), plain(""), plain(""))
        for row in group:
            table.add_row(plain(row["line"]), plain(row["row"]), plain(row["column"]),
                          plain(row["raw"]), plain(_value(row), DIM))
    return table


def _value(row: Record) -> str:
    if row["value"] is None:
        return ""
    number = row["value"]
    value = (f"{int(number):,}" if isinstance(number, float) and number.is_integer()
             and abs(number) >= 1e4 else f"{number:,.6g}" if isinstance(number, float)
             else str(number))
    text = ("~" if row["approx"] else "") + value
    if row.get("bound"):
        text = f"{row['bound']} {text}"
    return f"{text} {row['unit'] or ''}".rstrip()


def hubs_view(records: Sequence[Record], title: str) -> Table:
    """``hubs``: rank, name and folder, kind, links in/out, PageRank."""
    table = new_table("#", "name", "kind", "in", "out", "pagerank", title=title,
                      right=("#", "in", "out", "pagerank"))
    for rank, row in enumerate(records, 1):
        table.add_row(plain(rank), note_cell(row["name"], row["path"], entity=""),
                      plain(row["kind"]), plain(row["in_degree"]), plain(row["out_degree"]),
                      plain(f"{row['pagerank']:.4f}"))
    return table


def path_view(records: Sequence[Record], title: str) -> Table:
    """``path``: each hop and the link behind it."""
    table = new_table("step", "hop", "link (file:line what)", title=title, right=("step",))
    for row in records:
        hop = plain(row["from"])
        hop.append(f" {row['direction']} ")
        hop.append(str(row["to"]))
        link = spot(row["path"], row["line"], row["kind"])
        if row["occurrences"] and row["occurrences"] > 1:
            link += f"  ({row['occurrences']} links)"
        table.add_row(plain(row["step"]), hop, plain(link))
    return table


def note_links_view(links: Sequence[Record], title: str) -> Table:
    """``note``'s links in document order: the line, the target as written (its heading,
    display text, whether embedded) and where it resolves (:func:`_resolved_cell`): a line
    or two a link, not a path wrapped over five."""
    table = new_table("line", "target", "heading", "display", "embed", "resolved",
                      title=title, names=("target", "resolved"))
    for link in links:
        table.add_row(plain(link["line"]), plain(link["target"]), plain(link["heading"]),
                      plain(link["display"]), plain(link["embed"]),
                      _resolved_cell(str(link["target"]), link["resolved"]))
    return table


def _resolved_cell(target: str, resolved: str | None) -> Text:
    """The file a link resolves to: its folder (dim, shortened), under its name when that
    is not the target as written (an alias, another case) or the file is at the vault's
    root; empty when the link resolves to nothing."""
    if resolved is None:
        return plain("")
    name, folder = resolved.rpartition("/")[2], folder_of(resolved)
    if name.removesuffix(".md").casefold() == target.rpartition("/")[2].casefold() and folder:
        return plain(short_folder(folder, folder_limit()), DIM)
    return note_cell(name.removesuffix(".md"), resolved, entity="")


def unresolved_view(records: Sequence[Record], title: str) -> Table:
    """``unresolved``: each target, how often and from how many notes, the first two places."""
    table = new_table("target", "kind", "links", "notes", "where (file:line)", title=title,
                      right=("links", "notes"), names=("target",))
    for row in records:
        # Only the places shown: a target cited all over a big vault has thousands.
        places = [spot(path, line) for path, _, line in
                  (str(where).rpartition(":") for where in row["where"][:SHOWN])]
        table.add_row(plain(row["name"]), plain(row["kind"]), plain(row["count"]),
                      plain(row["notes"]), _evidence(places, len(row["where"])))
    return table
