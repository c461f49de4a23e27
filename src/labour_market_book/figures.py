"""Charts of numbers in the house style, and their HTML.

:func:`bar_by_area` draws one horizontal bar per row, labelled with its value in Danish
formatting. Colours say which kind of area a bar is (focus municipality, comparison
municipalities, the whole country); hatches say what kind of number it is, one mark per
meaning: derived values (computed in code from published numbers) have diagonal
stripes, lower bounds ("over 56 pct.") have stripes along the bar and end in an
arrowhead. A key below the axes
explains every colour and mark that the figure actually uses.

:func:`figure_html` renders a figure as an ``<img>`` with its alt text (written from the
same rows by :mod:`.alt_text`) and a deterministic SVG. Figures that are not charts of
numbers (the organisation chart, a map) are in :mod:`.diagrams`.
"""

from __future__ import annotations

import base64
import html
import io
import math

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Annotation
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FuncFormatter

from . import style
from .areas import NATIONAL, display_name
from .formatting import format_number, format_value

LOWER_BOUND_KEY = "Nedre grænse (hvidbogen skriver »over«)"
DERIVED_KEY = "Afledt: beregnet af offentliggjorte tal"
COMPARISON_KEY = ("Sammenligningskommune", "Sammenligningskommuner")

# Text sizes in points; nothing in a figure is smaller than 9 pt. Figures are drawn about
# 4.5 inches wide (house.mplstyle) and shown at the column's width, so on a 400 px phone
# (a column of about 350 px) 1 pt is about 1 CSS px: 9 pt reads as 9-10 px.
VALUE_FONT_SIZE = 9
LEGEND_FONT_SIZE = 9
LABEL_SHARE = 0.38
"""The widest a bar chart's row label may be, as a share of the figure's width."""


def danish_tick(value: float, _pos=None) -> str:
    """Axis tick label: integers without decimals, other values with one decimal."""
    if float(value).is_integer():
        return format_number(value, 0)
    return format_number(value, 1)


# -- what a frame holds ----------------------------------------------------------------------
def basis_of(frame: pd.DataFrame) -> list[str]:
    if "basis" not in frame:
        return ["published"] * len(frame)
    return [b if isinstance(b, str) and b else "published" for b in frame["basis"]]


def is_drawn(value, flag: str) -> bool:
    """Whether a row has a bar (suppressed and missing values have none)."""
    return flag != "suppressed" and value is not None and not math.isnan(float(value))


def value_texts(frame: pd.DataFrame) -> list[str]:
    return [format_value(v, u, int(d), f) for v, u, d, f in
            zip(frame["value"], frame["unit"], frame["decimals"], frame["flag"])]


# -- the chart ---------------------------------------------------------------------------------
class _LowerBoundHandler(mpl.legend_handler.HandlerBase):
    """Key for a lower bound: a hatched box with an arrowhead past its end, as on the bars."""

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height,
                       fontsize, trans):
        box = Rectangle((-xdescent, -ydescent), width * 0.72, height, facecolor="white",
                        edgecolor=style.TEXT, linewidth=0.6, hatch=style.LOWER_BOUND_HATCH,
                        transform=trans)
        tip = Line2D([-xdescent + width * 0.88], [-ydescent + height / 2], linestyle="none",
                     marker=">", markersize=5, color=style.TEXT, transform=trans)
        return [box, tip]


