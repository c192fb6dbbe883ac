"""The persistent index: a warm load always equals a cold parse of the same files.

Each test edits a generated vault between loads and compares ``Vault.load`` (through the
index) with ``Vault.load(cache=False, workers=1)`` (a cold, serial parse).
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_vault
from vaultkit import Vault
from vaultkit.index import listing as listing_module
from vaultkit.index import load as load_module
from vaultkit.index import store as index_module
from vaultkit.index.link_rows import decode_link_rows, encode_link_rows, link_rows
from vaultkit.index.listing import Listing, make_listing
from vaultkit.index.store import INDEX_DIR, INDEX_FILE, IndexWarning, decode_note, encode_note
from vaultkit.model import Note
from vaultkit.parse.scan import list_files
from vaultkit.views.mentions import mention_columns
from vaultkit.views.serialize import scan_json

OLD_NS = 1_600_000_000 * 10**9  # 2020: far from "racy", so the stat fast path is used


def _backdate(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(Path(folder) / name, ns=(OLD_NS, OLD_NS))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    generate_vault(root, 24, seed=11)
    (root / "Broken.md").write_bytes(b"# Broken\n\nbad byte \xff and [[Energy Thesis]]\n")
    (root / "Bad yaml.md").write_text("---\ntags: [a\n---\n#b and [[X]]\n", encoding="utf-8")
    _backdate(root)
    return root


def _view(vault: Vault) -> dict[str, Any]:
    return {
        # First, while a warm vault has decoded no note: these come from the link rows.
        "mentions": mention_columns(vault),
        "notes": list(vault.notes.items()),
        "attachments": vault.attachments,
        "problems": vault.problems,
        "refs": [(r.source, r.link, r.resolved) for r in vault.link_refs()],
        "scan": scan_json(vault),
    }


def assert_warm_equals_cold(root: Path, parsed: int | None = None) -> Vault:
    """Load through the index, compare with a cold parse; check how many notes were parsed."""
    warm = Vault.load(root)
    cold = Vault.load(root, cache=False, workers=1)
    assert _view(warm) == _view(cold)
    assert warm.load_stats is not None
    if parsed is not None:
        assert warm.load_stats.parsed == parsed
    return warm


def _note(root: Path, index: int) -> Path:
    return root / list_files(root).notes[index]


def test_first_load_builds_the_index_and_second_parses_nothing(vault: Path) -> None:
    first = assert_warm_equals_cold(vault)
    assert first.load_stats is not None and first.load_stats.parsed == len(first.notes)
    assert (vault / INDEX_DIR / INDEX_FILE).is_file()
    assert_warm_equals_cold(vault, parsed=0)


def _rows_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each load that reads the index's rows reads."""
    read: list[int] = []
    original = index_module.NoteIndex.rows

    def counting(self: index_module.NoteIndex, *args: Any) -> Any:
        found = original(self, *args)
        read.append(len(found))
        return found

    monkeypatch.setattr(index_module.NoteIndex, "rows", counting)
    return read


