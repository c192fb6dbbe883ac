"""Obsidian Bases, headless: read ``.base`` files and ``base`` blocks, evaluate their views
over a vault as data (see ``docs/bases.md``)."""

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
