"""One refresh at a time per vault: an advisory ``flock`` on ``.vaultkit/refresh.lock``.

The lock file is never deleted: removing a flock file while another process waits on it
would let two refreshes each hold a lock on a different inode.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vaultkit.errors import ConflictError

LOCK_NAME = "refresh.lock"


class LockHeld(ConflictError):
    """Another refresh of the same vault is running."""


@contextmanager
def refresh_lock(state_dir: Path) -> Iterator[None]:
    """Hold the vault's refresh lock for the ``with`` block, or raise :class:`LockHeld`."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise LockHeld(f"another refresh is running (pid {holder}); try again when it "
                           "ends", str(path)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