def _legend_entries(frame: pd.DataFrame, focus: str, lower: list[bool], derived: list[bool],
                    national: str = NATIONAL
                    ) -> tuple[list[tuple[Patch, str]], list[tuple[Patch, str]]]:
    """(handle, Danish label) for the colours and for the marks present, in a fixed order;
    ``national`` names the national rows (e.g. "Alle 34 kommuner" in a survey's figure)."""
    areas = list(frame["area"])
    comparisons = {a for a in areas if a not in (focus, NATIONAL)}
    colours = []
    if focus in areas:
        colours.append((Patch(facecolor=style.FOCUS), display_name(focus)))
    if comparisons:
        colours.append((Patch(facecolor=style.COMPARISON), COMPARISON_KEY[len(comparisons) > 1]))
    if NATIONAL in areas and NATIONAL != focus:
        colours.append((Patch(facecolor=style.NATIONAL_COLOUR), national))
    marks = []
    if any(lower):
        marks.append((Patch(facecolor="white", edgecolor=style.TEXT, linewidth=0.6,
                            hatch=style.LOWER_BOUND_HATCH), LOWER_BOUND_KEY))
    if any(derived):
        marks.append((Patch(facecolor="white", edgecolor=style.TEXT, linewidth=0.6,
                            hatch=style.DERIVED_HATCH), DERIVED_KEY))
    return colours, marks


def _legend_layout(colours: list, marks: list, width_in: float) -> tuple[list, int]:
    """Entries in legend order and the number of columns, so that the key fits ``width_in``.

    One row if it fits; else the colours in one column and the marks in the next; else
    one column. Matplotlib fills a legend column by column, so the two-column layout
    pads the shorter column with invisible, unlabelled entries.
    """
    font = mpl.font_manager.FontProperties(size=LEGEND_FONT_SIZE)
    measure = TextToPath().get_text_width_height_descent  # in points, any backend

    def fits(columns: list[list]) -> bool:  # + handle, its padding and the column spacing
        return sum(max(measure(label, font, ismath=False)[0] for _, label in column) / 72 + 0.65
                   for column in columns) <= width_in

    entries = colours + marks
    if fits([[e] for e in entries]):
        return entries, len(entries)
    if colours and marks and fits([colours, marks]):
        rows = max(len(colours), len(marks))
        blank = [(Patch(visible=False), "")]
        return (colours + blank * (rows - len(colours)) + marks + blank * (rows - len(marks)),
                2)
    return entries, 1


