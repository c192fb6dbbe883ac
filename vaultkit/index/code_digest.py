"""A digest of some of vaultkit's own source files and of libraries' versions: what the
index's contents were made by (the parser's, :func:`vaultkit.index.store.parser_fingerprint`;
the kept answers', :func:`vaultkit.index.hub_table.answers_code`)."""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path

_PACKAGE = Path(__file__).parent.parent


def code_digest(salt: str, libraries: Iterable[str], sources: Iterable[str]) -> str:
    """Hex digest of ``salt``, each library's ``__init__`` (which holds its version: read,
    not imported, as a warm command need not pay for importing it) and each source, a file
    or every ``.py`` file of a folder, relative to the package."""
    h = hashlib.blake2b(digest_size=16)
    h.update(salt.encode())
    for library in libraries:
        spec = importlib.util.find_spec(library)
        origin = spec.origin if spec is not None else None
        h.update(Path(origin).read_bytes() if origin else library.encode())
    for name in sources:
        target = _PACKAGE / name
        for file in sorted(target.glob("*.py")) if target.is_dir() else [target]:
            h.update(file.name.encode() + b"\0" + file.read_bytes())
    return h.hexdigest()
