"""The JSON shapes of DESIGN.md, built from the model. Scripts rely on these: add, never rename."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vaultkit.index.resolve import normalise
from vaultkit.model import Link, Note

if TYPE_CHECKING:
    from vaultkit.vault import Vault


def link_json(link: Link, resolved: str | None) -> dict[str, Any]:
    return {
        "target": link.target, "heading": link.heading, "block": link.block,
        "display": link.display, "embed": link.embed, "line": link.line,
        "resolved": resolved, "kind": link.kind,
    }


def note_json(vault: Vault, note: Note,
              resolved: Sequence[str | None] | None = None) -> dict[str, Any]:
    """The ``vaultkit note NAME --format json`` object; ``resolved``: where each of the
    note's links resolves, in order, if known (the index's links table keeps it), else
    each is resolved now."""
    if resolved is None or len(resolved) != len(note.links):
        resolved = [vault.resolve(link, note.path) for link in note.links]
    return {
        "name": note.name,
        "path": note.path,
        "title": note.title,
        "frontmatter": note.frontmatter,
        "aliases": list(note.aliases),
        "tags": list(note.tags),
        "links": [link_json(link, path) for link, path in zip(note.links, resolved,
                                                              strict=True)],
        "external_links": [{"url": e.url, "text": e.text, "line": e.line}
                           for e in note.external_links],
        "headings": [{"level": h.level, "text": h.text, "line": h.line} for h in note.headings],
        "tables": [{"line": t.line, "heading": t.heading, "columns": list(t.columns),
                    "rows": [list(r) for r in t.rows]} for t in note.tables],
        "updates": [{"date": u.date, "heading": u.heading, "line": u.line} for u in note.updates],
        "block_ids": [{"id": b.id, "line": b.line} for b in note.block_ids],
        "callouts": [{"type": c.type, "title": c.title, "fold": c.fold, "line": c.line}
                     for c in note.callouts],
        "tasks": [{"status": t.status, "text": t.text, "line": t.line} for t in note.tasks],
        "fields": [{"key": f.key, "value": f.value, "line": f.line} for f in note.fields],
        "errors": [p.to_dict() for p in note.errors],
        # Each occurrence, as Obsidian's cache lists them (``tags`` above: distinct names).
        "tag_occurrences": [{"tag": t.name, "line": t.line, "source": t.source}
                            for t in note.tag_occurrences],
        "footnotes": [{"id": f.id, "line": f.line, "end_line": f.end_line}
                      for f in note.footnotes],
        "footnote_refs": [{"id": r.id, "line": r.line} for r in note.footnote_refs],
        "sections": [{"type": s.type, "line": s.line, "end_line": s.end_line}
                     for s in note.sections],
    }


def scan_json(vault: Vault) -> dict[str, Any]:
    """The ``vaultkit scan --format json`` totals."""
    links = resolved = 0
    unresolved: set[str] = set()
    tags: set[str] = set()
    for ref in vault.link_refs():
        links += 1
        if ref.resolved is not None:
            resolved += 1
        else:
            unresolved.add(normalise(ref.link.target))
    for note in vault.notes.values():
        tags.update(t.casefold() for t in note.tags)
    return {
        "notes": len(vault.notes),
        "attachments": len(vault.attachments),
        "links": links,
        "resolved": resolved,
        "unresolved_targets": len(unresolved),
        "tags": len(tags),
        "tables": sum(len(n.tables) for n in vault.notes.values()),
        "errors": [p.to_dict() for p in vault.problems if p.severity == "error"],
    }