def bar_by_area(frame: pd.DataFrame, *, focus: str, axis_label: str,
                labels: list[str] | None = None) -> Figure:
    """Horizontal bars, one per row of ``frame`` (columns area, value, unit, decimals, flag
    and optionally basis).

    The focus municipality, comparison municipalities and the whole country take their
    house-style colours; derived values and lower bounds take their marks, and a key
    below the axes explains those present. ``labels`` overrides the y tick labels
    (default: the areas' display names).
    """
    if frame.empty:
        raise ValueError("bar_by_area needs at least one row")
    n = len(frame)
    flags = list(frame["flag"])
    raw = frame["value"].astype(float).tolist()
    drawn = [is_drawn(v, f) for v, f in zip(raw, flags)]
    values = [v if ok else 0.0 for v, ok in zip(raw, drawn)]
    lower = [f == "lower_bound" and ok for f, ok in zip(flags, drawn)]
    derived = [b == "derived" and ok for b, ok in zip(basis_of(frame), drawn)]
    # the national rows' own name where the labels give one ("Alle 34 kommuner, ...")
    national = next((label.split(",")[0] for area, label in zip(frame["area"], labels or [])
                     if area == NATIONAL), NATIONAL)
    colour_keys, mark_keys = _legend_entries(frame, focus, lower, derived, national)
    if len(colour_keys) == 1:  # one colour explains nothing the axis does not name already
        colour_keys = []

    width = mpl.rcParams["figure.figsize"][0]
    # Long row labels ("Randers Kommune, indvandrere fra ikke-vestlige lande") wrap within
    # a share of the width, so that the figure stays as wide as the house style says and
    # its text is not shrunk on a phone; rows grow with their lines.
    tick_size = mpl.rcParams["ytick.labelsize"]
    tick_size = mpl.font_manager.FontProperties(size=tick_size).get_size_in_points()
    texts = ["\n".join(wrap_text(label, width * LABEL_SHARE, tick_size))
             for label in (labels or [display_name(a) for a in frame["area"]])]
    lines = max(text.count("\n") + 1 for text in texts)
    row = max(0.45, lines * tick_size * 1.25 / 72 + 0.15)
    fig = plt.figure(figsize=(width, 0.9 + row * n), layout="constrained")
    keys, ncols = _legend_layout(colour_keys, mark_keys, width - 0.2)
    fig.set_figheight(0.9 + row * n + (0.3 + 0.25 * math.ceil(len(keys) / ncols) if keys else 0))
    ax = fig.add_subplot()

    positions = list(range(n))
    colours = [style.area_colour(a, focus) for a in frame["area"]]
    bars = ax.barh(positions, values, color=colours, edgecolor="white", height=0.6)
    for bar, is_lower, is_derived in zip(bars, lower, derived):
        hatch = (style.LOWER_BOUND_HATCH if is_lower else
                 style.DERIVED_HATCH if is_derived else None)
        if hatch:
            bar.set_hatch(hatch)
            bar.set_hatchcolor(style.TEXT)
            bar.set_linewidth(0.0)
    ax.set_yticks(positions, texts)
    ax.invert_yaxis()

    # One zero line: the left spine would sit left of zero (the x limits are padded), so
    # it is hidden and the zero line drawn at zero.
    ax.spines["left"].set_visible(False)
    ax.axvline(0, color=style.TEXT, linewidth=0.8)
    ax.tick_params(axis="y", length=0)

    span = max((abs(v) for v, ok in zip(values, drawn) if ok), default=0.0) or 1.0
    pad = span * 0.02
    arrow = span * 0.035  # room for a lower bound's arrowhead
    for pos, value, text, ok, is_lower in zip(positions, values, value_texts(frame), drawn,
                                              lower):
        sign = 1 if value >= 0 else -1
        end = value
        if is_lower:  # the bar goes on: an arrowhead past its end
            ax.plot([value + sign * arrow * 0.6], [pos], linestyle="none",
                    marker=">" if sign > 0 else "<", markersize=5, color=style.TEXT,
                    clip_on=False)
            end = value + sign * arrow
        ax.text(end + sign * pad, pos, text, va="center", ha="left" if sign > 0 else "right",
                fontsize=VALUE_FONT_SIZE, color=style.TEXT)
    low, high = min(0.0, min(values)), max(0.0, max(values))
    # Room for the value labels; a sliver beyond zero keeps the zero line visible.
    ax.set_xlim(low - (span * 0.3 if low < 0 else span * 0.02),
                high + (span * 0.3 if high > 0 else span * 0.02))
    ax.xaxis.set_major_formatter(FuncFormatter(danish_tick))
    ax.set_xlabel(axis_text(axis_label, width * (1 - LABEL_SHARE) - 0.2))
    ax.grid(axis="y", visible=False)
    if keys:  # below the axes: it never covers a bar or a value label
        lower_key = next((h for h, label in keys if label == LOWER_BOUND_KEY), None)
        fig.legend([h for h, _ in keys], [label for _, label in keys],
                   loc="outside lower center", ncols=ncols, fontsize=LEGEND_FONT_SIZE,
                   frameon=False, handlelength=1.8,
                   handler_map={lower_key: _LowerBoundHandler()} if lower_key else None)
    plt.close(fig)  # shown through glue, never twice
    return fig


# -- HTML ----------------------------------------------------------------------------------------
def figure_html(fig: Figure, alt: str) -> str:
    """``<img class="exhibit-figure" alt="..." src="data:image/svg+xml;base64,...">``.

    The SVG carries no date and takes its ids from the style file's fixed salt, so the
    same figure gives the same bytes in every process (nbval compares them). ``alt``
    is HTML-escaped.
    """
    buffer = io.BytesIO()
    with mpl.rc_context(style.svg_params()):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<img class="exhibit-figure" alt="{html.escape(alt, quote=True)}" '
            f'src="data:image/svg+xml;base64,{data}">')


