"""Refresh: regenerate managed regions, charts and dated updates; write notes back safely.

``run`` walks the notes, ``regions`` finds the markers, ``kinds`` generates each region's
body from ``data`` (with ``analytics``, ``charts``, ``render`` and the default
``templates/``), ``splice`` puts it between the markers (pure), ``writer`` is the one module
that writes files (compare-and-swap, atomic). The run itself is
:func:`vaultkit.refresh.run.refresh_vault`.

This ``__init__`` re-exports only leaves of the package: the region kinds that read the vault
(audit, query, base) use ``refresh.analytics`` and ``refresh.render``, so importing the run
from here would make every such import go round through the kinds.
"""

from vaultkit.refresh.report import RefreshReport, RegionRecord, SkipCode
from vaultkit.refresh.splice import checksum

__all__ = ["RefreshReport", "RegionRecord", "SkipCode", "checksum"]
