"""The ``kind=base`` managed region: a view of a base written into a note as markdown.

    <!-- vaultkit:begin id=by-sector kind=base base=Research.base view="By sector" -->
    …the view as a markdown table (group headings, a summary row)…
    <!-- vaultkit:end id=by-sector sum=… -->

``this`` is the note holding the region, as when Obsidian embeds a base; ``now()`` is the
refresh's as-of date at midnight, so a refresh of unchanged notes changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from vaultkit.bases.engine import BaseResult, group_text
from vaultkit.bases.load import evaluate_base
from vaultkit.bases.output import to_markdown
from vaultkit.bases.values import to_json
from vaultkit.errors import MarkerError
from vaultkit.refresh.spec import Generated, RegionSpec

if TYPE_CHECKING:
    from vaultkit.vault import Vault

_PARAMS = ("base", "view")


class RegionContext(Protocol):
    """What the region needs from refresh's ``GenerateContext``."""

    @property
    def asof(self) -> dt.date: ...

    def vault(self) -> Vault: ...


def base_region(spec: RegionSpec, context: RegionContext) -> Generated:
    """Evaluate ``base=`` (a ``.base`` file of the vault) at ``view=`` (default: its first
    view) for the note holding the region, and render it as markdown."""
    unknown = sorted(set(spec.params) - set(_PARAMS))
    if unknown:
        raise MarkerError(f"kind=base does not take {', '.join(unknown)} (takes base, view)")
    if not spec.params.get("base"):
        raise MarkerError("kind=base needs base=")
    now = dt.datetime.combine(context.asof, dt.time())
    result = evaluate_base(context.vault(), spec.params["base"], spec.params.get("view"),
                           this=spec.path, now=now)
    return Generated(to_markdown(result), _figures(spec.params["base"], result),
                     context.asof, "base")


def _figures(base: str, result: BaseResult) -> dict[str, object]:
    figures: dict[str, object] = {"base": base, "view": result.view.name,
                                  "rows": len(result.rows)}
    if result.groups is not None:
        figures["groups"] = [group_text(g) for g in result.groups]
    if result.summaries is not None:
        figures["summaries"] = to_json(result.summaries)
    return figures