# -- time series -------------------------------------------------------------------------------
SERIES_STYLES = ({"color": style.FOCUS, "linestyle": "-", "marker": "o"},
                 {"color": style.NATIONAL_COLOUR, "linestyle": "--", "marker": "s"},
                 {"color": style.COMPARISON, "linestyle": ":", "marker": "^"})
"""Line, colour and marker per series, so that series differ without colour too."""


def lines_over_time(frame: pd.DataFrame, *, series: dict[str, str], axis_label: str,
                    notes: list[tuple[str, str, str]] | None = None) -> Figure:
    """One line per measure in ``series`` (measure -> Danish label) over ``period``, each
    point labelled with its value; ``notes`` are ``(period, measure, text)`` annotations
    written beside a point. A key below the axes names the series."""
    if frame.empty:
        raise ValueError("lines_over_time needs at least one row")
    width = mpl.rcParams["figure.figsize"][0]
    fig = plt.figure(figsize=(width, 3.9), layout="constrained")
    ax = fig.subplots()
    periods = sorted(set(frame.loc[frame["measure"].isin(list(series)), "period"]))
    position = {p: i for i, p in enumerate(periods)}
    handles = []
    for (measure, label), look in zip(series.items(), SERIES_STYLES):
        rows = frame[(frame["measure"] == measure)].sort_values("period")
        rows = rows[[is_drawn(v, f) for v, f in zip(rows["value"], rows["flag"])]]
        if rows.empty:
            continue
        xs = [position[p] for p in rows["period"]]
        (line,) = ax.plot(xs, rows["value"].astype(float), linewidth=1.6, markersize=4, **look)
        handles.append((line, label))
        for x, text, value in zip(xs, value_texts(rows), rows["value"].astype(float)):
            ax.annotate(text.replace(" pct.", ""), (x, value), textcoords="offset points",
                        xytext=(0, 6 if look["linestyle"] == "-" else -12), ha="center",
                        fontsize=VALUE_FONT_SIZE, color=style.TEXT)
    written = []
    for period, measure, text in notes or []:
        hit = frame[(frame["period"] == period) & (frame["measure"] == measure)]
        if hit.empty or period not in position:
            continue
        x = position[period]
        above = measure == next(iter(series))
        written.append((ax.annotate(
            text, (x, float(hit.iloc[0]["value"])), textcoords="offset points",
            xytext=(0, 28 if above else -34),
            ha="left" if x == 0 else "right" if x == len(periods) - 1 else "center",
            fontsize=VALUE_FONT_SIZE, color=style.TEXT, style="italic"), above))
    ax.set_xticks(range(len(periods)), [str(p) for p in periods])
    ax.set_ylabel(axis_text(axis_label, fig.get_figheight() - 1.0))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, 2)))
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    drawn = frame[frame["measure"].isin(list(series))]["value"].astype(float)
    low, high = float(drawn.min()), float(drawn.max())
    pad = (high - low) * 0.25 or 0.1
    ax.set_ylim(low - pad, high + pad)
    fig.legend([h for h, _ in handles], [label for _, label in handles], loc="outside lower center",
               ncol=len(handles), fontsize=LEGEND_FONT_SIZE, frameon=False)
    _clear_notes(fig, ax, written)
    plt.close(fig)
    return fig


NOTE_GAP = 2.0
"""Points kept free between a note written beside a point and a value label or another note."""


