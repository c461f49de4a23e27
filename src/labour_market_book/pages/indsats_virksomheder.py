"""Subsection 8.4.3, "Den kommunale virksomhedsservice": the rows behind Figur 8.38-8.39,
Tabel 8.6-8.7 and the page's two side tables (the survey's key figures, the recruitment
team's activities), and the numbers the prose derives from them, so that
``notebooks/indsats_virksomheder.ipynb`` only narrates.

KL's survey of the companies compares one municipality, Randers Kommune
(:data:`REPORT_FOCUS`), with all the municipalities that took part, which the data file
under "Hele landet" (:data:`SURVEY_AREAS`). Each function takes the page's datasets and the
edition's reference year and returns the rows an exhibit shows, in the order the report
shows them, or a text table or value built from such rows. An edition without rows gets an
empty selection, never another edition's numbers.
"""

from __future__ import annotations

import re

import pandas as pd

from ..areas import NATIONAL, display_name
from ..datasets import Dataset, stack
from ..edition import REPORT_FOCUS
from ..exhibits import pivot_text
from ..formatting import format_value

SURVEY_AREAS = [REPORT_FOCUS, NATIONAL]
"""The survey's two columns: Randers Kommune, then all participating municipalities."""

CATEGORIES_8_38 = ["meget tilfreds", "tilfreds", "hverken eller", "utilfreds", "meget utilfreds",
                   "ved ikke"]
"""Figur 8.38's answer categories, in the order they are stacked."""

SATISFIED = ("meget tilfreds", "tilfreds")
"""The two categories the prose adds up to the share of satisfied companies."""

MEASURES_8_39 = {"share_received_candidates": "har fået fremsendt kandidater",
                 "share_satisfied_with_candidates": "tilfredse eller meget tilfredse med kandidaterne"}
"""Figur 8.39's two bars per column: measure -> what the bar says, in the order drawn."""

RATES_8_6 = [("placement_rate", "Formidlingsgrad"), ("hiring_rate", "Ansættelsesgrad")]
"""Tabel 8.6's columns: measure -> header."""


def all_label(count: str | None) -> str:
    """How the page names all the survey's participants: ``"Alle 34 kommuner"`` with their
    number as the page glued it, or ``"Alle deltagende kommuner"`` when the data lack it."""
    return f"Alle {count} kommuner" if count else "Alle deltagende kommuner"


def survey_label(area: str, everyone: str) -> str:
    """A bar's or a column's name: Randers Kommune's display name for :data:`REPORT_FOCUS`,
    otherwise ``everyone`` (:func:`all_label`)."""
    return display_name(REPORT_FOCUS) if area == REPORT_FOCUS else everyone


def survey_columns(everyone: str) -> list[tuple[str, str]]:
    """The columns of a survey table for :func:`~labour_market_book.exhibits.pivot_text`:
    ``(area, header)`` for Randers Kommune, then all participants (``everyone``)."""
    return [(REPORT_FOCUS, display_name(REPORT_FOCUS)), (NATIONAL, everyone)]


# -- Figur 8.38 -----------------------------------------------------------------------------
def satisfaction_rows(satisfaction: Dataset, reference_year: int, everyone: str) -> pd.DataFrame:
    """Figur 8.38's rows: the share of companies in each answer category, Randers Kommune's
    before all participants', each row with the name of its bar (``bar``)."""
    shares = satisfaction.select("share_of_companies", reference_year, areas=SURVEY_AREAS)
    return shares.assign(bar=[survey_label(a, everyone) for a in shares["area"]])


def satisfaction_share(satisfaction: Dataset, reference_year: int, area: str,
                       category: str) -> pd.DataFrame:
    """Figur 8.38's row of one answer ``category`` for ``area`` (none when the edition or the
    report lacks it, as Randers Kommune's "meget utilfreds")."""
    return satisfaction.select("share_of_companies", reference_year, areas=[area], category=category)


