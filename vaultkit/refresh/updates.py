"""The engine's own kinds: ``updates`` (the dated log of a thesis) and ``stamp``.

An ``updates`` region holds one section per as-of session, newest first::

    ### November 20, 2026 update

    - **xle-igv** (pair): XLE +18.2% vs IGV -25.1%, spread +43.3pp over 90d (…)

    *As of the 2026-11-20 session; source: csv.*

    *Updated 2026-11-20*

A section is written once, for a session that has none yet, and never rewritten: existing
sections are copied line for line even when today's figures differ, because the log is the
record of what was known when. Only the closing ``*Updated …*`` line moves. A ``stamp``
region holds just that line, for notes that keep their stamp elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vaultkit.syntax.blocks import update_date

#: Kinds the engine generates itself, from the note's other regions.
ENGINE_KINDS = frozenset({"updates", "stamp"})

_STAMP = re.compile(r"^\*Updated \d{4}-\d{2}-\d{2}\*$")


@dataclass(frozen=True, slots=True)
class Figures:
    """One generated region's contribution to a dated section."""

    id: str
    kind: str
    figures: Mapping[str, Any]
    asof: dt.date
    source: str


def stamp(asof: dt.date) -> str:
    """The note's stamp line: ``*Updated 2026-11-20*``."""
    return f"*Updated {asof.isoformat()}*"


def heading(asof: dt.date) -> str:
    """``### November 20, 2026 update``."""
    return f"### {asof:%B} {asof.day}, {asof.year} update"


def updates_body(current: str, asof: dt.date, regions: Sequence[Figures]) -> str:
    """The ``updates`` region body after the ``asof`` session (``current`` in normal form).

    Adds a section for ``asof`` built from the ``regions`` of that session unless one exists
    (or there is nothing to record), keeps every other line, and ends with the stamp.
    """
    lines = current.split("\n") if current else []
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and _STAMP.match(lines[-1]):
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    session = [r for r in regions if r.asof == asof]
    dates = [(i, update_date(line[4:])) for i, line in enumerate(lines)
             if line.startswith("### ")]
    if session and asof.isoformat() not in {d for _, d in dates}:
        at = next((i for i, d in dates if d is not None and d < asof.isoformat()), len(lines))
        section = _section(asof, session)
        if at < len(lines):
            section.append("")
        elif lines and lines[-1].strip():
            section.insert(0, "")
        lines[at:at] = section
    if not lines and not session:
        return ""
    return "\n".join([*lines, "", stamp(asof)] if lines else [stamp(asof)])


def _section(asof: dt.date, regions: Sequence[Figures]) -> list[str]:
    bullets = []
    for region in regions:
        summary = summarize(region.kind, region.figures)
        first, *rest = summary.split("\n")
        bullets.append(f"- **{region.id}** ({region.kind}): {first}")
        bullets.extend(f"  {line}" for line in rest)
    sources = ", ".join(dict.fromkeys(r.source for r in regions))
    return [heading(asof), "", *bullets, "",
            f"*As of the {asof.isoformat()} session; source: {sources}.*"]


def summarize(kind: str, figures: Mapping[str, Any]) -> str:
    """A short, human summary of a region's figures; sub-lines start with ``- ``."""
    try:
        if kind == "pair":
            return _pair(figures)
        if kind == "returns":
            return _returns(figures)
        if kind == "streak":
            return _streak(figures)
        if kind == "breadth":
            return _breadth(figures)
        if kind == "series":
            return _series(figures)
        if kind == "signature":
            return _signature(figures)
    except (KeyError, TypeError, AttributeError):
        pass  # a shape we do not know: the generic listing below still records the numbers
    return _generic(figures)


def _pct(value: Any) -> str:
    return "n/a" if not isinstance(value, int | float) else f"{value * 100:+.1f}%"


def _pp(value: Any) -> str:
    return "n/a" if not isinstance(value, int | float) else f"{value:+.1f}pp"


def _pair(f: Mapping[str, Any]) -> str:
    parts = [f"{f['a']} {_pct(w['a_return'])} vs {f['b']} {_pct(w['b_return'])}, spread "
             f"{_pp(w['spread_pp'])} over {label} ({w['start']} → {w['end']})"
             for label, w in f["windows"].items()]
    if len(parts) == 1:
        return parts[0]
    return "\n".join([f"{f['a']} vs {f['b']}", *(f"- {part}" for part in parts)])


def _returns(f: Mapping[str, Any]) -> str:
    lines = ["returns by window"]
    for label, w in f["windows"].items():
        cells = ", ".join(f"{t} {_pct(r)}" for t, r in w["returns"].items())
        lines.append(f"- {label} ({w['start']} → {w['end']}): {cells}")
    return "\n".join(lines)


def _streak(f: Mapping[str, Any]) -> str:
    text = f"{f['a']} beat {f['b']} {f['length']} session(s) in a row"
    if f.get("start"):
        text += f" (since {f['start']})"
    if f.get("previous_length") is not None:
        text += f"; previous streak {f['previous_length']}"
        if f.get("previous_end"):
            text += f", ended {f['previous_end']}"
    return text


def _breadth(f: Mapping[str, Any]) -> str:
    text = (f"{f['up']} of {f['count']} up over {f['window']} ({_pct(f['share'])[1:]} share, "
            f"{f['start']} → {f['end']})")
    if f.get("ew") and f.get("cw"):
        text += (f"; {f['ew']['ticker']} {_pct(f['ew']['return'])} vs {f['cw']['ticker']} "
                 f"{_pct(f['cw']['return'])}, {_pp(f['ew_minus_cw_pp'])}")
    return text


def _series(f: Mapping[str, Any]) -> str:
    lines = ["levels and changes"]
    for name, v in f["values"].items():
        changes = ", ".join(f"{label} {w['change']:+.2f}" for label, w in v["windows"].items())
        lines.append(f"- {name} {v['level']:,.2f} on {v['date']} ({changes})")
    return "\n".join(lines)


def _signature(f: Mapping[str, Any]) -> str:
    parts = [f"{label} ({w['start']} → {w['end']}): {w['scenario']} — {f['index']} "
             f"{_pct(w['index_return'])}, {w['up']} of {w['count']} up"
             for label, w in f["windows"].items()]
    if len(parts) == 1:
        return parts[0]
    return "\n".join(["rotation signature", *(f"- {part}" for part in parts)])


def _generic(figures: Mapping[str, Any], limit: int = 16) -> str:
    flat: list[str] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, float):
            flat.append(f"{prefix} {value:.4g}")
        else:
            flat.append(f"{prefix} {value}")

    walk("", figures)
    shown = ", ".join(flat[:limit])
    return shown + (" …" if len(flat) > limit else "") if flat else "no figures"
