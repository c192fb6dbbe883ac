"""Pair charts: deterministic bytes, no Software tag, fixed size."""

from __future__ import annotations

import struct

import pandas as pd

from vaultkit.refresh.charts import DPI, SIZE, PairChart, pair_chart


def make(b_last: float = 75.0) -> PairChart:
    days = pd.bdate_range("2026-08-21", "2026-11-20")
    a = pd.Series([88 + 17 * i / (len(days) - 1) for i in range(len(days))], index=days)
    b = pd.Series([100 - (100 - b_last) * i / (len(days) - 1) for i in range(len(days))],
                  index=days)
    return PairChart("XLE", "IGV", a, b, "XLE vs IGV: +43.3pp spread over 90 days",
                     "Rebased to 100", "Source: test\nData as of the Nov 20, 2026 close")


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every PNG chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    out, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        out.append((png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return out


def test_same_data_gives_identical_png_bytes() -> None:
    first, second = pair_chart(make()), pair_chart(make())
    assert first == second
    assert pair_chart(make(b_last=70.0)) != first


def test_png_has_fixed_size_and_no_software_tag() -> None:
    parts = chunks(pair_chart(make()))
    width, height = struct.unpack(">II", parts[0][1][:8])
    assert (width, height) == (round(SIZE[0] * DPI), round(SIZE[1] * DPI))
    text = b"".join(data for kind, data in parts if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert b"Software" not in text and b"matplotlib" not in text.lower()


def test_drawing_a_chart_leaves_global_matplotlib_settings_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    pair_chart(make())
    assert dict(matplotlib.rcParams) == before
