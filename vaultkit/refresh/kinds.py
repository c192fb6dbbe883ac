"""Region generators: one function per kind, spec + prices → markdown, figures, charts.

Generators touch no file; they read prices through the context's provider, compute with
:mod:`vaultkit.refresh.analytics`, render with :mod:`vaultkit.refresh.render` and draw with
:mod:`vaultkit.refresh.charts`. Every problem is raised with the region's ``path:line``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultkit.data import make_provider, validate_ticker
from vaultkit.data.freshness import Freshness, assess, end_of_day
from vaultkit.data.yfinance import NEW_YORK
from vaultkit.errors import DataError, MarkerError, VaultkitError
from vaultkit.refresh.analytics import (
    asof_session,
    breadth,
    outperformance_streak,
    parse_window,
    period_return,
    ratio_change,
    resolve_window,
    spread_pp,
)
from vaultkit.refresh.charts import PairChart, pair_chart
from vaultkit.refresh.regions import CHART_NAME
from vaultkit.refresh.render import longdate, make_environment, render
from vaultkit.refresh.spec import Chart, Generated, RegionSpec
from vaultkit.vault import Vault

if TYPE_CHECKING:
    import pandas as pd
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from vaultkit.data import PriceProvider
    from vaultkit.refresh.analytics import Span, Window

# Every kind loads all the history the provider has up to the as-of date: a window is
# resolved from the as-of *session*, which is only known once the data is read (an as-of
# past the data's end moves it back, so no lookback computed from the requested date works).
HISTORY_START = dt.date(1900, 1, 1)
HISTORY_END = dt.date(2200, 1, 1)


@dataclass(frozen=True, slots=True)
class GenerateContext:
    """Everything a generator needs besides its spec; build it with :func:`make_context`."""

    root: Path
    provider: PriceProvider
    asof: dt.date
    offline: bool
    env: ImmutableSandboxedEnvironment
    #: The moment staleness is judged at: the end of an explicit as-of day, else now.
    reference: dt.datetime | None = None
    _vault: list[Vault] = field(default_factory=list, repr=False, compare=False)

    def vault(self) -> Vault:
        """The vault as it was when the refresh began, loaded through its index the first
        time a kind that reads notes (a query, a base, an audit) asks for it."""
        if not self._vault:
            self._vault.append(Vault.load(self.root))
        return self._vault[0]


def make_context(
    root: Path, provider: str = "csv", asof: dt.date | None = None, offline: bool = False
) -> GenerateContext:
    """Context for refreshing the vault at ``root``.

    Without ``asof``: the last session in the vault's CSV files for ``csv`` (so a refresh
    of bundled data is reproducible), else today in New York.
    """

    source = make_provider(provider, root, offline=offline)
    reference = None if asof is None else end_of_day(asof)
    if asof is None:
        asof = source.last_session(()) if provider == "csv" else None
        if asof is not None:
            reference = end_of_day(asof)
        else:
            now = dt.datetime.now(dt.UTC)
            asof, reference = now.astimezone(NEW_YORK).date(), now
    return GenerateContext(root, source, asof, offline, make_environment(root), reference)


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


def _params(spec: RegionSpec, required: Sequence[str], optional: Sequence[str]) -> dict[str, str]:
    unknown = sorted(set(spec.params) - set(required) - set(optional))
    if unknown:
        allowed = ", ".join([*required, *optional])
        raise MarkerError(f"kind={spec.kind} does not take {', '.join(unknown)} (takes {allowed})")
    missing = [k for k in required if not spec.params.get(k)]
    if missing:
        raise MarkerError(f"kind={spec.kind} needs {', '.join(missing)}=")
    return spec.params


def _tickers(text: str) -> list[str]:

    tickers = [validate_ticker(t.strip().upper()) for t in text.split(",") if t.strip()]
    if len(set(tickers)) != len(tickers):
        raise MarkerError(f"repeated ticker in {text!r}")
    return tickers


def _windows(text: str) -> list[Window]:

    windows = [parse_window(w) for w in text.split(",") if w.strip()]
    if not windows:
        raise MarkerError("no window given")
    return windows


def _load(
    context: GenerateContext, tickers: Sequence[str], windows: Sequence[Window] = ()
) -> tuple[pd.DataFrame, dt.date, str, Freshness]:
    """Aligned closes (sessions where every ticker traded), the as-of session, the source
    and how fresh the data is (for ``windows`` that are all fixed ranges, up to their end)."""

    frame = context.provider.closes(tickers, HISTORY_START, context.asof)
    if frame.dropna(how="any").empty:
        # Before the data starts: read on past the as-of so the error can say where it does.
        asof_session(context.provider.closes(tickers, HISTORY_START, HISTORY_END),
                     context.asof)
    asof = asof_session(frame, context.asof)
    ranges = [w.last for w in windows if w.unit == "range"]
    upto = max(ranges) if ranges and len(ranges) == len(windows) else None  # type: ignore[type-var]
    return (frame.dropna(how="any"), asof, context.provider.source(tickers),
            freshness(context, frame, asof, upto))


def freshness(context: GenerateContext, frame: pd.DataFrame, asof: dt.date,
              upto: dt.date | None = None) -> Freshness:
    """Judge the closes in ``frame`` (one column per symbol) against each symbol's calendar
    at the context's reference moment — or at the end of ``upto`` when the region needs no
    data after that day (a fixed range in the past is complete, however old the data)."""
    import pandas as pd

    symbols = [str(c) for c in frame.columns]
    last_bars = {s: pd.DatetimeIndex(frame[s].dropna().index)[-1].date() for s in symbols}
    provider = context.provider
    moment = context.reference or end_of_day(context.asof)
    if upto is not None and end_of_day(upto) < moment:
        moment = end_of_day(upto)
    return assess(provider.name, {s: provider.rule(s) for s in symbols}, last_bars, asof,
                  context.asof, moment, provider.warnings(symbols), upto)


def with_findings(body: str, fresh: Freshness) -> str:
    """The body with a warning callout when the data is stale or the provider warned.

    Added after the template, so a vault's own template can never hide it.
    """
    lines = [m for m in (fresh.message(), *fresh.notes) if m]
    if not lines:
        return body
    title = "Stale data" if fresh.stale else "Data warnings"
    return "\n".join([body, "", f"> [!warning] {title}", *(f"> - {m}" for m in lines)])


def _render(context: GenerateContext, kind: str, values: dict[str, Any]) -> str:

    return render(context.env, f"{kind}.md.j2", values)


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
}

#: Every region kind a generator exists for.
KINDS: frozenset[str] = frozenset(_HANDLERS)
