"""Find managed-region markers in a note's text.

A region is a begin marker, the generated body, and an end marker, each marker on a line of
its own (after any ``> `` callout/blockquote prefix)::

    <!-- vaultkit:begin id=xle-igv kind=pair a=XLE b=IGV window=90d chart=xle-igv.png -->
    …generated markdown…
    <!-- vaultkit:end id=xle-igv sum=3f9a1c2b7d -->

Markers inside fenced code blocks are text (a note may document the syntax). Structural
problems (unmatched, nested, duplicated, malformed) raise :class:`MarkerError` for the whole
note, because splicing a note whose structure is in doubt could destroy prose. Bad parameter
values are a per-region matter: :func:`validate_params` lists them and the region is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vaultkit.data.tickers import TICKER_RE
from vaultkit.errors import MarkerError
from vaultkit.refresh.spec import RegionSpec

MARKER_TAG = "vaultkit:"

_PREFIX = re.compile(r"^(?:[ ]{0,3}>[ ]?)*")
_MARKER = re.compile(r"^[ ]{0,3}<!--\s*vaultkit:(begin|end)(?:\s+(.*?))?\s*-->[ \t]*$")
_OPENS_MARKER = re.compile(r"^[ ]{0,3}<!--\s*vaultkit:")
_ATTR = re.compile(r'\s*([A-Za-z][A-Za-z0-9_-]*)=(?:"([^"]*)"|([^\s"]+))')
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})(.*)$")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_SUM = re.compile(r"^[0-9a-f]{10}$")
#: A chart file name: ASCII letters, digits, space and ``_.()-``, ending in ``.png`` (the
#: one rule for chart names, checked where markers are read and where a chart is written).
CHART_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.()-]{0,120}\.png$")

#: Parameters that name ticker symbols (comma-separated lists allowed).
TICKER_PARAMS = frozenset({"a", "b", "ticker", "tickers", "basket", "benchmark", "ew", "cw"})


@dataclass(frozen=True, slots=True)
class Region:
    """One region of a note: 0-based indexes of its marker lines within the note's lines."""

    spec: RegionSpec
    begin: int
    end: int
    prefix: str
    checksum: str | None


def split_lines(text: str) -> list[str]:
    """Split on ``\\n`` only, keeping each line's ending (``\\n``, ``\\r\\n`` or none).

    Not ``str.splitlines``: it also splits on form feeds and U+2028, which would shift line
    numbers away from what an editor shows.
    """
    return [line for line in re.split(r"(?<=\n)", text) if line]


def strip_prefix(line: str) -> tuple[str, str]:
    """``"> > text"`` → (``"> > "``, ``"text"``); the line ending is removed first."""
    content = line.rstrip("\r\n")
    prefix = _PREFIX.match(content)
    assert prefix is not None  # the pattern matches the empty string
    return prefix.group(0), content[prefix.end():]


def _depth(prefix: str) -> int:
    return prefix.count(">")


def find_regions(text: str, path: str) -> list[Region]:
    """All regions of a note, in document order; raise :class:`MarkerError` on any doubt."""
    regions: list[Region] = []
    seen: dict[str, int] = {}
    open_at: tuple[int, str, dict[str, str]] | None = None
    fence: tuple[str, int, int] | None = None  # (char, length, blockquote depth)
    for index, line in enumerate(split_lines(text.removeprefix("\ufeff"))):
        prefix, content = strip_prefix(line)
        lineno = index + 1
        if fence is not None:
            close = _FENCE.match(content)
            if _depth(prefix) < fence[2]:
                fence = None  # the blockquote holding the fence ended, and the fence with it
            elif (close and close.group(1)[0] == fence[0] and len(close.group(1)) >= fence[1]
                  and not close.group(2).strip()):
                fence = None
                continue
            else:
                continue
        opening = _FENCE.match(content)
        if opening:
            fence = (opening.group(1)[0], len(opening.group(1)), _depth(prefix))
            continue
        if not _OPENS_MARKER.match(content):
            continue
        which, attrs = _parse_marker(content, path, lineno)
        region_id = attrs["id"]
        if which == "begin":
            if open_at is not None:
                raise MarkerError(f"region {region_id!r} begins inside region "
                                  f"{open_at[2]['id']!r} (line {open_at[0] + 1}); "
                                  "regions cannot nest", path, lineno)
            if region_id in seen:
                raise MarkerError(f"duplicate region id {region_id!r} "
                                  f"(first at line {seen[region_id]})", path, lineno)
            seen[region_id] = lineno
            open_at = (index, prefix, attrs)
            continue
        if open_at is None:
            raise MarkerError(f"end marker for {region_id!r} has no begin marker", path, lineno)
        begin, begin_prefix, begin_attrs = open_at
        if region_id != begin_attrs["id"]:
            raise MarkerError(f"end marker id={region_id} does not close region "
                              f"{begin_attrs['id']!r} (line {begin + 1})", path, lineno)
        if _depth(prefix) != _depth(begin_prefix):
            raise MarkerError(f"end marker of {region_id!r} is not in the same callout or "
                              f"blockquote as its begin marker (line {begin + 1})", path, lineno)
        params = {k: v for k, v in begin_attrs.items() if k not in ("id", "kind")}
        spec = RegionSpec(region_id, begin_attrs["kind"], params, path, begin + 1)
        regions.append(Region(spec, begin, index, begin_prefix, attrs.get("sum")))
        open_at = None
    if open_at is not None:
        raise MarkerError(f"region {open_at[2]['id']!r} has no end marker", path, open_at[0] + 1)
    return regions


