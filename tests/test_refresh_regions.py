"""Finding managed-region markers: callouts, code fences, structural errors, parameters."""

from __future__ import annotations

import pytest

from vaultkit.errors import MarkerError
from vaultkit.refresh.regions import find_regions, validate_params


def _one(text: str) -> tuple[str, str, dict[str, str], str, str | None, int]:
    (region,) = find_regions(text, "n.md")
    return (region.spec.id, region.spec.kind, region.spec.params, region.prefix,
            region.checksum, region.spec.line)


def test_begin_marker_holds_the_spec_and_end_marker_the_checksum() -> None:
    text = ("intro\n<!-- vaultkit:begin id=xle-igv kind=pair a=XLE b=IGV window=90d "
            'title="XLE vs IGV" -->\nbody\n<!-- vaultkit:end id=xle-igv sum=0123456789 -->\n')
    assert _one(text) == ("xle-igv", "pair",
                          {"a": "XLE", "b": "IGV", "window": "90d", "title": "XLE vs IGV"},
                          "", "0123456789", 2)


def test_markers_inside_a_callout_keep_their_prefix() -> None:
    text = ("> [!note] Live\n> <!-- vaultkit:begin id=r kind=pair -->\n"
            "> <!-- vaultkit:end id=r -->\n")
    assert _one(text)[3] == "> "
    nested = "> > <!-- vaultkit:begin id=r kind=pair -->\n> > <!-- vaultkit:end id=r -->\n"
    assert _one(nested)[3] == "> > "


def test_markers_in_fenced_code_are_text() -> None:
    text = ("```markdown\n<!-- vaultkit:begin id=doc kind=pair -->\n```\n"
            "~~~\n<!-- vaultkit:end id=other -->\n~~~\n"
            "<!-- vaultkit:begin id=real kind=pair -->\n<!-- vaultkit:end id=real -->\n")
    assert _one(text)[0] == "real"


def test_a_fence_in_a_callout_ends_with_the_callout() -> None:
    text = ("> ```\n> <!-- vaultkit:begin id=doc kind=pair -->\n\n"
            "<!-- vaultkit:begin id=real kind=pair -->\n<!-- vaultkit:end id=real -->\n")
    assert _one(text)[0] == "real"


def test_crlf_and_bom_do_not_hide_markers() -> None:
    text = "\ufeff<!-- vaultkit:begin id=r kind=pair -->\r\nx\r\n<!-- vaultkit:end id=r -->"
    assert _one(text)[:2] == ("r", "pair")


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a\n<!-- vaultkit:begin id=r kind=pair -->\n", 2, "no end marker"),
    ("<!-- vaultkit:end id=r -->\n", 1, "no begin marker"),
    ("<!-- vaultkit:begin id=r kind=pair -->\n<!-- vaultkit:begin id=s kind=pair -->\n"
     "<!-- vaultkit:end id=s -->\n<!-- vaultkit:end id=r -->\n", 2, "cannot nest"),
    ("<!-- vaultkit:begin id=r kind=pair -->\n<!-- vaultkit:end id=r -->\n"
     "<!-- vaultkit:begin id=r kind=pair -->\n<!-- vaultkit:end id=r -->\n", 3, "duplicate"),
    ("<!-- vaultkit:begin id=r kind=pair -->\n<!-- vaultkit:end id=s -->\n", 2, "does not close"),
    ("<!-- vaultkit:begin id=r kind=pair\n", 1, "malformed"),
    ("<!-- vaultkit:begin kind=pair -->\n", 1, "no id"),
    ("<!-- vaultkit:begin id=r -->\n", 1, "no kind"),
    ("<!-- vaultkit:begin id=r kind=pair a=1 a=2 -->\n", 1, "duplicate attribute"),
    ('<!-- vaultkit:begin id=r kind=pair title="open -->\n', 1, "cannot read"),
    ("<!-- vaultkit:begin id=../x kind=pair -->\n", 1, "invalid region id"),
    ("<!-- vaultkit:begin id=r kind=pair -->\n<!-- vaultkit:end id=r sum=xyz -->\n", 2,
     "invalid checksum"),
    ("> <!-- vaultkit:begin id=r kind=pair -->\n<!-- vaultkit:end id=r -->\n", 2,
     "same callout"),
])
def test_marker_errors_name_path_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(MarkerError) as caught:
        find_regions(text, "dir/n.md")
    assert caught.value.path == "dir/n.md"
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"dir/n.md:{line}: ")


def _params(**params: str) -> list[str]:
    (region,) = find_regions(
        "<!-- vaultkit:begin id=r kind=pair "
        + " ".join(f'{k}="{v}"' for k, v in params.items()) + " -->\n<!-- vaultkit:end id=r -->\n",
        "n.md")
    return validate_params(region.spec)


@pytest.mark.parametrize("chart", ["../../x.png", "/etc/x.png", "sub/x.png", "a\\b.png",
                                   "x..png", "x.svg", "~x.png", ".hidden.png"])
def test_hostile_or_odd_chart_names_are_refused(chart: str) -> None:
    (problem,) = _params(a="XLE", chart=chart)
    assert f"chart={chart}" in problem


def test_good_parameters_pass_and_bad_tickers_are_named() -> None:
    assert _params(a="BRK.B", b="^GSPC", tickers="ES=F,IWM", chart="xle vs igv.png") == []
    (problem,) = _params(tickers="IWM,$(rm -rf),qqq")
    assert "$(rm" in problem
    assert "qqq" in problem
