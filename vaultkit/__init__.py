"""vaultkit: read an Obsidian research vault as Obsidian does, query it, keep it current.

Every name below is imported when first used (PEP 562): ``import vaultkit`` stays cheap for
the command line, which on a warm index needs neither the markdown parser nor a query
engine, and ``from vaultkit import Vault`` works as it always did.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultkit.errors import (
        ConflictError,
        DataError,
        ExitCode,
        MarkerError,
        NoteNotFound,
        ParseError,
        Problem,
        UnsafePathError,
        VaultkitError,
    )
    from vaultkit.model import (
        BlockId,
        Callout,
        ExternalLink,
        Heading,
        InlineField,
        Link,
        LinkContext,
        Note,
        Table,
        Tag,
        Task,
        Update,
    )
    from vaultkit.parse.note import parse_note
    from vaultkit.parse.values import CellValue, parse_cell
    from vaultkit.vault import LinkRef, Vault
    from vaultkit.views.facts import build_facts
    from vaultkit.views.table_writer import write_frame
    from vaultkit.views.tables import find_table, typed_frame

#: Each public name and the module that defines it.
_HOMES = {
    "vaultkit.errors": ("ConflictError", "DataError", "ExitCode", "MarkerError", "NoteNotFound",
                        "ParseError", "Problem", "UnsafePathError", "VaultkitError"),
    "vaultkit.model": ("BlockId", "Callout", "ExternalLink", "Heading", "InlineField", "Link",
                       "LinkContext", "Note", "Table", "Tag", "Task", "Update"),
    "vaultkit.parse.note": ("parse_note",),
    "vaultkit.parse.values": ("CellValue", "parse_cell"),
    "vaultkit.vault": ("LinkRef", "Vault"),
    "vaultkit.views.facts": ("build_facts",),
    "vaultkit.views.table_writer": ("write_frame",),
    "vaultkit.views.tables": ("find_table", "typed_frame"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "BlockId",
    "Callout",
    "CellValue",
    "ConflictError",
    "DataError",
    "ExitCode",
    "ExternalLink",
    "Heading",
    "InlineField",
    "Link",
    "LinkContext",
    "LinkRef",
    "MarkerError",
    "Note",
    "NoteNotFound",
    "ParseError",
    "Problem",
    "Table",
    "Tag",
    "Task",
    "UnsafePathError",
    "Update",
    "Vault",
    "VaultkitError",
    "build_facts",
    "find_table",
    "parse_cell",
    "parse_note",
    "typed_frame",
    "write_frame",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'vaultkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
