"""House style: one seaborn theme, one palette, deterministic SVG output.

The palette is colour-blind safe (Okabe-Ito colours): the focus municipality is a
strong blue, comparison municipalities are a muted grey and the whole country is a
distinct orange. Which municipality is the focus is a notebook parameter, so the same
figure highlights Horsens when the focus is set to Horsens.
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
DERIVED_HATCH = "//"


def area_colour(area: str, focus: str) -> str:
    """Colour of an area's marks, given the focus municipality."""
    if area == focus:
        return FOCUS
    if area == NATIONAL:
        return NATIONAL_COLOUR
    return COMPARISON


def palette(areas: list[str], focus: str) -> dict[str, str]:
    """Area -> colour for a list of areas."""
    return {area: area_colour(area, focus) for area in areas}


def apply() -> None:
    """Apply the house style once per kernel: seaborn theme, style file, SVG output."""
    sns.set_theme(context="notebook", style="white", font_scale=0.9)
    mpl.style.use(STYLE_FILE)
    try:  # inside IPython: SVG figures with no date metadata, so outputs are stable
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        set_matplotlib_formats("svg", metadata={"Date": None})
    except Exception:  # pragma: no cover - plain Python has no inline backend
        pass
