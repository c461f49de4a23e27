"""Arithmetic that the numbers of subsection 8.3 must satisfy, computed from the datasets.

The report prints some numbers that follow from others (Tabel 8.4's differences, the
text's differences between Figur 8.14's two shares, the growth of the group further
away from the labour market). Those derived numbers are not stored in ``data/``; they
are written here as the report prints them and checked against what the stored numbers
give. Every stored number is rounded as printed, so comparisons are made at the printed
precision, or over the interval that the rounding of the inputs allows.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import data_frame
from printed_numbers import exact, half_unit, one, rounded

MUNICIPALITIES = 98
"""Tabel 8.4's ranking and CEPOS' ranking: "nr. 97 ud af 98", "nr. 24 ud af de 98 kommuner"."""


BENCHMARK = data_frame("framework_benchmark")
TABLE_8_4 = BENCHMARK[BENCHMARK["period"] == "2024"]
EXPENDITURE = data_frame("income_transfer_expenditure")
BENEFITS = data_frame("benefit_groups")
CHANGE = data_frame("full_time_persons_change")
CEPOS = data_frame("cepos_early_retirement")
SUPPORT = data_frame("public_support_share")


# -- Tabel 8.4 ---------------------------------------------------------------------------
@pytest.mark.parametrize("area", sorted(set(TABLE_8_4["area"])))
def test_tabel_8_4_difference_is_actual_minus_expected(area):
    expected = one(TABLE_8_4, area=area, measure="expected_share")
    actual = one(TABLE_8_4, area=area, measure="actual_share")
    difference = one(TABLE_8_4, area=area, measure="difference")
    computed = exact(actual) - exact(expected)
    assert rounded(computed, int(difference["decimals"])) == exact(difference), (
        f"{area}: {exact(actual)} - {exact(expected)} = {computed}, printed {exact(difference)}")


def test_tabel_8_4_has_fourteen_rows_of_three_measures_with_one_rank_each():
    assert len(set(TABLE_8_4["area"])) == 14
    for area, rows in TABLE_8_4.groupby("area"):
        assert sorted(rows["measure"]) == ["actual_share", "difference", "expected_share"], area
        assert rows["rank"].nunique() == 1 and rows["rank"].notna().all(), area


def test_tabel_8_4_ranks_follow_the_expected_share():
    """The placement is by expected share: 1 = lowest (best conditions), 98 = highest."""
    expected = TABLE_8_4[TABLE_8_4["measure"] == "expected_share"]
    by_rank = list(expected.sort_values("rank")["area"])
    by_share = list(expected.sort_values("value", kind="stable")["area"])
    assert by_rank == by_share
    assert sorted(expected["rank"]) == [1, 2, 3, 4, 5] + list(range(90, MUNICIPALITIES + 1))


def test_randers_has_the_second_most_difficult_conditions_since_2022():
    """"nr. 97 ud af 98 i 2024", "i 2015 ... nr. 93", "siden 2022 har været nr. 97"."""
    rank_2024 = int(one(TABLE_8_4, area="Randers", measure="expected_share")["rank"])
    history = BENCHMARK[(BENCHMARK["measure"] == "rank") & (BENCHMARK["area"] == "Randers")]
    rank_2015 = int(one(history, period="2015")["value"])
    rank_2022 = int(one(history, period="2022")["value"])
    assert rank_2024 == MUNICIPALITIES - 1  # "landets næstvanskeligste rammevilkår"
    assert rank_2022 == rank_2024  # "siden 2022"
    assert rank_2015 < rank_2022  # "en forværring"
    assert history["rank"].isna().all()  # the history keeps its rank in 'value'


# -- Figur 8.14 --------------------------------------------------------------------------
def shares(year: str) -> tuple:
    return (one(EXPENDITURE, period=year, measure="expenditure_share"),
            one(EXPENDITURE, period=year, measure="population_share"))


@pytest.mark.parametrize("year, printed", [("2024", "0.45"), ("2015", "0.24")])
def test_figur_8_14_difference_between_the_shares_is_the_texts(year, printed):
    """"en forskel på 0,45 procentpoint" (2024); "0,24 procentpoint højere" (2015)."""
    expenditure, population = shares(year)
    assert exact(expenditure) - exact(population) == Decimal(printed)


def test_figur_8_14_population_share_lies_between_1_68_and_1_71():
    """"befolkningsandel har siden 2015 svaret til mellem 1,68 pct. og 1,71 pct."."""
    population = EXPENDITURE[EXPENDITURE["measure"] == "population_share"]
    values = [exact(row) for _, row in population.iterrows()]
    assert len(values) == 10
    assert min(values) == Decimal("1.68") and max(values) == Decimal("1.71")


def test_figur_8_14_expenditure_share_fell_slightly_from_2023_to_2024():
    """"udgiftsandel ... er faldet en anelse fra 2023 til 2024"."""
    assert exact(shares("2024")[0]) < exact(shares("2023")[0])


def _interval(amount, share, other):
    """Bounds of amount * (share - other) / share over the rounding intervals of all three."""
    a, s, o = exact(amount), exact(share), exact(other)
    da, ds, do = half_unit(amount), half_unit(share), half_unit(other)
    low = (a - da) * (1 - (o + do) / (s - ds))
    high = (a + da) * (1 - (o - do) / (s + ds))
    return low, high


def test_extra_cost_since_2015_agrees_with_the_shares_and_the_2024_amount():
    """"merudgifter svarende til omkring 180 mio. kr. i 2024 set i forhold til 2015".

    Read as the 2024 expenditure times the rise in the expenditure share since 2015,
    relative to the 2024 share. The 2,2 mia. kr. ("omkring") is taken as 2,15-2,25.
    """
    amount = one(EXPENDITURE, period="2024", measure="expenditure_amount")
    extra = one(EXPENDITURE, period="2024", base_period="2015", measure="extra_cost_vs_2015")
    low, high = _interval(amount, shares("2024")[0], shares("2015")[0])
    printed = exact(extra) / 1000  # mio. kr. -> mia. kr.
    assert low <= printed <= high, f"{printed} mia. kr. outside [{low:.4f}, {high:.4f}]"


def test_saving_at_population_share_agrees_with_the_shares_and_the_2024_amount():
    """"Hvis ... udgiftsandel svarede til ... andel af folketallet i 2024 (1,68 pct.) ...
    mindreudgifter på 450 mio. kr."; the 2,2 mia. kr. is taken as 2,15-2,25."""
    amount = one(EXPENDITURE, period="2024", measure="expenditure_amount")
    saving = one(EXPENDITURE, period="2024", measure="saving_at_population_share")
    expenditure, population = shares("2024")
    low, high = _interval(amount, expenditure, population)
    printed = exact(saving) / 1000
    assert low <= printed <= high, f"{printed} mia. kr. outside [{low:.4f}, {high:.4f}]"


