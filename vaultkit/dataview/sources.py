"""FROM: which notes a query reads, after Dataview's ``src/data-index/resolver.ts``.

``#tag`` takes notes carrying the tag or one nested under it (case-insensitive);
``"folder"`` every note under the folder, or the one note the path names without ``.md``;
``[[note]]`` the notes linking to it; ``outgoing([[note]])`` the notes it links to;
``-``/``!`` the complement; ``and``/``or`` intersection and union.

No source decodes a note on a warm vault: folders and paths are known without decoding,
links come from their stored rows, and the index's tables answer a tag
(:mod:`vaultkit.dataview.tag_candidates`). Without the tables, a tag reads every note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultkit.dataview import ast
from vaultkit.dataview.tag_candidates import tagged_notes
from vaultkit.index.resolve import normalise
from vaultkit.lang.pages import Pages

if TYPE_CHECKING:
    from vaultkit.vault import Vault


def select(source: ast.Source, pages: Pages, origin: str | None = None,
           within: set[str] | None = None) -> set[str]:
    """The vault paths of the notes ``source`` names (of those ``within``, when given);
    links resolve from ``origin``. An ``and`` reads the side that decodes no note first,
    so the other side checks only the notes it kept."""
    if isinstance(source, ast.TagSource):
        return _tagged(source.tag, pages, within)
    if isinstance(source, ast.NegatedSource):
        scope = set(pages.paths) if within is None else within
        return scope - select(source.child, pages, origin, scope)
    if isinstance(source, ast.BinarySource):
        if source.op == "&":
            first, second = ((source.right, source.left) if _reads_notes(source.left)
                             else (source.left, source.right))
            kept = select(first, pages, origin, within)
            return select(second, pages, origin, kept)
        return (select(source.left, pages, origin, within)
                | select(source.right, pages, origin, within))
    if isinstance(source, ast.FolderSource):
        found = _folder(source.folder, pages)
    else:
        found = _linked(source, pages, origin)
    return found if within is None else found & within


def _reads_notes(source: ast.Source) -> bool:
    """True if answering ``source`` decodes notes (a tag does; folders and links do not)."""
    if isinstance(source, ast.TagSource):
        return True
    if isinstance(source, ast.NegatedSource):
        return _reads_notes(source.child)
    if isinstance(source, ast.BinarySource):
        return _reads_notes(source.left) or _reads_notes(source.right)
    return False


def _tagged(tag: str, pages: Pages, within: set[str] | None) -> set[str]:
    """The index's tables answer without decoding a note; without them, every note is
    read. Each answer is kept for the vault's next query."""
    key = tag.lstrip("#").lower()
    answers = pages.vault.derived(_tag_answers)
    found = answers.get(key)
    if found is None:
        from_tables = tagged_notes(pages.vault, tag)
        found = answers[key] = ({p for p in from_tables if p in pages}
                                if from_tables is not None else set(pages.tagged(tag)))
    return set(found) if within is None else found & within


def _tag_answers(vault: Vault) -> dict[str, set[str]]:
    """The notes carrying each tag asked for so far, by lower-cased tag: the exact answer,
    kept for the next query on the same vault (it cannot change once loaded)."""
    return {}


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
