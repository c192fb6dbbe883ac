"""Obsidian Bases, headless: read ``.base`` files and ``base`` blocks, evaluate their views
over a vault as data (see ``docs/bases.md``).

The data flows ``spec`` (the YAML, checked) → ``parse`` (lark grammar → ``ast``) →
``evaluate`` (closures over a ``scope``: ``functions``, ``methods``, ``values``, ``dates``)
→ ``engine`` (filter, sort, group, limit, ``summaries``) → ``output`` (JSON, markdown,
DataFrame), with ``files`` the rows, ``load`` the entry points and ``region`` the
``kind=base`` managed region.

Shared with Dataview (:mod:`vaultkit.lang.values`): :class:`Link` and :class:`Duration`,
and dates as ``datetime.date``/``datetime.datetime``. Bases' own rules (here, not there):
properties are the frontmatter only (no inline fields); every file of the vault is a row;
``==`` is strict about types; a date keeps whether it has a time, even at midnight; null
sorts last in both directions and text sorts ignoring case; durations serialise as
milliseconds; ``file.name`` keeps its extension.
"""

from vaultkit.bases.engine import BaseResult
from vaultkit.bases.errors import BaseError
from vaultkit.bases.load import (
    BaseSource,
    block_source,
    block_sources,
    evaluate_base,
    evaluate_source,
    file_source,
)
from vaultkit.bases.spec import BaseSpec, read_base

__all__ = ["BaseError", "BaseResult", "BaseSource", "BaseSpec", "block_source", "block_sources",
           "evaluate_base", "evaluate_source", "file_source", "read_base"]
