"""The rows behind ``notebooks/indsats_loentimer.ipynb`` (Figur 8.31 and 8.36), on the
bundled data: the 2024 edition shows the report's statements for Randers Kommune; 2016 and
other areas have none."""

from __future__ import annotations

import pytest

from labour_market_book.datasets import load_dataset, where
from labour_market_book.pages.indsats_loentimer import (
    CASH_BENEFIT_GROUP, SPAN_MEASURES, bar_8_31, internship_rows, labels_8_31, rows_8_31,
    span_rows)

EDITION, EMPTY_EDITION = 2024, 2016


@pytest.fixture(scope="module")
def hours():
    return load_dataset("ordinary_hours")


@pytest.fixture(scope="module")
def internships():
    return load_dataset("company_internships")


# -- Figur 8.31 -----------------------------------------------------------------------------
def test_figur_8_31_is_a_point_a_lower_bound_and_a_fall(hours):
    rows = rows_8_31(hours, EDITION, "Randers")
    assert len(rows) == 4
    assert list(rows["measure"]) == ["share_with_ordinary_hours", *SPAN_MEASURES]
    assert list(rows["period"]) == ["2016-Q1", "2024-Q4", "2024-Q4", "2024-Q4"]
    assert list(rows["base_period"]) == ["", "2021-Q1", "2024-Q1", "2024-Q1"]
    assert list(rows["value"]) == [2.7, 10.0, 10.0, 7.0]
    assert list(rows["flag"]) == ["", "lower_bound", "", ""]
    assert set(rows["target_group"]) == {CASH_BENEFIT_GROUP}
    assert rows.attrs["dataset"] == "ordinary_hours"


def test_figur_8_31_labels_say_what_each_bar_is(hours):
    rows = rows_8_31(hours, EDITION, "Randers")
    assert labels_8_31(rows) == [
        "Randers Kommune, 1. kvartal 2016",
        "Randers Kommune, 1. kvartal 2021 til 4. kvartal 2024",
        "Randers Kommune, starten af 2024",
        "Randers Kommune, slutningen af 2024"]
    assert bar_8_31(rows.iloc[3]) == "slutningen af 2024"


def test_a_span_is_found_whatever_quarter_it_starts_in(hours):
    spans = span_rows(hours, EDITION, "share_in_span", target_group=CASH_BENEFIT_GROUP)
    assert list(spans["base_period"]) == ["2021-Q1"]
    assert "4. kvartal 2024" in spans.attrs["missing"]
    # select takes the base period from a rule, and no rule names 2021-Q1
    assert hours.select("share_in_span", EDITION).empty
    assert span_rows(hours, EDITION, "share_in_span", target_group="ingen").empty


def test_of_picks_the_rows_of_one_statement(hours):
    rows = rows_8_31(hours, EDITION, "Randers")
    fall = where(rows, measure="share_at_span_end")
    assert list(fall["value"]) == [7.0]
    assert fall.attrs["dataset"] == "ordinary_hours"
    assert where(rows, measure="share_at_span_end", area="Horsens").empty


def test_figur_8_31_has_no_rows_in_2016_nor_for_another_area(hours):
    assert rows_8_31(hours, EMPTY_EDITION, "Randers").empty
    empty = rows_8_31(hours, EDITION, "Horsens")
    assert empty.empty and labels_8_31(empty) == []


# -- Figur 8.36 -----------------------------------------------------------------------------
def test_figur_8_36_is_the_first_and_the_last_year(internships):
    first, last, rows = internship_rows(internships, EDITION, "Randers")
    assert list(first["value"]) == [525.0] and list(first["period"]) == ["2015"]
    assert list(last["value"]) == [189.0] and list(last["period"]) == ["2024"]
    assert list(zip(rows["period"], rows["value"])) == [("2015", 525.0), ("2024", 189.0)]


def test_figur_8_36_has_no_rows_in_2016(internships):
    first, last, rows = internship_rows(internships, EMPTY_EDITION, "Randers")
    assert first.empty and last.empty and rows.empty
    assert rows.attrs["dataset"] == "company_internships"
