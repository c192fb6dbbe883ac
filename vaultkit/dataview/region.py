"""The ``kind=query`` managed region: a DQL query's answer written into the note.

    ```dataview
    TABLE ticker, sector FROM #entity SORT ticker
    ```
    <!-- vaultkit:begin id=entities kind=query -->
    …the result as a markdown table (or list)…
    <!-- vaultkit:end id=entities sum=… -->

The query is the ``dataview`` block right above the begin marker (Obsidian still renders
it live), or the region's ``query="…"`` parameter. ``this`` is the note holding the region;
``date(today)`` is the refresh's as-of date, so refreshing unchanged notes changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from vaultkit.dataview.blocks import block_above
from vaultkit.dataview.engine import QueryError, run_query
from vaultkit.dataview.output import to_markdown
from vaultkit.dataview.parser import DQLSyntaxError
from vaultkit.errors import MarkerError
from vaultkit.lang.pages import Pages
from vaultkit.refresh.spec import Generated, RegionSpec

if TYPE_CHECKING:
    from vaultkit.vault import Vault


class RegionContext(Protocol):
    """What the region needs from refresh's ``GenerateContext``."""

    @property
    def asof(self) -> dt.date: ...

    def vault(self) -> Vault: ...


def query_region(spec: RegionSpec, context: RegionContext) -> Generated:
    """Run the region's query over the vault and render its result as markdown."""
    unknown = sorted(set(spec.params) - {"query"})
    if unknown:
        raise MarkerError(f"kind=query does not take {', '.join(unknown)} (takes query)")
    vault = context.vault()
    query, line = spec.params.get("query"), spec.line
    if not query:
        text = (vault.root / spec.path).read_text(encoding="utf-8")
        block = block_above(text, spec.line)
        if block is None:
            raise MarkerError("kind=query needs a ```dataview block right above the region "
                              "or a query= parameter")
        query, line = block.query, block.line + 1
    now = dt.datetime.combine(context.asof, dt.time())
    try:
        result = run_query(query, vault.derived(Pages), origin=spec.path, now=now)
    except (DQLSyntaxError, QueryError) as exc:
        raise MarkerError(f"query (line {line}): {exc.message}") from exc
    figures = {"query": query, "columns": list(result.columns), "rows": len(result.rows)}
    return Generated(to_markdown(result), figures, context.asof, "dataview")
