"""Is the data as fresh as the market allows? Exchange calendars decide, not weekdays.

A symbol trades on an exchange (``XNYS`` for US listings, ``XLON`` for ``.L`` …) or, for a
macro series, is published on business days some sessions late. A region is **stale** when
the last bar it used is older than the last session its calendar has *completed* by the
reference moment, allowing for the series' publication lag. Holidays, weekends and
half-day sessions come from ``exchange_calendars`` (a maintained library), so Thanksgiving
is not a missing bar and the afternoon after a 13:00 close is not "today's unfinished bar".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: The calendar of a listing with no suffix (and of indices such as ^GSPC).
DEFAULT_CALENDAR = "XNYS"
#: First year every calendar covers: the sample data and the seed note's history start 1999.
CALENDAR_START = dt.date(1990, 1, 1)

# Yahoo's suffix → exchange_calendars name, for the listings a research vault meets most.
_SUFFIXES = {
    "L": "XLON", "TO": "XTSE", "V": "XTSE", "DE": "XETR", "F": "XFRA", "PA": "XPAR",
    "AS": "XAMS", "BR": "XBRU", "MI": "XMIL", "MC": "XMAD", "SW": "XSWX", "ST": "XSTO",
    "CO": "XCSE", "HE": "XHEL", "OL": "XOSL", "T": "XTKS", "HK": "XHKG", "AX": "XASX",
    "KS": "XKRX", "SS": "XSHG", "SZ": "XSHG", "NS": "XBOM", "BO": "XBOM", "SA": "BVMF",
    "MX": "XMEX", "JO": "XJSE", "SI": "XSES", "TW": "XTAI", "NZ": "XNZE",
}


@dataclass(frozen=True, slots=True)
class Rule:
    """How fresh a symbol can be: its session ``calendar`` and the ``lag`` in sessions by
    which its publisher trails the market (0 for a traded price)."""

    calendar: str = DEFAULT_CALENDAR
    lag: int = 0


def exchange_rule(symbol: str) -> Rule:
    """The calendar of a Yahoo symbol: its suffix's exchange, CME for futures (``CL=F``),
    the 24/5 FX market for currencies (``EURUSD=X``), else the New York Stock Exchange.

    >>> exchange_rule("VOD.L").calendar
    'XLON'
    """
    if symbol.endswith("=F"):
        return Rule("CMES")
    if symbol.endswith("=X"):
        return Rule("24/5")
    head, dot, suffix = symbol.rpartition(".")
    if dot and head and suffix in _SUFFIXES:
        return Rule(_SUFFIXES[suffix])
    return Rule(DEFAULT_CALENDAR)


@cache
def _calendar(name: str, last_year: int) -> Any:
    import exchange_calendars as xc

    return xc.get_calendar(name, start=CALENDAR_START.isoformat(), end=f"{last_year}-12-31")


def calendar(name: str, moment: dt.datetime | None = None) -> Any:
    """The ``exchange_calendars`` calendar ``name``, covering 1990 to past ``moment``."""
    year = max(dt.date.today().year, (moment or dt.datetime.now(dt.UTC)).year) + 1
    return _calendar(name, year)


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment a date-only as-of means: every session dated ``day`` or earlier is over
    (23:59:59 UTC is after the close of every exchange in the Americas, Europe and Asia
    on that date, and before the close of any session dated the next day)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)


def last_completed(name: str, moment: dt.datetime) -> dt.date | None:
    """The last session of calendar ``name`` that had closed by ``moment`` (aware)."""
    import pandas as pd

    closes: pd.Series = calendar(name, moment).closes
    ends = pd.DatetimeIndex(closes)
    position = int(ends.searchsorted(pd.Timestamp(moment).tz_convert("UTC"), side="right"))
    if position == 0:
        return None
    found: pd.Timestamp = closes.index[position - 1]
    return found.date()


def session_close(name: str, day: dt.date) -> dt.datetime | None:
    """When the session ``day`` of calendar ``name`` closes (UTC), or None if no session;
    half-day sessions (the day after Thanksgiving, Christmas Eve) close early."""
    import pandas as pd

    closes: pd.Series = calendar(name, end_of_day(day)).closes
    stamp = pd.Timestamp(day)
    if stamp not in closes.index:
        return None
    close: pd.Timestamp = closes[stamp]
    return close.to_pydatetime()


def sessions_after(name: str, after: dt.date, upto: dt.date) -> int:
    """How many sessions of calendar ``name`` fall in ``(after, upto]``."""
    import pandas as pd

    if upto <= after:
        return 0
    sessions: pd.DatetimeIndex = calendar(name, end_of_day(upto)).sessions
    left = int(sessions.searchsorted(pd.Timestamp(after), side="right"))
    right = int(sessions.searchsorted(pd.Timestamp(upto), side="right"))
    return right - left


def missing_sessions(name: str, bars: Sequence[dt.date], since: dt.date,
                     until: dt.date) -> list[dt.date]:
    """Sessions of calendar ``name`` in ``[since, until]`` that have no bar in ``bars``."""
    import pandas as pd

    sessions: pd.DatetimeIndex = calendar(name, end_of_day(until)).sessions
    wanted = sessions[(sessions >= pd.Timestamp(since)) & (sessions <= pd.Timestamp(until))]
    have = set(bars)
    return [d.date() for d in wanted if d.date() not in have]


@dataclass(frozen=True, slots=True)
class Freshness:
    """How current one region's data is: the finding ``refresh`` and ``status`` report.

    ``last_bar`` is the session whose closes the region used; ``expected`` the last session
    its calendar had completed by the requested as-of; ``sessions_behind`` how many sessions
    of that calendar came after ``last_bar`` up to ``expected``; ``stale`` when that is
    more than the symbol's publication lag.
    ``notes`` are the provider's own warnings (gaps, rate limits).
    """

    provider: str
    requested: dt.date
    last_bar: dt.date
    last_bars: Mapping[str, dt.date]
    calendar: str
    expected: dt.date | None
    sessions_behind: int
    stale: bool
    notes: tuple[str, ...] = field(default=())
    #: Rules the symbols were judged by, and the last day the region needs data for (a
    #: fixed range in the past; None: up to the as-of), so it can be judged again later.
    rules: Mapping[str, Rule] = field(default_factory=dict, compare=False)
    until: dt.date | None = None

    def judged_at(self, moment: dt.datetime) -> Freshness:
        """The same data judged at another ``moment`` (``vaultkit status`` asks about now)."""
        if self.until is not None:
            moment = min(moment, end_of_day(self.until))
        return assess(self.provider, self.rules, self.last_bars, self.last_bar,
                      self.requested, moment, self.notes, self.until)

    def to_dict(self) -> dict[str, Any]:
        """JSON fields added to a region record (dates ISO)."""
        return {
            "provider": self.provider, "requested": self.requested.isoformat(),
            "last_bar": self.last_bar.isoformat(),
            "last_bars": {k: v.isoformat() for k, v in self.last_bars.items()},
            "calendar": self.calendar,
            "expected": self.expected.isoformat() if self.expected else None,
            "stale": self.stale, "sessions_behind": self.sessions_behind,
            "data_notes": list(self.notes),
        }

    def message(self) -> str | None:
        """One sentence for the reader when the data is stale, else None."""
        if not self.stale or self.expected is None:
            return None
        behind = sorted(k for k, v in self.last_bars.items() if v < self.expected)
        names = ", ".join(behind) or ", ".join(sorted(self.last_bars))
        plural = "s" if self.sessions_behind != 1 else ""
        text = (f"{names}: last close {self.last_bar.isoformat()}, {self.sessions_behind} "
                f"{self.calendar} session{plural} behind {self.expected.isoformat()}, the last "
                f"session completed by the as-of {self.requested.isoformat()}")
        if max(self.last_bars.values(), default=self.last_bar) < self.expected:
            text += " (the as-of is past the data's end)"
        return text


def assess(provider: str, rules: Mapping[str, Rule], last_bars: Mapping[str, dt.date],
           last_bar: dt.date, requested: dt.date, moment: dt.datetime,
           notes: tuple[str, ...] = (), until: dt.date | None = None) -> Freshness:
    """Judge ``last_bar`` (the region's as-of session) against each symbol's calendar at
    ``moment``; the symbol furthest behind decides. A calendar that cannot say (a date
    outside its range) makes no claim: not stale, ``expected`` None."""
    worst: tuple[int, str, dt.date | None, bool] = (0, DEFAULT_CALENDAR, None, False)
    first = True
    for symbol, bar in sorted(last_bars.items()):
        rule = rules.get(symbol, Rule())
        try:
            done = last_completed(rule.calendar, moment)
        except (ValueError, LookupError):
            continue
        if done is None:
            continue
        behind = sessions_after(rule.calendar, min(bar, last_bar), done)
        stale = behind > rule.lag
        candidate = (behind, rule.calendar, done, stale)
        if first or (stale, behind) > (worst[3], worst[0]):
            worst, first = candidate, False
    behind, name, expected, stale = worst
    return Freshness(provider, requested, last_bar, dict(last_bars), name, expected, behind,
                     stale, notes, dict(rules), until)
