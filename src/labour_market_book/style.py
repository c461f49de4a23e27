"""House style: one seaborn theme, area colours, marks for special values, deterministic SVG.

The colours are colour-blind safe (Okabe-Ito colours): the focus municipality is a
strong blue, comparison municipalities are a muted grey and the whole country is a
distinct orange. Which municipality is the focus is a notebook parameter, so the same
figure highlights Horsens when the focus is set to Horsens.

Two kinds of value get a hatch on top of their area colour, one mark per meaning, so
that they stay apart in greyscale print and for readers who cannot tell the colours
apart: a derived value (computed in code from published numbers) has diagonal stripes,
a lower bound (the report prints "over 56 pct.") has stripes along the bar and ends in an
arrowhead, as if the bar ran on. Both are line hatches, which keep the SVG small (a dot
hatch is written out as hundreds of circles per colour).
"""

from __future__ import annotations

import matplotlib as mpl
import seaborn as sns

from .areas import NATIONAL
from .paths import PACKAGE_DIR

STYLE_FILE = PACKAGE_DIR / "house.mplstyle"

FOCUS = "#0072B2"       # Okabe-Ito blue
COMPARISON = "#B4B4B4"  # muted grey
NATIONAL_COLOUR = "#E69F00"  # Okabe-Ito orange
TEXT = "#222222"
DERIVED_HATCH = "//"      # diagonal stripes: computed from published numbers
LOWER_BOUND_HATCH = "--"  # stripes along the bar (and an arrowhead): "over ..."


def area_colour(area: str, focus: str) -> str:
    """Colour of an area's marks, given the focus municipality."""
    if area == focus:
        return FOCUS
    if area == NATIONAL:
        return NATIONAL_COLOUR
    return COMPARISON


def svg_params() -> dict:
    """The style file's ``svg.*`` settings (text as text, ids from a fixed salt)."""
    params = mpl.rc_params_from_file(STYLE_FILE, use_default_template=False)
    return {key: params[key] for key in ("svg.fonttype", "svg.hashsalt")}


def apply() -> None:
    """Apply the house style once per kernel: seaborn theme, style file, SVG output."""
    sns.set_theme(context="notebook", style="white", font_scale=0.9)
    mpl.style.use(STYLE_FILE)
    try:  # inside IPython: SVG figures with no date metadata, so outputs are stable
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        set_matplotlib_formats("svg", metadata={"Date": None})
    except Exception:  # pragma: no cover - plain Python has no inline backend
        pass
