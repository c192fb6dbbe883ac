"""``kind=audit``: a note's thesis check, kept current by every refresh.

    <!-- vaultkit:begin id=thesis-check kind=audit -->
    <!-- vaultkit:end id=thesis-check -->

Lists the checked figures of the region's own note (``note=`` another note, or
``entity=NVIDIA`` for every note's figures about an entity; ``since=YYYY-MM-DD`` and
``threshold=`` as for ``vaultkit audit``), each with a link back to its claim. A link is
``[[Note#Heading|Note.md:224]]``: Obsidian opens a heading link at that section (it has no
link to a line, and a block id would mean writing into the researcher's text), and the
label says the exact line.
"""

from __future__ import annotations

import collections
import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from vaultkit.audit.ledger import AuditRow, audit_vault, region_spans
from vaultkit.audit.rules import CODE_WORDS, CODES
from vaultkit.audit.verdict import DEFAULT_THRESHOLD
from vaultkit.errors import MarkerError
from vaultkit.refresh.render import render
from vaultkit.refresh.spec import Generated, RegionSpec
from vaultkit.vault import Vault

if TYPE_CHECKING:
    from vaultkit.refresh.kinds import GenerateContext

PARAMS = ("note", "entity", "since", "threshold")
#: Heading characters Obsidian does not keep in a heading link; such a heading is skipped
#: for the nearest one above it.
_UNLINKABLE = frozenset("[]#|^:%")


def audit_region(spec: RegionSpec, context: GenerateContext) -> Generated:
    """Generate a ``kind=audit`` region (see the module docstring)."""
    unknown = sorted(set(spec.params) - set(PARAMS))
    if unknown:
        raise MarkerError(f"kind=audit does not take {', '.join(unknown)} "
                          f"(takes {', '.join(PARAMS)})")
    params = spec.params
    if params.get("note") and params.get("entity"):
        raise MarkerError("kind=audit takes note= or entity=, not both")
    since = _since(params.get("since"))
    threshold = _threshold(params.get("threshold"))
    vault = context.vault()
    scope: dict[str, str | None] = ({"entity": params["entity"]} if params.get("entity")
                                    else {"note": params.get("note") or spec.path})
    rows = audit_vault(vault, context.provider, context.asof, since=since,
                       threshold=threshold, **scope)
    checked = [row for row in rows if row.checked]
    sessions = [row.now_session for row in checked if row.now_session]
    asof = dt.date.fromisoformat(max(sessions)) if sessions else context.asof
    tickers = sorted({t for row in checked if row.ticker for t in row.ticker.split(",")})
    source = context.provider.source(tickers) if tickers else context.provider.name
    skipped = collections.Counter(row.code for row in rows if not row.checked)
    values: dict[str, Any] = {
        "checked": len(checked), "total": len(rows), "asof": asof, "source": source,
        "threshold": f"{threshold:g}",
        "skipped": [(CODE_WORDS[code], skipped[code]) for code in CODES if skipped[code]],
    }
    body = _body(context, vault, spec, checked, values)
    own = region_spans(vault.root, spec.path).get(spec.id)
    if own is not None:
        # Claims below this region move by however many lines its body gains or loses.
        shift = body.count("\n") + 1 - (own[1] - own[0] - 1)
        if shift:
            checked = [replace(r, line=r.line + shift) if r.path == spec.path
                       and r.line > own[1] else r for r in checked]
            body = _body(context, vault, spec, checked, values)
    figures = {"rows": [row.record() for row in checked],
               "not_checked": {code: skipped[code] for code in CODES if skipped[code]},
               "threshold": threshold}
    return Generated(body, figures, asof, source)


def _body(context: GenerateContext, vault: Vault, spec: RegionSpec, rows: list[AuditRow],
          values: dict[str, Any]) -> str:
    shown = [_shown(vault, spec.path, row) for row in rows]
    return render(context.env, "audit.md.j2", {**values, "rows": shown})


def _shown(vault: Vault, here: str, row: AuditRow) -> dict[str, str]:
    return {
        "link": claim_link(vault, here, row), "label": _cell(row.label),
        "stated": _cell(row.raw),
        "metric": f"{row.metric} {row.ticker.replace(',', ' vs ') if row.ticker else ''}",
        "window": row.window or "—", "date": row.date or "—",
        "then": _value(row.then, row.metric), "now": _value(row.now, row.metric),
        "verdict": row.verdict,
    }


def claim_link(vault: Vault, here: str, row: AuditRow) -> str:
    """``[[Note#Heading\\|Note.md:224]]`` (pipe escaped for a table cell): the nearest
    heading Obsidian can link to, labelled with the claim's exact line."""
    heading = next((h for h in reversed(row.heading[1:])
                    if h and not _UNLINKABLE & set(h)), None)
    name = vault.notes[row.path].name
    target = "" if row.path == here else (
        name if vault.find(name) == row.path else row.path.removesuffix(".md"))
    if heading is not None:
        target = f"{target}#{heading}"
    elif not target:
        target = name
    return f"[[{target}\\|{row.path}:{row.line}]]"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _value(value: float | None, metric: str | None) -> str:
    if value is None:
        return "—"
    if metric == "streak":
        return f"{value:.0f}"
    return f"{value:+.1f}{'%' if metric == 'return' else 'pp'}"


def _since(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise MarkerError(f"since={text!r} is not a date (YYYY-MM-DD)") from None


def _threshold(text: str | None) -> float:
    if not text:
        return DEFAULT_THRESHOLD
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise MarkerError(f"threshold={text!r} is not a number of percentage points ≥ 0")
    return value
