"""Closes from Yahoo Finance through the optional ``yfinance`` package (``vaultkit[live]``).

Every ticker's full daily history is fetched once per refresh and replaces its cache
file; a refresh whose as-of session the cache already covers, or one run ``offline``,
never touches the network. Rate limits and network errors are retried with exponential
backoff, then fall back to the cache, and the footnote says how stale the data is.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from vaultkit.data.cache import Cached, PriceCache
from vaultkit.data.tickers import validate_ticker
from vaultkit.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

NEW_YORK = ZoneInfo("America/New_York")
# A bar dated today is still moving until the exchange closes; 17:00 local time is past the
# close of US and European exchanges, so anything earlier counts as unfinished.
SESSION_DONE = dt.time(17, 0)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _transient(exc: BaseException) -> bool:
    """Rate limits and network trouble are worth a retry; anything else is a real error."""
    return isinstance(exc, OSError | TimeoutError) or "RateLimit" in type(exc).__name__


@dataclass(slots=True)
class YFinanceProvider:
    """Yahoo Finance daily closes (``auto_adjust=True``: split- and dividend-adjusted)."""

    cache: PriceCache
    offline: bool = False
    retries: int = 3
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], dt.datetime] = _now
    _series: dict[str, pd.Series] = field(default_factory=dict)
    _notes: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """``yfinance``."""
        return "yfinance"

    def closes(self, tickers: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        """Closes of ``tickers`` between ``start`` and ``end`` inclusive, one column each."""
        import pandas as pd

        frame = pd.concat([self._get(t, end) for t in tickers], axis=1, sort=True)
        return frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]

    def source(self, tickers: Sequence[str]) -> str:
        """``Yahoo Finance via yfinance``, plus cache and staleness notes."""
        notes = sorted({self._notes[t] for t in tickers if t in self._notes})
        return "; ".join(["Yahoo Finance via yfinance (adjusted closes)", *notes])

    def last_session(self, tickers: Sequence[str]) -> dt.date | None:
        """The last cached session when offline; otherwise unknown until fetched."""
        if not self.offline:
            return None
        cached = [self.cache.load(t) for t in tickers]
        dates = [c.closes.index[-1].date() for c in cached if c is not None and len(c.closes)]
        return max(dates, default=None)

    def _get(self, ticker: str, end: dt.date) -> pd.Series:
        validate_ticker(ticker)
        if ticker in self._series:
            return self._series[ticker]
        cached = self.cache.load(ticker)
        if self.offline or (cached is not None and cached.fetched > end):
            if cached is None:
                raise DataError(
                    f"{ticker}: not in the cache {self.cache.path(ticker)}; "
                    "refresh once without --offline"
                )
            self._notes[ticker] = f"cache fetched {cached.fetched.isoformat()}"
            series = cached.closes
        else:
            series = self._fetch(ticker, cached)
        self._series[ticker] = series
        return series

    def _fetch(self, ticker: str, cached: Cached | None) -> pd.Series:
        try:
            yf = importlib.import_module("yfinance")
        except ImportError:
            raise DataError(
                "the yfinance provider needs the live extra: pip install 'vaultkit[live]'"
            ) from None
        for attempt in range(self.retries + 1):
            try:
                frame = yf.Ticker(ticker).history(
                    period="max", interval="1d", auto_adjust=True, actions=False,
                    raise_errors=True,
                )
                break
            except Exception as exc:
                if not _transient(exc):
                    raise DataError(f"{ticker}: yfinance failed: {exc}") from exc
                if attempt == self.retries:
                    return self._fall_back(ticker, cached, exc)
                self.sleep(self.backoff * 2**attempt)
        series = self._completed(ticker, frame)
        now = self.now()
        self.cache.store(ticker, series, now.astimezone(NEW_YORK).date())
        return series

    def _completed(self, ticker: str, frame: pd.DataFrame) -> pd.Series:
        """Closes of finished sessions only, indexed by naive session date."""
        import pandas as pd

        if frame is None or frame.empty or "Close" not in frame.columns:
            raise DataError(f"{ticker}: yfinance returned no data (unknown or delisted symbol?)")
        closes = frame["Close"].dropna()
        index = pd.DatetimeIndex(closes.index)
        tz = index.tz
        # The exchange's wall-clock date is the session date; drop the zone, keep the day.
        dates = (index.tz_localize(None) if tz is not None else index).normalize()
        try:
            values = closes.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:  # e.g. an HTML error page parsed as a table
            raise DataError(f"{ticker}: yfinance returned closes that are not numbers "
                            f"({exc})") from None
        series = pd.Series(values, index=dates, name=ticker)
        series = series[~series.index.duplicated(keep="last")]
        local_now = self.now().astimezone(tz or NEW_YORK)
        if len(series) and series.index[-1].date() >= local_now.date() and (
            local_now.time() < SESSION_DONE
        ):
            series = series.iloc[:-1]
        if series.empty:
            raise DataError(f"{ticker}: yfinance returned no finished session")
        return series

    def _fall_back(self, ticker: str, cached: Cached | None, exc: BaseException) -> pd.Series:
        if cached is None or not len(cached.closes):
            raise DataError(f"{ticker}: yfinance unavailable ({exc}) and nothing cached")
        last = cached.closes.index[-1].date().isoformat()
        self._notes[ticker] = f"stale as of {last}: {type(exc).__name__} from Yahoo"
        series: pd.Series = cached.closes
        return series
