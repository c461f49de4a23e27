"""`make plan`: the periods an edition needs, what data/ has, and what the edition shows."""

from __future__ import annotations

from labour_market_book.edition import coverage_da
from labour_market_book.plan import plan

from helpers import REPO


def test_the_plan_of_a_new_edition_names_the_periods_to_add_and_writes_nothing():
    before = {p: p.stat().st_mtime_ns for p in (REPO / "data").rglob("*") if p.is_file()}
    lines: list[str] = []
    statuses = plan(2025, say=lines.append)
    text = "\n".join(lines)
    # AUS08 has March 2025 (the report's last column) and needs February and March 2026
    aus08 = text.split("unemployment_aus08:")[1].split("\n    feeds:")[0]
    assert "current          marts 2025         20 rows in data/" in aus08
    assert "next_february    februar 2026       MISSING" in aus08
    assert "make data YEAR=2025` asks Statistikbanken table AUS08" in aus08
    assert "save the answer as data/incoming/AUS08-2025.csv" in aus08
    survey = text.split("citizen_survey_kl:")[1].split("\n    feeds:")[0]
    assert "by hand from" in survey and "'manual' provenance entry" in survey
    assert len(statuses) == 56 and set(statuses.values()) <= {"full", "partial", "notice"}
    assert statuses["tabel-8-1"] == "notice" and statuses["figur-8-26"] == "partial"
    assert lines[-1] == "\nThe front page will say: " + coverage_da(statuses)
    # what the exhibits not shown in full need, as the appendix 'Manglende tal' says it
    assert "What the exhibits not shown in full need" in text
    assert "  figur-8-9: de fuldtidslediges andel af arbejdsstyrken pr. aldersgruppe" in text
    assert {p: p.stat().st_mtime_ns for p in (REPO / "data").rglob("*") if p.is_file()} == before


def test_the_coverage_sentence_reads_right_for_every_count():
    def of(full, partial, notice):
        return {**{f"f{i}": "full" for i in range(full)}, **{f"p{i}": "partial" for i in range(partial)},
                **{f"n{i}": "notice" for i in range(notice)}}
    assert coverage_da(of(13, 23, 20)) == (
        "Udgaven gengiver 36 af hvidbogens 56 tabeller og figurer, heraf 23 delvist; ved hver af "
        "dem står, hvad den viser.")
    assert coverage_da(of(56, 0, 0)) == "Udgaven gengiver alle hvidbogens 56 tabeller og figurer."
    assert coverage_da(of(3, 0, 53)) == "Udgaven gengiver 3 af hvidbogens 56 tabeller og figurer."
    assert coverage_da(of(0, 1, 1)) == ("Udgaven gengiver én af hvidbogens 2 tabeller og figurer, "
                                        "heraf én delvist; ved den står, hvad den viser.")
    assert coverage_da(of(0, 0, 4)) == "Udgaven har endnu ingen tal til hvidbogens 4 tabeller og figurer."
    assert coverage_da({}) == ""
