"""The rows and derived words behind ``notebooks/indsats_sammenfatning.ipynb``, on the bundled
data: the 2024 edition retells the report's numbers for Randers Kommune; 2016 has none of
most of them."""

from __future__ import annotations

import math

import pytest

from labour_market_book.areas import NATIONAL
from labour_market_book.datasets import load_dataset
from labour_market_book.exhibits import ranking_size
from labour_market_book.pages.indsats_sammenfatning import (
    Expenditure, outside_shares, ranked, top_goal)

EDITION, EMPTY_EDITION = 2024, 2016
AREAS = ["Randers", "Horsens", "Silkeborg", "Vejle", NATIONAL]


@pytest.fixture(scope="module")
def benchmark():
    return load_dataset("framework_benchmark")


@pytest.fixture(scope="module")
def expenditure():
    return load_dataset("income_transfer_expenditure")


@pytest.fixture(scope="module")
def top10():
    return load_dataset("job_goals_top10")


def test_the_shares_outside_the_labour_force_are_tabel_8_1s():
    shares = outside_shares(load_dataset("outside_labour_force"), EDITION, AREAS)
    assert list(shares["area"]) == AREAS
    assert list(shares["value"]) == [22.8, 20.6, 18.9, 19.9, 21.7]
    assert set(shares["age_group"]) == {"16-66"} and set(shares["origin"]) == {"i alt"}
    assert outside_shares(load_dataset("outside_labour_force"), EMPTY_EDITION, AREAS).empty


# -- the benchmark --------------------------------------------------------------------------
def test_the_ranking_has_the_rows_with_a_place(benchmark):
    rows = ranked(benchmark, EDITION)
    assert len(rows) == 42                       # 14 areas, three measures each
    assert set(rows["measure"]) == {"expected_share", "actual_share", "difference"}
    expected = ranked(benchmark, EDITION, "expected_share")
    assert len(expected) == 14 and set(expected["measure"]) == {"expected_share"}
    own = expected[expected["area"] == "Randers"]
    assert len(own) == 1 and int(own.iloc[0]["rank"]) == 97
    assert ranking_size(rows) == 98              # the excerpt 1-5 and 90-98 of 98 places


def test_a_whole_ranking_and_an_edition_with_only_a_place_of_its_own(benchmark):
    assert len(ranked(benchmark, 2021, "expected_share")) == 98
    assert ranking_size(ranked(benchmark, 2021)) == 98
    # 2022 has Randers' place as a number of its own (measure "rank"), no ranked rows
    assert ranked(benchmark, 2022).empty
    assert ranked(benchmark, EMPTY_EDITION).empty


# -- the expenditure on income transfers ----------------------------------------------------
def test_the_expenditure_in_the_first_and_the_last_year(expenditure):
    spent = Expenditure.of(expenditure, EDITION, "Randers")
    assert list(spent.amount_start["period"]) == ["2015"] and list(spent.amount_start["value"]) == [1.4]
    assert list(spent.amount["value"]) == [2.2]
    assert list(spent.share_start["value"]) == [1.95]
    assert list(spent.share["value"]) == [2.13]
    assert list(spent.population_share["value"]) == [1.68]
    change = spent.change()
    assert len(change) == 1 and change.iloc[0]["period"] == "2024"
    assert change.iloc[0]["value"] == pytest.approx(0.8)        # 2.2 - 1.4 mia. kr.
    text, rows = spent.against_population()
    assert text == "over"
    assert list(rows["measure"]) == ["expenditure_share", "population_share"]


def test_an_edition_without_amounts_has_no_change(expenditure):
    spent = Expenditure.of(expenditure, EMPTY_EDITION, "Randers")
    assert spent.amount.empty and spent.amount_start.empty
    assert spent.change().empty
    # the shares are there every year: 1.97 pct. of the expenditure, 1.71 of the population
    assert spent.against_population()[0] == "over"
    first_year = Expenditure.of(expenditure, 2015, "Randers").change()
    assert len(first_year) == 1 and math.isnan(first_year.iloc[0]["value"])   # no 2006 amount


def test_no_expenditure_for_an_area_without_rows(expenditure):
    spent = Expenditure.of(expenditure, EDITION, "Horsens")
    assert spent.change().empty
    text, rows = spent.against_population()
    assert text is None and rows.empty


# -- the top job goal -----------------------------------------------------------------------
def test_the_most_frequent_job_goal_and_its_postings(top10):
    title, goal, postings = top_goal(top10, EDITION, "Randers")
    assert title == "lager- og logistikmedarbejder"
    assert list(goal["value"]) == [224.0] and list(goal["rank"]) == [1]
    assert list(postings["value"]) == [4.0] and list(postings["measure"]) == ["job_postings"]


def test_no_job_goal_in_2016(top10):
    title, goal, postings = top_goal(top10, EMPTY_EDITION, "Randers")
    assert title is None and goal.empty and postings.empty