# -- Figur 8.24 and Tabel 8.5 ------------------------------------------------------------
def test_growth_further_away_agrees_with_tabel_8_5():
    """139 fuldtidspersoner = 5,3 pct. (2015-2024) against Tabel 8.5's 2024 counts.

    The text's two numbers imply a 2015 level of 139 / 5,3 pct. and a 2024 level 139
    higher. Tabel 8.5 prints the four counts of the group further away in Randers in
    2024; with them, the 2015 level is their sum minus 139, and the growth from it must
    round to the printed 5,3 pct. The implied and the tabulated 2024 levels need not be
    equal (5,3 is rounded); the message shows both if the growth does not round right.
    """
    change = one(CHANGE, area="Randers", measure="change_in_fte")
    growth = one(CHANGE, area="Randers", measure="pct_change")
    counts = BENEFITS[(BENEFITS["area"] == "Randers") & (BENEFITS["measure"] == "full_time_persons")
                      & (BENEFITS["group"] == "længere væk fra arbejdsmarkedet")]
    assert len(counts) == 4 and (counts["flag"] == "").all()
    level_2024 = sum(exact(row) for _, row in counts.iterrows())
    level_2015 = level_2024 - exact(change)
    computed = exact(change) / level_2015 * 100
    implied_2015 = exact(change) / exact(growth) * 100
    implied_2024 = implied_2015 + exact(change)
    assert rounded(computed, int(growth["decimals"])) == exact(growth), (
        f"Tabel 8.5's 2024 sum {level_2024} minus {exact(change)} gives a 2015 level of "
        f"{level_2015} and growth {computed:.3f} pct., not the printed {exact(growth)} pct.; "
        f"the text's numbers imply a 2015 level of {implied_2015:.1f} and a 2024 level of "
        f"{implied_2024:.1f}")
    # The printed growth's rounding interval bounds the 2015 level the text allows.
    slack = half_unit(growth)
    low = exact(change) / (exact(growth) + slack) * 100
    high = exact(change) / (exact(growth) - slack) * 100
    assert low <= level_2015 <= high


def test_tabel_8_5_shares_lie_between_0_and_100():
    shares_ = BENEFITS[BENEFITS["measure"] == "share_of_population"]
    assert len(shares_) == 15 * 5
    assert shares_["value"].between(0, 100).all()


def test_tabel_8_5_randers_has_the_largest_share_further_away():
    """"i Randers Kommune ... er en større andel af borgere længere væk fra arbejdsmarkedet"."""
    further = BENEFITS[(BENEFITS["measure"] == "share_of_population")
                       & (BENEFITS["group"] == "længere væk fra arbejdsmarkedet")]
    totals = {area: sum(exact(row) for _, row in rows.iterrows())
              for area, rows in further.groupby("area")}
    assert max(totals, key=totals.get) == "Randers"
    assert sorted(totals.values())[-2] < totals["Randers"]


def test_tabel_8_5_revalidering_count_is_suppressed_not_zero():
    row = one(BENEFITS, area="Randers", benefit="Revalidering", measure="full_time_persons")
    assert row["flag"] == "suppressed" and row["value"] != row["value"]  # NaN


# -- Figur 8.13 and CEPOS ----------------------------------------------------------------
def test_figur_8_13_randers_is_above_all_other_areas():
    """"Randers Kommune har ligget markant over niveauet både på landsplan og i
    sammenligningskommunerne"."""
    randers = one(SUPPORT, area="Randers")["value"]
    assert (SUPPORT[SUPPORT["area"] != "Randers"]["value"] < randers).all()


def test_cepos_randers_is_above_all_other_areas():
    """"lavere end niveauet i Randers" (landsplan); "alle en lavere andel" (de tre)."""
    share = CEPOS[CEPOS["measure"] == "share_of_population"]
    randers = one(share, area="Randers")["value"]
    assert (share[share["area"] != "Randers"]["value"] < randers).all()


# -- Ranks -------------------------------------------------------------------------------
def test_all_ranks_lie_between_1_and_98():
    ranks = list(TABLE_8_4["rank"].astype(int))
    ranks += list(BENCHMARK[BENCHMARK["measure"] == "rank"]["value"])
    ranks += list(CEPOS[CEPOS["measure"] == "rank"]["value"])
    assert ranks and all(1 <= r <= MUNICIPALITIES and r == int(r) for r in ranks)
