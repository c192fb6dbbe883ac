"""Atomic swap of two paths (Linux ``renameat2(RENAME_EXCHANGE)``), for compare-and-swap.

With a plain ``os.replace`` the old version is gone the moment the new one lands, so an
edit saved between the last check and the rename is lost. Swapping instead keeps the old
inode at the temp path, where the writer can look at it *after* the switch and swap back
when someone wrote to it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import cache
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@cache
def _renameat2() -> Any:
    """libc's renameat2, or None where the platform has none."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    func = getattr(libc, "renameat2", None)
    if func is None:
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def exchange(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Swap the files at ``a`` and ``b`` atomically; False when the system cannot."""
    func = _renameat2()
    if func is None:
        return False
    result = func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    # Filesystems without the flag (some FUSE, NFS) say EINVAL/ENOSYS: fall back.
    if errno in (22, 38, 95):
        return False
    raise OSError(errno, os.strerror(errno), os.fspath(b))
