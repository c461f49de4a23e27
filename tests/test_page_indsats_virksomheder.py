"""The rows and tables behind ``notebooks/indsats_virksomheder.ipynb`` (Figur 8.38-8.39, Tabel
8.6-8.7 and the two side tables), on the bundled data: the 2024 edition shows the report's
numbers (KL's survey of the fourth quarter of 2024); 2016 has none."""

from __future__ import annotations

import pytest

from labour_market_book.areas import NATIONAL
from labour_market_book.datasets import load_dataset
from labour_market_book.exhibits import NOT_IN_DATA
from labour_market_book.pages.indsats_virksomheder import (
    CATEGORIES_8_38, REPORT_FOCUS, all_label, candidate_labels, candidate_rows,
    edition_rows, rate_rows, satisfaction_rows, satisfaction_share, satisfied,
    survey_columns, survey_label, table_8_6, team_table)

EDITION, EMPTY_EDITION = 2024, 2016
AREAS = ["Randers", "Horsens", "Silkeborg", "Vejle", NATIONAL]
EVERYONE = "Alle 34 kommuner"


@pytest.fixture(scope="module")
def satisfaction():
    return load_dataset("company_satisfaction")


@pytest.fixture(scope="module")
def candidates():
    return load_dataset("candidate_satisfaction")


@pytest.fixture(scope="module")
def placement():
    return load_dataset("placement_rate")


@pytest.fixture(scope="module")
def facts():
    return load_dataset("company_survey_facts")


@pytest.fixture(scope="module")
def team():
    return load_dataset("recruitment_team_counts")


# -- labels ---------------------------------------------------------------------------------
def test_the_participants_are_named_with_their_number_when_the_data_have_it():
    assert all_label("34") == EVERYONE
    assert all_label(None) == "Alle deltagende kommuner"
    assert survey_label(REPORT_FOCUS, EVERYONE) == "Randers Kommune"
    assert survey_label(NATIONAL, EVERYONE) == EVERYONE
    assert survey_columns(EVERYONE) == [("Randers", "Randers Kommune"), (NATIONAL, EVERYONE)]


# -- Figur 8.38 -----------------------------------------------------------------------------
def test_figur_8_38_has_randers_before_all_participants_with_their_bars(satisfaction):
    rows = satisfaction_rows(satisfaction, EDITION, EVERYONE)
    assert len(rows) == 11                    # Randers' "ved ikke" has no label in the report
    assert list(rows["area"]) == [REPORT_FOCUS] * 5 + [NATIONAL] * 6
    assert set(rows["bar"]) == {"Randers Kommune", EVERYONE}
    assert list(rows.loc[rows["area"] == NATIONAL, "category"]) == CATEGORIES_8_38
    assert rows.loc[0, "value"] == 39.0 and rows.loc[5, "value"] == 43.0
    assert rows.attrs["dataset"] == "company_satisfaction"


def test_one_category_is_one_row_or_none(satisfaction):
    assert list(satisfaction_share(satisfaction, EDITION, NATIONAL, "utilfreds")["value"]) == [2.0]
    assert satisfaction_share(satisfaction, EDITION, REPORT_FOCUS, "ved ikke").empty


def test_the_satisfied_add_up_the_two_published_shares(satisfaction):
    text, rows = satisfied(satisfaction, EDITION, REPORT_FOCUS)
    assert text == "90 pct."                  # 39 + 51
    assert list(rows["category"]) == ["meget tilfreds", "tilfreds"]
    assert satisfied(satisfaction, EDITION, NATIONAL)[0] == "86 pct."   # 43 + 43


def test_figur_8_38_has_no_rows_in_2016(satisfaction):
    assert satisfaction_rows(satisfaction, EMPTY_EDITION, EVERYONE).empty
    text, rows = satisfied(satisfaction, EMPTY_EDITION, REPORT_FOCUS)
    assert text is None and rows.empty


