"""A per-ticker close cache under ``<vault>/.vaultkit/cache/prices`` so a refresh works
offline after one fetch, and ``--as-of`` can replay a past session exactly."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.data.csv import read_price_csv
from vaultkit.data.tickers import validate_ticker
from vaultkit.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

_FETCHED = "fetched "


@dataclass(frozen=True, slots=True)
class Cached:
    """A cached close series and the day it was fetched."""

    closes: pd.Series
    fetched: dt.date


@dataclass(frozen=True, slots=True)
class PriceCache:
    """Files ``<folder>/<kind>/<TICKER>.csv`` with a ``# fetched YYYY-MM-DD`` header;
    ``kind`` is ``prices`` for Yahoo closes, ``fred`` for FRED series."""

    folder: Path
    kind: str = "prices"

    def path(self, ticker: str) -> Path:
        """Where ``ticker`` is cached (the symbol is validated first)."""
        return self.folder / self.kind / f"{validate_ticker(ticker)}.csv"

    def load(self, ticker: str) -> Cached | None:
        """The cached closes for ``ticker``, or ``None`` when nothing is cached."""
        path = self.path(ticker)
        if not path.exists():
            return None
        closes, comments = read_price_csv(path, ticker)
        fetched = next(
            (dt.date.fromisoformat(c[len(_FETCHED) :]) for c in comments if c.startswith(_FETCHED)),
            closes.index[-1].date() if len(closes) else dt.date.min,
        )
        return Cached(closes, fetched)

    def store(self, ticker: str, closes: pd.Series, fetched: dt.date) -> None:
        """Replace the cached closes of ``ticker``, atomically.

        Replaced, not merged: adjusted closes are rescaled after every dividend, so an old
        stretch spliced onto a new one would invent a jump.
        """
        closes = closes.sort_index()
        lines = [f"# {_FETCHED}{fetched.isoformat()}", "Date,Close"]
        lines += [f"{d:%Y-%m-%d},{v:.10g}" for d, v in closes.items()]
        path = self.path(ticker)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Temp file in the same folder + os.replace: a killed refresh never leaves half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{ticker}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write("\n".join(lines) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class CachedFetching:
    """What the fetching providers (yfinance, FRED) share: a per-symbol log of what
    happened on the way to the data, and the rule for when the cache answers alone.

    Subclasses are dataclasses with ``cache``, ``offline``, ``_series`` and ``_notes``.
    """

    cache: PriceCache
    offline: bool
    _series: dict[str, pd.Series]
    _notes: dict[str, list[str]]

    def _note(self, symbol: str, text: str) -> None:
        self._notes.setdefault(symbol, []).append(text)

    def cache_notes(self, symbols: Sequence[str]) -> list[str]:
        """The "cache fetched …" notes of ``symbols``, for a footnote."""
        return sorted({n for s in symbols for n in self._notes.get(s, [])
                       if n.startswith("cache")})

    def warnings(self, symbols: Sequence[str]) -> tuple[str, ...]:
        """Rate limits, network fallbacks and missing bars met while getting ``symbols``."""
        return tuple(sorted({n for s in symbols for n in self._notes.get(s, [])
                             if not n.startswith("cache")}))

    def last_session(self, tickers: Sequence[str]) -> dt.date | None:
        """The last cached observation when offline; otherwise unknown until fetched."""
        if not self.offline:
            return None
        cached = [self.cache.load(t) for t in tickers]
        dates = [c.closes.index[-1].date() for c in cached if c is not None and len(c.closes)]
        return max(dates, default=None)

    def _cache_alone(self, symbol: str, end: dt.date) -> tuple[pd.Series | None, Cached | None]:
        """The cached values when they answer alone (offline, or fetched after ``end``),
        else None; and what the cache holds either way. Offline with nothing cached is an
        error: there is nowhere else to look."""
        cached = self.cache.load(symbol)
        if self.offline or (cached is not None and cached.fetched > end):
            if cached is None:
                raise DataError(f"{symbol}: not in the cache {self.cache.path(symbol)}; "
                                "refresh once without --offline")
            self._note(symbol, f"cache fetched {cached.fetched.isoformat()}")
            return cached.closes, cached
        return None, cached

    def _fall_back(self, symbol: str, cached: Cached | None, why: str) -> pd.Series:
        """The cached values after the network failed (``why``), said in the notes."""
        if cached is None or not len(cached.closes):
            raise DataError(f"{symbol}: {why} and nothing cached")
        self._note(symbol, f"{symbol}: {why}; kept the cached data of "
                           f"{cached.fetched.isoformat()}")
        values: pd.Series = cached.closes
        return values

