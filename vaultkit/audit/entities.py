"""Entities and their tickers: which symbol's closes stand for a name written in a table.

An entity is a note (by name, path or alias, as a wikilink finds it), an unresolved link
target, or a bare word that is itself a ticker symbol the provider has data for. Its ticker:

1. the note's frontmatter ``ticker:`` (one symbol);
2. else the one name or alias of the note that is a symbol the provider knows;
3. else, for a name that is no note, the name itself when the provider knows it.

Two candidate symbols from rule 2 are ambiguous and give no ticker; vaultkit never picks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vaultkit.data.tickers import TICKER_RE
from vaultkit.errors import DataError
from vaultkit.vault import Vault

if TYPE_CHECKING:
    from vaultkit.data import PriceProvider

#: Capitals that are label words, never asked of a provider (a live one knows an ETF "EPS").
NOT_SYMBOLS = frozenset({"YTD", "MTD", "QTD", "YOY", "QOQ", "EPS", "GDP", "P/E", "US"})
_TICKER_KEY = "$"
_GHOST_KEY = "?"


@dataclass(frozen=True, slots=True)
class Ticker:
    """An entity's symbol, or why it has none (``symbol`` None, ``why`` for people)."""

    symbol: str | None
    why: str = ""


@dataclass(slots=True)
class Entities:
    """Names → entity keys → tickers for one vault and provider, with caches."""

    vault: Vault
    provider: PriceProvider
    _known: dict[str, bool] = field(default_factory=dict)
    _found: dict[str, str | None] = field(default_factory=dict)

    def lookup(self, words: str) -> str | None:
        """The entity ``words`` name: a note path, ``$SYMBOL`` for a known ticker, or None."""
        if words not in self._found:
            self._found[words] = self._lookup(words)
        return self._found[words]

    def _lookup(self, words: str) -> str | None:
        if not words or (words[0].isdigit() and " " not in words):
            return None  # a number is never a name here: "2000", "500"
        path = self.vault.find(words)
        if path is not None:
            return path
        # A bare symbol must be written in capitals (as tickers are) and be known.
        if words.isupper() and words not in NOT_SYMBOLS and self.knows(words):
            return _TICKER_KEY + words
        return None

    def link(self, target: str) -> str:
        """The entity a wikilink target names: its note, else the target as written."""
        path = self.vault.find(target)
        return path if path is not None else _GHOST_KEY + target

    def name(self, key: str) -> str:
        """How an entity is shown: its note's name, or the symbol or target as written."""
        if key[:1] in (_TICKER_KEY, _GHOST_KEY):
            return key[1:]
        return self.vault.notes[key].name

    def ticker(self, key: str) -> Ticker:
        """The symbol whose closes stand for entity ``key`` (rules in the module docstring)."""
        if key.startswith(_TICKER_KEY):
            return Ticker(key[1:])
        if key.startswith(_GHOST_KEY):
            target = key[1:]
            if target.isupper() and self.knows(target):
                return Ticker(target)
            return Ticker(None, f"{target} is not a note and not a symbol the provider knows")
        note = self.vault.notes[key]
        written = note.frontmatter.get("ticker")
        if written is not None:
            if isinstance(written, str) and TICKER_RE.fullmatch(written.strip()):
                return Ticker(written.strip())
            return Ticker(None, f"{note.name}: frontmatter ticker {written!r} is not one symbol")
        symbols = sorted({name for name in (note.name, *note.aliases)
                          if name.isupper() and self.knows(name)})
        if len(symbols) == 1:
            return Ticker(symbols[0])
        if symbols:
            return Ticker(None, f"{note.name}: aliases {', '.join(symbols)} are all symbols")
        return Ticker(None, f"{note.name} has no ticker: (frontmatter) and no alias the "
                            "provider knows")

    def knows(self, symbol: str) -> bool:
        """Whether the provider has closes for ``symbol`` (asked once per symbol)."""
        if symbol not in self._known:
            self._known[symbol] = bool(TICKER_RE.fullmatch(symbol)) and self._has(symbol)
        return self._known[symbol]

    def _has(self, symbol: str) -> bool:
        try:
            self.provider.closes([symbol], dt.date(1900, 1, 1), dt.date(1900, 1, 2))
        except DataError:
            return False
        return True
