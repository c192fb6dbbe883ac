"""What a refresh did: one record per region (the ``refresh --format json`` contract)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from vaultkit.data.freshness import Freshness

#: The freshness fields of a record, null for a region that read no market data.
_NO_FRESHNESS = dict.fromkeys(("provider", "requested", "last_bar", "last_bars", "calendar",
                               "expected", "stale", "sessions_behind", "data_notes"))
WRITTEN, UNCHANGED, SKIPPED = "written", "unchanged", "skipped"


class SkipCode(StrEnum):
    """Why a region or note was skipped, for programs (the record's ``reason`` is for people).

    Set where the skip is decided; the JSON records carry it as ``code``.
    """

    #: The region's body no longer matches its checksum, or has text but no checksum.
    HAND_EDITED = "hand-edited"
    #: The note (or a chart) changed on disk between reading and writing, or vanished.
    CONFLICT = "conflict"
    #: Another program wrote the note less than ``--settle`` seconds ago.
    UNSETTLED = "unsettled"
    #: Unmatched, nested, duplicated or malformed markers: the whole note is left alone.
    MARKER_ERROR = "marker-error"
    #: The note's file is read-only.
    READ_ONLY = "read-only"
    #: The note cannot be read (not UTF-8, permissions, I/O error).
    UNREADABLE = "unreadable"
    #: A path would leave the vault (a symlinked note or attachment folder).
    UNSAFE_PATH = "unsafe-path"
    #: A marker parameter is not acceptable (not a ticker symbol, not a plain chart name).
    BAD_PARAMETER = "bad-parameter"
    #: The generator returned a chart whose name is not a plain ``.png`` file name.
    BAD_CHART = "bad-chart"
    #: A chart could not be written (or the existing one read).
    CHART_NOT_WRITTEN = "chart-not-written"
    #: The generator failed: missing data, an error in the kind, or text that would break
    #: the note's markers.
    GENERATION_FAILED = "generation-failed"
    #: The note could not be written (disk full, permissions, I/O error).
    WRITE_FAILED = "write-failed"


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
    #: Set exactly when ``status`` is skipped.
    code: SkipCode | None = None
    freshness: Freshness | None = None

    @property
    def stale(self) -> bool:
        """True when the region was generated from data older than the market allows."""
        return self.freshness is not None and self.freshness.stale

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md: path, id, kind, status, reason, asof, source, figures;
        ``code`` (a :class:`SkipCode` value, null unless skipped); then the freshness fields
        (docs/live-data.md)."""
        return {"path": self.path, "id": self.id, "kind": self.kind, "status": self.status,
                "reason": self.reason, "asof": self.asof.isoformat() if self.asof else None,
                "source": self.source, "figures": self.figures,
                "code": self.code.value if self.code else None,
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
