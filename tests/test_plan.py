"""`make plan`: the periods an edition needs, what data/ has, the rows to add, and what the
edition shows. On the frozen data folder (tests/frozen_data), which has no 2025 rows."""

from __future__ import annotations

from helpers import FROZEN

from labour_market_book.edition import coverage_da
from labour_market_book.plan import period_code, plain, plan
from labour_market_book.periods import Period


def section(text: str, dataset: str) -> str:
    return text.split(f"\n{dataset}:")[1].split("\n    feeds:")[0]


def test_the_plan_of_a_new_edition_names_the_periods_to_add_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("LMB_DATA_DIR", str(FROZEN))
    before = {p: p.stat().st_mtime_ns for p in FROZEN.rglob("*") if p.is_file()}
    lines: list[str] = []
    statuses = plan(2025, say=lines.append)
    text = "\n".join(lines)
    # each period as the code to type into the CSV, beside its Danish name
    ras = section(text, "outside_labour_force")
    assert "    current          2024-11 (november 2024)    MISSING" in ras
    # AUS08 has March 2025 (the report's last column) and needs February and March 2026
    aus08 = section(text, "unemployment_aus08")
    assert "    current          2025-03 (marts 2025)       20 rows in data/" in aus08
    assert "    next_february    2026-02 (februar 2026)     MISSING" in aus08
    # a dataset with a query: both ways, said to be equally good
    assert "    from, either way (the two are equally good):" in aus08
    assert "      - `make data YEAR=2025` asks Statistikbanken table AUS08 (without network" in aus08
    assert "save the answer as data/incoming/AUS08-2025.csv" in aus08
    assert ("      - or type the rows into data/unemployment_aus08.csv by hand from Danmarks Statistik: "
            "AUS08 (https://www.statistikbanken.dk/AUS08), with a 'manual' provenance entry") in aus08
    survey = section(text, "citizen_survey_kl")
    assert "    current          2025                       MISSING" in survey
    assert "either way" not in survey and "by hand from" in survey and "'manual' provenance entry" in survey
    # the rows to add, per exhibit, from what the 2024 edition shows (not a list kept by hand)
    add = text.split("The rows to add")[1].split("\nThe edition would show:")[0]
    assert ("  data/outside_labour_force.csv: rows for 2024-11 (november 2024); each with age_group "
            "16-66, sex i alt, origin i alt unless said otherwise\n"
            "    Tabel 8.1: share_of_population for 000, 730, 615, 740, 630; persons for 730 (in the text)") in add
    assert "    Figur 8.4: share_of_outside_labour_force for 740, 630 (sex mænd)" in add
    assert ("    Tabel 8.2: share_seasonally_adjusted for 000, 730, 615, 740, 630 (in 2026-02); "
            "share_seasonally_adjusted for 000, 730, 615, 740, 630 (in 2026-03)") in add
    assert len(statuses) == 56 and set(statuses.values()) <= {"full", "partial", "notice"}
    assert statuses["tabel-8-1"] == "notice" and statuses["figur-8-26"] == "partial"
    # plain text: no MyST role reaches the terminal
    assert "{ref}" not in text and "{doc}" not in text and "`bilag" not in text
    assert "se »Sådan tilføjes nye data«" in text
    assert lines[-1] == "\nThe front page will say: " + plain(coverage_da(statuses))
    # what the exhibits not shown in full need, as the appendix 'Manglende tal' says it
    assert "What the exhibits not shown in full need" in text
    assert "  figur-8-9: de fuldtidslediges andel af arbejdsstyrken pr. aldersgruppe" in text
    assert {p: p.stat().st_mtime_ns for p in FROZEN.rglob("*") if p.is_file()} == before


def test_myst_becomes_plain_words_and_periods_their_codes():
    titles = {"bilag-mangler": "Manglende tal"}
    assert plain("står i bilaget {ref}`bilag-mangler`.", titles) == "står i bilaget »Manglende tal«."
    assert plain("se {ref}`Figur 8.5 <figur-8-5>` på siden {doc}`/notebooks/ledigheden`", titles) == \
        "se Figur 8.5 på siden notebooks/ledigheden"
    assert period_code(Period.parse("2024-11")) == "2024-11 (november 2024)"
    assert period_code(Period.parse("2024-Q4")) == "2024-Q4 (4. kvartal 2024)"
    assert period_code(Period.parse("2025")) == "2025"


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
