"""Region kind ``series``: the level of macro series and their change over windows.

``<!-- vaultkit:begin id=macro kind=series series=DGS10,DCOILWTICO windows=1m,ytd
chart=macro.png -->`` — one row per series: its last value (each series on its own
calendar: a weekly release is not forced onto a daily one), and its change from the last
value on or before each window's start; rates change in basis points, everything else in
percent. Series come from the context's series provider (FRED, or the vault's extract).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultkit.data.fred import RATE_SERIES, TITLES
from vaultkit.errors import DataError, MarkerError
from vaultkit.refresh.analytics import Span, Window, resolve_window, window_start
from vaultkit.refresh.charts import SeriesChart, series_chart
from vaultkit.refresh.context import (
    HISTORY_START,
    GenerateContext,
    freshness,
    params,
    render_kind,
    tickers,
    windows,
    with_findings,
)
from vaultkit.refresh.regions import CHART_NAME
from vaultkit.refresh.render import longdate
from vaultkit.refresh.spec import Chart, Generated, RegionSpec

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True)
class Change:
    """One series over one window: the values at its two ends."""

    span: Span
    start: float
    end: float

    @property
    def delta(self) -> float:
        """Change in the series' own unit (percentage points for a rate)."""
        return self.end - self.start

    @property
    def ratio(self) -> float:
        """Relative change as a fraction."""
        return self.end / self.start - 1.0


def change(values: pd.Series, window: Window, last: dt.date) -> Change:
    """The change of ``values`` over ``window`` ending at its last value ``last``."""
    import pandas as pd

    span = resolve_window(values.index, window, last)
    return Change(span, float(values[pd.Timestamp(span.start)]),
                  float(values[pd.Timestamp(span.end)]))


def shown(series: str, moved: Change) -> str:
    """``+12bp`` for a rate, ``+5.2%`` for a level."""
    if series in RATE_SERIES:
        return f"{moved.delta * 100:+.0f}bp"
    return f"{moved.ratio * 100:+.1f}%"


def series_region(spec: RegionSpec, context: GenerateContext) -> Generated:
    """Generate a ``kind=series`` region."""
    p = params(spec, ("series",), ("windows", "chart"))
    ids = tickers(p["series"])
    spans = windows(p.get("windows", "1m,3m,ytd,1y"))
    chart = p.get("chart")
    if chart is not None and not CHART_NAME.fullmatch(chart):
        raise MarkerError(f"chart={chart!r} must be a plain file name ending in .png")
    provider = context.series
    if provider is None:
        raise DataError("no source of macro series in this refresh")
    frame = provider.closes(ids, HISTORY_START, context.asof)
    rows, table, lasts = [], {}, []
    for name in ids:
        values = frame[name].dropna()
        if values.empty:
            raise DataError(f"{name}: no value on or before {context.asof}")
        last: dt.date = values.index[-1].date()
        lasts.append(last)
        changes = {w.label: change(values, w, last) for w in spans}
        table[name] = {
            "title": TITLES.get(name, name), "date": last.isoformat(),
            "level": float(values.iloc[-1]),
            "windows": {k: {"start": c.span.start.isoformat(), "end": c.span.end.isoformat(),
                            "from": c.start, "to": c.end, "change": c.delta,
                            "change_pct": c.ratio} for k, c in changes.items()},
        }
        rows.append({"id": name, "title": TITLES.get(name, name), "date": last,
                     "level": f"{values.iloc[-1]:,.2f}",
                     "changes": [shown(name, c) for c in changes.values()]})
    asof = max(lasts)
    fresh = freshness(context, frame.loc[:, ids], asof, provider=provider)
    source = provider.source(ids)
    values_ = {"rows": rows, "windows": [{"title": w.title} for w in spans], "chart": chart,
               "asof": asof, "source": source,
               "definitions": [w.definition() for w in spans]}
    charts: tuple[Chart, ...] = ()
    if chart is not None:
        charts = (Chart(chart, _png(frame, ids, spans, asof, source)),)
    body = with_findings(render_kind(context, "series", values_), fresh)
    return Generated(body, {"series": ids, "values": table}, asof, source, charts, fresh)


def _png(frame: pd.DataFrame, ids: list[str], spans: list[Window], asof: dt.date,
         source: str) -> bytes:
    import pandas as pd

    dated = [w for w in spans if w.unit != "s"]
    first = min((window_start(w, asof) for w in dated), default=asof - dt.timedelta(days=365))
    panels: list[tuple[str, Any]] = []
    for name in ids:
        values = frame[name].dropna().loc[pd.Timestamp(first) : pd.Timestamp(asof)]
        panels.append((f"{TITLES.get(name, name)} · {name}", values))
    return series_chart(SeriesChart(
        panels=tuple(panels),
        title="Macro drivers",
        subtitle=f"From {longdate(first)} to {longdate(asof)}; last value marked",
        footnote=f"Source: {source}\nData as of {longdate(asof)}",
    ))
