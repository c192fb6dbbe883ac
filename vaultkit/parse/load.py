"""One note from disk to :class:`~vaultkit.model.Note`, whatever the file holds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from vaultkit.errors import Problem
from vaultkit.model import Note
from vaultkit.parse.scan import read_note


def load_note(root: Path, rel: str) -> Note:
    """Read and parse one note; a crash inside the parser becomes a recorded problem."""
    # Here, not at the top: the index reaches the parser only through this function, and a
    # warm load (which parses no note) then never imports markdown-it.
    from vaultkit.parse.note import parse_note

    text, problems = read_note(root, rel)
    try:
        note = parse_note(text, rel)
    except Exception as exc:  # the scan must go on past any single file
        note = parse_note("", rel)
        problems.append(Problem(rel, 1, f"could not parse note: {type(exc).__name__}: {exc}"))
    if problems:
        note = replace(note, errors=tuple(problems) + note.errors)
    return note
