"""The provider interface every price source implements, and the choice among them.

Providers return daily closes as a DataFrame indexed by session date (``datetime64``,
midnight, no time zone), one column per ticker, NaN where a ticker has no close that
session. Analytics never see where the numbers came from; the region footnote does, via
:meth:`PriceProvider.source`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vaultkit.data.cache import PriceCache
from vaultkit.data.csv import CsvProvider
from vaultkit.data.fred import FredFiles, FredProvider
from vaultkit.data.freshness import Rule
from vaultkit.data.yfinance import YFinanceProvider
from vaultkit.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

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

    def rule(self, symbol: str) -> Rule:
        """The session calendar and publication lag ``symbol``'s freshness is judged by."""
        ...

    def warnings(self, symbols: Sequence[str]) -> tuple[str, ...]:
        """What went wrong getting ``symbols`` that the numbers alone do not show (a gap in
        the bars, a rate limit answered from the cache), one sentence each."""
        ...


def make_provider(name: str, root: Path, *, offline: bool = False,
                  adjusted: bool = True) -> PriceProvider:
    """Build the provider called ``name`` for the vault at ``root``.

    ``csv`` reads ``<vault>/data/prices``; ``yfinance`` fetches through the cache under
    ``<vault>/.vaultkit/cache`` (``cache/unadjusted`` for closes not adjusted for
    dividends, so the two kinds never mix) and, when ``offline``, reads only that cache.
    """
    if name == "csv":
        return CsvProvider(root / "data" / "prices")
    if name == "yfinance":
        folder = root / ".vaultkit" / "cache"
        return YFinanceProvider(PriceCache(folder if adjusted else folder / "unadjusted"),
                                offline=offline, adjusted=adjusted)
    raise DataError(f"unknown provider {name!r} (choose from {', '.join(PROVIDERS)})")


def make_series_provider(name: str, root: Path, *, offline: bool = False) -> PriceProvider:
    """The source of macro series that goes with the price provider ``name``: the vault's
    bundled ``data/series`` files (fredgraph.csv format) for ``csv``, else FRED itself
    through the cache under ``<vault>/.vaultkit/cache/fred`` (only that cache ``offline``).
    """
    if name == "csv":
        return FredFiles(root / "data" / "series")
    if name in PROVIDERS:
        return FredProvider(PriceCache(root / ".vaultkit" / "cache", "fred"), offline=offline)
    raise DataError(f"unknown provider {name!r} (choose from {', '.join(PROVIDERS)})")
