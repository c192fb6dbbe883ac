"""Each note's fields as Dataview and Bases see them, read from the index's tables.

The query engines evaluate expressions over *pages*: ``file.*`` fields, frontmatter
properties, inline fields (Dataview only), tags, links both ways and tasks. This reads them
for every note in a few table scans, without decoding a note, so an engine can filter
10,000 pages before it touches any note. It returns None when the tables do not hold the
vault (:func:`vaultkit.index.reader.open_tables`); the engine then reads ``vault.notes``.

>>> pages = page_fields(vault)                     # doctest: +SKIP
>>> pages["Sector Rotation.md"]["file"]["inlinks"][:1]   # doctest: +SKIP
['Entities/NVIDIA.md']
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from vaultkit.index.reader import open_tables

if TYPE_CHECKING:
    from vaultkit.vault import Vault

#: A page: ``file`` (Dataview's ``file.*`` object), then frontmatter properties and inline
#: fields by key (an inline field repeated, or also set in the frontmatter, is a list).
Page = dict[str, Any]


def page_fields(vault: Vault) -> dict[str, Page] | None:
    """Every note's page by path, in path order; None when the index cannot answer."""
    conn = open_tables(vault)
    return None if conn is None else read_pages(conn)


def read_pages(conn: sqlite3.Connection) -> dict[str, Page]:
    """The pages of every note in the index at ``conn``."""
    pages: dict[str, Page] = {}
    for path, name, folder, ext, size, mtime, ctime, title, frontmatter in conn.execute(
            "SELECT path, name, folder, extension, size, mtime, ctime, title, frontmatter "
            "FROM files ORDER BY path"):
        page: Page = json.loads(frontmatter) if frontmatter else {}
        page["file"] = {"path": path, "name": name, "folder": folder, "ext": ext,
                        "size": size, "mtime": mtime, "ctime": ctime, "title": title,
                        "tags": [], "etags": [], "aliases": [], "outlinks": [],
                        "inlinks": [], "tasks": []}
        pages[path] = page
    _add(pages, conn, "SELECT path, tag FROM tags ORDER BY path, seq",
         lambda file, tag: (file["etags"].append("#" + tag)))
    for page in pages.values():
        file = page["file"]
        file["tags"] = _with_parents(file["etags"])
    _add(pages, conn, "SELECT path, alias FROM aliases ORDER BY path, seq",
         lambda file, alias: file["aliases"].append(alias))
    _add(pages, conn, "SELECT path, COALESCE(resolved, target_name) FROM links "
         "WHERE target <> '' ORDER BY path, seq",
         lambda file, target: file["outlinks"].append(target))
    for source, target in conn.execute(
            "SELECT DISTINCT source, target FROM mentions WHERE target_kind = 'note' "
            "ORDER BY target, source"):
        if target in pages:
            pages[target]["file"]["inlinks"].append(source)
    _add(pages, conn, "SELECT path, status, text, line FROM tasks ORDER BY path, seq",
         lambda file, status, text, line: file["tasks"].append(
             {"status": status, "text": text, "line": line,
              "completed": status not in (" ", "")}))
    for path, key, value in conn.execute(
            "SELECT path, key, value FROM inline_fields ORDER BY path, seq"):
        found = pages.get(path)
        if found is None:
            continue
        page = found
        if key in page:
            held = page[key]
            page[key] = [*held, value] if isinstance(held, list) else [held, value]
        else:
            page[key] = value
    return pages


def _add(pages: dict[str, Page], conn: sqlite3.Connection, sql: str, put: Any) -> None:
    """Run ``sql`` (rows start with the note's path) and ``put`` each row in its page."""
    for path, *rest in conn.execute(sql):
        page = pages.get(path)
        if page is not None:
            put(page["file"], *rest)


def _with_parents(tags: list[str]) -> list[str]:
    """Dataview's ``file.tags``: every tag with each of its parents (``#a/b`` → ``#a``,
    ``#a/b``), without repeats, in order."""
    found: dict[str, None] = {}
    for tag in tags:
        parts = tag.split("/")
        for i in range(1, len(parts) + 1):
            found.setdefault("/".join(parts[:i]), None)
    return list(found)
