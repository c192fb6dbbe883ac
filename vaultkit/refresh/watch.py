"""Keep a vault refreshed while it is open: re-render a note's regions when the note or
the data its regions read changes (``vaultkit watch``).

File events (watchdog) only mark notes *due*; nothing is done until a note has been quiet
for ``debounce`` seconds and — the settle rule of :mod:`vaultkit.refresh.run` — for
``settle`` seconds since another program last wrote it, so an editor's burst of saves is
one refresh and never raced. The refresh itself is :func:`refresh_vault` on that note
(compare-and-swap writes; a region edited by hand is reported and left alone). vaultkit's
own writes are recognised by their mtime and do not trigger another round. A note
deleted or renamed while due is dropped (the new name becomes due). The index is loaded at
start and reloaded after each round, so queries from the same vault stay warm.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from vaultkit.errors import VaultkitError
from vaultkit.parse.scan import list_files
from vaultkit.refresh.regions import find_regions
from vaultkit.refresh.report import RefreshReport
from vaultkit.refresh.run import DEFAULT_SETTLE, refresh_vault
from vaultkit.vault import Vault

#: Folders whose changes never concern regions (vaultkit's own state, the editor's, git's).
IGNORED = frozenset({".vaultkit", ".obsidian", ".git", ".trash"})
#: Where region data lives: the vault's bundled files. Not the live providers' caches under
#: .vaultkit/: a refresh writes them itself, and reacting would refresh in a circle.
DATA_FOLDERS = (("data", "prices"), ("data", "series"))
DEFAULT_DEBOUNCE = 2.0

Refresh = Callable[[str], RefreshReport]
Clock = Callable[[], float]


def _relative(root: Path, path: str) -> str | None:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return None


def data_symbol(rel: str) -> str | None:
    """The symbol a data file holds (``data/prices/XLE.csv`` → ``XLE``), else None."""
    parts = PurePosixPath(rel).parts
    if rel.endswith(".csv") and any(parts[: len(f)] == f for f in DATA_FOLDERS):
        return PurePosixPath(rel).stem
    return None


def symbols_of(text: str, rel: str) -> set[str]:
    """Every symbol a note's region specs name (any comma-separated parameter value)."""
    try:
        regions = find_regions(text, rel)
    except VaultkitError:
        return set()
    return {v.strip().upper() for r in regions for value in r.spec.params.values()
            for v in value.split(",")}


@dataclass
class Watcher:
    """The decisions of ``vaultkit watch``, free of threads and file events: feed it
    changed paths with :meth:`changed`, ask :meth:`due` which notes to refresh now."""

    root: Path
    debounce: float = DEFAULT_DEBOUNCE
    settle: float = DEFAULT_SETTLE
    clock: Clock = time.monotonic
    pending: dict[str, float] = field(default_factory=dict)  # note → when it may run
    written: dict[str, int] = field(default_factory=dict)  # note → mtime of our last write

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    def changed(self, path: str) -> None:
        """A file event at ``path`` (absolute): mark the notes it concerns as due later."""
        rel = _relative(self.root, path)
        if rel is None or PurePosixPath(rel).parts[:1] == ("..",):
            return
        symbol = data_symbol(rel)
        if symbol is not None:
            for note in self._notes_using(symbol):
                self._mark(note, self.debounce)
            return
        if PurePosixPath(rel).parts[0] in IGNORED or not rel.endswith(".md"):
            return
        if not (self.root / rel).exists():
            self.pending.pop(rel, None)  # deleted or renamed away: nothing to refresh
            return
        if self._ours(rel):
            return
        # Another program wrote it: wait for quiet, and for the settle rule.
        self._mark(rel, max(self.debounce, self.settle))

    def _mark(self, rel: str, delay: float) -> None:
        self.pending[rel] = self.clock() + delay

    def _ours(self, rel: str) -> bool:
        try:
            return self.written.get(rel) == (self.root / rel).stat().st_mtime_ns
        except OSError:
            return False

    def _notes_using(self, symbol: str) -> list[str]:
        found = []
        for rel in list_files(self.root).notes:
            try:
                text = (self.root / rel).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "vaultkit:begin" in text and symbol.upper() in symbols_of(text, rel):
                found.append(rel)
        return found

    def due(self) -> list[str]:
        """Notes quiet long enough to refresh now (removed from the pending set)."""
        now = self.clock()
        ready = sorted(rel for rel, when in self.pending.items() if when <= now)
        for rel in ready:
            del self.pending[rel]
        return ready

    def done(self, rel: str) -> None:
        """Remember the note's mtime after a refresh, so its own write is not an edit."""
        try:
            self.written[rel] = (self.root / rel).stat().st_mtime_ns
        except OSError:
            self.written.pop(rel, None)


def run_round(watcher: Watcher, refresh: Refresh,
              report: Callable[[str, RefreshReport | Exception], None]) -> list[str]:
    """Refresh every due note once; a failure (note gone, lock held) costs that note."""
    notes = watcher.due()
    for rel in notes:
        try:
            result: RefreshReport | Exception = refresh(rel)
        except (VaultkitError, OSError) as exc:
            result = exc
        watcher.done(rel)
        report(rel, result)
    return notes


def watch(root: Path | str, *, provider: str = "csv", offline: bool = False,
          debounce: float = DEFAULT_DEBOUNCE, settle: float = DEFAULT_SETTLE,
          report: Callable[[str, RefreshReport | Exception], None],
          stop: threading.Event | None = None, tick: float = 0.2,
          ready: Callable[[], None] | None = None) -> None:
    """Watch the vault at ``root`` until ``stop`` is set (or Ctrl-C), refreshing notes as
    they and their data change; each round's outcome goes to ``report``."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    root = Path(root)
    if not root.is_dir():
        raise VaultkitError(f"vault folder not found: {root}")
    watcher = Watcher(root, debounce, settle)
    lock = threading.Lock()
    stop = stop or threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                return
            paths: Iterable[Any] = (event.src_path, getattr(event, "dest_path", "") or None)
            with lock:
                for path in paths:
                    if path:
                        watcher.changed(str(path))

    def refresh(rel: str) -> RefreshReport:
        return refresh_vault(root, provider=provider, offline=offline, note=rel, settle=settle)

    Vault.load(root)  # warm the index before the first edit
    observer = Observer()
    observer.schedule(Handler(), str(root), recursive=True)
    observer.start()
    try:
        if ready:
            ready()
        while not stop.wait(tick):
            with lock:
                done = run_round(watcher, refresh, report)
            if done:
                Vault.load(root)  # keep the index current for the next query
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
