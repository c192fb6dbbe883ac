"""vaultkit: read an Obsidian research vault as Obsidian does, query it, keep it current."""

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
