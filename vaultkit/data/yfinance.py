"""Closes from Yahoo Finance through the optional ``yfinance`` package (``vaultkit[live]``).

Known failure modes, and what this module does about each:

* **Rate limiting** (HTTP 429, Yahoo's answer to bursts since 2025): retried with
  exponential backoff; then the cached closes are kept and the region says so ("rate
  limited; kept the cached data of 2026-11-20"). After one exhausted 429 the rest of the
  refresh does not knock again: every other ticker falls back to its cache at once.
* **Missing bars** (whole sessions absent from Yahoo's answer, seen in December 2025 and
  July 2026): every session of the exchange's calendar in the recent history must have a
  bar; missing ones are reported by date and left missing — never filled from a neighbour.
* **The ``auto_adjust`` default flip** (0.2.54): ``auto_adjust`` is always passed, so the
  closes are adjusted (splits and dividends) or not because vaultkit asked, and the
  footnote says which.
* **Unfinished sessions**: a bar whose session has not closed yet by the exchange's
  calendar (half days included) is dropped; it is not a close.
* **Batching**: Yahoo's chart endpoint serves one symbol per request, so a refresh shares
  one HTTP session (one cookie and crumb handshake) and fetches each ticker once; every
  ticker a region needs is fetched in one pass, and later regions read the memory copy.

A refresh whose as-of session the cache already covers, or one run ``offline``, never
touches the network.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from vaultkit.data.cache import Cached, CachedFetching, PriceCache
from vaultkit.data.freshness import Rule, exchange_rule, missing_sessions, session_close
from vaultkit.data.tickers import validate_ticker
from vaultkit.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

NEW_YORK = ZoneInfo("America/New_York")
#: How far back missing bars are looked for: the longest window a region usually asks
#: for (1y) plus slack. Older gaps (a 2001 halt) do not change today's figures.
GAP_LOOKBACK = dt.timedelta(days=400)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _rate_limited(exc: BaseException) -> bool:
    return "RateLimit" in type(exc).__name__


def _transient(exc: BaseException) -> bool:
    """Rate limits and network trouble are worth a retry; anything else is a real error."""
    if _rate_limited(exc) or isinstance(exc, OSError | TimeoutError):
        return True
    # curl_cffi's connection errors are RequestException subclasses, not OSError.
    return any(c.__name__ in {"ConnectionError", "Timeout", "RequestException"}
               for c in type(exc).__mro__)


@dataclass(slots=True)
class YFinanceProvider(CachedFetching):
    """Yahoo Finance daily closes; ``adjusted`` (the default) asks for split- and
    dividend-adjusted closes, else closes adjusted for splits only."""

    cache: PriceCache
    offline: bool = False
    adjusted: bool = True
    retries: int = 3
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], dt.datetime] = _now
    #: The HTTP session yfinance uses (a curl_cffi Session); None lets yfinance make one.
    session: Any = None
    _series: dict[str, pd.Series] = field(default_factory=dict)
    _notes: dict[str, list[str]] = field(default_factory=dict)
    _cached_only: bool = False  # set once Yahoo rate-limited us past every retry

    @property
    def name(self) -> str:
        """``yfinance``."""
        return "yfinance"

    @property
    def kind(self) -> str:
        """What the closes are, as the footnote states it."""
        return ("adjusted closes: splits and dividends" if self.adjusted
                else "unadjusted closes: splits only, no dividends")

    def closes(self, tickers: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        """Closes of ``tickers`` between ``start`` and ``end`` inclusive, one column each."""
        import pandas as pd

        frame = pd.concat([self._get(t, end) for t in tickers], axis=1, sort=True)
        return frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]

    def source(self, tickers: Sequence[str]) -> str:
        """``Yahoo Finance via yfinance (adjusted closes…)``, plus cache notes."""
        cached = self.cache_notes(tickers)
        return "; ".join([f"Yahoo Finance via yfinance ({self.kind})", *cached])

    def rule(self, symbol: str) -> Rule:
        """The listing's exchange calendar."""
        return exchange_rule(symbol)

    def _get(self, ticker: str, end: dt.date) -> pd.Series:
        validate_ticker(ticker)
        if ticker in self._series:
            return self._series[ticker]
        series, cached = self._cache_alone(ticker, end)
        if series is None:
            series = (self._fall_back(ticker, cached, "rate limited") if self._cached_only
                      else self._fetch(ticker, cached))
        self._series[ticker] = series
        return series

    def _fetch(self, ticker: str, cached: Cached | None) -> pd.Series:
        try:
            yf = importlib.import_module("yfinance")
        except ImportError:
            raise DataError(
                "the yfinance provider needs the live extra: pip install 'vaultkit[live]'"
            ) from None
        # Errors must raise, not be logged and answered with an empty frame: yfinance 1.x
        # says so in its config, older versions with history(raise_errors=True).
        config = getattr(getattr(yf, "config", None), "debug", None)
        if config is not None:
            config.hide_exceptions = False
        loud = {} if config is not None else {"raise_errors": True}
        for attempt in range(self.retries + 1):
            try:
                frame = yf.Ticker(ticker, session=self.session).history(
                    period="max", interval="1d", auto_adjust=self.adjusted, actions=False,
                    **loud,
                )
                break
            except Exception as exc:
                if not _transient(exc):
                    raise DataError(f"{ticker}: yfinance failed: {exc}") from exc
                if attempt == self.retries:
                    if _rate_limited(exc):
                        self._cached_only = True
                        return self._fall_back(ticker, cached, "rate limited")
                    return self._fall_back(ticker, cached,
                                           f"Yahoo unreachable ({type(exc).__name__})")
                self.sleep(self.backoff * 2**attempt)
        series = self._completed(ticker, frame)
        self.cache.store(ticker, series, self.now().astimezone(NEW_YORK).date())
        return series

    def _completed(self, ticker: str, frame: pd.DataFrame) -> pd.Series:
        """Closes of finished sessions only, indexed by naive session date."""
        import pandas as pd

        if frame is None or frame.empty or "Close" not in frame.columns:
            raise DataError(f"{ticker}: yfinance returned no data (unknown or delisted symbol?)")
        # With auto_adjust=True "Close" is the adjusted close; with False it is the close
        # adjusted for splits only (yfinance puts the dividend-adjusted one in "Adj Close").
        closes = frame["Close"].dropna()
        index = pd.DatetimeIndex(closes.index)
        # The exchange's wall-clock date is the session date; drop the zone, keep the day.
        dates = (index.tz_localize(None) if index.tz is not None else index).normalize()
        try:
            values = closes.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:  # e.g. an HTML error page parsed as a table
            raise DataError(f"{ticker}: yfinance returned closes that are not numbers "
                            f"({exc})") from None
        series = pd.Series(values, index=dates, name=ticker)
        series = series[~series.index.duplicated(keep="last")]
        rule = self.rule(ticker)
        now = self.now()
        while len(series) and not self._finished(rule, series.index[-1].date(), now):
            series = series.iloc[:-1]
        if series.empty:
            raise DataError(f"{ticker}: yfinance returned no finished session")
        self._report_gaps(ticker, series, rule)
        return series

    @staticmethod
    def _finished(rule: Rule, day: dt.date, now: dt.datetime) -> bool:
        """Has the session ``day`` closed by ``now``? By the calendar's close (13:00 on a
        half day); a bar on a day the calendar does not know is final once that day is
        over in New York."""
        closes_at = session_close(rule.calendar, day)
        if closes_at is not None:
            return now >= closes_at
        return day < now.astimezone(NEW_YORK).date()

    def _report_gaps(self, ticker: str, series: pd.Series, rule: Rule) -> None:
        last = series.index[-1].date()
        since = max(series.index[0].date(), last - GAP_LOOKBACK)
        missing = missing_sessions(rule.calendar, [d.date() for d in series.index], since, last)
        if missing:
            shown = ", ".join(d.isoformat() for d in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            self._note(ticker, f"{ticker}: Yahoo returned no bar for {len(missing)} "
                               f"{rule.calendar} session(s): {shown}{more}; not filled in")
