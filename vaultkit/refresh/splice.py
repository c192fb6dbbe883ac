"""Replace region bodies in a note's text: pure functions, text in, text out.

Only the lines strictly between a region's markers and its end marker's ``sum=`` change;
every other byte (BOM, prose, line endings, final newline or its absence) is copied as is.
Generated lines take the file's dominant newline style and the begin marker's ``> `` prefix.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping, Sequence

from vaultkit.refresh.regions import Region, split_lines, strip_prefix


def newline_style(text: str) -> str:
    """The file's dominant line ending: ``"\\r\\n"`` when most lines use it, else ``"\\n"``."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf > text.count("\n") - crlf else "\n"


def checksum(body: str) -> str:
    """First 10 hex digits of the SHA-256 of a body in normal form (LF, no prefix).

    The normal form makes the checksum survive an editor switching the file to CRLF or the
    researcher moving the region into a callout: neither is an edit of the content.
    """
    normal = body.replace("\r\n", "\n").rstrip("\n")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]


def region_body(lines: Sequence[str], region: Region) -> str:
    """The region's current body in normal form: callout prefix removed, LF, no final newline."""
    prefix = region.prefix
    bare = prefix.rstrip()
    out = []
    for line in lines[region.begin + 1 : region.end]:
        content = line.rstrip("\r\n")
        if content.startswith(prefix):
            out.append(content[len(prefix):])
        elif content == bare:
            out.append("")
        else:
            out.append(content)
    return "\n".join(out)


def edit_problem(lines: Sequence[str], region: Region) -> str | None:
    """Why the region must not be overwritten without ``--force``, or None.

    A region with a checksum is hand-edited when its body no longer matches it. A region
    without one (fresh markers) is only safe to fill while empty: the researcher may have
    put markers around text they wrote, and that text must not vanish silently.
    """
    body = region_body(lines, region)
    if region.checksum is None:
        if body.strip():
            return ("region has content but no checksum (written by hand?); "
                    f"use --force {region.spec.id} to replace it")
        return None
    if checksum(body) != region.checksum:
        return f"edited by hand since the last refresh; use --force {region.spec.id} to overwrite"
    return None


def splice(text: str, regions: Sequence[Region], bodies: Mapping[str, str]) -> str:
    """Return ``text`` with each region whose id is in ``bodies`` holding the new body.

    ``bodies`` map region id → body with LF newlines and no trailing newline. Regions not in
    ``bodies`` are copied unchanged. Splicing the same bodies again returns the same text.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = split_lines(text.removeprefix("\ufeff"))
    newline = newline_style(text)
    out: list[str] = []
    cursor = 0
    for region in regions:
        body = bodies.get(region.spec.id)
        if body is None:
            continue
        out.extend(lines[cursor : region.begin + 1])
        out.extend(_render(body, region.prefix, newline))
        out.append(_end_marker(lines[region.end], region, checksum(body)))
        cursor = region.end + 1
    out.extend(lines[cursor:])
    return bom + "".join(out)


def _render(body: str, prefix: str, newline: str) -> list[str]:
    if not body:
        return []
    bare = prefix.rstrip()
    return [(prefix + line if line else bare) + newline for line in body.split("\n")]


def _end_marker(line: str, region: Region, new_sum: str) -> str:
    if region.checksum == new_sum:
        return line  # keep the marker exactly as written when nothing changed
    content = line.rstrip("\r\n")
    ending = line[len(content):]
    prefix, _ = strip_prefix(line)
    return f"{prefix}<!-- vaultkit:end id={region.spec.id} sum={new_sum} -->{ending}"


def unified_diff(old: str, new: str, path: str) -> str:
    """A ``git diff``-style unified diff of one note (empty when nothing changed)."""
    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}"))


def region_changes(text: str, region: Region, body: str) -> bool:
    """Whether splicing ``body`` into ``region`` of ``text`` would change any byte."""
    lines = split_lines(text.removeprefix("\ufeff"))
    new = [*_render(body, region.prefix, newline_style(text)),
           _end_marker(lines[region.end], region, checksum(body))]
    return lines[region.begin + 1 : region.end + 1] != new
