"""Parse: a file's text into a :class:`~vaultkit.model.Note`, following Obsidian's rules.

``scan`` lists and reads files, ``frontmatter`` reads properties, ``note`` walks the
markdown-it tokens (with the plugins in :mod:`vaultkit.syntax`), ``values`` types a table
cell, ``load`` puts them together for one file on disk.

The two names below are imported when first used (PEP 562): every ``vaultkit.parse.*``
import runs this file, and a warm load, which reads the index and parses no note, must not
pay for markdown-it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultkit.parse.load import load_note
    from vaultkit.parse.note import parse_note

_MODULE_OF = {"load_note": "vaultkit.parse.load", "parse_note": "vaultkit.parse.note"}

__all__ = ["load_note", "parse_note"]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'vaultkit.parse' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
