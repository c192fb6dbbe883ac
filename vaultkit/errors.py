"""One error family: every problem carries the file and line it is about.

Exceptions become exit codes only in the CLI layer, by :data:`EXIT_CODES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """What a ``vaultkit`` command's exit status means (``docs/exit-codes.md``)."""

    OK = 0
    #: Something was found: a lint error, a skipped or stale region, a change ``--check`` saw.
    FINDINGS = 1
    #: The command could not do its job: bad usage, unknown note, unreadable vault or data.
    USAGE = 2


class VaultkitError(Exception):
    """Base error; renders as ``path:line: message`` like a compiler."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)


class NoteNotFound(VaultkitError, LookupError):
    """No note (or node) answers to the name asked for."""


class ParseError(VaultkitError):
    """A note could not be read or parsed as written."""


class MarkerError(VaultkitError):
    """Managed-region markers are unmatched, duplicated or malformed."""


class ConflictError(VaultkitError):
    """A file changed between read and write, or a region was edited by hand."""


class DataError(VaultkitError):
    """Market data is missing, malformed or could not be fetched."""


class UnsafePathError(VaultkitError):
    """A path would escape the vault."""


def format_location(path: str | None, line: int | None, message: str) -> str:
    if path is None:
        return message
    if line is None:
        return f"{path}: {message}"
    return f"{path}:{line}: {message}"


@dataclass(frozen=True, slots=True)
class Problem:
    """A recorded (not raised) problem: the scan goes on past it."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message}
