"""Publishing tables and figures in a notebook: glue, export and download link in one call.

A notebook computes the selection it wants to show and hands it to :func:`table` or
:func:`figure`. Both write the exhibit's CSV (:mod:`.exports`) and glue the rendered
exhibit under its id, so that a Markdown cell places it with a numbered caption::

    ```{glue:figure} figur-8-5
    :name: figur-8-5
    Figur 8.5. ... Kilde: ...
    ```

When the selection is empty (the bundled data do not cover the edition), the exhibit
is glued as a notice that says what is missing and how to add it, and the CSV holds
only its header: the page never shows another edition's numbers.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML
from myst_nb import glue

from .areas import display_name
from .exports import write_export
from .figures import bar_by_area
from .formatting import NO_DATA_TEXT, format_number, format_value


def glue_text(key: str, text: str) -> None:
    """Glue a pre-formatted string for ``{glue:text}`` in prose (never a numpy scalar)."""
    if not isinstance(text, str):
        raise TypeError(f"glue_text('{key}') needs a str, got {type(text).__name__}")
    glue(key, text, display=False)


def notice_html(message: str) -> HTML:
    """A visible notice in place of an exhibit whose data are missing."""
    return HTML('<div class="admonition warning data-missing"><p class="admonition-title">'
                f"Data mangler</p><p>{html.escape(message)}</p></div>")


def value_text(frame: pd.DataFrame, area: str) -> str:
    """The formatted value of ``area`` in a selection, or the no-data marker."""
    rows = frame[frame["area"] == area]
    if rows.empty:
        return NO_DATA_TEXT
    row = rows.iloc[0]
    return format_value(row["value"], row["unit"], int(row["decimals"]), row["flag"])


def _exported_or_notice(exhibit_id: str, frame: pd.DataFrame, missing: str | None,
                        dimensions: list[str] | None) -> bool:
    """Write the exhibit's CSV; glue the missing-data notice and return True if it is empty."""
    write_export(exhibit_id, frame, dimensions)
    if frame.empty:
        glue(exhibit_id, notice_html(missing or frame.attrs.get("missing", "Ingen data.")),
             display=False)
    return frame.empty


def area_table(frame: pd.DataFrame, value_header: str) -> pd.DataFrame:
    """The table as shown: area display names and Danish-formatted values with their marks."""
    return pd.DataFrame({
        "Område": [display_name(a) for a in frame["area"]],
        value_header: [format_value(v, u, int(d), f) for v, u, d, f in
                       zip(frame["value"], frame["unit"], frame["decimals"], frame["flag"])],
    })


def table(exhibit_id: str, frame: pd.DataFrame, *, value_header: str,
          missing: str | None = None, dimensions: list[str] | None = None) -> None:
    """Glue a one-value-per-area table (Danish formatting) and export its numbers."""
    if _exported_or_notice(exhibit_id, frame, missing, dimensions):
        return
    shown = area_table(frame, value_header)
    styler = (shown.style.hide(axis="index")
              .set_uuid(exhibit_id.replace("-", "_"))
              .set_table_attributes('class="dataframe exhibit-table"'))
    glue(exhibit_id, HTML(styler.to_html()), display=False)


def figure(exhibit_id: str, frame: pd.DataFrame, *, focus: str, axis_label: str,
           missing: str | None = None, dimensions: list[str] | None = None,
           labels: list[str] | None = None) -> None:
    """Glue a bar chart by area (or the missing-data notice) and export its numbers."""
    if _exported_or_notice(exhibit_id, frame, missing, dimensions):
        return
    glue(exhibit_id, bar_by_area(frame, focus=focus, axis_label=axis_label, labels=labels),
         display=False)


