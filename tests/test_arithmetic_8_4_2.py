"""Arithmetic and comparisons that the numbers of the second part of subsection 8.4 must satisfy.

The part runs from "Den kommunale virksomhedsservice i Jobcenter Randers" to Tabel 8.7
(the employers' survey of KL and Tabel 8.6 from Jobindsats.dk) and from "Borgertilfredshed
med beskæftigelsesindsatsen i Randers Kommune" to before "Sammenfatning" (Implement's
citizen survey of 2022 and KL's citizen survey of 2024).

The report prints some numbers that follow from others (90 and 86 pct. tilfredse eller
meget tilfredse; "5 procentpoint færre"; the grossed-up "+600") and states comparisons in
words (Randers above or below the others). Derived numbers are not stored in ``data/``;
they are written here as the report prints them and checked against what the stored
numbers give, at the printed precision. Numbers that the text repeats from a table are
stored once, in the table's dataset; the text's copies are written here and compared.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import data_frame
from printed_numbers import exact, one, rounded


SATISFACTION = data_frame("company_satisfaction")
CANDIDATES = data_frame("candidate_satisfaction")
PLACEMENT = data_frame("placement_rate")
CHANNELS = data_frame("recruitment_channels")
COMPANY_FACTS = data_frame("company_survey_facts")
TEAM = data_frame("recruitment_team_counts")
KL = data_frame("citizen_survey_kl")
IMPLEMENT = data_frame("citizen_survey_implement")
IMPLEMENT_FACTS = data_frame("citizen_survey_implement_facts")
CITIZEN_FACTS = data_frame("citizen_survey_facts")

RANDERS, ALL = "kommunen", "alle deltagende kommuner"


# -- Figur 8.38 --------------------------------------------------------------------------
def bar(comparison: str):
    return SATISFACTION[SATISFACTION["comparison"] == comparison]


def share(comparison: str, category: str) -> Decimal:
    return exact(one(SATISFACTION, comparison=comparison, category=category))


@pytest.mark.parametrize("comparison", [RANDERS, ALL])
def test_figur_8_38_each_bar_adds_up_to_about_100(comparison):
    """Each printed share is rounded to a whole per cent, so the sum of a bar's k shares may
    be off 100 by up to k × 0,5 procentpoint; with the six categories of the legend that is
    at most 3. A category without a label (Randers' "ved ikke", which has no row) is missing
    from the sum; it can only be small, because the bar still has to reach 100 within the
    rounding. Both bars in fact add up to exactly 100: Randers without "ved ikke" (39 + 51 +
    9 + 1 + 0) and Alle 34 kommuner with the last label read as "ved ikke" (43 + 43 + 9 + 2 +
    1 + 2)."""
    rows = bar(comparison)
    total = sum(exact(row) for _, row in rows.iterrows())
    tolerance = Decimal("0.5") * 6
    assert abs(total - 100) <= tolerance, f"{comparison}: {total}"
    assert total == 100


def test_figur_8_38_last_label_is_the_only_reading_that_completes_the_bar():
    """Without the last label (2%, read as "ved ikke" for Alle 34 kommuner) that bar adds up
    to 98, while Randers' bar is already full at 100: the label cannot be Randers'."""
    without = sum(exact(row) for _, row in bar(ALL).iterrows() if row["category"] != "ved ikke")
    assert without == 98
    assert sum(exact(row) for _, row in bar(RANDERS).iterrows()) == 100
    assert set(bar(RANDERS)["category"]) == {"meget tilfreds", "tilfreds", "hverken eller",
                                             "utilfreds", "meget utilfreds"}


@pytest.mark.parametrize("comparison, printed", [(RANDERS, 90), (ALL, 86)])
def test_satisfied_or_very_satisfied_as_the_text_adds_them(comparison, printed):
    """"samlet er 90 pct. ... tilfredse eller meget tilfredse ... i Randers"; "På tværs af
    alle kommuner er denne andel 86 pct."."""
    assert share(comparison, "meget tilfreds") + share(comparison, "tilfreds") == printed


def test_figur_8_38_agrees_with_the_text():
    """The text's numbers (stored once, from the figure): "(43 pct.)" against "(39 pct.)"
    meget tilfredse, 51 and 43 pct. tilfredse, "kun 1 pct. ... utilfredse, og ingen
    virksomheder er meget utilfredse", "2 pct. utilfredse og 1 pct. meget utilfredse"."""
    text = {(ALL, "meget tilfreds"): 43, (RANDERS, "meget tilfreds"): 39,
            (RANDERS, "tilfreds"): 51, (ALL, "tilfreds"): 43, (RANDERS, "utilfreds"): 1,
            (RANDERS, "meget utilfreds"): 0, (ALL, "utilfreds"): 2, (ALL, "meget utilfreds"): 1}
    for (comparison, category), printed in text.items():
        assert share(comparison, category) == printed, (comparison, category)
    assert share(ALL, "meget tilfreds") > share(RANDERS, "meget tilfreds")  # "en større andel"
    randers_zero = one(SATISFACTION, comparison=RANDERS, category="meget utilfreds")
    assert randers_zero["flag"] == "" and randers_zero["where_printed"] == "kun tekst"


# -- Figur 8.39 and the survey's other shares ------------------------------------------
def test_candidates_satisfied_randers_above_all():
    """"... er andelen i Randers Kommune 81 pct., mens den på tværs af de 34 kommuner er 77 pct.";
    66 against 59 pct. received candidates."""
    for measure in ("share_satisfied_with_candidates", "share_received_candidates"):
        assert (exact(one(CANDIDATES, comparison=RANDERS, measure=measure))
                > exact(one(CANDIDATES, comparison=ALL, measure=measure)))


def test_most_frequent_reasons_for_contact():
    """General contact is the most frequent reason in Randers (48 against 40 pct.);
    opkvalificering af ledige among all municipalities (50 against 27 pct.)."""
    general = "årsag til kontakten: generel kontakt om jobcentrets services (fx servicebesøg, dialog om fremtidige arbejdskraftbehov)"
    upskilling = "årsag til kontakten: opkvalificering af ledige (fx løntilskud, virksomhedspraktik eller lignende)"

    def pct(comparison, statement):
        return exact(one(COMPANY_FACTS, comparison=comparison, statement=statement))

    assert pct(RANDERS, general) > pct(RANDERS, upskilling)
    assert pct(ALL, upskilling) > pct(ALL, general)


def test_participating_municipalities_as_in_the_figure_and_table():
    """"deltog 34 kommuner" is stored once; Figur 8.38 and Tabel 8.7 print "Alle 34 kommuner"."""
    assert exact(one(COMPANY_FACTS, statement="deltagende kommuner")) == 34


# -- Tabel 8.6 ---------------------------------------------------------------------------
def rate(area: str, measure: str) -> Decimal:
    return exact(one(PLACEMENT, area=area, measure=measure))


def test_placement_rate_cannot_exceed_one():
    """Tabel 8.6's note: the placement rate "kan derfor ikke overstige en værdi på 1"."""
    assert all(exact(row) <= 1 for _, row in PLACEMENT.iterrows()
               if row["measure"] == "placement_rate")


def test_tabel_8_6_agrees_with_the_text_and_its_comparisons():
    """The text repeats the table (stored once) and compares: Randers' placement rate 0,87 is
    above landsplan (0,84), Horsens (0,83) and Silkeborg (0,84) but below Vejle (0,88); its
    hiring rate 0,37 is below landsplan (0,44) and Horsens (0,60) but above Vejle (0,34) and
    Silkeborg (0,26)."""
    text = {("Randers", "placement_rate"): "0.87", ("Hele landet", "placement_rate"): "0.84",
            ("Horsens", "placement_rate"): "0.83", ("Silkeborg", "placement_rate"): "0.84",
            ("Vejle", "placement_rate"): "0.88", ("Randers", "hiring_rate"): "0.37",
            ("Hele landet", "hiring_rate"): "0.44", ("Horsens", "hiring_rate"): "0.60",
            ("Vejle", "hiring_rate"): "0.34", ("Silkeborg", "hiring_rate"): "0.26"}
    for (area, measure), printed in text.items():
        assert rate(area, measure) == Decimal(printed), (area, measure)
    randers = rate("Randers", "placement_rate")
    assert all(randers > rate(a, "placement_rate") for a in ("Hele landet", "Horsens", "Silkeborg"))
    assert randers < rate("Vejle", "placement_rate")
    randers = rate("Randers", "hiring_rate")
    assert all(randers < rate(a, "hiring_rate") for a in ("Hele landet", "Horsens"))
    assert all(randers > rate(a, "hiring_rate") for a in ("Vejle", "Silkeborg"))


# -- Tabel 8.7 ---------------------------------------------------------------------------
def test_tabel_8_7_jobcentret_as_in_the_text():
    """"39 pct. af virksomhederne vil anvende jobcentret i Randers Kommune"; "Blandt alle de 34
    deltagende kommuner er andelen ... 37 pct." (stored once, in the table's row)."""
    assert exact(one(CHANNELS, comparison=RANDERS, channel="Jobcentret")) == 39
    assert exact(one(CHANNELS, comparison=ALL, channel="Jobcentret")) == 37


@pytest.mark.parametrize("comparison", [RANDERS, ALL])
def test_tabel_8_7_shares_do_not_add_to_100(comparison):
    """The note: "Andelene summer ikke til 100 pct., da virksomhederne har kunnet sætte flere
    krydser" (Randers 230, all 205); each share is still at most 100."""
    rows = CHANNELS[CHANNELS["comparison"] == comparison]
    assert len(rows) == 8
    assert sum(exact(row) for _, row in rows.iterrows()) > 100
    assert all(exact(row) <= 100 for _, row in rows.iterrows())


# -- the recruitment team's counts -------------------------------------------------------
def test_printed_ranges_are_ordered():
    """"6-8 opkvalificeringsforløb" and "275-300 personer": lower end below upper end."""
    for frame, statement in ((TEAM, "opkvalificeringsforløb (via AMU) med virksomheder med et "
                                    "konkret arbejdskraftbehov"),
                             (IMPLEMENT_FACTS, "personer, der årligt tilgår førtidspension")):
        low = exact(one(frame, statement=statement, range_bound="nedre"))
        high = exact(one(frame, statement=statement, range_bound="øvre"))
        assert low < high


# -- Implement's citizen survey 2022 -----------------------------------------------------
def implement_fact(statement: str):
    return one(IMPLEMENT_FACTS, statement=statement, range_bound="")


def test_staff_satisfaction_above_overall_satisfaction():
    """"en højere generel tilfredshed med medarbejderne (3,7) end med Jobcenter Randers samlet
    set (3,4)"."""
    staff = exact(one(IMPLEMENT, question="tilfredshed med medarbejderne på Jobcenter Randers"))
    overall = exact(one(IMPLEMENT, question="samlet tilfredshed med Jobcenter Randers"))
    assert (staff, overall) == (Decimal("3.7"), Decimal("3.4"))
    assert staff > overall


def test_implement_respondents_within_the_invited():
    """"over 14.000 borgere" invited, 1.960 answered, "ca. 1.300" of them with an active case."""
    invited = implement_fact("borgere, som fik tilsendt spørgeskemaet")
    answers = implement_fact("personer, der besvarede spørgeskemaet")
    active = implement_fact("respondenter med en aktiv sag")
    assert invited["flag"] == "lower_bound" and active["flag"] == "approximate"
    assert exact(active) < exact(answers) < exact(invited)


def test_grossing_up_189_with_the_coverage_gives_over_600():
    """"189 respondenter ... Med en dækningsgrad ... på ca. 25 pct. vil det ved opregning svare
    til +600": 189 / 0,25 = 756, which is over 600. The coverage is approximate ("ca."), so
    the check allows it to be up to 4 procentpoint higher: 189 / 0,29 = 652 is still over
    600 (at 31,5 pct. it would no longer be)."""
    expecting = exact(implement_fact("respondenter, der forventer, at deres forsørgelsesgrundlag "
                                     "om 12 mdr. er førtidspension"))
    coverage = implement_fact("spørgeskemaundersøgelsens dækningsgrad")
    grossed = implement_fact("forventet førtidspension om 12 mdr., opregnet med dækningsgraden")
    assert coverage["flag"] == "approximate" and grossed["flag"] == "lower_bound"
    for pct in (exact(coverage), exact(coverage) + 4):
        assert expecting / (pct / 100) > exact(grossed)


def test_coverage_is_not_the_response_rate():
    """1.960 of over 14.000 invited is at most 14 pct., not the "ca. 25 pct." dækningsgrad."""
    answers = exact(implement_fact("personer, der besvarede spørgeskemaet"))
    invited = exact(implement_fact("borgere, som fik tilsendt spørgeskemaet"))
    assert answers / invited * 100 < 15


# -- Tabel 8.12 --------------------------------------------------------------------------
AVERAGE = "gennemsnit blandt deltagerkommunerne"


def kl(comparison: str, order: int, measure: str) -> Decimal:
    return exact(one(KL, comparison=comparison, order=order, measure=measure))


def test_randers_and_the_average_fell_on_every_theme():
    """"Randers Kommune scorer en smule lavere på alle seks temaer sammenlignet med sin egen
    score fra foråret 2024"; "Gennemsnittet for alle deltagerkommuner er ligeledes lavere"."""
    for comparison in (RANDERS, AVERAGE):
        changes = [kl(comparison, order, "change_since_spring") for order in range(1, 7)]
        assert all(change < 0 for change in changes), comparison


def test_randers_largest_declines_are_overall_satisfaction_and_progression():
    """"Den negative udvikling er størst i forhold borgernes overordnede tilfredshed ... og i
    vurderingen af deres progression" (themes 1 and 6: -0,15 and -0,13)."""
    changes = {order: kl(RANDERS, order, "change_since_spring") for order in range(1, 7)}
    two_largest = sorted(changes, key=lambda order: changes[order])[:2]
    assert set(two_largest) == {1, 6}


def test_randers_close_to_the_average_and_the_named_differences():
    """"meget tæt på gennemsnittet" (within 0,1 on every theme); cooperation across
    departments "en smule under" (2,78 against 2,87), the meeting "en smule over" (3,63
    against 3,58)."""
    for order in range(1, 7):
        assert abs(kl(RANDERS, order, "mean_score") - kl(AVERAGE, order, "mean_score")) < Decimal("0.1")
    assert kl(RANDERS, 4, "mean_score") < kl(AVERAGE, 4, "mean_score")
    assert kl(RANDERS, 2, "mean_score") > kl(AVERAGE, 2, "mean_score")


# -- KL's citizen survey: the text's other numbers --------------------------------------
def fact(statement: str, survey_round: str = "efterår"):
    return one(CITIZEN_FACTS, statement=statement, survey_round=survey_round)


def test_response_rate_is_875_of_2745():
    """875 "adspurgte" of 2.745 invited is 31,88 pct., printed as the response rate 31,9 pct."""
    invited = exact(fact("borgere, som fik tilsendt spørgeskemaet"))
    answers = exact(fact("adspurgte borgere (grundlaget for andelen med psykiske udfordringer)"))
    rate = fact("svarprocent")
    assert rounded(answers / invited * 100, int(rate["decimals"])) == exact(rate)


def test_psychological_challenges_five_points_fewer_than_in_spring():
    """"64 pct. ... Det svarer til 5 procentpoint færre end forårets undersøgelse, hvor 69 pct."."""
    statement = "oplever at have psykiske udfordringer"
    assert exact(fact(statement, "forår")) - exact(fact(statement, "efterår")) == 5


def test_it_answers_are_parts_of_one_question():
    """68 pct. (meget lav eller lav grad) and 14 pct. (høj eller meget høj grad) are answers to
    the same question, so together they are at most 100."""
    low = exact(fact("IT-kompetencerne gør kun i meget lav eller lav grad mødet med jobcentret besværligt"))
    high = exact(fact("IT-kompetencerne gør i høj eller meget høj grad mødet med jobcentret besværligt"))
    assert low + high <= 100


@pytest.mark.parametrize("more, less", [
    ("sygedagpengemodtagere", "aktivitetsparate"),
    ("forløb på under 26 uger", "jobcenterforløb på over to år"),
    ("afsluttet forløb", "igangværende forløb"),
    ("50-66 år", "16-29 år"),
    ("kvinder", "mænd"),
])
def test_group_scores_ordered_as_the_text_says(more, less):
    """"Sygedagpengemodtagerne er mest tilfredse (3,88) ... De aktivitetsparate (3,25) den
    mindst tilfredse"; over two years (3,22) less satisfied than under 26 weeks (3,72);
    completed (3,55) more than ongoing (3,50); 50-66 år (3,86) most, 16-29 år (3,20) least;
    kvinder (3,62) more than mænd (3,39)."""
    assert exact(fact(f"tilfredshed: {more}")) > exact(fact(f"tilfredshed: {less}"))


@pytest.mark.parametrize("groups", [("afsluttet forløb", "igangværende forløb"),
                                    ("kvinder", "mænd")])
def test_complementary_groups_bracket_randers_overall_score(groups):
    """Completed and ongoing cases, and women and men, split all respondents in two, so the
    overall mean lies between the two groups' means. Randers' overall satisfaction with the
    forløb in Tabel 8.12 (3,51, autumn 2024) does: consistent with (not proof of) the
    book's reading that the group scores are theme 1 in autumn 2024."""
    overall = kl(RANDERS, 1, "mean_score")
    low, high = sorted(exact(fact(f"tilfredshed: {group}")) for group in groups)
    assert low <= overall <= high
