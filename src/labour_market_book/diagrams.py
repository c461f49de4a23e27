"""Figures that are not charts of numbers: the organisation chart (Figur 8.26) and a map of
districts (Kort 8.2 and 8.3 when their geometry is bundled), in the house style."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.ticker import FuncFormatter

from . import style
from .figures import LEGEND_FONT_SIZE, VALUE_FONT_SIZE, danish_tick, wrap_text
from .geo import rings


def org_units(centre: dict) -> list[dict]:
    """What is drawn under a centre: its departments, then the target group it works with."""
    units = list(centre.get("departments") or [])
    works = centre.get("works_with")
    if works:
        units.append({"name": "Målgruppe: " + works["text_da"], "inferred": works.get("inferred")})
    return units


def org_chart(meta: dict, *, top: str) -> Figure:
    """An organisation chart drawn from a structure file, as an indented tree that reads on
    a phone: ``top``, under it each centre, under each centre its departments (and target
    groups). Units marked ``inferred`` are drawn in italics with an asterisk. Drawn with
    matplotlib, so it needs no network.

    The figure is laid out in inches (the axes span the figure, one data unit per inch),
    so every box is as tall as its wrapped text at the house style's smallest size."""
    width = mpl.rcParams["figure.figsize"][0]
    size = VALUE_FONT_SIZE
    pad, gap, indent = 0.08, 0.1, 0.3
    line = size * 1.3 / 72
    boxes = [{"level": 0, "text": top, "face": "#E8F1F8", "edge": style.TEXT, "weight": "bold",
              "style": "normal"}]
    inferred_any = False
    for centre in meta["centres"]:
        label = centre["name"] + (f" ({centre['abbreviation']})" if centre.get("abbreviation") else "")
        boxes.append({"level": 1, "text": label, "face": style.FOCUS + "33", "edge": style.TEXT,
                      "weight": "bold", "style": "normal"})
        for dept in org_units(centre):
            inferred = bool(dept.get("inferred"))
            inferred_any |= inferred
            text = dept["name"] + ("*" if inferred else "")
            if dept.get("target_groups"):
                text += " – " + ", ".join(dept["target_groups"])
            boxes.append({"level": 2, "text": text, "face": "white", "edge": style.COMPARISON,
                          "weight": "normal", "style": "italic" if inferred else "normal"})
    y = 0.0
    for box in boxes:
        box["x0"] = box["level"] * indent
        box["lines"] = wrap_text(box["text"], width - box["x0"] - 2 * pad, size, box["weight"], box["style"])
        box["y0"], box["y1"] = y, y + len(box["lines"]) * line + 2 * pad
        y = box["y1"] + gap
    height = y + (line + gap if inferred_any else 0.0)
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    parents: dict[int, dict] = {}
    for box in boxes:
        ax.add_patch(Rectangle((box["x0"], box["y0"]), width - box["x0"], box["y1"] - box["y0"],
                               facecolor=box["face"], edgecolor=box["edge"], linewidth=0.8))
        ax.text(box["x0"] + pad, (box["y0"] + box["y1"]) / 2, "\n".join(box["lines"]), ha="left",
                va="center", fontsize=size, color=style.TEXT, weight=box["weight"],
                style=box["style"], linespacing=1.15)
        parent = parents.get(box["level"] - 1)
        if parent is not None:  # an elbow from the parent's left edge, down and in
            x = parent["x0"] + indent / 2
            mid = (box["y0"] + box["y1"]) / 2
            colour = style.TEXT if box["level"] == 1 else style.COMPARISON
            ax.plot([x, x, box["x0"]], [parent["y1"], mid, mid], color=colour, linewidth=0.8)
        parents[box["level"]] = box
    if inferred_any:
        ax.text(0, height - gap / 2, "* udledt af hvidbogens delvist tabte tekst", ha="left", va="bottom",
                fontsize=size, color=style.TEXT, style="italic")
    plt.close(fig)
    return fig


def choropleth(values: dict[str, tuple[float | None, str]], geojson: dict, *, legend_label: str,
               name_property: str = "skoledistrikt") -> Figure:
    """A map of districts coloured by value. ``values`` maps a district name to (value,
    formatted text); a district with no value (suppressed or absent) is hatched grey."""
    width = mpl.rcParams["figure.figsize"][0]
    fig = plt.figure(figsize=(width, width * 0.8), layout="constrained")
    ax = fig.subplots()
    numbers = [v for v, _ in values.values() if v is not None]
    norm = mpl.colors.Normalize(vmin=min(numbers, default=0), vmax=max(numbers, default=1))
    cmap = mpl.colormaps["Blues"]
    for feature in geojson["features"]:
        name = feature["properties"][name_property]
        value, text = values.get(name, (None, "ingen data"))
        for ring in rings(feature["geometry"]):
            patch = Polygon(ring, closed=True, edgecolor="white", linewidth=0.8,
                            facecolor=cmap(0.25 + 0.75 * norm(value)) if value is not None else "#EEEEEE",
                            hatch=None if value is not None else "..")
            ax.add_patch(patch)
        outer = rings(feature["geometry"])[0]
        cx = sum(x for x, _ in outer) / len(outer)
        cy = sum(y for _, y in outer) / len(outer)
        ax.text(cx, cy, f"{name}\n{text}", ha="center", va="center", fontsize=VALUE_FONT_SIZE,
                color=style.TEXT)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(sm, ax=ax, orientation="horizontal", fraction=0.04, pad=0.02)
    bar.set_label(legend_label, fontsize=LEGEND_FONT_SIZE)
    bar.ax.xaxis.set_major_formatter(FuncFormatter(danish_tick))
    plt.close(fig)
    return fig