def _clear_notes(fig: Figure, ax, notes: list[tuple[Annotation, bool]], rounds: int = 12) -> None:
    """Move each note (an annotation written ``above`` its point, or below it) further from
    its point until it keeps ``NOTE_GAP`` from the value labels and the other notes, and
    widen the y axis until the notes are inside the axes, clear of the ticks, the axis
    label and the key, which are outside it.

    A note beside the series' first or last point runs along the line over the next
    points, whose value labels sit higher (or lower) when the line rises (or falls): Figur
    8.14's "ca. 1,4 mia. kr." above 2015 ran into the label "2,00" of 2017. Sizes are
    measured as drawn (constrained layout, the axes' scale), so the figure is drawn again
    after every move, until nothing moves."""
    if not notes:
        return
    for _ in range(rounds):
        fig.draw_without_rendering()
        gap = NOTE_GAP * fig.dpi / 72  # pixels
        to_points = 72 / fig.dpi
        moved = False
        for note, above in notes:
            box = note.get_window_extent()
            hits = [other for other in (t.get_window_extent() for t in ax.texts
                                        if t is not note and t.get_visible() and t.get_text().strip())
                    if box.x0 < other.x1 + gap and other.x0 < box.x1 + gap
                    and box.y0 < other.y1 + gap and other.y0 < box.y1 + gap]
            if hits:
                shift = (max(h.y1 for h in hits) + gap - box.y0 if above
                         else min(h.y0 for h in hits) - gap - box.y1)
                dx, dy = note.xyann
                note.xyann = (dx, dy + shift * to_points)
                moved = True
        if moved:
            continue
        # Every note clear: make room inside the axes for any note that now sticks out.
        inside, (low, high) = ax.get_window_extent(), ax.get_ylim()
        per_pixel = (high - low) / inside.height
        boxes = [note.get_window_extent() for note, _ in notes]
        over = max([b.y1 + gap - inside.y1 for b in boxes] + [0.0])
        under = max([inside.y0 - (b.y0 - gap) for b in boxes] + [0.0])
        if over <= 0 and under <= 0:
            return
        ax.set_ylim(low - under * per_pixel, high + over * per_pixel)


AREA_LINE_STYLES = ("-", "--", ":", "-.")


def period_tick(period: str, periods: list[str]) -> str:
    """A period's tick: the year alone when every period is the same month of its year."""
    if len({p[4:] for p in periods}) == 1:
        return period[:4]
    return period


def area_lines(frame: pd.DataFrame, *, focus: str, axis_label: str) -> Figure:
    """One line per area over ``period`` in the house colours (focus, comparison
    municipalities with their own dash, the whole country); the last value of each line is
    labelled, and a key below the axes names the areas."""
    if frame.empty:
        raise ValueError("area_lines needs at least one row")
    width = mpl.rcParams["figure.figsize"][0]
    fig = plt.figure(figsize=(width, 3.9), layout="constrained")
    ax = fig.subplots()
    shown = frame[[is_drawn(v, f) for v, f in zip(frame["value"], frame["flag"])]]
    periods = sorted(set(shown["period"]))
    position = {p: i for i, p in enumerate(periods)}
    handles = []
    comparisons = 0
    for area in dict.fromkeys(shown["area"]):
        rows = shown[shown["area"] == area].sort_values("period")
        if area in (focus, NATIONAL):
            dash = "-" if area == focus else "--"
        else:
            dash = AREA_LINE_STYLES[comparisons % len(AREA_LINE_STYLES)]
            comparisons += 1
        (line,) = ax.plot([position[p] for p in rows["period"]], rows["value"].astype(float),
                          color=style.area_colour(area, focus), linestyle=dash, marker="o",
                          markersize=3, linewidth=2.2 if area == focus else 1.4)
        handles.append((line, display_name(area)))
        last = rows.iloc[-1]
        ax.annotate(value_texts(rows.iloc[[-1]])[0].replace(" pct.", ""),
                    (position[last["period"]], float(last["value"])), textcoords="offset points",
                    xytext=(4, 0), va="center", fontsize=VALUE_FONT_SIZE - 1, color=style.TEXT)
    ax.set_xticks(range(len(periods)), [period_tick(p, periods) for p in periods])
    ax.set_xlim(-0.5, len(periods) - 0.2)
    ax.set_ylabel(axis_label)
    ticks = ax.get_yticks()
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = max(0, math.ceil(-math.log10(step) - 1e-9))   # 0,05 steps show 4,15, not 4,1 twice
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, decimals)))
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    handles.sort(key=lambda h: h[1] != display_name(focus))      # the focus first in the key
    ncol = min(len(handles), 3)
    fig.legend([h for h, _ in handles], [label for _, label in handles], loc="outside lower center",
               ncol=ncol, fontsize=LEGEND_FONT_SIZE, frameon=False)
    plt.close(fig)
    return fig


