"""A per-ticker close cache under ``<vault>/.vaultkit/cache/prices`` so a refresh works
offline after one fetch, and ``--as-of`` can replay a past session exactly."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.data.csv import read_price_csv
from vaultkit.data.tickers import validate_ticker

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
