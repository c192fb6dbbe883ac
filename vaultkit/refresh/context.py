"""What every region generator shares: the context (provider, as-of, templates), parameter
parsing, loading closes with their freshness, and the warning a stale region carries.

Kinds live in their own modules (:mod:`vaultkit.refresh.kinds` for the market kinds,
:mod:`vaultkit.refresh.series`, :mod:`vaultkit.refresh.signature`) and all build on this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultkit.data import make_provider, make_series_provider, validate_ticker
from vaultkit.data.freshness import Freshness, assess, end_of_day
from vaultkit.data.yfinance import NEW_YORK
from vaultkit.errors import MarkerError
from vaultkit.refresh.analytics import asof_session, parse_window
from vaultkit.refresh.render import make_environment, render
from vaultkit.refresh.spec import RegionSpec
from vaultkit.vault import Vault

if TYPE_CHECKING:
    import pandas as pd
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from vaultkit.data import PriceProvider
    from vaultkit.refresh.analytics import Window

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
    #: Where macro series come from (FRED, or the vault's bundled extract).
    series: PriceProvider | None = None
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
    return GenerateContext(root, source, asof, offline, make_environment(root), reference,
                           make_series_provider(provider, root, offline=offline))


def params(spec: RegionSpec, required: Sequence[str], optional: Sequence[str]) -> dict[str, str]:
    """The spec's parameters, after checking none is unknown and every required one is set."""
    unknown = sorted(set(spec.params) - set(required) - set(optional))
    if unknown:
        allowed = ", ".join([*required, *optional])
        raise MarkerError(f"kind={spec.kind} does not take {', '.join(unknown)} (takes {allowed})")
    missing = [k for k in required if not spec.params.get(k)]
    if missing:
        raise MarkerError(f"kind={spec.kind} needs {', '.join(missing)}=")
    return spec.params


def tickers(text: str) -> list[str]:
    """A comma-separated list of symbols, validated, upper-cased, none repeated."""
    found = [validate_ticker(t.strip().upper()) for t in text.split(",") if t.strip()]
    if len(set(found)) != len(found):
        raise MarkerError(f"repeated ticker in {text!r}")
    return found


def windows(text: str) -> list[Window]:
    """A comma-separated list of windows (``90d,ytd``); at least one."""
    found = [parse_window(w) for w in text.split(",") if w.strip()]
    if not found:
        raise MarkerError("no window given")
    return found


def load(
    context: GenerateContext, symbols: Sequence[str], spans: Sequence[Window] = ()
) -> tuple[pd.DataFrame, dt.date, str, Freshness]:
    """Aligned closes (sessions where every ticker traded), the as-of session, the source
    and how fresh the data is (for ``windows`` that are all fixed ranges, up to their end)."""

    frame = context.provider.closes(symbols, HISTORY_START, context.asof)
    if frame.dropna(how="any").empty:
        # Before the data starts: read on past the as-of so the error can say where it does.
        asof_session(context.provider.closes(symbols, HISTORY_START, HISTORY_END),
                     context.asof)
    asof = asof_session(frame, context.asof)
    ranges = [w.last for w in spans if w.unit == "range"]
    upto = max(ranges) if ranges and len(ranges) == len(spans) else None  # type: ignore[type-var]
    return (frame.dropna(how="any"), asof, context.provider.source(symbols),
            freshness(context, frame, asof, upto))


def freshness(context: GenerateContext, frame: pd.DataFrame, asof: dt.date,
              upto: dt.date | None = None, provider: PriceProvider | None = None
              ) -> Freshness:
    """Judge the closes in ``frame`` (one column per symbol) against each symbol's calendar
    at the context's reference moment — or at the end of ``upto`` when the region needs no
    data after that day (a fixed range in the past is complete, however old the data)."""
    import pandas as pd

    symbols = [str(c) for c in frame.columns]
    last_bars = {s: pd.DatetimeIndex(frame[s].dropna().index)[-1].date() for s in symbols}
    provider = provider or context.provider
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


def render_kind(context: GenerateContext, kind: str, values: dict[str, Any]) -> str:
    """Render the kind's template ``<kind>.md.j2`` (a vault's own copy first)."""
    return render(context.env, f"{kind}.md.j2", values)
