"""Market data: a provider interface, the vault's CSV folder, yfinance, and the cache."""

from vaultkit.data.provider import PriceProvider, make_provider
from vaultkit.data.tickers import validate_ticker

__all__ = ["PriceProvider", "make_provider", "validate_ticker"]
