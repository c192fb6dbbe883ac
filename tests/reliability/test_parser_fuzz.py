"""Parser fuzzing: whatever the text, ``parse_note`` returns, tells the truth about lines and
links, and gives the same answer every time (even across processes with other hash seeds)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from dataclasses import fields, is_dataclass
from typing import Any
from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from vaultkit.model import Note
from vaultkit.parse.note import parse_note

from .figures import count, fuzz_settings

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

# -- strategies: text assembled from the constructs Obsidian notes are made of -----------------

_name_chars = st.characters(blacklist_categories=["Cs"], blacklist_characters="[]|#^\n\r")
name = st.one_of(
    st.sampled_from(["NVIDIA", "Sector Rotation", "XLE", "Russell 2000", "__init__", "日本",
                     "Cafe\u0301", "dir/Note", "Note.md", "a b", " padded "]),
    st.text(_name_chars, min_size=1, max_size=12),
)
words = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)


@st.composite
def wikilink(draw: st.DrawFn) -> str:
    target = draw(st.one_of(name, st.just("")))
    sub = draw(st.sampled_from(["", "#H", "#H1#H2", "#^blk-1", "# spaced ", "#^"]))
    display = draw(st.one_of(st.just(""), name.map(lambda n: "|" + n),
                             name.map(lambda n: "\\|" + n), st.sampled_from(["|300", "|100x145"])))
    bang = draw(st.sampled_from(["", "!"]))
    close = draw(st.sampled_from(["]]", "]]", "]]", "]", ""]))
    return f"{bang}[[{target}{sub}{display}{close}"


markdown_link = st.one_of(
    st.builds(lambda t, h: f"[{t}]({h})", words,
              st.sampled_from(["Note%20A.md", "dir/B.md#Head", "C.md#^blk", "<a b.md>",
                               "https://example.com/#tag", "mailto:x@y.z", "#local", "",
                               "a\\_b.md", "&amp;.md", "x.png"])),
    st.builds(lambda t: f"![{t}](chart.png)", words),
    st.just("<https://example.com/a#b>"),
)
tag = st.one_of(
    st.sampled_from(["#concept", "#a/b", "#1984", "#y1984", "#a#b", "\\#no", "#日本", "#_-/",
                     "x#notag", "#", "##", "#tag#"]),
    st.text(st.characters(blacklist_categories=["Cs", "Zs", "Cc"]), min_size=1, max_size=8)
    .map(lambda t: "#" + t),
)


def _table(cells: list[list[str]]) -> str:
    width = max(len(row) for row in cells)
    rows = ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join([rows[0], "|" + "---|" * width, *rows[1:]])


cell = st.one_of(words.map(lambda w: w.replace("\n", " ").replace("|", "\\|")), wikilink(),
                 st.sampled_from(["+240%", "~$530B", "[[T\\|alias]]", "`a|b`", "$x$"]))
table = st.lists(st.lists(cell, min_size=1, max_size=4), min_size=1, max_size=4).map(_table)

block = st.one_of(
    words,
    st.builds(lambda h, w: f"{h} {w}", st.sampled_from(["#", "##", "###", "######", "#######"]),
              words),
    st.sampled_from(["### February 27, 2026 update — breadth", "## 2026-02-30 update",
                     "# 27 February 2026: update", "## Sept 9, 2025 update"]),
    st.builds(lambda f, w: f"{f}\n{w}\n{f}", st.sampled_from(["```", "~~~", "````python"]), words),
    st.builds(lambda w: f"```\n{w}", words),
    words.map(lambda w: f"    indented {w} [[InCode]] #incode"),
    words.map(lambda w: f"`{w}` and ``[[x]]``"),
    st.sampled_from(["$x = [[y]]$", "$$\n\\sum #notag\n$$", "$5 and $10 [[Money]]", "$$ [[m]]",
                     "$$"]),
    words.map(lambda w: f"<!-- {w} [[Hidden]] -->"),
    st.sampled_from(["<div>\n[[InHtml]] #inhtml\n</div>", "<!-- unclosed", "-->",
                     "<!-- vaultkit:begin id=a kind=pair a=XLE b=IGV -->\nbody\n"
                     "<!-- vaultkit:end id=a sum=0 -->"]),
    words.map(lambda w: f"%% {w} [[Secret]] %%"),
    st.sampled_from(["%%\nmulti [[Secret]]\n%%", "%% unclosed #x", "text %%inline%% #after"]),
    st.builds(lambda k, f, w: f"> [!{k}]{f} Title\n> {w}\n> [[InCallout]]",
              st.sampled_from(["note", "warning", "", "x y"]), st.sampled_from(["", "+", "-"]),
              words),
    st.builds(lambda d, w: "\n".join(f"{'  ' * i}- {w}" for i in range(d)),
              st.integers(1, 8), words),
    st.sampled_from(["- [x] done [[Task]]", "- [ ] open", "- [?] odd", "1. [x] numbered"]),
    st.builds(lambda w: f"para {w} ^blk-{len(w)}", words),
    st.sampled_from(["key:: value", "**bold**:: yes", "[a:: 1] (b:: 2)", "::", "x:: [[F]]"]),
    st.sampled_from(["---", "***", "> ", ">", "- ", "|", "| a |", "|---|", "[^1]: foot",
                     "[ref]: Note.md", "[ref]"]),
    table, wikilink(), markdown_link, tag,
)

frontmatter_yaml = st.one_of(
    st.sampled_from([
        "tags: [a, b]", "tags: a, b", "tags:\n  - x\n  - '#y'", "aliases: [One, Two]",
        "alias: Solo", "title: Given", "related: '[[Linked]]'", "no: 1\nyes: 2",
        "n: 0123", "d: 2026-02-27", "bad: [unclosed", "a: 1\na: 2", "\tx: 1", "- a list",
        "s: !!set {a, b, c}", "x: !!python/object/apply:os.system ['true']",
        "f: .nan", "b: !!binary aGVsbG8=", "k: {[1, 2]: x}", "'': empty", "? [a]\n: b",
    ]),
    words.map(lambda w: f"k: {json.dumps(w)}"),
    words,
)


@st.composite
def note_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(block, max_size=12))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", " ", ""]), min_size=len(parts),
                         max_size=len(parts)))
    body = "".join(p + s for p, s in zip(parts, seps, strict=True))
    if draw(st.booleans()):
        yaml_lines = "\n".join(draw(st.lists(frontmatter_yaml, max_size=4)))
        close = draw(st.sampled_from(["---", "---", "...", ""]))
        body = f"---\n{yaml_lines}\n{close}\n{body}"
    return body


@st.composite
def encoded_note(draw: st.DrawFn) -> str:
    """A note in any of the encodings notes arrive in: CRLF, BOM, no final newline."""
    text = draw(note_text())
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


# -- the properties -------------------------------------------------------------------------


def _records(value: Any) -> list[Any]:
    """Every dataclass record reachable from a Note."""
    found = []
    if is_dataclass(value) and not isinstance(value, type):
        found.append(value)
        for f in fields(value):
            found.extend(_records(getattr(value, f.name)))
    elif isinstance(value, (tuple, list)):
        for item in value:
            found.extend(_records(item))
    return found


def _source_lines(text: str) -> list[str]:
    # markdown-it reads any of CRLF, CR, LF as a line break and NUL as U+FFFD.
    return _LINE_BREAK.split(text.removeprefix("\ufeff").replace("\0", "\ufffd"))


def check_note(text: str, path: str = "fuzz.md") -> Note:
    note = parse_note(text, path)
    lines = _source_lines(text)
    for record in _records(note):
        for attr in ("line", "end_line", "block_line"):
            value = getattr(record, attr, None)
            if value is not None:
                assert 1 <= value <= len(lines), (attr, value, len(lines), record)
        for value in getattr(record, "row_lines", ()):
            assert 1 <= value <= len(lines), (value, record)
    for link in note.links:
        line = lines[link.line - 1]
        if link.kind in ("wikilink", "frontmatter"):
            assert link.target in line, (link, line)
            assert link.display is None or link.display in line, (link, line)
        else:  # a markdown link starts on its line and may end below; hrefs are escaped
            rest = "\n".join(lines[link.line - 1 :])
            decoded = unquote(html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", rest)))
            assert link.target in rest or link.target in decoded, (link, line)
    for problem in note.errors:
        assert problem.path == path
        assert "\n" not in problem.message, problem
    assert repr(parse_note(text, path)) == repr(note), "parsing is not deterministic"
    return note


@given(st.text())
@fuzz_settings(300, 20_000)
def test_arbitrary_text(text: str) -> None:
    count(__name__, "cases fuzzed")
    check_note(text)


@given(encoded_note())
@fuzz_settings(400, 30_000)
def test_obsidian_constructs(text: str) -> None:
    count(__name__, "cases fuzzed")
    check_note(text)


@given(note_text())
@fuzz_settings(200, 10_000)
def test_newline_style_and_bom_change_nothing(text: str) -> None:
    """A note saved with CRLF, with a BOM, or both, parses to the very same Note."""
    count(__name__, "cases fuzzed")
    if "\r" in text:
        return
    expected = repr(parse_note(text, "n.md"))
    crlf = text.replace("\n", "\r\n")
    for variant in (crlf, "\ufeff" + text, "\ufeff" + crlf):
        assert repr(parse_note(variant, "n.md")) == expected


@given(st.binary(max_size=200))
@fuzz_settings(200, 10_000)
def test_arbitrary_bytes_through_the_reader(tmp_path_factory: Any, data: bytes) -> None:
    """Bytes on disk go through ``read_note`` (decoding, binary sniffing) and then the parser."""
    from pathlib import Path

    from vaultkit.parse.load import load_note

    count(__name__, "cases fuzzed")
    root = Path(tmp_path_factory.mktemp("bytes"))
    (root / "b.md").write_bytes(data)
    note = load_note(root, "b.md")
    lines = data.count(b"\n") + data.count(b"\r") + 1
    for problem in note.errors:
        assert 1 <= problem.line <= lines, problem


_CHILD = """
import json, sys
from vaultkit.parse import parse_note
for text in json.load(sys.stdin):
    print(repr(parse_note(text, "h.md")))
"""


_SET_VALUED = ["---\ns: !!set {alpha, beta, gamma, delta, epsilon}\n---\nbody",
               "---\ntags: !!set {x, y, z, w}\n---\n"]


@given(st.lists(note_text(), min_size=30, max_size=30))
@fuzz_settings(2, 20)
def test_deterministic_across_hash_seeds(texts: list[str]) -> None:
    """Set-valued frontmatter and dict ordering must not depend on PYTHONHASHSEED."""
    texts = texts + _SET_VALUED
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(texts),
                             capture_output=True, text=True, env=env, check=True)
        outputs.append(run.stdout.splitlines())
    count(__name__, "cases fuzzed", len(texts))
    for index, text in enumerate(texts):
        assert outputs[0][index] == outputs[1][index] == outputs[2][index], text
