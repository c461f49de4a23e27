"""Figure helpers in the house style. Every function returns a matplotlib Figure.

Values are labelled on the bars in Danish formatting. Bars for derived values are
hatched, and so are lower bounds ("over 56 pct."), whose labels say "over".
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import style
from .areas import display_name
from .formatting import format_number, format_value


def danish_tick(value: float, _pos=None) -> str:
    """Axis tick label: integers without decimals, other values with one decimal."""
    if float(value).is_integer():
        return format_number(value, 0)
    return format_number(value, 1)


def bar_by_area(frame: pd.DataFrame, *, focus: str, axis_label: str,
                labels: list[str] | None = None) -> Figure:
    """Horizontal bars, one per row of ``frame`` (columns area, value, unit, decimals, flag).

    The focus municipality, comparison municipalities and the whole country take their
    palette colours. ``labels`` overrides the y tick labels (default: the areas'
    display names).
    """
    if frame.empty:
        raise ValueError("bar_by_area needs at least one row")
    n = len(frame)
    fig, ax = plt.subplots(figsize=(7.0, 0.9 + 0.45 * n))
    values = frame["value"].astype(float).tolist()
    colours = [style.area_colour(a, focus) for a in frame["area"]]
    hatches = ["//" if (f == "lower_bound" or b == "derived") else ""
               for f, b in zip(frame["flag"], frame.get("basis", ["published"] * n))]
    positions = list(range(n))
    bars = ax.barh(positions, values, color=colours, edgecolor="white", height=0.6)
    for bar, hatch in zip(bars, hatches):
        if hatch:
            bar.set_hatch(hatch)
            bar.set_edgecolor(style.TEXT)
            bar.set_linewidth(0.0)
    ax.set_yticks(positions, labels or [display_name(a) for a in frame["area"]])
    ax.invert_yaxis()
    ax.axvline(0, color=style.TEXT, linewidth=0.8)
    span = max(abs(v) for v in values) or 1.0
    pad = span * 0.02
    for pos, value, unit, dec, flag in zip(positions, values, frame["unit"], frame["decimals"],
                                           frame["flag"]):
        text = format_value(value, unit, int(dec), flag)
        ax.text(value + (pad if value >= 0 else -pad), pos, text, va="center",
                ha="left" if value >= 0 else "right", fontsize=9, color=style.TEXT)
    low, high = min(0.0, min(values)), max(0.0, max(values))
    # Room for the value labels; a sliver beyond zero keeps the zero line visible.
    ax.set_xlim(low - (span * 0.25 if low < 0 else span * 0.02),
                high + (span * 0.25 if high > 0 else span * 0.02))
    ax.xaxis.set_major_formatter(FuncFormatter(danish_tick))
    ax.set_xlabel(axis_label)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    plt.close(fig)  # shown through glue, never twice
    return fig
