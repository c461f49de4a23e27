"""The rows and words behind ``notebooks/indsats_organisering.ipynb`` (Figur 8.26, Kort 8.1,
Figur 8.28-8.29), on the bundled data and structure files: the 2024 edition shows the
report's numbers; 2016 has none."""

from __future__ import annotations

import pytest

from labour_market_book.areas import NATIONAL
from labour_market_book.datasets import load_dataset
from labour_market_book.pages.indsats_organisering import (
    CORRECTED, REPORT_FOCUS, UNCORRECTED, centre_facts, centre_names, dated, fact_numbers,
    labels_8_29, organisation_rows, place_names, places_table, resource_rows, spending_rows,
    statistic)
from labour_market_book.structures import load_structure

EDITION, EMPTY_EDITION = 2024, 2016
AREAS = ["Randers", "Horsens", "Silkeborg", "Vejle", NATIONAL]


@pytest.fixture(scope="module")
def organisation():
    return load_structure("organisation")


@pytest.fixture(scope="module")
def locations():
    return load_structure("locations")


@pytest.fixture(scope="module")
def spending():
    return load_dataset("employment_spending_per_fte")


@pytest.fixture(scope="module")
def survey():
    return load_dataset("resource_use_survey")


# -- Figur 8.26 and Kort 8.1 ----------------------------------------------------------------
def test_figur_8_26_has_a_row_per_department_and_one_for_a_centre_without(organisation):
    rows = organisation_rows(organisation)
    assert len(rows) == 6
    assert list(rows.columns) == ["centre", "abbreviation", "department", "target_groups",
                                  "inferred", "as_of", "source"]
    assert list(rows["abbreviation"]) == ["BYD", "BYD", "CVR", "CVR", "CJK", "CJU"]
    assert rows.loc[4, "department"] == ""               # the text names none of CJK's
    assert set(rows["as_of"]) == {"2025-02"}
    assert set(rows["source"]) == {"structures/organisation.yaml"}


def test_the_centres_and_their_facts_as_the_prose_gives_them(organisation):
    names = centre_names(organisation)
    assert names.startswith("Center for Borgerservice, Ydelser og Digitalisering (BYD), ")
    assert names.endswith(" og Center for Jobrettet Udvikling (CJU)")
    assert fact_numbers(organisation) == [("mere end 2.000", "mere end 2.000")]
    assert centre_facts(organisation) == ("Center for Virksomhedsservice og Rekruttering besøger "
                                          "årligt mere end 2.000 lokale virksomheder.")
    assert dated(organisation) == "februar 2025"


def test_a_fact_whose_number_disagrees_with_its_sentence_is_seen(organisation):
    changed = {**organisation, "centres": [
        {**c, "facts": [{**f, "value": 3000} for f in c.get("facts", [])]}
        for c in organisation["centres"]]}
    assert fact_numbers(changed) == [("mere end 3.000", "mere end 2.000")]


def test_kort_8_1_is_a_table_of_the_places(locations):
    shown = places_table(locations)
    assert list(shown.columns) == ["Sted", "Beliggenhed", "Hvad ligger der"]
    assert list(shown["Sted"]) == ["Regimentvej (den gamle kaserne)", "Odinsgade",
                                   "Tradium, Sct. Peders Gade"]
    assert shown.loc[2, "Hvad ligger der"] == ("jobcenterets ungeafdeling; uddannelsesvejledere fra "
                                               "ungdommens uddannelsesvejledning")
    assert place_names(locations) == ("Regimentvej (den gamle kaserne), Odinsgade og Tradium, "
                                      "Sct. Peders Gade")
    assert dated(locations) == "marts 2025"


# -- Figur 8.28 -----------------------------------------------------------------------------
def test_figur_8_28_is_area_by_area_first_year_first(spending):
    first, last, rows = spending_rows(spending, EDITION, AREAS)
    assert list(zip(first["area"], first["period"])) == [("Randers", "2014")]
    assert list(zip(last["area"], last["value"])) == [("Randers", 12339.0), (NATIONAL, 13513.0)]
    assert list(zip(rows["area"], rows["period"], rows["value"])) == [
        ("Randers", "2014", 7360.0), ("Randers", "2023", 12339.0), (NATIONAL, "2023", 13513.0)]
    # the order of the areas given, not of the data
    _, _, reordered = spending_rows(spending, EDITION, [NATIONAL, "Randers"])
    assert list(reordered["area"]) == [NATIONAL, "Randers", "Randers"]


def test_figur_8_28_has_no_rows_in_2016(spending):
    first, last, rows = spending_rows(spending, EMPTY_EDITION, AREAS)
    assert first.empty and last.empty and rows.empty


# -- Figur 8.29 -----------------------------------------------------------------------------
def test_figur_8_29_has_the_plain_numbers_before_the_corrected(survey):
    rows = resource_rows(survey, EDITION)
    assert len(rows) == 7
    assert list(rows["adjustment"]) == [UNCORRECTED] * 5 + [CORRECTED] * 2
    assert list(rows["area"]) == [REPORT_FOCUS] + [NATIONAL] * 4 + [REPORT_FOCUS, NATIONAL]
    assert list(rows["value"]) == [26541.0, 31979.0, 43200.0, 23700.0, 31000.0, 25600.0, 24600.0]
    assert labels_8_29(rows) == ["Randers Kommune", "Landsgennemsnit", "Gennemsnit top-10",
                                 "Gennemsnit bund-10", "Median", "Randers Kommune, korrigeret",
                                 "Gennemsnit bund-10, korrigeret"]


def test_one_number_of_figur_8_29(survey):
    assert list(statistic(survey, EDITION, "median")["value"]) == [31000.0]
    assert list(statistic(survey, EDITION, "kommunen", CORRECTED, REPORT_FOCUS)["value"]) == [25600.0]
    assert statistic(survey, EDITION, "gennemsnit top-10", CORRECTED).empty


def test_figur_8_29_has_no_rows_in_2016(survey):
    rows = resource_rows(survey, EMPTY_EDITION)
    assert rows.empty and labels_8_29(rows) == []
    assert statistic(survey, EMPTY_EDITION, "median").empty
