"""The contract between the refresh engine and the region generators.

The engine finds regions and writes files; a generator turns one region's spec plus market
data into markdown, figures and charts, touching no file itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from vaultkit.data.freshness import Freshness


@dataclass(frozen=True, slots=True)
class RegionSpec:
    """A begin marker's spec: ``<!-- vaultkit:begin id=xle-igv kind=pair a=XLE ... -->``."""

    id: str
    kind: str
    params: dict[str, str]
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Chart:
    """A PNG a region wants written into the vault's attachment folder under ``name``."""

    name: str
    png: bytes


@dataclass(frozen=True, slots=True)
class Generated:
    """What a generator returns: the region body (LF newlines, no trailing newline),
    its computed figures (JSON-friendly), the as-of session and the data source, and how
    fresh that data is (None for kinds that read no market data)."""

    body: str
    figures: dict[str, Any]
    asof: dt.date
    source: str
    charts: tuple[Chart, ...] = field(default=())
    freshness: Freshness | None = None
