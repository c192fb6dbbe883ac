"""Region generators: one function per kind, spec + prices → markdown, figures, charts.

The market kinds live here, ``series`` and ``signature`` in their own modules; all share
:mod:`vaultkit.refresh.context` (the context, parameters, loading with freshness).
Generators touch no file; they read prices through the context's provider, compute with
:mod:`vaultkit.refresh.analytics`, render with :mod:`vaultkit.refresh.render` and draw with
:mod:`vaultkit.refresh.charts`. Every problem is raised with the region's ``path:line``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vaultkit.audit.region import audit_region
from vaultkit.bases.region import base_region
from vaultkit.dataview.region import query_region
from vaultkit.errors import DataError, MarkerError, VaultkitError
from vaultkit.refresh.analytics import (
    breadth,
    outperformance_streak,
    period_return,
    ratio_change,
    resolve_window,
    spread_pp,
)
from vaultkit.refresh.charts import PairChart, pair_chart
from vaultkit.refresh.context import (
    HISTORY_START,
    GenerateContext,
    make_context,
    with_findings,
)
from vaultkit.refresh.context import load as _load
from vaultkit.refresh.context import params as _params
from vaultkit.refresh.context import render_kind as _render
from vaultkit.refresh.context import tickers as _tickers
from vaultkit.refresh.context import windows as _windows
from vaultkit.refresh.regions import CHART_NAME
from vaultkit.refresh.render import longdate
from vaultkit.refresh.series import series_region
from vaultkit.refresh.signature import signature_region
from vaultkit.refresh.spec import Chart, Generated, RegionSpec

if TYPE_CHECKING:
    import pandas as pd

    from vaultkit.refresh.analytics import Span, Window

__all__ = ["HISTORY_START", "KINDS", "GenerateContext", "generate", "make_context"]

def generate(spec: RegionSpec, context: GenerateContext) -> Generated:
    """Generate the body, figures and charts of one region."""
    handler = _HANDLERS.get(spec.kind)
    if handler is None:
        raise MarkerError(
            f"unknown region kind {spec.kind!r} (known: {', '.join(sorted(KINDS))})",
            spec.path, spec.line,
        )
    try:
        return handler(spec, context)
    except VaultkitError as exc:
        # Report at the region; a data file's own location stays in the message.
        message = exc.message if exc.path is None else str(exc)
        raise type(exc)(message, spec.path, spec.line) from exc
    except ValueError as exc:
        raise DataError(str(exc), spec.path, spec.line) from exc


def _pair(spec: RegionSpec, context: GenerateContext) -> Generated:

    params = _params(spec, ("a", "b"), ("window", "chart"))
    a, b = _tickers(params["a"])[0], _tickers(params["b"])[0]
    windows = _windows(params.get("window", "90d"))
    chart = params.get("chart")
    if chart is not None and not CHART_NAME.fullmatch(chart):
        raise MarkerError(f"chart={chart!r} must be a plain file name ending in .png")
    closes, asof, source, fresh = _load(context, (a, b), windows)
    rows, figures = [], {}
    spans: list[Span] = []
    for window in windows:
        span = resolve_window(closes.index, window, asof)
        spans.append(span)
        a_ret, b_ret = period_return(closes[a], span), period_return(closes[b], span)
        figures[window.label] = {
            "start": span.start.isoformat(), "end": span.end.isoformat(),
            "a_return": a_ret, "b_return": b_ret, "spread_pp": spread_pp(a_ret, b_ret),
        }
        rows.append({"title": window.title, **figures[window.label],
                     "ratio_change": ratio_change(closes[a], closes[b], span)})
    values = {"a": a, "b": b, "chart": chart, "windows": rows, "asof": asof,
              "source": source, "definitions": [w.definition() for w in windows]}
    charts: tuple[Chart, ...] = ()
    if chart is not None:
        charts = (Chart(chart, _pair_png(a, b, closes, windows[0], spans[0], source, asof)),)
    body = with_findings(_render(context, "pair", values), fresh)
    return Generated(body, {"a": a, "b": b, "windows": figures}, asof, source, charts, fresh)


def _pair_png(a: str, b: str, closes: pd.DataFrame, window: Window, span: Span,
              source: str, asof: dt.date) -> bytes:
    import pandas as pd


    part = closes.loc[pd.Timestamp(span.start) : pd.Timestamp(span.end)]
    spread = spread_pp(period_return(closes[a], span), period_return(closes[b], span))
    over = {"d": f"over {window.count} days", "ytd": "year to date"}.get(
        window.unit, f"from {longdate(span.start)} to {longdate(span.end)}"
        if window.unit == "range" else f"over {window.label}")
    return pair_chart(PairChart(
        a=a, b=b, a_closes=part[a], b_closes=part[b],
        title=f"{a} vs {b}: {spread:+.1f}pp spread {over}",
        subtitle=f"Rebased to 100 at the {longdate(span.start)} close; "
                 f"lower panel: {a}/{b} price ratio",
        footnote=f"Source: {source}\nData as of the {longdate(asof)} close · {window.definition()}",
    ))


def _returns(spec: RegionSpec, context: GenerateContext) -> Generated:

    params = _params(spec, ("tickers",), ("windows",))
    tickers = _tickers(params["tickers"])
    windows = _windows(params.get("windows", "1m,3m,ytd,1y"))
    closes, asof, source, fresh = _load(context, tickers)
    spans = [resolve_window(closes.index, w, asof) for w in windows]
    table = {t: [period_return(closes[t], s) for s in spans] for t in tickers}
    figures = {
        "tickers": tickers,
        "windows": {
            w.label: {"start": s.start.isoformat(), "end": s.end.isoformat(),
                      "returns": {t: table[t][i] for t in tickers}}
            for i, (w, s) in enumerate(zip(windows, spans, strict=True))
        },
    }
    values = {
        "windows": [{"title": w.title, "start": s.start} for w, s in zip(windows, spans,
                                                                         strict=True)],
        "rows": [{"ticker": t, "returns": table[t]} for t in tickers],
        "asof": asof, "source": source, "definitions": [w.definition() for w in windows],
    }
    return Generated(with_findings(_render(context, "returns", values), fresh), figures, asof,
                     source, freshness=fresh)


def _streak(spec: RegionSpec, context: GenerateContext) -> Generated:

    params = _params(spec, ("a", "b"), ())
    a, b = _tickers(params["a"])[0], _tickers(params["b"])[0]
    closes, asof, source, fresh = _load(context, (a, b))
    streak = outperformance_streak(closes[a], closes[b], asof)
    iso = {k: getattr(streak, k) for k in ("start", "end", "previous_end", "data_start")}
    figures = {"a": a, "b": b, "length": streak.length,
               "previous_length": streak.previous_length,
               **{k: v.isoformat() if v else None for k, v in iso.items()}}
    values = {"a": a, "b": b, "asof": asof, "source": source, "length": streak.length,
              "previous_length": streak.previous_length, **iso}
    return Generated(with_findings(_render(context, "streak", values), fresh), figures, asof,
                     source, freshness=fresh)


def _breadth(spec: RegionSpec, context: GenerateContext) -> Generated:

    params = _params(spec, ("basket",), ("window", "ew", "cw"))
    basket = _tickers(params["basket"])
    window = _windows(params.get("window", "ytd"))[0]
    pair = [_tickers(params[k])[0] for k in ("ew", "cw") if params.get(k)]
    if len(pair) == 1:
        raise MarkerError("kind=breadth takes ew= and cw= together")
    extra = [t for t in pair if t not in basket]
    closes, asof, source, fresh = _load(context, [*basket, *extra])
    span = resolve_window(closes.index, window, asof)
    result = breadth(closes[basket], span)
    figures: dict[str, Any] = {
        "window": window.label, "start": span.start.isoformat(), "end": span.end.isoformat(),
        "up": result.up, "count": result.count, "share": result.share,
        "returns": result.returns,
    }
    values: dict[str, Any] = {
        "window": {"title": window.title, "label": window.label}, "start": span.start,
        "definition": window.definition(), "asof": asof, "source": source, "ew": None,
        "up": result.up, "count": result.count, "share": result.share,
        "ranked": sorted(result.returns.items(), key=lambda kv: (-kv[1], kv[0])),
    }
    if pair:
        ew_return, cw_return = (period_return(closes[t], span) for t in pair)
        ew = {"ticker": pair[0], "return": ew_return}
        cw = {"ticker": pair[1], "return": cw_return}
        gap = spread_pp(ew_return, cw_return)
        figures.update(ew=ew, cw=cw, ew_minus_cw_pp=gap)
        values.update(ew=ew, cw=cw, ew_minus_cw_pp=gap)
    return Generated(with_findings(_render(context, "breadth", values), fresh), figures, asof,
                     source, freshness=fresh)


_HANDLERS: dict[str, Callable[[RegionSpec, GenerateContext], Generated]] = {
    "pair": _pair, "returns": _returns, "streak": _streak, "breadth": _breadth,
    "series": series_region, "signature": signature_region,
    "audit": audit_region, "query": query_region, "base": base_region,
}

#: Every region kind a generator exists for.
KINDS: frozenset[str] = frozenset(_HANDLERS)