def _parse_marker(content: str, path: str, lineno: int) -> tuple[str, dict[str, str]]:
    match = _MARKER.match(content)
    if not match:
        raise MarkerError("malformed vaultkit marker: expected "
                          "'<!-- vaultkit:begin|end key=value ... -->' on a line of its own",
                          path, lineno)
    which, raw = match.group(1), match.group(2) or ""
    attrs: dict[str, str] = {}
    pos = 0
    for attr in _ATTR.finditer(raw):
        if attr.start() != pos:
            break
        key = attr.group(1)
        if key in attrs:
            raise MarkerError(f"duplicate attribute {key!r} in marker", path, lineno)
        attrs[key] = attr.group(2) if attr.group(2) is not None else attr.group(3)
        pos = attr.end()
    if raw[pos:].strip():
        raise MarkerError(f"cannot read marker attributes at {raw[pos:].strip()!r} "
                          "(use key=value, quote values with spaces)", path, lineno)
    _check_marker_attrs(which, attrs, path, lineno)
    return which, attrs


def _check_marker_attrs(which: str, attrs: dict[str, str], path: str, lineno: int) -> None:
    region_id = attrs.get("id")
    if region_id is None:
        raise MarkerError(f"{which} marker has no id=", path, lineno)
    if not _ID.match(region_id):
        raise MarkerError(f"invalid region id {region_id!r} (letters, digits, '_', '-', '.'; "
                          "at most 64)", path, lineno)
    if which == "begin":
        kind = attrs.get("kind")
        if kind is None:
            raise MarkerError(f"begin marker of {region_id!r} has no kind=", path, lineno)
        if not _KIND.match(kind):
            raise MarkerError(f"invalid kind {kind!r}", path, lineno)
        if "sum" in attrs:
            raise MarkerError("sum= belongs on the end marker", path, lineno)
        return
    extra = sorted(set(attrs) - {"id", "sum"})
    if extra:
        raise MarkerError(f"end marker takes only id= and sum=, not {', '.join(extra)}",
                          path, lineno)
    if "sum" in attrs and not _SUM.match(attrs["sum"]):
        raise MarkerError(f"invalid checksum sum={attrs['sum']} (10 hex digits)", path, lineno)


def validate_params(spec: RegionSpec) -> list[str]:
    """Problems with a region's parameter values; empty when the region may be generated.

    Ticker parameters must be symbols; chart names must be plain ``.png`` file names, so a
    hostile ``chart=../../x.png`` can never steer a write outside the attachment folder.
    """
    problems: list[str] = []
    for key, value in spec.params.items():
        if key in TICKER_PARAMS:
            bad = [s for s in value.split(",") if not TICKER_RE.fullmatch(s)]
            if bad:
                problems.append(f"{key}={value}: not a ticker symbol: {', '.join(bad)}")
        elif key == "chart" or key.endswith("chart"):
            problem = chart_name_problem(value)
            if problem:
                problems.append(f"{key}={value}: {problem}")
    return problems


def chart_name_problem(name: str) -> str | None:
    """Why ``name`` is not an acceptable chart file name, or None when it is."""
    if "/" in name or "\\" in name or ".." in name or name.startswith("~"):
        return "unsafe chart name: a plain file name is required (no folders, no '..')"
    if not CHART_NAME.fullmatch(name):
        return "chart name must be a plain file name ending in .png"
    return None