def stack(first: pd.DataFrame, first_label: str, second: pd.DataFrame, second_label: str,
          column: str = "population") -> pd.DataFrame:
    """Two selections in one frame, told apart by ``column`` (area order kept, first before second)."""
    parts = [frame.assign(**{column: label}) for frame, label in
             ((first, first_label), (second, second_label)) if not frame.empty]
    if not parts:
        out = first.assign(**{column: first_label}).iloc[0:0]
        out.attrs["missing"] = first.attrs.get("missing", "")
        return out
    out = pd.concat(parts, ignore_index=True)
    if "basis" in out:
        out["basis"] = out["basis"].fillna("published")
    order = {area: i for i, area in enumerate(dict.fromkeys(out["area"]))}
    # A stable sort on the area alone keeps the first selection before the second.
    return out.sort_values("area", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def edition_gaps(reference_year: int, datasets) -> list[str]:
    """Danish sentences naming each dataset that has rows, but none for this edition's period."""
    gaps = []
    for ds in datasets:
        period = ds.period(reference_year)
        if not ds.frame.empty and not (ds.frame["period"] == str(period)).any():
            gaps.append(f"{ds.meta['publisher']}s {ds.meta['source']['table_id']} "
                        f"(data/{ds.csv_path.name}) har ingen tal for {period.label_da()}.")
    return gaps


def edition_notice(reference_year: int, datasets) -> None:
    """Show, at the top of a page, which data this edition lacks (nothing when none is missing)."""
    from IPython.display import display

    gaps = edition_gaps(reference_year, datasets)
    if gaps:
        display(notice_html(
            f"Udgaven for referenceåret {reference_year}: " + " ".join(gaps)
            + " Tabeller, figurer og tal i teksten, der bygger på disse data, viser i stedet, "
              "hvad der mangler. Nye data tilføjes som beskrevet i README (Adding a new year)."))


# -- prose helpers: the numbers a sentence needs, formatted, or the no-data marker ---------
def labelled_value(frame: pd.DataFrame, area: str) -> str:
    """``"Silkeborg Kommune (18,9 pct.)"``, or the no-data marker."""
    text = value_text(frame, area)
    return NO_DATA_TEXT if text == NO_DATA_TEXT else f"{display_name(area)} ({text})"


def extreme(frame: pd.DataFrame, areas: list[str], which: str) -> str:
    """The area with the ``"lowest"`` or ``"highest"`` value among ``areas``, labelled."""
    if which not in ("lowest", "highest"):
        raise ValueError("which must be 'lowest' or 'highest'")
    rows = frame[frame["area"].isin(areas)].dropna(subset=["value"]).sort_values("value", kind="stable")
    if rows.empty:
        return NO_DATA_TEXT
    return labelled_value(rows, rows.iloc[0 if which == "lowest" else -1]["area"])


def higher_than(frame: pd.DataFrame, area: str) -> str:
    """The other areas whose value exceeds ``area``'s, labelled; ``"ingen"`` if none."""
    own = frame.loc[frame["area"] == area, "value"]
    if own.empty:
        return NO_DATA_TEXT
    higher = frame[(frame["area"] != area) & (frame["value"] > own.iloc[0])]
    from .edition import join_da
    return join_da([labelled_value(higher, a) for a in higher["area"]]) or "ingen"


def change_words(frame: pd.DataFrame, area: str) -> tuple[str, str]:
    """Verb and size of a change for prose: ``("faldt", "3.381")``; no data gives a neutral verb."""
    values = frame.loc[frame["area"] == area, "value"]
    if values.empty:
        return "ændredes", NO_DATA_TEXT
    value = values.iloc[0]
    verb = "faldt" if value < 0 else "steg" if value > 0 else "ændredes"
    return verb, format_number(abs(value))


def values_text(frame: pd.DataFrame) -> str:
    """The distinct values of a selection, formatted without their flags: ``"56 pct."``."""
    from .edition import join_da
    texts = {format_value(v, u, int(d)) for v, u, d in
             zip(frame["value"], frame["unit"], frame["decimals"]) if not pd.isna(v)}
    return join_da(sorted(texts)) or NO_DATA_TEXT


def row_labels(frame: pd.DataFrame, column: str | None = None, suffix: str = "") -> list[str]:
    """Bar labels: area display names, with a dimension value when ``column`` is given."""
    if column is None:
        return [display_name(a) for a in frame["area"]]
    return [f"{display_name(a)}, {v}{suffix}" for a, v in zip(frame["area"], frame[column])]
