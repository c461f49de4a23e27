"""Subsection 8.4.6, "Sammenfatning": the rows and derived words behind the summary's prose
that the Dataset's selections do not give directly, so that
``notebooks/indsats_sammenfatning.ipynb`` only narrates.

The summary retells numbers the earlier pages show, from the same rows: the focus' place in
the Ministry of Employment's benchmark (Tabel 8.4), the change in its expenditure on income
transfers and its share of the country's against its share of the population (Figur 8.14),
and the most frequent job goal of its unemployed (Tabel 8.3). Each function takes the page's
datasets, the edition's reference year and the area; an edition without rows gets an empty
selection or None, never another edition's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..datasets import Dataset


def outside_shares(ras: Dataset, reference_year: int, areas: list[str]) -> pd.DataFrame:
    """Tabel 8.1's rows (``outside_labour_force``): the share of the 16-66-year-olds outside
    the labour force, all sexes and origins, for each of ``areas`` in their order."""
    return ras.select("share_of_population", reference_year, areas=areas,
                      age_group="16-66", sex="i alt", origin="i alt")


def ranked(benchmark: Dataset, reference_year: int, measure: str | None = None) -> pd.DataFrame:
    """The rows of the edition's benchmark that have a place in the ranking (``rank``), of
    ``measure`` or, without it, of every measure (measure by measure, each in the order of
    the data); a place given as a number of its own (measure ``rank``, e.g. Randers Kommune's
    place in 2015 as the text gives it) leaves ``rank`` empty and is not among them."""
    measures = [measure] if measure else list(benchmark.meta["measures"])
    parts = [benchmark.select(m, reference_year) for m in measures]
    found = [part for part in parts if not part.empty]
    rows = pd.concat(found, ignore_index=True) if found else parts[0]
    rows = rows[rows["rank"].notna()].reset_index(drop=True)
    rows.attrs.update(parts[0].attrs)
    return rows


@dataclass
class Expenditure:
    """The numbers of Figur 8.14 the summary retells for one area: its expenditure on income
    transfers in the series' first year and in the edition's year, its share of the
    country's expenditure in both years and its share of the population in the edition's
    year, each a selection (empty when the edition lacks it)."""

    amount_start: pd.DataFrame
    amount: pd.DataFrame
    share_start: pd.DataFrame
    share: pd.DataFrame
    population_share: pd.DataFrame

    @classmethod
    def of(cls, expenditure: Dataset, reference_year: int, area: str) -> Expenditure:
        """The five selections for ``area`` in the edition of ``reference_year``."""
        year, areas = reference_year, [area]
        return cls(
            amount_start=expenditure.select("expenditure_amount", year, role="series_start", areas=areas),
            amount=expenditure.select("expenditure_amount", year, areas=areas),
            share_start=expenditure.select("expenditure_share", year, role="series_start", areas=areas),
            share=expenditure.select("expenditure_share", year, areas=areas),
            population_share=expenditure.select("population_share", year, areas=areas))

    def change(self) -> pd.DataFrame:
        """The change in the amount from the series' first year to the edition's year, as one
        row of the edition's year whose value is the difference (derived): empty when the
        edition has no amount, the value missing when the first year has none."""
        both = pd.concat([self.amount, self.amount_start])
        return both.assign(value=lambda f: f["value"].diff(-1)).head(1)

    def against_population(self) -> tuple[str | None, pd.DataFrame]:
        """Whether the share of the country's expenditure in the edition's year lies
        ``"over"``, ``"under"`` or ``"på niveau med"`` the share of the population (derived
        from the two published shares), and the two rows; None when one of them is missing."""
        rows = pd.concat([self.share, self.population_share])
        if self.share.empty or self.population_share.empty:
            return None, rows
        mine, population = float(self.share.iloc[0]["value"]), float(self.population_share.iloc[0]["value"])
        return ("over" if mine > population else "under" if mine < population else "på niveau med"), rows


def top_goal(top10: Dataset, reference_year: int,
             area: str) -> tuple[str | None, pd.DataFrame, pd.DataFrame]:
    """The most frequent job goal of ``area``'s unemployed (place 1 of Tabel 8.3): its title
    in lower case as the prose writes it, the row of the number of unemployed with the goal
    and the row of the job postings with that title (no rows, and None, when the edition
    lacks the list)."""
    goals = top10.select("unemployed_with_job_goal", reference_year, areas=[area])
    postings = top10.select("job_postings", reference_year, areas=[area])
    first = goals.sort_values("rank").head(1)
    first_posting = postings[postings["rank"].isin(first["rank"])]
    return (first.iloc[0]["job_title"].lower() if not first.empty else None), first, first_posting
