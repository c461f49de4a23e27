"""Subsection 8.4.2, "Ordinære løntimer, virksomhedspraktik og fleksjob": the rows behind
Figur 8.31 and 8.36 and their bar labels, so that ``notebooks/indsats_loentimer.ipynb``
only narrates.

The report publishes no series for Figur 8.30-8.37, only statements in its text: for the
activity-ready recipients of cash benefits one quarter's share, a lower bound over a span of
years and a fall during one year (Figur 8.31), and the number in company internships in the
first and the last year (Figur 8.36). Each function takes the page's datasets, the
edition's reference year and an area and returns the rows of those statements, or labels
for them; an edition or area without rows gets an empty selection, never another
edition's numbers.
"""

from __future__ import annotations

import pandas as pd

from ..areas import display_name
from ..datasets import Dataset, stack, where
from ..periods import Period

CASH_BENEFIT_GROUP = "aktivitetsparate kontanthjælpsmodtagere"
"""The target group of Figur 8.31."""

SPAN_MEASURES = ["share_in_span", "share_at_span_start", "share_at_span_end"]
"""Figur 8.31's shares over a span of quarters ending in the edition's quarter: the lower
bound over the span (2021-2024), then the share at the start and at the end of the year of
the fall (2024)."""


def span_rows(hours: Dataset, reference_year: int, measure: str, **dimensions: str) -> pd.DataFrame:
    """The rows of ``measure`` for spans that end in the edition's quarter, whatever quarter
    they start in (its ``base_period``), in the order of the data file. The report's spans
    start in quarters that no period rule names (2021-Q1, 2024-Q1), so
    :meth:`~labour_market_book.datasets.Dataset.select`, which takes the base period from a
    rule, cannot pick them; ``dimensions`` narrow them as in ``select``."""
    frame = hours.frame
    mask = (frame["measure"] == measure) & (frame["period"] == str(hours.period(reference_year)))
    mask &= frame["base_period"] != ""
    for column, value in dimensions.items():
        mask &= frame[column] == value
    rows = frame[mask].reset_index(drop=True)
    rows.attrs["dataset"] = hours.id
    rows.attrs["missing"] = hours.describe_need(measure, reference_year, **dimensions)
    return rows


def rows_8_31(hours: Dataset, reference_year: int, area: str) -> pd.DataFrame:
    """Figur 8.31's rows for ``area``: the share of activity-ready recipients of cash benefits
    with ordinary hours in the series' first quarter, then the report's shares over spans
    ending in the edition's quarter (:data:`SPAN_MEASURES`)."""
    group = {"target_group": CASH_BENEFIT_GROUP}
    start = hours.select("share_with_ordinary_hours", reference_year, role="series_start",
                         areas=[area], **group)
    spans = [where(span_rows(hours, reference_year, measure, **group), area=area)
             for measure in SPAN_MEASURES]
    return stack([start, *spans])


def bar_8_31(row: pd.Series) -> str:
    """What a bar of Figur 8.31 is: a quarter (``"1. kvartal 2016"``), a span (``"1. kvartal
    2021 til 4. kvartal 2024"``) or one end of a fall during a year (``"starten af 2024"``,
    ``"slutningen af 2024"``)."""
    period = Period.parse(row["period"])
    if row["measure"] == "share_in_span":
        return f"{Period.parse(row['base_period']).label_da()} til {period.label_da()}"
    if row["measure"] == "share_at_span_start":
        return f"starten af {period.year}"
    if row["measure"] == "share_at_span_end":
        return f"slutningen af {period.year}"
    return period.label_da()


def labels_8_31(rows: pd.DataFrame) -> list[str]:
    """Figur 8.31's bar labels: the area's display name and what the bar is (:func:`bar_8_31`)."""
    return [f"{display_name(row['area'])}, {bar_8_31(row)}" for _, row in rows.iterrows()]


def internship_rows(internships: Dataset, reference_year: int, area: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Figur 8.36 for ``area``: the full-time activated in company internships in the series'
    first year, in the edition's year, and both as the figure's rows (first year first)."""
    first = internships.select("full_time_activated", reference_year, role="series_start", areas=[area])
    last = internships.select("full_time_activated", reference_year, areas=[area])
    return first, last, stack([first, last])


def title_8_36(rows: pd.DataFrame) -> str:
    """Figur 8.36's title after what is drawn: the report's share of the population, or the
    count of full-time activated when that is what the data hold (a title's unit is the unit
    drawn)."""
    if not rows.empty and (rows["unit"] != "pct").all():
        return "Udvikling i antal fuldtidsaktiverede i virksomhedspraktik"
    return "Udvikling i andel fuldtidsaktiverede i virksomhedspraktik i pct. af befolkningen"


def axis_8_36(rows: pd.DataFrame) -> str:
    """Figur 8.36's value axis, in the unit drawn."""
    if not rows.empty and (rows["unit"] != "pct").all():
        return "Fuldtidsaktiverede i virksomhedspraktik, antal"
    return "Fuldtidsaktiverede i virksomhedspraktik, pct. af befolkningen"