# -- organisation chart ------------------------------------------------------------------------
def wrap_text(text: str, width_in: float, size: float, weight: str = "normal", style_: str = "normal") -> list[str]:
    """``text`` in lines no wider than ``width_in`` inches at ``size`` points (measured, so
    bold and italic text wrap where they must); a word longer than a line keeps its line."""
    font = mpl.font_manager.FontProperties(size=size, weight=weight, style=style_)
    measure = TextToPath().get_text_width_height_descent
    lines: list[str] = []
    for word in text.split():
        if lines and measure(f"{lines[-1]} {word}", font, ismath=False)[0] / 72 <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def axis_text(text: str, width_in: float) -> str:
    """An axis label wrapped to ``width_in`` inches (a long one would widen the figure)."""
    size = mpl.font_manager.FontProperties(size=mpl.rcParams["axes.labelsize"]).get_size_in_points()
    return "\n".join(wrap_text(text, width_in, size))


# -- district map ------------------------------------------------------------------------------


# -- 100 pct. stacked bars ---------------------------------------------------------------------
def stacked_shares(frame: pd.DataFrame, *, category: str, categories: list[str], bar: str,
                   bars: list[str], axis_label: str) -> Figure:
    """One horizontal 100 pct. bar per value of ``bar`` (in the order ``bars``), split into
    ``categories`` (in order, light to dark for a scale). Each segment is labelled with its
    Danish value when it is wide enough; a missing category leaves its share undrawn, and the
    bar then ends before 100."""
    width = mpl.rcParams["figure.figsize"][0]
    fig = plt.figure(figsize=(width, 1.4 + 0.55 * len(bars)), layout="constrained")
    ax = fig.subplots()
    colours = mpl.colormaps["Blues"]([0.25 + 0.7 * i / max(len(categories) - 1, 1)
                                      for i in range(len(categories))])
    handles = []
    for j, name in enumerate(bars):
        left = 0.0
        for i, cat in enumerate(categories):
            hit = frame[(frame[bar] == name) & (frame[category] == cat)]
            if hit.empty or not is_drawn(hit.iloc[0]["value"], hit.iloc[0]["flag"]):
                continue
            value = float(hit.iloc[0]["value"])
            rect = ax.barh(j, value, left=left, color=colours[i], edgecolor="white", height=0.6)
            if j == 0 or len(handles) < len(categories):
                handles.append((rect, cat))
            if value >= 6:
                ax.text(left + value / 2, j, value_texts(hit)[0].replace(" pct.", ""),
                        ha="center", va="center", fontsize=VALUE_FONT_SIZE,
                        color="white" if i >= len(categories) / 2 else style.TEXT)
            left += value
    seen, keys = set(), []
    for handle, label in handles:
        if label not in seen:
            seen.add(label)
            keys.append((handle, label))
    order = {c: i for i, c in enumerate(categories)}
    keys.sort(key=lambda k: order[k[1]])
    tick_size = mpl.font_manager.FontProperties(size=mpl.rcParams["ytick.labelsize"]).get_size_in_points()
    ax.set_yticks(range(len(bars)), ["\n".join(wrap_text(b, width * LABEL_SHARE, tick_size)) for b in bars])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(danish_tick))
    ax.set_xlabel(axis_text(axis_label, width * (1 - LABEL_SHARE) - 0.2))
    ax.grid(axis="y", visible=False)
    fig.legend([h for h, _ in keys], [l for _, l in keys], loc="outside lower center",
               ncol=min(len(keys), 3), fontsize=LEGEND_FONT_SIZE, frameon=False)
    plt.close(fig)
    return fig


