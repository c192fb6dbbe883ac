"""Parse: a file's text into a :class:`~vaultkit.model.Note`, following Obsidian's rules.

``scan`` lists and reads files, ``frontmatter`` reads properties, ``note`` walks the
markdown-it tokens (with the plugins in :mod:`vaultkit.syntax`), ``values`` types a table
cell, ``load`` puts them together for one file on disk.
"""

from vaultkit.parse.load import load_note
from vaultkit.parse.note import parse_note

__all__ = ["load_note", "parse_note"]
