"""Market data: a provider interface, the vault's CSV folder, yfinance, and the cache."""

from .provider import PriceProvider, make_provider, validate_ticker

__all__ = ["PriceProvider", "make_provider", "validate_ticker"]
