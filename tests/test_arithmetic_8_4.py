"""Arithmetic and comparisons that the numbers of subsection 8.4 (to Figur 8.37) must satisfy.

The report prints some numbers that follow from others (the split of the tilbudsvifte and
its shares) and states comparisons in words (Randers below the national level, the
corrected figures of Figur 8.29). Derived numbers are not stored in ``data/``; they are
written here as the report prints them and checked against what the stored numbers give,
at the printed precision. The fleksjob numbers of the text to Figur 8.37 that Tabel 8.5
already holds are checked against ``benefit_groups``, where they are stored once.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from helpers import data_frame, report_text
from printed_numbers import exact, one, printed



TILBUD = data_frame("tilbudsvifte_spending")
SPENDING = data_frame("employment_spending_per_fte")
SURVEY = data_frame("resource_use_survey")
HOURS = data_frame("ordinary_hours")
INTERNSHIPS = data_frame("company_internships")
FLEX = data_frame("flex_jobs")
BENEFITS = data_frame("benefit_groups")
FLEX_8_5 = BENEFITS[(BENEFITS["benefit"] == "Fleksjob") & (BENEFITS["period"] == "2024")]

FIRST = "FVU, ordinær uddannelse, 6-ugers jobrettet uddannelse og mentor"
SECOND = "øvrig vejledning og opkvalificering"


# -- the tilbudsvifte ------------------------------------------------------------------
def test_tilbudsvifte_split_adds_up_at_the_printed_precision():
    total = one(TILBUD, category="i alt", measure="expenditure")
    parts = [one(TILBUD, category=c, measure="expenditure") for c in (FIRST, SECOND)]
    assert sum(exact(p) for p in parts) == exact(total) == Decimal("81.9")
    assert [exact(p) for p in parts] == [Decimal("7.0"), Decimal("74.9")]


@pytest.mark.parametrize("category, share_printed", [(FIRST, 9), (SECOND, 91)])
def test_tilbudsvifte_shares_agree_with_the_amounts(category, share_printed):
    """"Omkring 9 pct." and "omkring 91 pct.": 7,0/81,9 = 8,5 pct. and 74,9/81,9 = 91,5 pct."""
    total = exact(one(TILBUD, category="i alt", measure="expenditure"))
    amount = exact(one(TILBUD, category=category, measure="expenditure"))
    share = one(TILBUD, category=category, measure="share_of_expenditure")
    assert share["flag"] == "approximate"  # printed with "omkring"
    assert exact(share) == share_printed
    computed = amount / total * 100
    assert abs(computed - exact(share)) < 1, f"{category}: {amount}/{total} = {computed:.2f} pct."


def test_tilbudsvifte_printed_shares_add_to_100():
    shares = TILBUD[TILBUD["measure"] == "share_of_expenditure"]
    assert sum(exact(row) for _, row in shares.iterrows()) == 100


# -- Figur 8.28 --------------------------------------------------------------------------
def test_randers_2023_spending_per_fte_is_below_the_national_level():
    """"... men dog stadig under niveauet på landsplan" (12.339 against 13.513 kr.)."""
    randers = one(SPENDING, area="Randers", period="2023", measure="expenditure_per_fte")
    country = one(SPENDING, area="Hele landet", period="2023", measure="expenditure_per_fte")
    assert exact(randers) < exact(country)


def test_randers_spending_per_fte_rose_from_2014_to_2023():
    """"Generelt har der i perioden 2014-2023 været en stigende tendens" (7.360 to 12.339 kr.)."""
    first = one(SPENDING, area="Randers", period="2014", measure="expenditure_per_fte")
    last = one(SPENDING, area="Randers", period="2023", measure="expenditure_per_fte")
    assert exact(first) < exact(last)


# -- Figur 8.29 --------------------------------------------------------------------------
def survey(statistic: str, adjustment: str):
    return one(SURVEY, statistic=statistic, adjustment=adjustment, measure="resource_use_per_fte")


def test_correction_lowers_randers_and_raises_bund_10():
    """"... falder Randers Kommunes forbrug til 25.600 kr. ..., hvorimod gennemsnittet i
    bund-10 stiger til 24.600 kr."."""
    corrected = "korrigeret for målgruppesammensætning"
    assert exact(survey("kommunen", corrected)) < exact(survey("kommunen", "ukorrigeret"))
    assert exact(survey("gennemsnit bund-10", corrected)) > exact(survey("gennemsnit bund-10",
                                                                          "ukorrigeret"))


