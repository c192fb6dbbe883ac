"""Count the notes a test decodes from the index: one place for the tests that forbid it."""

from __future__ import annotations

import pytest

import vaultkit.index.load as load_module
from vaultkit.index.store import decode_note
from vaultkit.model import Note


def count_decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the notes decoded from here on ("?" for a blob that does not decode)."""
    decoded: list[str] = []

    def counting(blob: bytes) -> Note | None:
        note = decode_note(blob)
        decoded.append(note.path if note is not None else "?")
        return note

    monkeypatch.setattr(load_module, "decode_note", counting)
    return decoded
