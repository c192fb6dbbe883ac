"""Shared pieces for the refresh reliability tests: a fake generator and file snapshots."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from vaultkit.refresh.spec import Chart, Generated, RegionSpec
from vaultkit.refresh.writer import TEMP_SUFFIX

ASOF = dt.date(2026, 11, 20)


class FakeGenerator:
    """A generator whose output depends only on the spec and ``version``; counts its calls."""

    def __init__(self, version: str = "1", rows: int = 3, chart_bytes: int = 0) -> None:
        self.version, self.rows, self.chart_bytes = version, rows, chart_bytes
        self.calls: list[RegionSpec] = []

    def __call__(self, spec: RegionSpec) -> Generated:
        self.calls.append(spec)
        rows = "\n".join(f"| {spec.id} | row {i} | v{self.version} |" for i in range(self.rows))
        body = f"| id | row | version |\n|---|---|---|\n{rows}\n\n*as of {ASOF}, v{self.version}*"
        charts: tuple[Chart, ...] = ()
        if "chart" in spec.params:
            png = (f"PNG{self.version}" * (self.chart_bytes // 4 + 1))[: self.chart_bytes or 16]
            charts = (Chart(spec.params["chart"], png.encode()),)
        return Generated(body, {"version": self.version}, ASOF, "fake", charts)


def checksum(body: str) -> str:
    """The end marker's ``sum=``, computed as DESIGN.md describes (LF body, SHA-256, 10 hex)."""
    normal = body.replace("\r\n", "\n").rstrip("\n")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]


def files(root: Path) -> dict[str, bytes]:
    """Every regular file of the vault outside ``.vaultkit/``, temp files included."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".vaultkit" not in p.parts}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(f"*{TEMP_SUFFIX}") if ".vaultkit" not in p.parts]


def tracker_note(n: int, regions: int, *, chart: bool = False) -> str:
    """A note with prose between ``regions`` fresh regions (one in a callout)."""
    parts = [f"# Note {n}\n\nProse {n} the researcher wrote, [[Link {n}]] #tag.\n"]
    for r in range(regions):
        prefix = "> " if r % 2 else ""
        chart_param = f" chart=n{n}-r{r}.png" if chart else ""
        if prefix:
            parts.append(f"\n> [!note] Region {r}\n")
        parts.append(f"{prefix}<!-- vaultkit:begin id=r{r} kind=pair a=XLE b=IGV{chart_param} -->\n"
                     f"{prefix}<!-- vaultkit:end id=r{r} -->\n\nMore prose {n}.{r}.\n")
    return "".join(parts)


@contextlib.contextmanager
def no_fsync() -> Iterator[None]:
    """Skip fsync where durability is not what a test is about: it dominates the run time."""
    with mock.patch("os.fsync"):
        yield
