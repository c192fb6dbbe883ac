"""FROM: which notes a query reads, after Dataview's ``src/data-index/resolver.ts``.

``#tag`` takes notes carrying the tag or one nested under it (case-insensitive);
``"folder"`` every note under the folder, or the one note the path names without ``.md``;
``[[note]]`` the notes linking to it; ``outgoing([[note]])`` the notes it links to;
``-``/``!`` the complement; ``and``/``or`` intersection and union.

Only ``#tag`` reads notes: folders and paths are known without decoding, links come from
their stored rows, and the index's tables narrow a tag to the notes that may carry it
(:mod:`vaultkit.dataview.tag_candidates`) before any is decoded.
"""

from __future__ import annotations

from vaultkit.dataview import ast
from vaultkit.dataview.tag_candidates import tag_candidates
from vaultkit.index.resolve import normalise
from vaultkit.lang.pages import Pages


def select(source: ast.Source, pages: Pages, origin: str | None = None) -> set[str]:
    """The vault paths of the notes ``source`` names; links resolve from ``origin``."""
    if isinstance(source, ast.TagSource):
        return _tagged(source.tag, pages)
    if isinstance(source, ast.FolderSource):
        return _folder(source.folder, pages)
    if isinstance(source, ast.LinkSource):
        return _linked(source, pages, origin)
    if isinstance(source, ast.NegatedSource):
        return set(pages.paths) - select(source.child, pages, origin)
    left = select(source.left, pages, origin)
    right = select(source.right, pages, origin)
    return left & right if source.op == "&" else left | right


def _tagged(tag: str, pages: Pages) -> set[str]:
    """Only the notes the index says may carry the tag are decoded and checked by the exact
    rule; without the index's tables, every note is."""
    candidates = tag_candidates(pages.vault, tag)
    if candidates is None:
        return set(pages.tagged(tag))
    key = tag.lstrip("#").lower()
    nested = key + "/"
    return {path for path in candidates if path in pages
            and any(name == key or name.startswith(nested) for name in pages[path].tag_keys())}


def _folder(folder: str, pages: Pages) -> set[str]:
    folder = folder.strip("/")
    if not folder:
        return set(pages.paths)
    prefix = folder + "/"
    found = {p for p in pages.paths if p.startswith(prefix)}
    if folder + ".md" in pages:
        found.add(folder + ".md")
    return found


def _linked(source: ast.LinkSource, pages: Pages, origin: str | None) -> set[str]:
    path = pages.resolve(source.target, origin) if source.target else origin
    if not source.incoming:
        if path is None or path not in pages:
            return set()
        return {p for p in pages.outlinks(path) if p in pages}
    if path is not None:
        return set(pages.inlinks(path))
    key = normalise(source.target)
    return {p for p in pages.paths
            if any(normalise(t) == key for t in pages.outlinks(p))}
