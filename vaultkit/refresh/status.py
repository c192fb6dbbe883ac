"""Where every managed region stands, without writing anything: its as-of, source,
staleness against today's market, and whether a person edited it (``vaultkit status``).

It is a ``--check`` refresh with every region forced (so a hand-edited region is still
generated and its data judged) — ``state`` says whether that refresh would change the
region — and then each region's data judged again at a moment of the caller's choosing:
by default now, so bundled data that ended last week shows as stale today even though
``make refresh`` replays it at its own last session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vaultkit.data.freshness import end_of_day
from vaultkit.errors import MarkerError, UnsafePathError
from vaultkit.parse.scan import list_files
from vaultkit.refresh.kinds import generate, make_context
from vaultkit.refresh.regions import find_regions, split_lines
from vaultkit.refresh.report import SKIPPED, UNCHANGED, RegionRecord
from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.splice import edit_problem

CURRENT, OUTDATED, FAILED = "current", "outdated", "failed"


@dataclass(frozen=True, slots=True)
class RegionStatus:
    """One region: the refresh record it would get, whether it was edited by hand, and
    ``state``: ``current`` (a refresh would not change it), ``outdated`` or ``failed``."""

    record: RegionRecord
    hand_edited: bool
    state: str

    @property
    def healthy(self) -> bool:
        """Current, fresh and untouched: nothing a scheduler should alert on."""
        return self.state == CURRENT and not self.hand_edited and not self.record.stale

    def to_dict(self) -> dict[str, Any]:
        """The refresh record's fields plus ``hand_edited`` and ``state``."""
        return {**self.record.to_dict(), "hand_edited": self.hand_edited, "state": self.state}


def _edited(root: Path) -> dict[tuple[str, str], bool]:
    """(note, region id) → edited by hand, for every region of the vault."""
    found: dict[tuple[str, str], bool] = {}
    for rel in list_files(root).notes:
        try:
            text = (root / rel).read_text(encoding="utf-8")
            regions = find_regions(text, rel) if "vaultkit:begin" in text else []
        except (OSError, UnicodeDecodeError, MarkerError, UnsafePathError):
            continue  # the refresh record says why
        lines = split_lines(text.removeprefix("\ufeff"))
        for region in regions:
            found[(rel, region.spec.id)] = edit_problem(lines, region) is not None
    return found


def region_status(root: Path | str, *, provider: str = "csv", asof: dt.date | None = None,
                  offline: bool = False, now: dt.datetime | None = None) -> list[RegionStatus]:
    """Every region of the vault at ``root``, judged against the market at the end of
    ``asof`` if given, else at ``now`` (default: the current time)."""
    root = Path(root)
    edited = _edited(root)
    context = make_context(root, provider, asof, offline)
    moment = end_of_day(asof) if asof else (now or dt.datetime.now(dt.UTC))
    report = refresh_vault(root, check=True, force={rid for _, rid in edited},
                           generate=lambda spec: generate(spec, context))
    result = []
    for record in report.records:
        if record.freshness is not None:
            record = replace(record, freshness=record.freshness.judged_at(moment))
        state = (FAILED if record.status == SKIPPED
                 else CURRENT if record.status == UNCHANGED else OUTDATED)
        result.append(RegionStatus(record, edited.get((record.path, record.id or ""), False),
                                   state))
    return result
