"""Subsection 8.3's exhibit builders (labour_market_book.pages.indkomstoverfoersler) on the
bundled data: the report's edition, an edition with Tabel 8.4's whole ranking, one without."""

from __future__ import annotations

import pytest

from labour_market_book.datasets import load_dataset, where
from labour_market_book.edition import Edition
from labour_market_book.pages import indkomstoverfoersler as p83

REPORT = Edition(2024, "Randers", ("Horsens", "Silkeborg", "Vejle", "Hele landet"))


@pytest.fixture(scope="module")
def ds():
    names = ["framework_benchmark", "income_transfer_expenditure", "national_share_by_target_group",
             "full_time_persons_change", "benefit_groups", "cepos_early_retirement"]
    return {name: load_dataset(name) for name in names}


def test_tabel_8_4_rows_are_the_ranked_areas_of_the_edition(ds):
    excerpt = p83.ranking(ds["framework_benchmark"], 2024)
    assert len(excerpt) == 14 * 3 and set(excerpt["period"]) == {"2024"}
    assert excerpt["rank"].is_monotonic_increasing
    whole = p83.ranking(ds["framework_benchmark"], 2021)
    assert whole["area"].nunique() == 98 and set(whole["measure"]) == set(p83.COLUMNS_8_4)
    assert p83.ranking(ds["framework_benchmark"], 2016).empty
    assert where(whole, area="Randers", measure="expected_share")["rank"].tolist() == [95]


def test_figur_8_14_series_gap_and_notes(ds):
    f814 = p83.Expenditure.of(ds["income_transfer_expenditure"], 2024, "Randers")
    assert f814.years[0] == "2015" and f814.years[-1] == "2024"
    assert set(f814.shares["measure"]) == {"expenditure_share", "population_share"}
    gap = f814.gap("2024")
    expected = (float(f814.share("expenditure_share", "2024")["value"].iloc[0])
                - float(f814.share("population_share", "2024")["value"].iloc[0]))
    assert gap["value"].tolist() == [pytest.approx(expected)] and gap["basis"].tolist() == ["derived"]
    assert ("2024", "expenditure_share", "ca. 2,2 mia. kr.") in f814.notes()   # "~" reads "ca."
    assert f814.population_note().startswith("Folketallene (96.800 og 99.974 borgere)")
    text, rows = f814.population_range()
    assert text.startswith("mellem ") and len(rows) == 10
    assert f814.fact("extra_cost_vs_2015")["value"].tolist() == [180.0]
    nothing = p83.Expenditure.of(ds["income_transfer_expenditure"], 2024, "Horsens")
    assert nothing.rows().empty and nothing.population_note() == "" and nothing.population_range()[0] is None


def test_the_groups_closer_to_the_population_share(ds):
    f814 = p83.Expenditure.of(ds["income_transfer_expenditure"], 2024, "Randers")
    folk = f814.share("population_share", "2024")
    shares = ds["national_share_by_target_group"].select("share_of_national", 2024, areas=["Randers"])
    near, far = (where(shares, target_group=g) for g in p83.BROAD_GROUPS)
    assert p83.closer_to_population(near, far, folk).startswith(
        "Andelen i gruppen tæt på arbejdsmarkedet ligger altså tættere på befolkningsandelen")
    assert p83.closer_to_population(near.iloc[0:0], far, folk) is None
    both = p83.with_population(p83.target_groups(shares, p83.BROAD_GROUPS), folk)
    assert both["target_group"].tolist() == [*p83.BROAD_GROUPS, "befolkningsandel"]
    assert p83.bar_labels(both)[-1] == "Randers Kommune, befolkningsandel"
    assert p83.times(near, folk) is not None and p83.times(near.iloc[0:0], folk) is None


def test_figur_8_24_derives_the_start_level_that_gives_back_the_published_growth(ds):
    f824 = p83.GroupLevels.of(ds["benefit_groups"], ds["full_time_persons_change"], 2024, "Randers",
                              "Hele landet")
    assert f824.reproduces_published_growth() and f824.implied_pct == pytest.approx(5.3, abs=0.05)
    start, now = float(f824.far_start["value"].iloc[0]), float(f824.far_now["value"].iloc[0])
    assert now - start == float(f824.growth["value"].iloc[0]) == 139
    assert (f824.rows["basis"] == "derived").sum() == 3      # two group sums and the start level
    assert f824.labels()[1] == "længere væk fra arbejdsmarkedet, 2015"
    empty = p83.GroupLevels.of(ds["benefit_groups"], ds["full_time_persons_change"], 2024, "Horsens",
                               "Hele landet")
    assert empty.rows.empty and empty.far_start.empty


def test_tabel_8_5_and_the_early_retirement_side_table(ds):
    rows = p83.benefits_rows(ds["benefit_groups"], REPORT)
    shown = p83.benefits_table(rows, REPORT)
    assert list(shown.columns)[0] == "Antal fuldtidspersoner i Randers Kommune"
    assert shown.index.names == ["", "Ydelse"] and shown.index[0][0] == "Tæt på"
    text, far = p83.highest_further_away(rows, REPORT)
    assert text and "pct.)" in text and set(far["group"]) == {"længere væk fra arbejdsmarkedet"}
    own, other = p83.early_retirement(ds["benefit_groups"], ds["cepos_early_retirement"], REPORT)
    table = p83.side_by_side(own, other, REPORT.areas, ("Jobindsats", "CEPOS"))
    assert table.loc[table["Område"] == "Randers Kommune", "CEPOS"].tolist() == ["8,4 pct."]
    horsens_first = Edition(2024, "Horsens", ("Randers", "Hele landet"))
    assert list(p83.benefits_table(p83.benefits_rows(ds["benefit_groups"], horsens_first),
                                   horsens_first).columns) == ["Hele landet", "Horsens Kommune", "Randers Kommune"]
    assert p83.benefits_table(p83.benefits_rows(ds["benefit_groups"], Edition(2016, "Randers", ("Hele landet",))),
                              REPORT).empty