# -- Figur 8.39 -----------------------------------------------------------------------------
def test_figur_8_39_is_measure_by_measure_randers_first(candidates):
    rows = candidate_rows(candidates, EDITION)
    assert list(zip(rows["measure"], rows["area"], rows["value"])) == [
        ("share_received_candidates", REPORT_FOCUS, 66.0),
        ("share_received_candidates", NATIONAL, 59.0),
        ("share_satisfied_with_candidates", REPORT_FOCUS, 81.0),
        ("share_satisfied_with_candidates", NATIONAL, 77.0)]
    assert candidate_labels(rows, EVERYONE)[1] == f"{EVERYONE}, har fået fremsendt kandidater"
    assert candidate_labels(rows, EVERYONE)[2] == \
        "Randers Kommune, tilfredse eller meget tilfredse med kandidaterne"


def test_figur_8_39_has_no_rows_in_2016(candidates):
    rows = candidate_rows(candidates, EMPTY_EDITION)
    assert rows.empty and rows.attrs["dataset"] == "candidate_satisfaction"
    assert candidate_labels(rows, EVERYONE) == []


# -- Tabel 8.6 ------------------------------------------------------------------------------
def test_tabel_8_6_has_the_placement_rates_then_the_hiring_rates(placement):
    rows = rate_rows(placement, EDITION, AREAS)
    assert len(rows) == 10
    assert list(rows["area"]) == AREAS * 2
    assert list(rows["measure"]) == ["placement_rate"] * 5 + ["hiring_rate"] * 5
    shown = table_8_6(rows, AREAS)
    assert list(shown.columns) == ["Område", "Formidlingsgrad", "Ansættelsesgrad"]
    assert list(shown["Område"]) == ["Randers Kommune", "Horsens Kommune", "Silkeborg Kommune",
                                     "Vejle Kommune", "Hele landet"]
    assert shown.iloc[0].tolist() == ["Randers Kommune", "0,87", "0,37"]
    assert shown.iloc[1, 2] == "0,60"


def test_tabel_8_6_leaves_out_areas_without_rows_and_marks_a_missing_rate(placement):
    rows = rate_rows(placement, EDITION, ["Aarhus", "Randers"])
    assert set(rows["area"]) == {"Randers"}
    assert list(table_8_6(rows, ["Aarhus", "Randers"])["Område"]) == ["Randers Kommune"]
    hires_missing = rows[rows["measure"] == "placement_rate"]
    assert table_8_6(hires_missing, ["Randers"]).iloc[0, 2] == NOT_IN_DATA


def test_tabel_8_6_has_no_rows_in_2016(placement):
    rows = rate_rows(placement, EMPTY_EDITION, AREAS)
    assert rows.empty
    assert len(table_8_6(rows, AREAS)) == 0


# -- the side tables ------------------------------------------------------------------------
def test_the_key_figures_are_every_row_of_the_quarter_in_file_order(facts):
    rows = edition_rows(facts, EDITION)
    assert len(rows) == 12
    assert list(rows["measure"])[:3] == ["number", "number", "share_of_companies"]
    assert list(rows["statement"])[:2] == ["deltagende kommuner",
                                           "virksomheder, der deltog i undersøgelsen"]
    assert rows.attrs["dataset"] == "company_survey_facts"
    assert edition_rows(facts, EMPTY_EDITION).empty


def test_the_recruitment_team_table_shows_bounds_and_printed_numbers(team):
    counts = edition_rows(team, EDITION)
    assert len(counts) == 9
    shown = team_table(counts)
    assert list(shown.columns) == ["Aktivitet", "Hvornår", "Antal"]
    assert list(shown["Antal"]) == ["16", "~2.000", "6", "8", "59", "400", "30", "4", "12"]
    assert shown.loc[2, "Aktivitet"].endswith("(nedre grænse)")
    assert shown.loc[3, "Aktivitet"].endswith("(øvre grænse)")
    assert "grænse" not in shown.loc[0, "Aktivitet"]
    assert len(team_table(edition_rows(team, EMPTY_EDITION))) == 0
