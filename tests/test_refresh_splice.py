"""Splicing is pure and touches only region insides: every other byte stays as written."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from vaultkit.refresh.regions import find_regions, split_lines
from vaultkit.refresh.splice import checksum, edit_problem, newline_style, splice

SEED = Path(__file__).parent / "data" / "seed" / "Sector Rotation.md"
BODY = "| A | B |\n|---|---|\n| 1 | 2 |\n\n*As of 2026-11-20; source: test*"


def outside(text: str) -> list[str]:
    """The bytes outside region bodies, found without the code under test: each begin
    marker line whole, then from the end marker's ``-->`` on (its prefix kept apart)."""
    chunks, pos = [], 0
    while (begin := text.find("<!-- vaultkit:begin", pos)) >= 0:
        begin_end = text.index("\n", begin) + 1
        end = text.index("<!-- vaultkit:end", begin_end)
        line_start = text.rfind("\n", 0, end) + 1
        chunks += [text[pos:begin_end], text[line_start:end]]
        pos = text.index("-->", end) + 3
    return [*chunks, text[pos:]]


def seed_with_regions() -> str:
    """The seed note with a region around its XLE vs IGV chart table, an updates region
    before the February update, and its stamp inside a callout-free stamp region."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace(
        "| | XLE vs IGV (~43pp) |",
        "<!-- vaultkit:begin id=xle-igv kind=pair a=XLE b=IGV window=90d "
        "chart=xle-vs-igv-price-chart.png -->\n<!-- vaultkit:end id=xle-igv -->\n\n"
        "| | XLE vs IGV (~43pp) |", 1)
    text = text.replace("### February 27, 2026 update",
                        "<!-- vaultkit:begin id=updates kind=updates -->\n"
                        "<!-- vaultkit:end id=updates -->\n\n### February 27, 2026 update", 1)
    return text.replace("*Updated 2026-02-27*",
                        "<!-- vaultkit:begin id=stamp kind=stamp -->\n*Updated 2026-02-27*\n"
                        "<!-- vaultkit:end id=stamp sum=" + checksum("*Updated 2026-02-27*")
                        + " -->", 1)


def _all(text: str, body: str = BODY) -> str:
    regions = find_regions(text, "n.md")
    return splice(text, regions, {r.spec.id: body for r in regions})


def test_seed_note_outside_regions_is_byte_identical_and_second_splice_is_a_no_op() -> None:
    text = seed_with_regions()
    new = _all(text)
    assert new != text
    assert outside(new) == outside(text)
    assert _all(new) == new
    assert new.count(BODY) == 3


def test_crlf_bom_and_missing_final_newline_are_kept() -> None:
    text = ("\ufeffprose\r\n<!-- vaultkit:begin id=r kind=pair -->\r\n"
            "<!-- vaultkit:end id=r -->")
    new = _all(text)
    assert new.startswith("\ufeffprose\r\n<!-- vaultkit:begin id=r kind=pair -->\r\n| A | B |\r\n")
    assert "\n" not in new.replace("\r\n", "")
    assert new.endswith(f"<!-- vaultkit:end id=r sum={checksum(BODY)} -->")
    assert outside(new) == outside(text)
    assert _all(new) == new


def test_mixed_endings_follow_the_dominant_style_and_leave_other_lines_alone() -> None:
    text = ("a\r\nb\r\nc\n<!-- vaultkit:begin id=r kind=pair -->\r\n"
            "<!-- vaultkit:end id=r -->\r\n")
    assert newline_style(text) == "\r\n"
    new = _all(text, "x\ny")
    assert new.startswith("a\r\nb\r\nc\n")
    assert "x\r\ny\r\n" in new
    assert newline_style("a\nb\nc\r\n") == "\n"


def test_callout_regions_prefix_every_generated_line() -> None:
    text = ("> [!info] Live\n> <!-- vaultkit:begin id=r kind=pair -->\n"
            "> <!-- vaultkit:end id=r -->\n> after\n")
    new = _all(text)
    inside = new.split("kind=pair -->\n", 1)[1].split("> <!-- vaultkit:end", 1)[0]
    assert inside == ("> | A | B |\n> |---|---|\n> | 1 | 2 |\n>\n"
                      "> *As of 2026-11-20; source: test*\n")
    assert outside(new) == outside(text)
    assert new.endswith("-->\n> after\n")


def test_checksum_ignores_newline_style_and_callout_prefix() -> None:
    lf = _all("<!-- vaultkit:begin id=r kind=pair -->\n<!-- vaultkit:end id=r -->\n")
    crlf = _all("<!-- vaultkit:begin id=r kind=pair -->\r\n<!-- vaultkit:end id=r -->\r\n")
    quoted = _all("> <!-- vaultkit:begin id=r kind=pair -->\n> <!-- vaultkit:end id=r -->\n")
    sums = {text.rsplit("sum=", 1)[1][:10] for text in (lf, crlf, quoted)}
    assert sums == {checksum(BODY)}
    for text in (lf, crlf.replace("\r\n", "\n"), quoted):
        (region,) = find_regions(text, "n.md")
        assert edit_problem(split_lines(text), region) is None


def test_edited_body_and_unmanaged_content_are_detected() -> None:
    fresh = "<!-- vaultkit:begin id=r kind=pair -->\n\n<!-- vaultkit:end id=r -->\n"
    written = _all(fresh)
    edited = written.replace("| 1 | 2 |", "| 1 | 3 |")
    wrapped = "<!-- vaultkit:begin id=r kind=pair -->\nmy own table\n<!-- vaultkit:end id=r -->\n"
    for text, expected in ((fresh, None), (written, None), (edited, "edited by hand"),
                           (wrapped, "no checksum")):
        (region,) = find_regions(text, "n.md")
        problem = edit_problem(split_lines(text), region)
        assert (problem is None) if expected is None else (expected in (problem or ""))


_prose = st.lists(st.sampled_from(["a", " ", "\n", "\r\n", "> ", "#", "|", "é", "\t", "-->"]),
                  max_size=40).map("".join)


@given(before=_prose, between=_prose, after=_prose, crlf=st.booleans(), bom=st.booleans(),
       quoted=st.booleans(), body=st.text(st.sampled_from(["x", "\n", " ", "|"]), max_size=20))
def test_any_prose_around_regions_survives_splicing(before: str, between: str, after: str,
                                                    crlf: bool, bom: bool, quoted: bool,
                                                    body: str) -> None:
    nl = "\r\n" if crlf else "\n"
    q = "> " if quoted else ""

    def region(rid: str) -> str:
        return f"{q}<!-- vaultkit:begin id={rid} kind=k -->{nl}{q}<!-- vaultkit:end id={rid} -->"

    # The prose alphabet has no fence or marker, so the regions stay well formed.
    text = (("\ufeff" if bom else "") + before + nl + region("a") + nl
            + between + nl + region("b") + nl + after)
    regions = find_regions(text, "n.md")
    assert [r.spec.id for r in regions] == ["a", "b"]
    body = body.strip("\n")
    new = splice(text, regions, {r.spec.id: body for r in regions})
    assert outside(new) == outside(text)
    assert splice(new, find_regions(new, "n.md"), {r.spec.id: body for r in regions}) == new
