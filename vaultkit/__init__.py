"""vaultkit: read an Obsidian research vault as Obsidian does, query it, keep it current."""

from vaultkit.errors import (
    CheckFailed,
    ConflictError,
    DataError,
    MarkerError,
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
from vaultkit.vault import LinkRef, Vault

__all__ = [
    "BlockId",
    "Callout",
    "CheckFailed",
    "ConflictError",
    "DataError",
    "ExternalLink",
    "Heading",
    "InlineField",
    "Link",
    "LinkContext",
    "LinkRef",
    "MarkerError",
    "Note",
    "ParseError",
    "Problem",
    "Table",
    "Tag",
    "Task",
    "UnsafePathError",
    "Update",
    "Vault",
    "VaultkitError",
    "parse_note",
]
