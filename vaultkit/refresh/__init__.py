"""Refresh: regenerate managed regions, charts and dated updates; write notes back safely.

``run`` walks the notes, ``regions`` finds the markers, ``kinds`` generates each region's
body from ``data`` (with ``analytics``, ``charts``, ``render`` and the default
``templates/``), ``splice`` puts it between the markers (pure), ``writer`` is the one module
that writes files (compare-and-swap, atomic).
"""

from vaultkit.refresh.report import RefreshReport, RegionRecord
from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.splice import checksum

__all__ = ["RefreshReport", "RegionRecord", "checksum", "refresh_vault"]
