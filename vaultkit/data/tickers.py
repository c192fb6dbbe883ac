"""What a ticker symbol may look like: the one rule every provider, region and file name
checks before a symbol becomes part of a path or a URL."""

from __future__ import annotations

import re

from vaultkit.errors import DataError

# Yahoo symbols: letters, digits, class suffixes (BRK.B), indices (^GSPC), futures (CL=F),
# FX (EURUSD=X). Checked before a symbol becomes a file name or part of a URL.
# At least one letter or digit and no '..': a symbol of dots alone would make a file
# name like '...csv' and a URL path segment '..'.
TICKER_RE = re.compile(r"^(?!.*\.\.)(?=.*[A-Z0-9])[A-Z0-9.^=-]{1,15}$")


def validate_ticker(ticker: str) -> str:
    """Return ``ticker`` if it is a plausible symbol, else raise :class:`DataError`.

    >>> validate_ticker("BRK.B")
    'BRK.B'
    """
    if not TICKER_RE.fullmatch(ticker):
        raise DataError(f"invalid ticker symbol {ticker!r} (expected e.g. XLE, BRK.B, ^GSPC)")
    return ticker
