"""The rows and tables behind ``notebooks/indsats_borgertilfredshed.ipynb`` (Tabel 8.12, the
satisfaction by group and the survey facts of the prose), on the bundled data: the 2024
edition shows the report's numbers; 2016 has none."""

from __future__ import annotations

import pytest

from labour_market_book.datasets import load_dataset
from labour_market_book.exhibits import NOT_IN_DATA
from labour_market_book.pages.indsats_borgertilfredshed import (
    GROUP_PREFIX, group_scores, groups_table, overall_scores, score_cell, scores_8_12,
    survey_fact, table_8_12)

EDITION, EMPTY_EDITION = 2024, 2016


@pytest.fixture(scope="module")
def kl():
    return load_dataset("citizen_survey_kl")


@pytest.fixture(scope="module")
def kl_facts():
    return load_dataset("citizen_survey_facts")


@pytest.fixture(scope="module")
def implement_facts():
    return load_dataset("citizen_survey_implement_facts")


# -- survey facts ---------------------------------------------------------------------------
def test_a_fact_is_the_one_row_of_its_statement_whatever_its_measure(implement_facts, kl_facts):
    invited = survey_fact(implement_facts, EDITION, "borgere, som fik tilsendt spørgeskemaet")
    assert len(invited) == 1
    assert (invited.loc[0, "period"], invited.loc[0, "value"], invited.loc[0, "flag"]) == \
        ("2022", 14000.0, "lower_bound")
    coverage = survey_fact(implement_facts, EDITION, "spørgeskemaundersøgelsens dækningsgrad")
    assert list(coverage["measure"]) == ["share"] and list(coverage["value"]) == [25.0]
    municipalities = survey_fact(kl_facts, EDITION, "deltagende kommuner", "efterår")
    assert list(municipalities["value"]) == [35.0] and list(municipalities["area"]) == ["Hele landet"]


def test_the_round_and_the_bound_narrow_a_fact(implement_facts, kl_facts):
    both = survey_fact(kl_facts, EDITION, "svarprocent")
    assert sorted(both["survey_round"]) == ["efterår", "forår"]
    assert list(survey_fact(kl_facts, EDITION, "svarprocent", "forår")["value"]) == [33.1]
    assert list(survey_fact(kl_facts, EDITION, "svarprocent", "efterår")["value"]) == [31.9]
    statement = "personer, der årligt tilgår førtidspension"
    assert len(survey_fact(implement_facts, EDITION, statement)) == 2
    assert list(survey_fact(implement_facts, EDITION, statement, range_bound="nedre")["value"]) == [275.0]
    assert list(survey_fact(implement_facts, EDITION, statement, range_bound="øvre")["value"]) == [300.0]


def test_a_fact_the_edition_or_the_data_lack_has_no_rows(implement_facts, kl_facts):
    assert survey_fact(implement_facts, EMPTY_EDITION, "personer, der besvarede spørgeskemaet").empty
    assert survey_fact(kl_facts, EMPTY_EDITION, "svarprocent", "forår").empty
    assert survey_fact(kl_facts, EDITION, "svarprocent", "vinter").empty
    assert survey_fact(kl_facts, EDITION, "ikke et udsagn i data").empty


# -- Tabel 8.12 ----------------------------------------------------------------------------
def test_tabel_8_12_rows_are_every_score_and_change_by_area_then_theme(kl):
    rows = scores_8_12(kl, EDITION)
    assert len(rows) == 24
    assert list(rows["area"]) == ["Randers"] * 12 + ["Hele landet"] * 12
    assert list(rows["order"]) == [n for n in range(1, 7) for _ in range(2)] * 2
    assert list(rows["measure"]) == ["mean_score", "change_since_spring"] * 12
    assert list(rows.loc[:1, "value"]) == [3.51, -0.15]
    assert set(rows.loc[rows["measure"] == "change_since_spring", "base_period"]) == {"2024"}
    assert rows.attrs["dataset"] == "citizen_survey_kl"
    # the order of the data file, which the exported CSV keeps
    period = kl.frame[kl.frame["period"] == "2024"]
    assert list(rows["value"]) == list(period["value"])


def test_tabel_8_12_shows_each_score_with_its_change_in_parentheses(kl):
    rows = scores_8_12(kl, EDITION)
    shown = table_8_12(rows, row_header="Tema",
                       columns=[("Randers", "Randers Kommune"), ("Hele landet", "Gennemsnit")])
    assert list(shown.columns) == ["Tema", "Randers Kommune", "Gennemsnit"]
    assert len(shown) == 6
    assert shown.loc[0, "Tema"] == "Borgernes overordnede tilfredshed med deres forløb i jobcenteret"
    assert shown.loc[0, "Randers Kommune"] == "3,51 (−0,15)"
    assert shown.loc[2, "Gennemsnit"] == "3,28 (−0,1)"       # the change printed with one decimal
    assert shown.loc[5, "Randers Kommune"] == "2,88 (−0,13)"


def test_a_score_cell_without_a_score_or_a_change(kl):
    rows = scores_8_12(kl, EDITION)
    theme = rows.loc[0, "theme"]
    assert score_cell(rows, theme, "Horsens") == NOT_IN_DATA
    levels_only = rows[rows["measure"] == "mean_score"]
    assert score_cell(levels_only, theme, "Randers") == "3,51"


def test_overall_scores_are_the_first_theme_for_each_area(kl):
    overall = overall_scores(kl, EDITION)
    assert dict(zip(overall["area"], overall["value"])) == {"Randers": 3.51, "Hele landet": 3.52}
    assert set(overall["measure"]) == {"mean_score"}


def test_tabel_8_12_has_no_rows_in_an_edition_without_the_survey(kl):
    rows = scores_8_12(kl, EMPTY_EDITION)
    assert rows.empty
    assert rows.attrs["dataset"] == "citizen_survey_kl" and "2016" in rows.attrs["missing"]
    assert table_8_12(rows, row_header="Tema", columns=[("Randers", "Randers Kommune")]).empty
    assert overall_scores(kl, EMPTY_EDITION).empty


# -- satisfaction by group -----------------------------------------------------------------
def test_group_scores_are_the_ten_groups_in_the_order_of_the_data(kl_facts):
    groups = group_scores(kl_facts, EDITION)
    assert len(groups) == 10
    assert all(s.startswith(GROUP_PREFIX) for s in groups["statement"])
    assert (groups.loc[0, "statement"], groups.loc[0, "value"]) == ("tilfredshed: sygedagpengemodtagere", 3.88)
    assert groups.attrs["dataset"] == "citizen_survey_facts"


def test_the_groups_table_names_the_group_and_prints_the_score(kl_facts):
    shown = groups_table(group_scores(kl_facts, EDITION), row_header="Gruppe",
                         value_header="Tilfredshed (skala 1-5)")
    assert list(shown.columns) == ["Gruppe", "Tilfredshed (skala 1-5)"]
    assert len(shown) == 10
    assert list(shown.iloc[0]) == ["sygedagpengemodtagere", "3,88"]
    assert dict(zip(shown["Gruppe"], shown["Tilfredshed (skala 1-5)"]))["16-29 år"] == "3,20"
    assert not any(g.startswith(GROUP_PREFIX) for g in shown["Gruppe"])


def test_no_groups_in_an_edition_without_the_survey(kl_facts):
    groups = group_scores(kl_facts, EMPTY_EDITION)
    assert groups.empty
    assert groups_table(groups, row_header="Gruppe", value_header="Tilfredshed").empty
