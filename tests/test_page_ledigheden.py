"""Subsection 8.2's builders (labour_market_book.pages.ledigheden) on the bundled data."""

from __future__ import annotations

import pytest

from labour_market_book.datasets import load_dataset
from labour_market_book.edition import Edition
from labour_market_book.pages import ledigheden as p82

REPORT = Edition(2024, "Randers", ("Horsens", "Silkeborg", "Vejle", "Hele landet"))


@pytest.fixture(scope="module")
def aus08():
    return load_dataset("unemployment_aus08")


@pytest.fixture(scope="module")
def top10():
    return load_dataset("job_goals_top10")


def test_tabel_8_2_has_four_measures_for_five_areas_in_three_months(aus08):
    rows = p82.unemployment_rows(aus08, REPORT)
    assert len(rows) == 4 * 5 * 3
    assert list(dict.fromkeys(rows["measure"])) == [m for m, _ in p82.BLOCKS_8_2]
    assert sorted(set(rows["period"])) == ["2024-03", "2025-02", "2025-03"]
    randers = rows[(rows["area"] == "Randers") & (rows["measure"] == "persons_actual")]
    assert randers["value"].tolist() == [1654.0, 1718.0, 1691.0]
    empty = p82.unemployment_rows(aus08, Edition(2010, "Randers", ("Hele landet",)))
    assert empty.empty and empty.attrs["dataset"] == "unemployment_aus08"


def test_tabel_8_3_and_the_top_three(top10):
    goals, postings, rows = p82.job_goals(top10, REPORT)
    assert len(goals) == len(postings) == 10 and len(rows) == 20
    assert rows["rank"].is_monotonic_increasing
    facts = p82.top_three(goals, postings)
    assert facts["titles"][0] == ("lager- og logistikmedarbejder, produktionsmedarbejder og "
                                  "rengøringsassistent")
    assert facts["postings"][0] == "4, 1 og 5"
    assert facts["most"][0] == "pædagogmedhjælper" and facts["most"][1]["value"].tolist() == [33.0]
    none = p82.top_three(goals.iloc[0:0], postings.iloc[0:0])
    assert none["titles"][0] is None and none["postings"][0] is None and none["most"][0] is None


def test_the_sentence_after_the_focus_share_names_the_highest(aus08):
    by_education = load_dataset("unemployment_by_education")
    rows = by_education.select("share_of_labour_force", 2024, areas=REPORT.areas,
                               education="lang videregående uddannelse")
    top = rows.sort_values("value").iloc[-1]["area"]
    text = p82.highest_sentence(rows, "X Kommune (9,9 pct.)", top)
    assert text == "Det er den højeste andel blandt de sammenlignede områder."
    other = next(a for a in REPORT.areas if a != top)
    assert p82.highest_sentence(rows, "X Kommune (9,9 pct.)", other).endswith("havde X Kommune (9,9 pct.).")
    assert p82.highest_sentence(rows, None, top) is None
