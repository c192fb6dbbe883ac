"""Typed table cells: what a figure written for people means as a number.

A research note writes ``~$530B``, ``**+32.6%**`` or ``60%+ (broadest in decades)``;
:func:`parse_cell` turns one cell's markdown source into a :class:`CellValue` (value, unit,
qualifiers, raw) and never guesses: a cell the grammar below does not cover *as a whole*
stays text with ``value`` None.

Grammar (``ws`` is optional whitespace; matching is on the whole trimmed cell)::

    cell      := wrap(figure) [ws "(" comment ")"]   -- the comment holds no parentheses
               | wrap(cell)
    wrap(x)   := x | "**" x "**" | "__" x "__" | "*" x "*" | "_" x "_" | "***" x "***"
    figure    := date | approx? bound? quantity | approx? quantity "+"
    approx    := "~" | "≈"
    bound     := ">" | "<" | ">=" | "<=" | "≥" | "≤"
    quantity  := sign? currency amount [ws scale]   -> USD | EUR | GBP, scale applied
               | sign? amount "%"                   -> percent
               | sign? amount ws "pp"               -> pp (percentage points)
               | sign? amount ws ("bp" | "bps")     -> bp (basis points)
               | sign? amount ws ("pt" | "pts")     -> pts (points of whatever is measured)
               | sign? amount ("x" | "×")           -> x (a multiple)
               | int ":" int                        -> ratio, value left / right
               | int " of " int                     -> count, ``total`` = the right int
               | int "+"? " " period                -> count, ``noun`` = the period
               | sign? amount [ws plain]            -> number, scale applied
    sign      := "+" | "-" | "−"          currency := "$" | "€" | "£"
    amount    := digits, optionally in ","-separated thousands, optionally "." decimals
    scale     := K k thousand | M m mn million | B b bn billion | T tn trillion
    plain     := K k thousand | mn million | B bn billion | T tn trillion
    period    := day | week | month | quarter | year | session, singular or plural
    date      := "Oct 29, 2025" | "October 29 2025" | "29 Oct 2025" | "2026-02-27"
    blank     := "" | "—" | "–" | "-" | "n/a"   (no value; states nothing)

Values are the number as written in its unit (``+240%`` → 240.0 percent, ``~43pp`` → 43.0
pp, ``-26bp`` → -26.0 bp); scales are applied (``~$530B`` → 530000000000.0 USD, ``133k`` →
133000.0 number). A date cell's value is a :class:`datetime.date`. Rules that follow from
"never guess":

- A figure followed by anything but one parenthetical is text (``+6% vs [[Nasdaq]]``,
  ``3x profit YoY``, ``77% of Russell 2000 constituents up``); a parenthetical is kept as
  ``comment`` (``**>20%** (risers ~2:1 over fallers)`` → 20.0 percent, bound ``>``).
- Ranges (``+6-8%``, ``2-4 weeks``), words after ``~`` (``~Flat``), a month without a day
  (``Nov 2025``) and anything holding markup other than emphasis around the whole figure
  (``~$[[3M]]``) are text.
- Without a currency, ``M``/``m`` is not read as millions: ``3M``, ``6M``, ``12M`` name
  tenors (or the company 3M) and ``5m`` minutes or metres; ``mn``/``million`` are. A lone
  ``b`` or ``t`` (bits, tonnes) is not a scale either.
- ``pts`` stays ``pts``, not ``pp``: points of an index and percentage points read alike.
- ``H:MM`` with two-digit minutes (``9:30``, ``1:10``) reads as a clock time as much as a
  ratio, so it is text; ``2:1`` and ``10:1`` are ratios.
- Struck-through figures (``~~5%~~``) are text: the author withdrew them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Unit = Literal["percent", "pp", "bp", "pts", "USD", "EUR", "GBP", "x", "ratio", "count", "date",
               "number"]
Bound = Literal[">", "<", ">=", "<=", "+"]

_BLANKS = frozenset({"", "—", "–", "-", "n/a"})
_WRAPS = ("***", "**", "__", "*", "_")
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALES = {
    "k": 10**3, "thousand": 10**3,
    "m": 10**6, "mn": 10**6, "million": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9,
    "t": 10**12, "tn": 10**12, "trillion": 10**12,
}
_CURRENCIES: dict[str, Unit] = {"$": "USD", "€": "EUR", "£": "GBP"}
_SUFFIXES: dict[str, Unit] = {"%": "percent", "pp": "pp", "bp": "bp", "bps": "bp", "pt": "pts",
                              "pts": "pts", "x": "x", "×": "x"}
_BOUNDS: dict[str, Bound] = {">": ">", "<": "<", ">=": ">=", "<=": "<=", "≥": ">=", "≤": "<="}

_FIGURE = re.compile(
    rf"""
    (?P<approx>[~≈])?
    (?P<bound>[<>]=?|[≤≥])?
    (?:
        (?P<sign>[+\-\u2212])?
        (?:
            (?P<currency>[$€£])(?P<money>{_AMOUNT})
            (?:\ ?(?P<scale>[KkMmBbTt]|mn|bn|tn|thousand|million|billion|trillion))?
          | (?P<amount>{_AMOUNT})
            (?:(?P<suffix>%|\ ?(?:pp|bps?|pts?)|x|×)
              | \ ?(?P<plain>[KkBT]|mn|bn|tn|thousand|million|billion|trillion))?
        )
      | (?P<count>\d+)\ of\ (?P<total>\d+)
      | (?P<left>\d+(?:\.\d+)?):(?P<right>\d+(?:\.\d+)?)
      | (?P<periods>\d+)(?P<period_plus>\+)?\ (?P<noun>(?:day|week|month|quarter|year|session)s?)
    )
    (?P<plus>\+)?
    """,
    re.VERBOSE,
)
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_COMMENT = re.compile(r"(?P<head>.*?)\s*\((?P<comment>[^()]*)\)", re.S)

_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_DATE = re.compile(
    r"(?P<iso>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}))"
    r"|(?P<mon1>[A-Za-z]{3,9})\.?\ (?P<d1>\d{1,2}),?\ (?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\ (?P<mon2>[A-Za-z]{3,9})\.?,?\ (?P<y2>\d{4})",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class CellValue:
    """One table cell read as a figure, or as text when it is not one.

    >>> cell = parse_cell("~$530B")
    >>> cell.value, cell.unit, cell.approx
    (530000000000.0, 'USD', True)
    """

    raw: str
    value: float | dt.date | None = None
    unit: Unit | None = None
    approx: bool = False
    bound: Bound | None = None
    comment: str | None = None
    total: float | None = None
    noun: str | None = None

    @property
    def blank(self) -> bool:
        """True for an empty cell or a lone dash: the cell states nothing."""
        return _is_blank(self.raw)

    @property
    def is_figure(self) -> bool:
        return self.value is not None

    def json_value(self) -> float | str | None:
        """The value as JSON carries it: dates as ISO strings."""
        if isinstance(self.value, dt.date):
            return self.value.isoformat()
        return self.value


def parse_cell(raw: str) -> CellValue:
    """Read one cell's markdown source (as :class:`~vaultkit.model.Table` holds it).

    >>> parse_cell("**60%+** (broadest in decades)").bound
    '+'
    >>> parse_cell("~$[[3M]]").value is None
    True
    """
    return _parse_cell(raw)


#: Cells repeat across a vault's tables ("—", "+5%", entity names): each is read once.
@functools.lru_cache(maxsize=1 << 14)
def _parse_cell(raw: str) -> CellValue:
    text = _unwrap(raw)
    found = _figure(text)
    if found is not None:
        return _cell(raw, found, None)
    split = _COMMENT.fullmatch(text)
    if split is not None:
        found = _figure(_unwrap(split.group("head")))
        comment = split.group("comment").strip()
        if found is not None and comment:
            return _cell(raw, found, comment)
    return CellValue(raw)


@functools.lru_cache(maxsize=1 << 12)
def _is_blank(raw: str) -> bool:
    return _unwrap(raw).casefold() in _BLANKS


def plain_text(markdown: str) -> str:
    """A cell or heading as a reader sees it: markup and link brackets gone, display text kept.

    >>> plain_text("**[[Claude Cowork|SaaSpocalypse]]**, `AI` [[T#H1#H2]]")
    'SaaSpocalypse, AI T > H1 > H2'
    """
    if _NO_MARKUP.fullmatch(markdown):
        return " ".join(markdown.split())
    return _rendered_text(markdown)


#: Text in which no inline rule can start (none of CommonMark's or Obsidian's markers):
#: most headers and row labels, which need no parse.
_NO_MARKUP = re.compile(r"[A-Za-z0-9 .,/'\"?;]*")


#: Headers and labels repeat across a vault's tables: each is parsed once.
@functools.lru_cache(maxsize=1 << 14)
def _rendered_text(markdown: str) -> str:
    # markdown-it loads here, not at the top: the index imports this module to type its
    # rows, and a warm load renders no cell.
    from vaultkit.syntax import obsidian_markdown

    tokens = obsidian_markdown().parseInline(markdown)
    children = (tokens[0].children or []) if tokens else []
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "math_inline", "image"):
            parts.append(child.content)
        elif child.type == "tag":
            parts.append("#" + child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "wikilink":
            parts.append(_link_text(child.meta))
    return " ".join("".join(parts).split())


def _link_text(meta: dict[str, object]) -> str:
    """What Obsidian shows for a wikilink: its display text, else ``T > H1 > H2``."""
    if meta["display"]:
        return str(meta["display"])
    shown = [str(meta["target"] or "")]
    if meta["heading"]:
        shown.extend(str(meta["heading"]).split("#"))
    if meta["block"]:
        shown.append("^" + str(meta["block"]))
    return " > ".join(part for part in shown if part)


# -- the grammar -----------------------------------------------------------------------

_Found = tuple[float | dt.date, Unit, bool, Bound | None, float | None, str | None]


def _unwrap(text: str) -> str:
    """Strip emphasis that wraps the whole text (``**+240%**`` → ``+240%``), repeatedly."""
    text = text.strip()
    while True:
        for mark in _WRAPS:
            if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
                text = text[len(mark) : -len(mark)].strip()
                break
        else:
            return text


def _cell(raw: str, found: _Found, comment: str | None) -> CellValue:
    value, unit, approx, bound, total, noun = found
    return CellValue(raw, value, unit, approx, bound, comment, total, noun)


def _figure(text: str) -> _Found | None:
    day = _date(text)
    if day is not None:
        return day, "date", False, None, None, None
    match = _FIGURE.fullmatch(text)
    if match is None:
        return None
    g = match.groupdict()
    plus = g["plus"] or g["period_plus"]
    if (g["bound"] and plus) or (g["plus"] and g["period_plus"]):
        return None
    bound: Bound | None = _BOUNDS[g["bound"]] if g["bound"] else ("+" if plus else None)
    approx = g["approx"] is not None
    total: float | None = None
    noun: str | None = None
    if g["currency"]:
        scale = _SCALES[g["scale"].lower()] if g["scale"] else 1
        value = _signed(g["sign"], Decimal(g["money"].replace(",", "")) * scale)
        unit = _CURRENCIES[g["currency"]]
    elif g["amount"]:
        scale = _SCALES[g["plain"].lower()] if g["plain"] else 1
        value = _signed(g["sign"], Decimal(g["amount"].replace(",", "")) * scale)
        unit = _SUFFIXES[g["suffix"].strip()] if g["suffix"] else "number"
    elif g["count"]:
        value, unit, total = float(g["count"]), "count", float(g["total"])
    elif g["periods"]:
        value, unit, noun = float(g["periods"]), "count", g["noun"]
    else:
        right = Decimal(g["right"])
        # A clock time (9:30) reads as a ratio too; rather than guess, leave it text.
        if right == 0 or _CLOCK.fullmatch(f"{g['left']}:{g['right']}"):
            return None
        value, unit = float(Decimal(g["left"]) / right), "ratio"
    return value, unit, approx, bound, total, noun


def _signed(sign: str | None, amount: Decimal) -> float:
    return float(-amount if sign in ("-", "\u2212") else amount)


def _date(text: str) -> dt.date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    g = match.groupdict()
    try:
        if g["iso"]:
            return dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        month = _MONTHS.get((g["mon1"] or g["mon2"]).lower())
        if month is None:
            return None
        return dt.date(int(g["y1"] or g["y2"]), month, int(g["d1"] or g["d2"]))
    except ValueError:
        return None
