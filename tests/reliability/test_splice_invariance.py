"""Splice invariance: whatever the researcher wrote around and between managed regions comes
out of a refresh byte for byte, in every encoding a note arrives in; a second refresh is a
no-op; a hand-edited region is left alone.

The expected bytes are built here from DESIGN.md's rules (generated lines take the file's
newline style and the begin marker's ``> `` prefix, the end marker gets the body's
checksum), not from the engine's own functions.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from vaultkit.refresh.run import refresh_vault
from vaultkit.refresh.spec import RegionSpec

from .figures import count, fuzz_settings, record_preserved
from .vaults import FakeGenerator, checksum, no_fsync, temp_files

_line_chars = st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n")
prose_line = st.one_of(
    st.text(_line_chars, max_size=30).filter(
        lambda s: "```" not in s and "~~~" not in s and "vaultkit:" not in s),
    st.sampled_from([
        "", "   ", "\t", "> quoted", "> [!warning] A callout", ">", "- item [[Link]]",
        "| a | b |", "|---|---|", "%% hidden %%", "<!-- a plain comment -->", "#tag",
        "\x0c form feed", "line\u2028separator", "trailing spaces   ", "\ufeff inner BOM",
        "<!-- vaultkit is mentioned, not a marker", "# Heading",
    ]),
    # Markers inside fenced code are text: the engine must not touch them.
    st.just("```\n<!-- vaultkit:begin id=doc kind=pair a=A b=B -->\n"
            "<!-- vaultkit:end id=doc -->\n```"),
)
prose = st.lists(prose_line, max_size=6).map(lambda lines: [ln for x in lines
                                                            for ln in x.split("\n")])


@dataclass(frozen=True)
class RegionCase:
    prefix: str
    header: bool  # a callout header line right before the begin marker
    state: str  # "fresh" | "generated" | "edited"


region_case = st.builds(RegionCase, st.sampled_from(["", "> ", "> > ", ">"]), st.booleans(),
                        st.sampled_from(["fresh", "generated", "edited"]))


@dataclass
class Doc:
    """A note as a list of lines (no endings), with where each region is and what to expect."""

    lines: list[str]
    newline: str
    bom: bool
    final_newline: bool

    def render(self, lines: list[str] | None = None) -> bytes:
        lines = self.lines if lines is None else lines
        text = self.newline.join(lines) + (self.newline if self.final_newline else "")
        return (("\ufeff" if self.bom else "") + text).encode("utf-8")


def _body_lines(prefix: str, body: str) -> list[str]:
    bare = prefix.rstrip()
    return [prefix + line if line else bare for line in body.split("\n")]


def build(prose_parts: list[list[str]], cases: list[RegionCase], version: str,
          old_version: str) -> tuple[list[str], list[str], list[list[int]]]:
    """(lines before the refresh, lines expected after, indexes of lines outside regions)."""
    fake_old, fake_new = FakeGenerator(old_version), FakeGenerator(version)
    before: list[str] = []
    after: list[str] = []
    outside: list[list[int]] = [[], []]

    def both(line: str) -> None:
        outside[0].append(len(before))
        outside[1].append(len(after))
        before.append(line)
        after.append(line)

    for line in prose_parts[0]:
        both(line)
    for index, case in enumerate(cases):
        p = case.prefix if case.prefix.endswith(" ") or not case.prefix else case.prefix + " "
        marker_prefix = case.prefix
        if case.header and p:
            both(f"{p}[!note] Region {index}")
        rid = f"r{index}"
        both(f"{marker_prefix}<!-- vaultkit:begin id={rid} kind=pair a=XLE b=IGV -->")
        spec = RegionSpec(rid, "pair", {"a": "XLE", "b": "IGV"}, "n.md", 1)
        new_body = fake_new(spec).body
        if case.state == "fresh":
            old_lines: list[str] = []
            end = f"{marker_prefix}<!-- vaultkit:end id={rid} -->"
        else:
            old_body = fake_old(spec).body
            old_lines = _body_lines(marker_prefix, old_body)
            end = f"{marker_prefix}<!-- vaultkit:end id={rid} sum={checksum(old_body)} -->"
            if case.state == "edited":
                old_lines = [*old_lines, f"{marker_prefix}a line the researcher added"]
        before.extend(old_lines)
        if case.state == "edited":  # the region is refused; everything stays as written
            for offset, line in enumerate(old_lines):
                outside[1].append(len(after))
                outside[0].append(len(before) - len(old_lines) + offset)
                after.append(line)
            both(end)
        else:
            after.extend(_body_lines(marker_prefix, new_body))
            before.append(end)
            after.append(f"{marker_prefix}<!-- vaultkit:end id={rid} sum={checksum(new_body)} -->")
        for line in prose_parts[index + 1]:
            both(line)
    return before, after, outside


@given(parts=st.lists(prose, min_size=4, max_size=4), cases=st.lists(region_case, max_size=3),
       crlf=st.booleans(), bom=st.booleans(), final_newline=st.booleans(),
       version=st.sampled_from(["2", "3"]))
@fuzz_settings(150, 3_000)
def test_prose_around_regions_survives_a_refresh_byte_for_byte(
        parts: list[list[str]], cases: list[RegionCase], crlf: bool, bom: bool,
        final_newline: bool, version: str) -> None:
    count(__name__, "cases fuzzed")
    before, after, outside = build(parts[: len(cases) + 1], cases, version, "1")
    doc = Doc(before, "\r\n" if crlf else "\n", bom, final_newline)
    if not before:
        return
    original = doc.render()
    expected = doc.render(after)
    root = Path(tempfile.mkdtemp(prefix="splice-"))
    try:
        note = root / "n.md"
        note.write_bytes(original)
        with no_fsync():
            report = refresh_vault(root, generate=FakeGenerator(version), settle=0)
        result = note.read_bytes()
        kept_before = "\n".join(before[i] for i in outside[0]).encode()
        decoded = result.decode("utf-8")
        got = (decoded[1:] if doc.bom else decoded).split(doc.newline)
        kept_after = "\n".join(got[i] for i in outside[1] if i < len(got)).encode()
        record_preserved(__name__, kept_before, kept_after)
        assert result == expected, (report.records, original, result)
        assert not temp_files(root)
        mtime = note.stat().st_mtime_ns
        with no_fsync():
            refresh_vault(root, generate=FakeGenerator(version), settle=0)
        assert note.read_bytes() == expected and note.stat().st_mtime_ns == mtime, "not idempotent"
    finally:
        shutil.rmtree(root)