def test_an_unchanged_vault_is_loaded_without_reading_a_row(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_warm_equals_cold(vault)
    read = _rows_read(monkeypatch)
    assert_warm_equals_cold(vault, parsed=0)
    assert read == []
    _touch(vault)  # a note's time changed, not its bytes: the rows are compared once
    assert_warm_equals_cold(vault, parsed=0)
    assert_warm_equals_cold(vault, parsed=0)
    assert len(read) == 1


def test_a_change_reads_only_the_rows_of_its_block(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing_module, "BLOCK", 4)
    assert_warm_equals_cold(vault)
    read = _rows_read(monkeypatch)
    _settle_edit(vault)
    assert_warm_equals_cold(vault, parsed=1)
    assert read == [4]
    (vault / "Aaa first.md").write_text("# First\n[[Energy Thesis]]\n", encoding="utf-8")
    _delete(vault)
    _settle(vault)
    # A new first note (in block 1) and one gone (block 2): two blocks' rows, 4 each.
    assert_warm_equals_cold(vault, parsed=1)
    assert read[1:] == [8]
    assert_warm_equals_cold(vault, parsed=0)
    assert len(read) == 2


def _settle_edit(root: Path) -> None:
    _edit(root)
    _settle(root)


def test_a_note_modified_just_now_is_compared_every_time(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_warm_equals_cold(vault)
    file = _note(vault, 4)
    file.write_text(file.read_text(encoding="utf-8") + "\nnow\n", encoding="utf-8")
    assert_warm_equals_cold(vault, parsed=1)
    read = _rows_read(monkeypatch)
    # Its mtime may yet be shared by another write: not trusted, so its block is compared.
    assert_warm_equals_cold(vault, parsed=0)
    assert_warm_equals_cold(vault, parsed=0)
    assert read == [len(list_files(vault).notes)] * 2  # one block holds the whole vault


def test_notes_not_yet_read_come_from_the_files_once_the_index_moves_on(vault: Path) -> None:
    assert_warm_equals_cold(vault)
    warm = Vault.load(vault)  # an unchanged vault: nothing read from the index yet
    edited = _note(vault, 3).relative_to(vault).as_posix()
    _edit(vault)
    Vault.load(vault)  # another process stores the edit
    cold = Vault.load(vault, cache=False, workers=1)
    assert warm.notes[edited] == cold.notes[edited]  # the file as it is, not an older row
    assert list(warm.notes.items()) == list(cold.notes.items())
    assert dict(warm.notes.aliases) == dict(cold.notes.aliases)


def test_the_listing_stats_each_note_once_and_keeps_its_own_time(vault: Path) -> None:
    target = _note(vault, 2)
    (vault / "Linked.md").symlink_to(target)
    files = list_files(vault)
    assert len(files.sizes) == len(files.mtimes) == len(files.notes)
    for rel, size, mtime in zip(files.notes, files.sizes, files.mtimes, strict=True):
        info = os.lstat(vault / rel)
        assert (size, mtime) == (info.st_size, info.st_mtime_ns)
    # The index never keeps a symlinked note, so no listing digest is kept either.
    assert_warm_equals_cold(vault)
    assert_warm_equals_cold(vault, parsed=1)


def _edit(root: Path) -> int:
    file = _note(root, 3)
    file.write_text(file.read_text(encoding="utf-8") + "\nNew [[Sector Rotation]] #fresh\n",
                    encoding="utf-8")
    return 1


def _rename(root: Path) -> int:
    file = _note(root, 5)
    file.rename(file.with_name("Renamed " + file.name))
    return 1


def _move_to_folder(root: Path) -> int:
    file = _note(root, 6)
    (root / "Moved").mkdir(exist_ok=True)
    file.rename(root / "Moved" / file.name)
    return 1


def _delete(root: Path) -> int:
    _note(root, 7).unlink()
    return 0


def _add(root: Path) -> int:
    (root / "Sources" / "New source.md").write_text(
        "---\naliases: [fresh]\n---\n# New\n| a | b |\n|---|---|\n| [[Gold Spread\\|g]] | 1 |\n",
        encoding="utf-8")
    return 1


def _add_attachment(root: Path) -> int:
    # Changes what existing links resolve to without changing any note's bytes.
    (root / "attachments" / "Energy Thesis.pdf").write_bytes(b"%PDF-1.4")
    (root / "Energy Thesis.png").write_bytes(b"\x89PNG")
    return 0


def _remove_attachment(root: Path) -> int:
    first = sorted((root / "attachments" / "charts").iterdir())[0]
    first.unlink()
    return 0


def _touch(root: Path) -> int:
    file = _note(root, 9)
    os.utime(file, ns=(OLD_NS + 10**9, OLD_NS + 10**9))
    return 0


def _same_size_edit(root: Path) -> int:
    file = _note(root, 10)
    data = file.read_bytes()
    file.write_bytes(data.replace(b"[[", b"[(", 1))
    return 1


def _rewrite_identical(root: Path) -> int:
    file = _note(root, 11)
    file.write_bytes(file.read_bytes())
    return 0


def _fix_broken(root: Path) -> int:
    (root / "Broken.md").write_text("# Broken\n\nfixed\n", encoding="utf-8")
    return 1


CHANGES: list[Callable[[Path], int]] = [
    _edit, _rename, _move_to_folder, _delete, _add, _add_attachment, _remove_attachment,
    _touch, _same_size_edit, _rewrite_identical, _fix_broken,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__.strip("_"))
def test_change_between_loads(vault: Path, change: Callable[[Path], int]) -> None:
    assert_warm_equals_cold(vault)
    expected = change(vault)
    assert_warm_equals_cold(vault, parsed=expected)
    assert_warm_equals_cold(vault, parsed=0)


def _settle(root: Path) -> None:
    """Give files changed just now a time old enough to trust (and unlike their old one)."""
    for folder, _, names in os.walk(root):
        for name in names:
            file = Path(folder) / name
            if file.stat().st_mtime_ns > OLD_NS + 10**15:
                os.utime(file, ns=(OLD_NS + 5 * 10**9, OLD_NS + 5 * 10**9))


def _listing_of_rows(root: Path) -> Listing:
    """The listing the index keeps, checked against its rows as they are."""
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        rows = conn.execute("SELECT path, size, mtime_ns FROM notes ORDER BY path").fetchall()
        (text,) = conn.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
    paths, sizes, mtimes = zip(*rows, strict=True)
    kept = Listing.from_json(text)
    assert kept == make_listing(paths, sizes, mtimes, list_files(root).attachments)
    return kept


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__.strip("_"))
def test_the_listing_kept_after_a_change_is_the_rows_own(
        vault: Path, change: Callable[[Path], int], monkeypatch: pytest.MonkeyPatch) -> None:
    assert_warm_equals_cold(vault)
    before = _listing_of_rows(vault)
    change(vault)
    _settle(vault)
    with monkeypatch.context() as patch:  # reckoned by the load, not read back
        patch.setattr(index_module, "_keep_listing", lambda *_: pytest.fail("read back"))
        assert_warm_equals_cold(vault)
    assert _listing_of_rows(vault) != before
    read = _rows_read(monkeypatch)
    assert_warm_equals_cold(vault, parsed=0)
    assert read == []  # the listing the write reckoned is the one the next load makes


def _links_version(root: Path) -> str:
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        (version,) = conn.execute("SELECT value FROM meta WHERE key = 'links'").fetchone()
    return str(version)


def test_a_touched_note_keeps_the_answers_kept_for_the_links(vault: Path) -> None:
    assert_warm_equals_cold(vault)
    before = _links_version(vault)
    _touch(vault)  # its identity is stored again; no link changed
    assert_warm_equals_cold(vault, parsed=0)
    assert _links_version(vault) == before
    _edit(vault)
    assert_warm_equals_cold(vault, parsed=1)
    assert _links_version(vault) != before


def test_many_changes_in_sequence(vault: Path) -> None:
    assert_warm_equals_cold(vault)
    for change in CHANGES:
        change(vault)
        assert_warm_equals_cold(vault)


def test_removed_notes_leave_the_index(vault: Path) -> None:
    assert_warm_equals_cold(vault)
    _delete(vault)
    _rename(vault)
    assert_warm_equals_cold(vault)
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        rows = {path for (path,) in conn.execute("SELECT path FROM notes")}
    assert rows == set(Vault.load(vault, cache=False).notes)


def test_a_removed_note_leaves_the_index_even_with_a_damaged_row(vault: Path) -> None:
    assert_warm_equals_cold(vault)
    _damage(vault, "UPDATE notes SET aliases = '[1, 2' WHERE path = 'Broken.md'")
    (vault / "Broken.md").unlink()
    warm = assert_warm_equals_cold(vault, parsed=0)
    assert warm.load_stats is not None and warm.load_stats.removed == 1
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        rows = {path for (path,) in conn.execute("SELECT path FROM notes")}
    assert rows == set(warm.notes)


def test_rows_another_process_added_are_dropped_when_stale(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_warm_equals_cold(vault)
    original = index_module.NoteIndex.save

    def save_after_a_stray_row(self: Any, *args: Any) -> bool:
        # Another process stores a row between this load's read and its write.
        with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
            conn.execute("INSERT INTO notes SELECT 'Gone.md', size, mtime_ns, digest, note, "
                         "aliases, links FROM notes LIMIT 1")
        return original(self, *args)

    monkeypatch.setattr(index_module.NoteIndex, "save", save_after_a_stray_row)
    _delete(vault)
    assert_warm_equals_cold(vault)
    monkeypatch.undo()
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        rows = {path for (path,) in conn.execute("SELECT path FROM notes")}
    assert rows == set(Vault.load(vault, cache=False).notes)


def test_corrupt_index_file_falls_back_and_is_rebuilt(vault: Path) -> None:
    (vault / INDEX_DIR).mkdir()
    (vault / INDEX_DIR / INDEX_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.warns(IndexWarning, match="damaged"):
        assert_warm_equals_cold(vault)
    assert_warm_equals_cold(vault, parsed=0)


def _damage(root: Path, sql: str) -> None:
    with sqlite3.connect(root / INDEX_DIR / INDEX_FILE) as conn:
        conn.execute(sql)


@pytest.mark.parametrize("blob", ["x'8005deadbeef'", "x''",
                                  "(SELECT note FROM notes WHERE path != 'Broken.md' LIMIT 1)"],
                         ids=["truncated", "empty", "another note"])
def test_damaged_blob_is_parsed_again_when_first_asked_for(vault: Path, blob: str) -> None:
    assert_warm_equals_cold(vault)
    _damage(vault, f"UPDATE notes SET note = {blob} WHERE path = 'Broken.md'")
    warm = Vault.load(vault)  # the load itself decodes nothing, so it cannot fail here
    assert warm.load_stats is not None and warm.load_stats.parsed == 0
    cold = Vault.load(vault, cache=False, workers=1)
    assert warm.notes["Broken.md"] == cold.notes["Broken.md"]
    assert_warm_equals_cold(vault, parsed=0)


@pytest.mark.parametrize("blob", [
    "x'8005deadbeef'", "x''", "(SELECT links FROM notes WHERE path != 'Broken.md' LIMIT 1)",
    "(SELECT note FROM notes WHERE path = 'Broken.md')"],
    ids=["truncated", "empty", "another note's", "not link rows"])
def test_damaged_link_rows_are_taken_from_the_note(vault: Path, blob: str) -> None:
    assert_warm_equals_cold(vault)
    _damage(vault, f"UPDATE notes SET links = {blob} WHERE path = 'Broken.md'")
    assert_warm_equals_cold(vault, parsed=0)


def test_link_rows_survive_the_index_and_cannot_run_code(vault: Path) -> None:
    class Exploit:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, ("echo pwned > pwned.txt",))

    assert decode_link_rows(pickle.dumps(Exploit()), "a.md") is None
    assert decode_link_rows(pickle.dumps(("a.md", ((1,), (2, 3)))), "a.md") is None
    for note in Vault.load(vault, cache=False).notes.values():
        blob = encode_link_rows(note.path, link_rows(note))
        assert decode_link_rows(blob, note.path) == link_rows(note)
        assert decode_link_rows(blob, "Another.md") is None


def test_graph_queries_on_a_warm_vault_decode_no_note(vault: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultkit.queries.links import backlinks

    cold = Vault.load(vault, cache=False, workers=1)
    Vault.load(vault)
    decoded: list[bytes] = []
    monkeypatch.setattr(load_module, "decode_note", lambda blob: decoded.append(blob))
    warm = Vault.load(vault)
    assert mention_columns(warm) == mention_columns(cold)
    assert backlinks(warm, "Energy Thesis").equals(backlinks(cold, "Energy Thesis"))
    assert not decoded


@pytest.mark.parametrize("compared", [False, True], ids=["listed", "compared"])
def test_damaged_aliases_are_taken_from_the_note(vault: Path, compared: bool) -> None:
    assert_warm_equals_cold(vault)
    aliased = next(path for path, note in Vault.load(vault, cache=False).notes.items()
                   if note.aliases)
    _damage(vault, f"UPDATE notes SET aliases = '[1, 2' WHERE path = '{aliased}'")
    if compared:  # as an index made before listing digests were kept: rows compared
        _damage(vault, "DELETE FROM meta WHERE key = 'listing'")
    # The load reads aliases only when asked, then takes the damaged one from the note.
    warm = assert_warm_equals_cold(vault, parsed=0)
    cold = Vault.load(vault, cache=False)
    assert dict(warm.notes.aliases) == dict(cold.notes.aliases)
    assert warm.find(cold.notes[aliased].aliases[0]) == aliased


def test_warm_load_decodes_a_note_only_when_asked(vault: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cold = Vault.load(vault, cache=False, workers=1)
    Vault.load(vault)
    decoded: list[bytes] = []

    def counting(blob: bytes) -> Note | None:
        decoded.append(blob)
        return decode_note(blob)

    monkeypatch.setattr(load_module, "decode_note", counting)
    warm = Vault.load(vault)
    path = next(iter(warm.notes))
    assert len(warm.notes) == len(cold.notes) and list(warm.notes) == list(cold.notes)
    assert path in warm.notes and "nowhere.md" not in warm.notes
    assert warm.find(cold.notes[path].name) == path
    assert not decoded
    assert warm.note(cold.notes[path].name) == cold.notes[path]
    assert warm.notes[path] is warm.notes[path]
    assert len(decoded) == 1
    assert warm.notes == cold.notes and cold.notes == warm.notes
    assert warm.notes == dict(cold.notes) and dict(cold.notes) == warm.notes
    assert len(decoded) == len(cold.notes)
    with pytest.raises(TypeError):
        warm.notes[path] = cold.notes[path]  # type: ignore[index]


def test_index_of_an_older_format_is_replaced(vault: Path) -> None:
    (vault / INDEX_DIR).mkdir()
    with sqlite3.connect(vault / INDEX_DIR / INDEX_FILE) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("CREATE TABLE notes (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                     "mtime_ns INTEGER NOT NULL, digest BLOB NOT NULL, note BLOB NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('parser', 'format 1')")
        conn.execute("INSERT INTO notes VALUES ('Broken.md', 1, 1, x'00', x'00')")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_warm_equals_cold(vault)
        assert_warm_equals_cold(vault, parsed=0)


def test_index_cannot_run_code(vault: Path) -> None:
    class Exploit:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, ("echo pwned > pwned.txt",))

    assert decode_note(pickle.dumps(Exploit())) is None
    assert decode_note(pickle.dumps({"not": "a note"})) is None
    note = Vault.load(vault, cache=False).notes["Broken.md"]
    assert decode_note(encode_note(note)) == note


def test_locked_index_does_not_block_the_load(vault: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert_warm_equals_cold(vault)
    _edit(vault)
    monkeypatch.setattr(index_module, "LOCK_TIMEOUT", 0.05)
    holder = sqlite3.connect(vault / INDEX_DIR / INDEX_FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.warns(IndexWarning):
            assert_warm_equals_cold(vault)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_warm_equals_cold(vault, parsed=1)


def test_read_only_index_still_serves_and_is_not_required(
        vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_warm_equals_cold(vault)
    _edit(vault)
    connect = sqlite3.connect

    def read_only(file: Path, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = connect(f"file:{file}?mode=ro", uri=True, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_warm_equals_cold(vault, parsed=1)
        assert_warm_equals_cold(vault, parsed=1)  # nothing could be written


def test_vault_where_the_index_cannot_be_created(vault: Path) -> None:
    (vault / INDEX_DIR).write_text("a file where the folder should be")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_warm_equals_cold(vault)


def test_parser_change_invalidates_the_index(vault: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    total = len(assert_warm_equals_cold(vault).notes)
    monkeypatch.setattr(index_module, "parser_fingerprint", lambda: "another parser")
    assert_warm_equals_cold(vault, parsed=total)
    assert_warm_equals_cold(vault, parsed=0)
    monkeypatch.undo()
    assert_warm_equals_cold(vault, parsed=total)


def test_fingerprint_covers_the_parser_sources() -> None:
    fingerprint = index_module.parser_fingerprint()
    assert fingerprint == index_module.parser_fingerprint()
    package = Path(index_module.__file__).parent.parent
    for name in index_module._PARSER_SOURCES:
        assert (package / name).exists(), name


def test_fingerprint_follows_the_parsing_libraries_versions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.machinery
    import importlib.util

    fresh = index_module.parser_fingerprint.__wrapped__  # not the cached value
    assert fresh() == index_module.parser_fingerprint()
    real = importlib.util.find_spec
    upgraded = tmp_path / "__init__.py"
    upgraded.write_text('__version__ = "99.0"\n', encoding="utf-8")

    def find_spec(name: str, *args: Any) -> Any:
        if name == "yaml":  # as if PyYAML were upgraded
            return importlib.machinery.ModuleSpec("yaml", None, origin=str(upgraded))
        return real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert fresh() != index_module.parser_fingerprint()


def test_cache_false_writes_nothing(vault: Path) -> None:
    Vault.load(vault, cache=False)
    assert not (vault / INDEX_DIR).exists()


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_parse_equals_serial(vault: Path, workers: int) -> None:
    serial = Vault.load(vault, cache=False, workers=1)
    parallel = Vault.load(vault, cache=False, workers=workers)
    assert parallel.load_stats is not None and parallel.load_stats.workers == workers
    assert _view(parallel) == _view(serial)


def test_parallel_cold_load_feeds_the_index(vault: Path) -> None:
    first = Vault.load(vault, workers=2)
    assert first.load_stats is not None and first.load_stats.workers == 2
    assert_warm_equals_cold(vault, parsed=0)
