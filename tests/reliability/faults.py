"""Fault points: every disk operation a refresh makes, numbered, so a test can stop the
process (SIGKILL) or fail the call (ENOSPC, EACCES, …) at exactly the n-th one.

The operations are the ``os`` and ``tempfile`` calls the writer, the lock and the state
file go through; a file write is split in two halves with a fault point between them, so
a torn temp file is one of the states tried.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

PATCHED = ("replace", "rename", "fsync", "chmod", "open", "mkdir", "ftruncate", "pwrite")


class FaultPoints:
    """Counts fault points; calls ``action(name)`` at point number ``at`` (1-based)."""

    def __init__(self, at: int = 0, action: Callable[[str], None] | None = None) -> None:
        self.at, self.action = at, action
        self.seen: list[str] = []

    def point(self, name: str) -> None:
        self.seen.append(name)
        if len(self.seen) == self.at and self.action is not None:
            self.action(name)

    def wrap(self, name: str, real: Callable[..., Any], after: bool) -> Callable[..., Any]:
        def patched(*args: Any, **kwargs: Any) -> Any:
            self.point(name)
            result = real(*args, **kwargs)
            if after:
                self.point(name + ":after")
            return result

        return patched


class _SplitWrites:
    """A file object whose ``write`` lands in two halves with a fault point between."""

    def __init__(self, file: Any, points: FaultPoints) -> None:
        self._file, self._points = file, points

    def write(self, data: bytes) -> int:
        half = len(data) // 2
        self._points.point("write")
        self._file.write(data[:half])
        self._file.flush()
        self._points.point("write:half")
        return int(self._file.write(data[half:]))

    def __enter__(self) -> _SplitWrites:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


@contextlib.contextmanager
def fault_points(points: FaultPoints, *, after: bool = True) -> Iterator[FaultPoints]:
    """Patch the disk operations so that each one passes through ``points``."""
    real_fdopen = os.fdopen
    real_mkstemp = tempfile.mkstemp

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return _SplitWrites(real_fdopen(fd, *args, **kwargs), points)

    with contextlib.ExitStack() as stack:
        for name in PATCHED:
            stack.enter_context(mock.patch(f"os.{name}", points.wrap(name, getattr(os, name),
                                                                     after)))
        stack.enter_context(mock.patch("os.fdopen", fdopen))
        stack.enter_context(mock.patch("tempfile.mkstemp",
                                       points.wrap("mkstemp", real_mkstemp, after)))
        yield points


def kill_self(name: str) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def raise_errno(errno: int) -> Callable[[str], None]:
    def fail(name: str) -> None:
        raise OSError(errno, os.strerror(errno))

    return fail
