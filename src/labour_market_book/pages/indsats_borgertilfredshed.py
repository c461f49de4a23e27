"""Subsection 8.4.5, "Borgertilfredshed": the rows behind Tabel 8.12 and the table of
satisfaction by group, and the survey facts its prose quotes, so that
``notebooks/indsats_borgertilfredshed.ipynb`` only narrates.

Each function takes the page's datasets and the edition's reference year and returns the
rows of the edition's period (in the order the report shows them), or a text table laid
out from such rows. An edition without rows gets an empty selection, never another
edition's numbers.
"""

from __future__ import annotations

import pandas as pd

from ..datasets import Dataset, stack
from ..exhibits import NOT_IN_DATA, pivot_text
from ..formatting import format_value

GROUP_PREFIX = "tilfredshed: "
"""How the statements of KL's satisfaction by group of citizens begin
(``"tilfredshed: sygedagpengemodtagere"``)."""


def survey_fact(dataset: Dataset, reference_year: int, statement: str,
                survey_round: str | None = None, *, range_bound: str | None = None) -> pd.DataFrame:
    """The rows of one ``statement`` of a survey's facts (``citizen_survey_facts``,
    ``citizen_survey_implement_facts``) in the edition's period, whatever its measure;
    ``survey_round`` (``"forår"``, ``"efterår"``) and ``range_bound`` (``"nedre"``,
    ``"øvre"``) narrow them when given. One row for a fact the report states, none when the
    edition lacks it."""
    dimensions = {"statement": statement}
    if survey_round is not None:
        dimensions["survey_round"] = survey_round
    if range_bound is not None:
        dimensions["range_bound"] = range_bound
    return stack([dataset.select(measure, reference_year, **dimensions)
                    for measure in dataset.meta["measures"]])


def scores_8_12(kl: Dataset, reference_year: int) -> pd.DataFrame:
    """Tabel 8.12's rows (``citizen_survey_kl``): each theme's mean score in the edition's
    autumn round and its change since the spring round, by area (as the data list them),
    then theme number, the score before its change."""
    levels = kl.select("mean_score", reference_year)
    changes = kl.select("change_since_spring", reference_year, base_role="spring")
    rows = stack([levels, changes])
    if rows.empty:
        return rows
    areas = {area: i for i, area in enumerate(dict.fromkeys(rows["area"]))}
    rows = rows.sort_values("order", kind="stable")
    rows = rows.sort_values("area", key=lambda s: s.map(areas), kind="stable").reset_index(drop=True)
    rows.attrs.update(levels.attrs)
    return rows


def score_cell(rows: pd.DataFrame, theme: str, area: str) -> str:
    """One cell of Tabel 8.12: ``area``'s mean score for ``theme`` as printed, with the change
    since spring in parentheses when the rows have it (``"3,51 (-0,15)"``); :data:`NOT_IN_DATA`
    without a score."""
    mine = rows[(rows["theme"] == theme) & (rows["area"] == area)]
    level = mine[mine["measure"] == "mean_score"]
    change = mine[mine["measure"] == "change_since_spring"]
    if level.empty:
        return NOT_IN_DATA
    first = level.iloc[0]
    text = format_value(first["value"], "", int(first["decimals"]), first["flag"])
    if not change.empty:
        c = change.iloc[0]
        text += f" ({format_value(c['value'], '', int(c['decimals']), c['flag'])})"
    return text


def table_8_12(rows: pd.DataFrame, *, row_header: str,
               columns: list[tuple[str, str]]) -> pd.DataFrame:
    """Tabel 8.12 as shown: one row per theme (in the order of ``rows``, from
    :func:`scores_8_12`) and one column per ``(area, header)`` of ``columns``, each cell a
    :func:`score_cell`."""
    themes = list(dict.fromkeys(rows["theme"]))
    table = {row_header: themes}
    for area, header in columns:
        table[header] = [score_cell(rows, theme, area) for theme in themes]
    return pd.DataFrame(table)


def overall_scores(kl: Dataset, reference_year: int) -> pd.DataFrame:
    """The mean score of Tabel 8.12's first theme (the overall satisfaction with one's
    course at the jobcentre), one row per area, for the prose."""
    return kl.select("mean_score", reference_year, order=1)


def group_scores(kl_facts: Dataset, reference_year: int) -> pd.DataFrame:
    """The mean satisfaction of groups of citizens in KL's survey (``citizen_survey_facts``,
    statements beginning with :data:`GROUP_PREFIX`), in the order of the data."""
    scores = kl_facts.select("mean_score", reference_year)
    out = scores[scores["statement"].str.startswith(GROUP_PREFIX)].reset_index(drop=True)
    out.attrs.update(scores.attrs)
    return out


def groups_table(rows: pd.DataFrame, *, row_header: str, value_header: str) -> pd.DataFrame:
    """The table of satisfaction by group as shown: the group (its statement without
    :data:`GROUP_PREFIX`) and its mean score as printed, one row per row of
    :func:`group_scores`."""
    named = rows.assign(group=[s.removeprefix(GROUP_PREFIX) for s in rows["statement"]])
    return pivot_text(named, rows="group", columns="measure", row_header=row_header,
                      column_headers=[("mean_score", value_header)], unit=False)


def round_year(survey, reference_year: int) -> int:
    """The year of the survey round an edition names: the edition's own round, or, for an
    edition before the survey's first round, that first round (a one-off survey such as
    Implement's of 2022 is never dated to a year it did not take place)."""
    first = min(int(str(p)[:4]) for p in survey.frame["period"])
    return max(survey.period(reference_year).year, first)
