"""Market data: a provider interface, the vault's CSV folders, yfinance, FRED, the cache."""

from vaultkit.data.provider import PriceProvider, make_provider, make_series_provider
from vaultkit.data.tickers import validate_ticker

__all__ = ["PriceProvider", "make_provider", "make_series_provider", "validate_ticker"]