def test_randers_is_below_the_national_average_and_the_spread_is_ordered():
    """"... under landsgennemsnittet, der var 31.979 kr."; bund-10 < median < top-10."""
    randers = exact(survey("kommunen", "ukorrigeret"))
    assert randers < exact(survey("landsgennemsnit", "ukorrigeret"))
    assert (exact(survey("gennemsnit bund-10", "ukorrigeret")) < exact(survey("median", "ukorrigeret"))
            < exact(survey("gennemsnit top-10", "ukorrigeret")))


# -- Figur 8.31 --------------------------------------------------------------------------
def test_ordinary_hours_rose_from_2016_and_fell_during_2024():
    """"... hæve andelen ... fra 2,7 pct. ... til over 10 pct." and "faldet ... fra 10 pct. til 7 pct."."""
    group = "aktivitetsparate kontanthjælpsmodtagere"
    start = one(HOURS, target_group=group, measure="share_with_ordinary_hours", period="2016-Q1")
    span = one(HOURS, target_group=group, measure="share_in_span")
    assert span["flag"] == "lower_bound" and exact(start) < exact(span)
    begin = one(HOURS, target_group=group, measure="share_at_span_start")
    end = one(HOURS, target_group=group, measure="share_at_span_end")
    assert (begin["base_period"], begin["period"]) == (end["base_period"], end["period"])
    assert exact(end) < exact(begin)


# -- Figur 8.36 --------------------------------------------------------------------------
def test_company_internships_fell_from_2015_to_2024():
    first = one(INTERNSHIPS, area="Randers", period="2015", measure="full_time_activated")
    last = one(INTERNSHIPS, area="Randers", period="2024", measure="full_time_activated")
    assert (exact(first), exact(last)) == (525, 189)


# -- Figur 8.37 --------------------------------------------------------------------------
def fleksjob_paragraph() -> str:
    """The text to Figur 8.37, from "Figur 8.37 nedenfor viser" to the caption."""
    text = re.sub(r"\s+", " ", report_text())
    match = re.search(r"Figur 8\.37 nedenfor viser (.*?) Figur 8\.37\. ", text)
    assert match, "the text to Figur 8.37 was not found in the extracted text"
    return match.group(1)


def test_fleksjob_shares_in_the_text_are_tabel_8_5s():
    """"andelen i Randers Kommune (3,5 pct.)" and "Kun Horsens Kommune ligger over Randers
    med 3,9 pct." equal Tabel 8.5's Fleksjob shares (2024), where they are stored."""
    text = fleksjob_paragraph()
    randers = re.search(r"andelen i Randers Kommune \((\d+,\d) pct\.\)", text)
    horsens = re.search(r"Horsens Kommune ligger over Randers med (\d+,\d) pct\.", text)
    assert randers and horsens
    assert randers.group(1) == printed(one(FLEX_8_5, area="Randers", measure="share_of_population"))
    assert horsens.group(1) == printed(one(FLEX_8_5, area="Horsens", measure="share_of_population"))
    assert (randers.group(1), horsens.group(1)) == ("3,5", "3,9")


def test_fleksjob_counts_2015_here_and_2024_in_tabel_8_5():
    """"steget fra 1.590 i 2015 til 2.229 i 2024": 1.590 in flex_jobs, 2.229 in benefit_groups."""
    first = one(FLEX, area="Randers", period="2015", measure="full_time_persons")
    last = one(FLEX_8_5, area="Randers", measure="full_time_persons")
    assert (exact(first), exact(last)) == (1590, 2229)
    assert exact(first) < exact(last)
    text = fleksjob_paragraph()
    assert "steget fra 1.590 i 2015 til 2.229 i 2024" in text


def test_fleksjob_numbers_of_tabel_8_5_are_not_stored_twice():
    assert set(FLEX["period"]) == {"2015"}
    assert set(FLEX["measure"]) == {"full_time_persons"}
