"""The provider interface every price source implements, and the ticker check they share.

Providers return daily closes as a DataFrame indexed by session date (``datetime64``,
midnight, no time zone), one column per ticker, NaN where a ticker has no close that
session. Analytics never see where the numbers came from; the region footnote does, via
:meth:`PriceProvider.source`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import DataError

if TYPE_CHECKING:
    import pandas as pd

# Yahoo symbols: letters, digits, class suffixes (BRK.B), indices (^GSPC), futures (CL=F),
# FX (EURUSD=X). Checked before a symbol becomes a file name or part of a URL.
# At least one letter or digit and no '..': a symbol of dots alone would make a file
# name like '...csv' and a URL path segment '..'.
TICKER_RE = re.compile(r"^(?!.*\.\.)(?=.*[A-Z0-9])[A-Z0-9.^=-]{1,15}$")

PROVIDERS = ("csv", "yfinance")


class PriceProvider(Protocol):
    """A source of daily closes."""

    @property
    def name(self) -> str:
        """Short provider name, as given to ``--provider``."""
        ...

    def closes(self, tickers: Sequence[str], start: dt.date, end: dt.date) -> pd.DataFrame:
        """Daily closes for ``tickers`` on sessions ``start..end`` (both inclusive).

        Raises :class:`~vaultkit.errors.DataError` when a ticker has no data at all.
        """
        ...

    def source(self, tickers: Sequence[str]) -> str:
        """One line naming where the closes for ``tickers`` came from, for a footnote;
        mentions staleness when the provider had to fall back to its cache."""
        ...

    def last_session(self, tickers: Sequence[str]) -> dt.date | None:
        """The latest session the provider can serve without fetching, if it knows."""
        ...


def validate_ticker(ticker: str) -> str:
    """Return ``ticker`` if it is a plausible symbol, else raise :class:`DataError`.

    >>> validate_ticker("BRK.B")
    'BRK.B'
    """
    if not TICKER_RE.fullmatch(ticker):
        raise DataError(f"invalid ticker symbol {ticker!r} (expected e.g. XLE, BRK.B, ^GSPC)")
    return ticker


def make_provider(name: str, root: Path, *, offline: bool = False) -> PriceProvider:
    """Build the provider called ``name`` for the vault at ``root``.

    ``csv`` reads ``<vault>/data/prices``; ``yfinance`` fetches through the cache under
    ``<vault>/.vaultkit/cache`` and, when ``offline``, reads only that cache.
    """
    if name == "csv":
        from .csv import CsvProvider

        return CsvProvider(root / "data" / "prices")
    if name == "yfinance":
        from .cache import PriceCache
        from .yfinance import YFinanceProvider

        return YFinanceProvider(PriceCache(root / ".vaultkit" / "cache"), offline=offline)
    raise DataError(f"unknown provider {name!r} (choose from {', '.join(PROVIDERS)})")
