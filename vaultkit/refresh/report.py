"""What a refresh did: one record per region (the ``refresh --format json`` contract)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from vaultkit.data.freshness import Freshness

#: The freshness fields of a record, null for a region that read no market data.
_NO_FRESHNESS = dict.fromkeys(("provider", "requested", "last_bar", "last_bars", "calendar",
                               "expected", "stale", "sessions_behind", "data_notes"))
WRITTEN, UNCHANGED, SKIPPED = "written", "unchanged", "skipped"


@dataclass(frozen=True, slots=True)
class RegionRecord:
    """The outcome for one region; ``id``/``kind`` are None when the whole note was refused
    before its regions could be read (marker error, unreadable file)."""

    path: str
    id: str | None
    kind: str | None
    status: str
    reason: str | None = None
    asof: dt.date | None = None
    source: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    freshness: Freshness | None = None

    @property
    def stale(self) -> bool:
        """True when the region was generated from data older than the market allows."""
        return self.freshness is not None and self.freshness.stale

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md: path, id, kind, status, reason, asof, source, figures,
        then the freshness fields (docs/live-data.md)."""
        return {"path": self.path, "id": self.id, "kind": self.kind, "status": self.status,
                "reason": self.reason, "asof": self.asof.isoformat() if self.asof else None,
                "source": self.source, "figures": self.figures,
                **(self.freshness.to_dict() if self.freshness else _NO_FRESHNESS)}


@dataclass(frozen=True, slots=True)
class NoteOutcome:
    """The outcome for one note: ``written`` when its bytes changed (or would, in a dry run)."""

    path: str
    status: str
    diff: str = ""


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """Everything a refresh did or, with ``dry_run``, would do."""

    records: tuple[RegionRecord, ...]
    notes: tuple[NoteOutcome, ...]
    charts: tuple[str, ...]
    dry_run: bool
    warnings: tuple[str, ...] = ()

    @property
    def changed_notes(self) -> list[str]:
        """Notes written (or that would be written in a dry run)."""
        return [n.path for n in self.notes if n.status == WRITTEN]

    @property
    def skipped(self) -> list[RegionRecord]:
        """Records of regions (or notes) left alone, each with its reason."""
        return [r for r in self.records if r.status == SKIPPED]

    @property
    def stale(self) -> list[RegionRecord]:
        """Records of regions generated from stale data (a finding, like a skip)."""
        return [r for r in self.records if r.stale]

    @property
    def regenerated(self) -> list[RegionRecord]:
        """Records of regions whose text or chart changed."""
        return [r for r in self.records if r.status == WRITTEN]

    @property
    def diff(self) -> str:
        """The unified diff of every changed note, in path order."""
        return "".join(n.diff for n in self.notes)

    def to_json(self) -> list[dict[str, Any]]:
        """The per-region records as JSON-ready dicts."""
        return [r.to_dict() for r in self.records]