def satisfied(satisfaction: Dataset, reference_year: int, area: str) -> tuple[str | None, pd.DataFrame]:
    """The share of ``area``'s companies that are very satisfied or satisfied (:data:`SATISFIED`):
    the sum of the two published shares as the prose writes it (``"78 pct."``, derived) and
    the rows it adds up; None unless both shares are in the data."""
    both = stack([satisfaction_share(satisfaction, reference_year, area, category)
                    for category in SATISFIED])
    return (format_value(both["value"].sum(), "pct", 0) if len(both) == 2 else None), both


# -- Figur 8.39 -----------------------------------------------------------------------------
def candidate_rows(candidates: Dataset, reference_year: int) -> pd.DataFrame:
    """Figur 8.39's rows: the share of companies that were sent candidates, then the share
    satisfied with them (:data:`MEASURES_8_39`), each for Randers Kommune before all
    participants."""
    return stack([candidates.select(measure, reference_year, areas=SURVEY_AREAS)
                    for measure in MEASURES_8_39])


def candidate_labels(rows: pd.DataFrame, everyone: str) -> list[str]:
    """Figur 8.39's bar labels: ``"Randers Kommune, har fået fremsendt kandidater"``."""
    return [f"{survey_label(a, everyone)}, {MEASURES_8_39[m]}"
            for a, m in zip(rows["area"], rows["measure"])]


# -- Tabel 8.6 ------------------------------------------------------------------------------
def rate_rows(placement: Dataset, reference_year: int, areas: list[str]) -> pd.DataFrame:
    """Tabel 8.6's rows: the placement rate of each of ``areas`` (in their order), then the
    hiring rate (:data:`RATES_8_6`)."""
    return stack([placement.select(measure, reference_year, areas=areas) for measure, _ in RATES_8_6])


def table_8_6(rows: pd.DataFrame, areas: list[str]) -> pd.DataFrame:
    """Tabel 8.6 as shown: one row per area of ``areas`` that has rows (display names), the
    two rates as columns; a rate the data lack reads "mangler"."""
    named = rows.assign(area_name=[display_name(a) for a in rows["area"]])
    return pivot_text(named, rows="area_name", columns="measure", row_header="Område",
                      row_order=[display_name(a) for a in areas if (rows["area"] == a).any()],
                      column_headers=RATES_8_6)


# -- the side tables ------------------------------------------------------------------------
def edition_rows(dataset: Dataset, reference_year: int) -> pd.DataFrame:
    """Every row of the edition's period, whatever its measure, in the order of the data
    file: the survey's key figures mix counts and shares, and the recruitment team's
    activities counts of companies and of persons, in one table each (the Dataset's
    selections take one measure at a time)."""
    frame = dataset.frame
    rows = frame[frame["period"] == str(dataset.period(reference_year))].copy()
    rows.attrs["dataset"] = dataset.id
    return rows


def team_table(counts: pd.DataFrame) -> pd.DataFrame:
    """The recruitment team's activities as the side table shows them: the activity (with
    the bound, when the report gives a range), when, and the number as printed."""
    label = [terms_da(s) + (f" ({b} grænse)" if b else "") for s, b in zip(counts["statement"], counts["range_bound"])]
    return pd.DataFrame({"Aktivitet": label, "Hvornår": list(counts["timing"]),
                         "Antal": [format_value(v, u, int(d), f) for v, u, d, f in
                                   zip(counts["value"], counts["unit"], counts["decimals"], counts["flag"])]})


def terms_da(label: str) -> str:
    """A survey label as the book words it (``docs/STYLE-da.md``: "jobcenteret", not the
    survey's "jobcentret"); the data keep KL's own spelling."""
    return re.sub(r"([Jj])obcentret", r"\1obcenteret", label)


def shown_labels(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """``rows`` with ``column``'s labels worded by :func:`terms_da`, for a shown table only."""
    out = rows.assign(**{column: rows[column].map(terms_da)})
    out.attrs.update(rows.attrs)
    return out
