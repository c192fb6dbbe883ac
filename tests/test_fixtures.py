"""Parser behaviour pinned to Obsidian's rules by fixture files (``tests/fixtures/*.md``).

Each case is markdown-it-py's fixture format: a title line naming the Obsidian rule, ``.``,
the note text, ``.``, what the parser must extract, ``.``. The note is parsed as ``note.md``.
Inputs cannot hold CR or BOM bytes (fixture files are LF), so ``␍`` in an input stands for
``\\r`` and ``{BOM}`` for U+FEFF.

The expected output has one line per extracted item, in this order; missing items print
nothing, ``None`` prints as an empty field, ``L`` is the 1-based source line:

    frontmatter: {json}                 the properties, when there are any
    aliases: a, b
    tags: a, b                          the note's tags: case-insensitive, first spelling
    fmtag L: name                       a tag from the ``tags:`` property
    tag L: name                         a tag in the body
    link L: target|heading|block|display        a wikilink
    embed L: target|heading|block|display       ``![[...]]``
    mdlink L: target|heading|block|display      ``[t](Note.md)``; ``mdembed`` for ``![t](x.png)``
    fmlink L: target|heading|block|display      a wikilink in a property value
    url L: url|text                     an external link
    hN L: text                          a heading of level N
    update L: date|heading              a dated update heading
    table L: heading|["col", ...]       a GFM table; cells are JSON strings
    row L: ["cell", ...]
    block L: id                         a block id ``^id``
    callout L: type|fold|title
    task L: [status] text
    field L: key|value                  a Dataview inline field
    footnote L-E: id                    a footnote definition ``[^id]: …`` over lines L to E
    fnref L: id                         a footnote reference ``[^id]``
    error L: message
    section L-E: type                   a top-level block (Obsidian's ``sections``); printed
                                        only for the cases in ``sections.md``
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from vaultkit.model import Link, Note
from vaultkit.parse.note import parse_note

FIXTURES = Path(__file__).parent / "fixtures"


def _cases() -> list[pytest.ParameterSet]:
    cases = []
    for file in sorted(FIXTURES.glob("*.md")):
        for line, title, source, expected in read_fixture_file(file):
            cases.append(pytest.param(source, expected, file.stem == "sections",
                                      id=f"{file.stem}:{line + 1}: {title}"))
    return cases


def _field(value: object) -> str:
    return "" if value is None else str(value)


def _link(link: Link) -> str:
    prefix = {"wikilink": "embed" if link.embed else "link",
              "markdown": "mdembed" if link.embed else "mdlink",
              "frontmatter": "fmlink"}[link.kind]
    fields = "|".join(_field(v) for v in (link.target, link.heading, link.block, link.display))
    return f"{prefix} {link.line}: {fields}"


def _cells(cells: tuple[str, ...]) -> str:
    return json.dumps(list(cells), ensure_ascii=False)


def render(note: Note, sections: bool = False) -> str:
    """The line format documented at the top of this file."""
    out: list[str] = []
    if note.frontmatter:
        out.append(f"frontmatter: {json.dumps(note.frontmatter, ensure_ascii=False)}")
    if note.aliases:
        out.append(f"aliases: {', '.join(note.aliases)}")
    if note.tags:
        out.append(f"tags: {', '.join(note.tags)}")
    out += [f"{'fmtag' if t.source == 'frontmatter' else 'tag'} {t.line}: {t.name}"
            for t in note.tag_occurrences]
    out += [_link(link) for link in note.links]
    out += [f"url {e.line}: {e.url}|{e.text}" for e in note.external_links]
    out += [f"h{h.level} {h.line}: {h.text}" for h in note.headings]
    out += [f"update {u.line}: {u.date}|{u.heading}" for u in note.updates]
    for table in note.tables:
        out.append(f"table {table.line}: {_field(table.heading)}|{_cells(table.columns)}")
        out += [f"row {line}: {_cells(row)}" for line, row in zip(table.row_lines, table.rows,
                                                                   strict=True)]
    out += [f"block {b.line}: {b.id}" for b in note.block_ids]
    out += [f"callout {c.line}: {c.type}|{_field(c.fold)}|{c.title}" for c in note.callouts]
    out += [f"task {t.line}: [{t.status}] {t.text}" for t in note.tasks]
    out += [f"field {f.line}: {f.key}|{f.value}" for f in note.fields]
    out += [f"footnote {f.line}-{f.end_line}: {f.id}" for f in note.footnotes]
    out += [f"fnref {r.line}: {r.id}" for r in note.footnote_refs]
    out += [f"error {p.line}: {p.message}" for p in note.errors]
    if sections:
        out += [f"section {s.line}-{s.end_line}: {s.type}" for s in note.sections]
    return "\n".join(out) + "\n" if out else ""


def decode(source: str) -> str:
    return source.replace("{BOM}", "\ufeff").replace("␍", "\r")


@pytest.mark.parametrize(("source", "expected", "sections"), _cases())
def test_fixture(source: str, expected: str, sections: bool) -> None:
    assert render(parse_note(decode(source), "note.md"), sections) == expected


def test_every_rule_family_has_cases() -> None:
    counts = {file.stem: len(read_fixture_file(file)) for file in FIXTURES.glob("*.md")}
    assert sum(counts.values()) >= 100
    assert all(counts.values()), counts


# Resolution cannot be written as a one-note fixture; these pin what Obsidian's help vault
# (``Plugins/Core plugins.md`` links ``[[Templates]]`` beside ``Obsidian Web Clipper/Templates.md``)
# showed: among files of one name, the linking note's own folder wins, an exact path first.
RESOLVER_FILES = ("en/Plugins/Templates.md", "en/Obsidian Web Clipper/Templates.md",
                  "en/Plugins/Core plugins.md", "Templates.md", "a/Note.md", "b/Note.md")


@pytest.mark.parametrize(("target", "source", "expected"), [
    ("Templates", None, "Templates.md"),                              # exact path at the root
    ("en/Plugins/Templates", None, "en/Plugins/Templates.md"),        # exact path
    ("Note", "a/Other.md", "a/Note.md"),                              # the source's own folder
    ("note", "A/Other.md", "a/Note.md"),                              # folders compare like names
    ("Note", "c/Other.md", None),                                     # still a tie elsewhere
    ("Note", None, None),
])
def test_real_vault_resolution(target: str, source: str | None, expected: str | None) -> None:
    from vaultkit.index.resolve import Resolver

    resolver = Resolver([p for p in RESOLVER_FILES if p.endswith(".md")], ())
    assert resolver.resolve(target, source).path == expected


def test_real_vault_own_folder_beats_shorter_path() -> None:
    from vaultkit.index.resolve import Resolver

    resolver = Resolver(["en/Plugins/Templates.md", "en/Obsidian Web Clipper/Templates.md",
                         "x/Templates.md"], ())
    assert resolver.resolve("Templates").path == "x/Templates.md"
    assert resolver.resolve("Templates", "en/Obsidian Web Clipper/Clip.md").path == (
        "en/Obsidian Web Clipper/Templates.md")
