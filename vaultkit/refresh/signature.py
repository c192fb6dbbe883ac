"""Region kind ``signature``: the "rotation signature pattern" of the seed note, computed.

``<!-- vaultkit:begin id=sig kind=signature index=SPY basket=XLE,XLF,… windows=1s,1m -->``
— over each window, the index's direction and the share of the basket that rose decide
the scenario, exactly by the seed note's table (*Sector Rotation*, "Rotation signature
pattern"):

| Scenario | Index | Breadth | Interpretation |
|---|---|---|---|
| Broad selloff | Down | Most stocks down | Risk-off, reduce exposure |
| Rotation | Down | Most stocks up | Leadership change, reposition |
| Healthy rally | Up | Most stocks up | Broad participation |
| Narrow rally | Up | Few stocks up | Fragile, concentration risk |

The region shows the figures that decided it: the index return, the count up, the share.
"""

from __future__ import annotations

from typing import Any

from vaultkit.refresh.analytics import breadth, classify_signature, period_return, resolve_window
from vaultkit.refresh.context import (
    GenerateContext,
    load,
    params,
    render_kind,
    tickers,
    windows,
    with_findings,
)
from vaultkit.refresh.spec import Generated, RegionSpec


def signature_region(spec: RegionSpec, context: GenerateContext) -> Generated:
    """Generate a ``kind=signature`` region."""
    p = params(spec, ("index", "basket"), ("windows",))
    index = tickers(p["index"])[0]
    basket = tickers(p["basket"])
    spans = windows(p.get("windows", "1s"))
    closes, asof, source, fresh = load(context, [index, *(t for t in basket if t != index)],
                                       spans)
    rows: list[dict[str, Any]] = []
    figures: dict[str, Any] = {"index": index, "basket": basket, "windows": {}}
    for window in spans:
        span = resolve_window(closes.index, window, asof)
        index_return = period_return(closes[index], span)
        rose = breadth(closes[basket], span)
        verdict = classify_signature(index_return, rose.up, rose.count)
        figures["windows"][window.label] = {
            "start": span.start.isoformat(), "end": span.end.isoformat(),
            "index_return": index_return, "up": rose.up, "count": rose.count,
            "share": rose.share, "scenario": verdict.scenario,
            "interpretation": verdict.interpretation, "reason": verdict.reason,
        }
        rows.append({"title": window.title, "start": span.start, "end": span.end,
                     "index_return": index_return, "up": rose.up, "count": rose.count,
                     "share": rose.share, "scenario": verdict.scenario,
                     "interpretation": verdict.interpretation, "reason": verdict.reason})
    values = {"index": index, "rows": rows, "asof": asof, "source": source,
              "definitions": [w.definition() for w in spans]}
    body = with_findings(render_kind(context, "signature", values), fresh)
    return Generated(body, figures, asof, source, freshness=fresh)
