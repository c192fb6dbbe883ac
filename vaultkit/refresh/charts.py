"""Deterministic PNG charts for regions: the same data always gives the same bytes.

Agg renderer, a fixed figure size and dpi, DejaVu Sans (shipped inside matplotlib, so no
system font is consulted) and no ``Software`` PNG tag, which is the only part of
matplotlib's PNG output that would otherwise vary between installs. No pyplot: figures are
built directly so no global state or GUI backend is involved.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

SIZE = (9.0, 6.0)
DPI = 110
A_COLOR = "#1f5fa8"
B_COLOR = "#d9822b"
RATIO_COLOR = "#3d7a4a"
# Style passed inline so every chart is drawn the same whatever matplotlibrc says.
_STYLE: Any = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.grid": True,
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.8,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "savefig.dpi": DPI,
}


@dataclass(frozen=True, slots=True)
class PairChart:
    """What a pair chart shows: two close series over one window, already sliced."""

    a: str
    b: str
    a_closes: pd.Series
    b_closes: pd.Series
    title: str
    subtitle: str
    footnote: str


def _rebase(series: pd.Series) -> pd.Series:
    result: pd.Series = series / series.iloc[0] * 100.0
    return result


def pair_chart(chart: PairChart) -> bytes:
    """Both series rebased to 100, the A/B ratio in a panel below, as PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    a, b = _rebase(chart.a_closes), _rebase(chart.b_closes)
    ratio = a / b * 100.0
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=SIZE, dpi=DPI)
        FigureCanvasAgg(fig)
        grid = fig.add_gridspec(2, 1, height_ratios=(3, 1), hspace=0.08,
                                left=0.08, right=0.88, top=0.86, bottom=0.15)
        top = fig.add_subplot(grid[0])
        bottom = fig.add_subplot(grid[1], sharex=top)
        top.axhline(100, color="#999999", linewidth=0.9, linestyle="--")
        for name, line, color in ((chart.a, a, A_COLOR), (chart.b, b, B_COLOR)):
            change = line.iloc[-1] - 100.0
            top.plot(line.index, line.to_numpy(), color=color, linewidth=1.8,
                     label=f"{name} {change:+.1f}%")
            # Last value at the right edge, as on a terminal chart.
            top.annotate(f"{line.iloc[-1]:.1f}", (line.index[-1], line.iloc[-1]),
                         xytext=(6, 0), textcoords="offset points", va="center",
                         color="white", fontsize=9, fontweight="bold",
                         bbox={"boxstyle": "round,pad=0.25", "fc": color, "ec": "none"})
        top.set_ylabel("Rebased to 100")
        # Above the plot, right-aligned, so it never covers a line.
        top.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False,
                   fontsize=10, borderaxespad=0.2)
        top.tick_params(labelbottom=False)
        bottom.axhline(100, color="#999999", linewidth=0.9, linestyle="--")
        bottom.plot(ratio.index, ratio.to_numpy(), color=RATIO_COLOR, linewidth=1.4)
        bottom.fill_between(ratio.index, ratio.to_numpy(), 100.0, color=RATIO_COLOR,
                            alpha=0.12, linewidth=0)
        bottom.set_ylabel(f"{chart.a}/{chart.b}")
        # matplotlib.dates ships without annotations for these constructors.
        locator = AutoDateLocator(minticks=4, maxticks=8)  # type: ignore[no-untyped-call]
        bottom.xaxis.set_major_locator(locator)
        # Ticks read "Sep", "Sep 15", …; the year goes in the offset label at the right.
        formatter = ConciseDateFormatter(  # type: ignore[no-untyped-call]
            locator,
            formats=["%Y", "%b", "%b %d", "%H:%M", "%H:%M", "%S.%f"],
            zero_formats=["", "%Y", "%b", "%b %d", "%H:%M", "%H:%M"],
            offset_formats=["", "", "%Y", "%Y", "%Y", "%Y"],
        )
        bottom.xaxis.set_major_formatter(formatter)
        bottom.set_xlim(a.index[0], a.index[-1])
        fig.text(0.08, 0.95, chart.title, fontsize=14, fontweight="bold", ha="left")
        fig.text(0.08, 0.905, chart.subtitle, fontsize=10, color="#555555", ha="left")
        fig.text(0.08, 0.015, chart.footnote, fontsize=8, color="#666666", ha="left",
                 va="bottom", linespacing=1.4)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class SeriesChart:
    """Small multiples: one panel per series (label, values), already sliced."""

    panels: tuple[tuple[str, pd.Series], ...]
    title: str
    subtitle: str
    footnote: str


def series_chart(chart: SeriesChart) -> bytes:
    """One panel per series, each on its own scale, last value marked, as PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    count = len(chart.panels)
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(SIZE[0], 1.6 + 1.35 * count), dpi=DPI)
        FigureCanvasAgg(fig)
        top = 1 - 1.1 / fig.get_figheight()
        grid = fig.add_gridspec(count, 1, hspace=0.35, left=0.08, right=0.88, top=top,
                                bottom=0.75 / fig.get_figheight())
        axes: list[Any] = []
        for row, (label, values) in enumerate(chart.panels):
            axis = fig.add_subplot(grid[row], sharex=axes[0] if axes else None)
            axes.append(axis)
            axis.plot(values.index, values.to_numpy(), color=A_COLOR, linewidth=1.5)
            axis.set_title(label, loc="left", fontsize=10, color="#333333")
            if len(values):
                axis.annotate(f"{values.iloc[-1]:,.2f}", (values.index[-1], values.iloc[-1]),
                              xytext=(6, 0), textcoords="offset points", va="center",
                              color="white", fontsize=9, fontweight="bold",
                              bbox={"boxstyle": "round,pad=0.25", "fc": A_COLOR, "ec": "none"})
            if row < count - 1:
                axis.tick_params(labelbottom=False)
        locator = AutoDateLocator(minticks=4, maxticks=8)  # type: ignore[no-untyped-call]
        axes[-1].xaxis.set_major_locator(locator)
        axes[-1].xaxis.set_major_formatter(
            ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        height = fig.get_figheight()
        fig.text(0.08, 1 - 0.35 / height, chart.title, fontsize=14, fontweight="bold")
        fig.text(0.08, 1 - 0.6 / height, chart.subtitle, fontsize=10, color="#555555")
        fig.text(0.08, 0.1 / height, chart.footnote, fontsize=8, color="#666666",
                 va="bottom", linespacing=1.4)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
