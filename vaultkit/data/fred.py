"""Macro series from FRED (St. Louis Fed): the 10-year yield, WTI oil, the VIX, the broad
dollar, fed funds — the drivers behind a rotation thesis.

Two ways in, both parsed here from the service's own formats:

* without a key, the public download ``fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10``
  (``observation_date,DGS10`` — older files say ``DATE`` — with ``.`` or an empty cell
  for a day without a value);
* with ``FRED_API_KEY`` set, the API ``api.stlouisfed.org/fred/series/observations``
  (``file_type=json``: ``{"observations": [{"date": …, "value": "4.12"}, …]}``), which is
  the documented, rate-limited (120 requests a minute) route.

Series are cached like prices (``.vaultkit/cache/fred/``) and judged for staleness the
same way, allowing each series its publication lag: a daily H.15 yield appears the next
business day, the broad dollar index weekly. A 429 or network failure is retried with
backoff, then the cache is kept and the region says so. ``FredFiles`` reads the same CSV
format from ``<vault>/data/series`` for offline refreshes of bundled extracts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultkit.data.cache import Cached, CachedFetching, PriceCache
from vaultkit.data.csv import SYNTHETIC_MARK
from vaultkit.data.freshness import Rule
from vaultkit.data.tickers import TICKER_RE, validate_ticker
from vaultkit.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
API_URL = "https://api.stlouisfed.org/fred/series/observations"
TIMEOUT = 30.0

#: Publication calendars: business days (the NYSE calendar stands in for the Fed's; they
#: differ on Columbus and Veterans Day, when bond markets close and stocks trade) and how
#: many sessions a value may trail, from each series' release schedule.
RULES = {
    "DGS10": Rule("XNYS", lag=1),       # H.15, next business day
    "DGS2": Rule("XNYS", lag=1),
    "VIXCLS": Rule("XNYS", lag=1),      # CBOE close, next business day
    "DFF": Rule("XNYS", lag=1),         # NY Fed EFFR, next business day (weekends filled)
    "DCOILWTICO": Rule("XNYS", lag=5),  # EIA spot prices, weekly release
    "DTWEXBGS": Rule("XNYS", lag=5),    # H.10 broad dollar, weekly on Mondays
}
DEFAULT_RULE = Rule("XNYS", lag=1)
#: Series quoted in percent, whose change is shown in basis points rather than percent.
RATE_SERIES = frozenset({"DGS10", "DGS2", "DFF"})
TITLES = {
    "DGS10": "10-year Treasury yield (%)", "DGS2": "2-year Treasury yield (%)",
    "VIXCLS": "VIX", "DFF": "Fed funds effective rate (%)",
    "DCOILWTICO": "WTI crude ($/bbl)", "DTWEXBGS": "Broad dollar index",
}


def parse_fredgraph(text: str, series: str, where: str) -> tuple[pd.Series, list[str]]:
    """Values and ``#`` comments of a fredgraph.csv download; ``.``/empty cells dropped."""
    import pandas as pd

    lines = text.lstrip("\ufeff").splitlines()
    comments = []
    while lines and lines[0].lstrip().startswith("#"):
        comments.append(lines.pop(0).lstrip("# ").strip())
    if not lines or lines[0].lstrip().startswith("<"):
        raise DataError(f"{series}: not a fredgraph CSV (HTML or empty answer)", path=where)
    try:
        frame = pd.read_csv(io.StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{series}: unreadable CSV: {exc}", path=where) from None
    date_column = next((c for c in ("observation_date", "DATE") if c in frame.columns), None)
    if date_column is None or series not in frame.columns:
        raise DataError(f"{series}: expected columns observation_date and {series}, found "
                        f"{', '.join(frame.columns)}", path=where)
    return _series(frame[date_column].tolist(), frame[series].tolist(), series, where), comments


def parse_observations(text: str, series: str, where: str) -> pd.Series:
    """Values of the API's ``series/observations`` JSON; ``"."`` values dropped."""
    try:
        data: Any = json.loads(text)
        rows = data["observations"]
        dates = [row["date"] for row in rows]
        values = [row["value"] for row in rows]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{series}: not a FRED observations answer ({exc})", path=where) from None
    return _series(dates, values, series, where)


def _series(dates: list[str], values: list[str], series: str, where: str) -> pd.Series:
    import pandas as pd

    index = pd.to_datetime(pd.Series(dates, dtype=str), format="%Y-%m-%d", errors="coerce")
    if index.isna().any():
        row = int(index.isna().to_numpy().nonzero()[0][0])
        raise DataError(f"{series}: bad date {dates[row]!r}", path=where, line=row + 2)
    # FRED writes "." (older files, the API) or nothing for a day without a value.
    numbers = pd.to_numeric(pd.Series([None if v in (".", "") else v for v in values],
                                      dtype=object), errors="coerce")
    result = pd.Series(numbers.to_numpy(), index=pd.DatetimeIndex(index), name=series)
    return result[result.notna()].sort_index()


class _Answer(Exception):
    """An HTTP answer that is not data (status and the body's first words)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"HTTP {status}: {text[:120].strip()}")
        self.status = status


def _get(url: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": "vaultkit"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except urllib.error.HTTPError as exc:
        raise _Answer(exc.code, exc.read().decode("utf-8", "replace")) from None


@dataclass(slots=True)
class FredProvider(CachedFetching):
    """FRED series through the cache; the API when ``api_key`` is set, else fredgraph.csv."""

    cache: PriceCache
    offline: bool = False
    api_key: str | None = field(default_factory=lambda: os.environ.get("FRED_API_KEY"))
    csv_url: str = CSV_URL
    api_url: str = API_URL
    retries: int = 3
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    get: Callable[[str], str] = _get
    _series: dict[str, pd.Series] = field(default_factory=dict)
    _notes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """``fred``."""
        return "fred"

    def closes(self, tickers: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        """Values of the series ``tickers`` from ``start`` to ``end``, one column each."""
        import pandas as pd

        frame = pd.concat([self._load(s, end) for s in tickers], axis=1, sort=True)
        return frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]

    def source(self, tickers: Sequence[str]) -> str:
        """``FRED (St. Louis Fed) via the API`` or ``… fredgraph.csv``, with cache notes."""
        route = "the API" if self.api_key else "fredgraph.csv"
        cached = self.cache_notes(tickers)
        return "; ".join([f"FRED (St. Louis Fed) via {route}", *cached])

    def rule(self, symbol: str) -> Rule:
        """The series' publication calendar and lag."""
        return RULES.get(symbol, DEFAULT_RULE)

    def _load(self, series: str, end: dt.date) -> pd.Series:
        validate_ticker(series)
        if series in self._series:
            return self._series[series]
        values, cached = self._cache_alone(series, end)
        if values is None:
            values = self._fetch(series, cached)
        self._series[series] = values
        return values

    def _url(self, series: str) -> str:
        if self.api_key:
            query = {"series_id": series, "api_key": self.api_key, "file_type": "json"}
            return f"{self.api_url}?{urllib.parse.urlencode(query)}"
        return f"{self.csv_url}?{urllib.parse.urlencode({'id': series})}"

    def _fetch(self, series: str, cached: Cached | None) -> pd.Series:
        url = self._url(series)
        where = url.split("?")[0]
        for attempt in range(self.retries + 1):
            try:
                text = self.get(url)
                break
            except _Answer as exc:
                if exc.status != 429 and exc.status < 500:
                    raise DataError(f"{series}: FRED refused the request ({exc})") from None
                why = "rate limited" if exc.status == 429 else f"FRED answered {exc.status}"
            except OSError as exc:
                why = f"FRED unreachable ({type(exc).__name__})"
            if attempt == self.retries:
                return self._fall_back(series, cached, why)
            self.sleep(self.backoff * 2**attempt)
        values = (parse_observations(text, series, where) if self.api_key
                  else parse_fredgraph(text, series, where)[0])
        if values.empty:
            raise DataError(f"{series}: FRED returned no observations")
        self.cache.store(series, values, self.now().date())
        return values


@dataclass(slots=True)
class FredFiles:
    """Series bundled with the vault as fredgraph.csv files in ``folder``; no network."""

    folder: Path
    _loaded: dict[str, pd.Series] = field(default_factory=dict)
    _synthetic: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        """``csv`` (the vault's own files, like prices)."""
        return "csv"

    def _values(self, series: str) -> pd.Series:
        validate_ticker(series)
        if series not in self._loaded:
            path = self.folder / f"{series}.csv"
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise DataError(f"no series file for {series}", path=str(path)) from None
            values, comments = parse_fredgraph(text, series, str(path))
            if values.empty:
                raise DataError(f"no values for {series}", path=str(path))
            if any(SYNTHETIC_MARK in c for c in comments):
                self._synthetic.add(series)
            self._loaded[series] = values
        return self._loaded[series]

    def closes(self, tickers: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        """Values of the series ``tickers`` from ``start`` to ``end``, one column each."""
        import pandas as pd

        frame = pd.concat([self._values(t) for t in tickers], axis=1, sort=True)
        return frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]

    def source(self, tickers: Sequence[str]) -> str:
        """``data/series CSV (FRED format)``, flagged when a file says it is synthetic."""
        for series in tickers:
            self._values(series)
        label = f"{self.folder.parent.name}/{self.folder.name} CSV (FRED format)"
        if any(t in self._synthetic for t in tickers):
            return f"{label}, synthetic sample data, not FRED data"
        return label

    def warnings(self, symbols: Sequence[str]) -> tuple[str, ...]:
        """None: the file's last date is judged as staleness."""
        return ()

    def rule(self, symbol: str) -> Rule:
        """The series' publication calendar and lag."""
        return RULES.get(symbol, DEFAULT_RULE)

    def last_session(self, tickers: Sequence[str]) -> dt.date | None:
        """The last date in the files for ``tickers`` (all files in the folder when empty)."""
        names = list(tickers) or sorted(
            p.stem for p in self.folder.glob("*.csv") if TICKER_RE.fullmatch(p.stem))
        if not names:
            return None
        last: pd.Timestamp = max(self._values(t).index[-1] for t in names)
        return last.date()
