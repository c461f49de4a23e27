"""Exports, house style and exhibit helpers."""

import csv

import pandas as pd
import pytest

from labour_market_book import style
from labour_market_book.areas import display_name
from labour_market_book.datasets import load_dataset
from labour_market_book.derive import complement_share
from labour_market_book.edition import Edition, join_da
from labour_market_book.exports import write_export
from labour_market_book.figures import bar_by_area, danish_tick
from labour_market_book.sources import without_paths
from labour_market_book.trace import plain_text


def test_export_is_plain_csv_with_flags_and_provenance(tmp_path, monkeypatch, ras):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = ras.select("share_of_outside_labour_force", 2024, areas=["Vejle", "Randers"],
                       age_group="16-66", sex="mænd", origin="i alt")
    path = write_export("figur-8-4", frame, ["sex"])
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows == [{"area": "Vejle", "sex": "mænd", "period": "2023-11",
                     "measure": "share_of_outside_labour_force", "value": "56", "unit": "pct",
                     "flag": "lower_bound", "basis": "published",
                     "dataset": "outside_labour_force", "provenance": "report"}]


def test_export_keeps_suppressed_cells_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = pd.DataFrame({"area": ["Randers"], "period": ["2023-11"], "measure": ["persons"],
                          "value": [float("nan")], "unit": ["persons"], "decimals": [0],
                          "flag": ["suppressed"], "dataset": ["x"], "provenance": ["report"]})
    text = write_export("tabel-8-1", frame).read_text(encoding="utf-8")
    assert text.splitlines()[1] == "Randers,2023-11,persons,,persons,suppressed,published,x,report"


def test_export_numbers_have_no_thousands_separator(tmp_path, monkeypatch, ras):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = ras.select("persons", 2024, areas=["Randers"], age_group="16-66", sex="i alt", origin="i alt")
    assert ",14494," in write_export("tabel-8-1", frame).read_text(encoding="utf-8")


def test_export_refuses_ids_that_are_not_the_reports():
    with pytest.raises(ValueError):
        write_export("Figure 1", pd.DataFrame())


def test_derived_complement_is_marked_and_skips_inexact_values(ras):
    danish = ras.select("share_of_outside_labour_force", 2024, areas=["Randers", "Vejle"],
                        age_group="16-66", sex="i alt", origin="dansk oprindelse")
    derived = complement_share(danish, column="origin", value="ikke-dansk oprindelse")
    assert list(derived["value"].round(6)) == [17.0, 24.6]
    assert set(derived["basis"]) == {"derived"}
    bounds = ras.select("share_of_outside_labour_force", 2024, areas=["Vejle"], age_group="16-66",
                        sex="mænd", origin="i alt")
    assert complement_share(bounds, column="sex", value="kvinder").empty


def test_focus_parameter_moves_the_highlight(ras):
    frame = ras.select("share_of_population", 2024, areas=["Hele landet", "Randers", "Horsens"],
                       age_group="16-66", sex="i alt", origin="i alt")
    for focus in ("Randers", "Horsens"):
        fig = bar_by_area(frame, focus=focus, axis_label="pct.")
        colours = {label.get_text(): bar.get_facecolor()
                   for label, bar in zip(fig.axes[0].get_yticklabels(), fig.axes[0].patches)}
        from matplotlib.colors import to_rgba
        assert colours[f"{focus} Kommune"] == to_rgba(style.FOCUS)
        assert colours["Hele landet"] == to_rgba(style.NATIONAL_COLOUR)
        other = "Horsens" if focus == "Randers" else "Randers"
        assert colours[f"{other} Kommune"] == to_rgba(style.COMPARISON)


def test_bar_labels_use_danish_formatting(ras):
    frame = ras.select("share_of_population", 2024, areas=["Randers"], age_group="16-66",
                       sex="i alt", origin="i alt")
    fig = bar_by_area(frame, focus="Randers", axis_label="pct.")
    assert "22,8 pct." in [t.get_text() for t in fig.axes[0].texts]
    assert danish_tick(2.5) == "2,5" and danish_tick(1000.0) == "1.000"


def test_edition_orders_areas_and_checks_names():
    edition = Edition(2024, "Horsens", ("Randers", "Vejle", "Hele landet"))
    assert edition.areas == ["Hele landet", "Horsens", "Randers", "Vejle"]
    assert edition.municipalities == ["Randers", "Vejle"]
    with pytest.raises(ValueError):
        Edition(2024, "Aarhuus", ())
    with pytest.raises(TypeError):
        Edition("2024", "Randers", ())


def test_join_da():
    assert join_da(["A"]) == "A"
    assert join_da(["A", "B", "C"]) == "A, B og C"


EVERYONE = dict(age_group="16-66", sex="i alt", origin="i alt")
AREAS = ["Hele landet", "Randers", "Horsens", "Silkeborg", "Vejle"]


def _md(value) -> str:
    return value.data if hasattr(value, "data") else value


def test_page_prose_helpers(page, ras):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    assert page.labelled("a", shares, "Vejle") == "Vejle Kommune (19,9 pct.)"
    assert page.extreme("b", shares, ["Horsens", "Silkeborg", "Vejle"], "lowest") == "Silkeborg Kommune (18,9 pct.)"
    assert page.extreme("c", shares, ["Horsens", "Silkeborg", "Vejle"], "highest") == "Horsens Kommune (20,6 pct.)"
    assert page.higher_than("d", shares, "Randers", AREAS) == "ingen"
    assert page.higher_than("d2", shares.iloc[1:], "Randers", AREAS) is None  # one area lacks data
    assert page.extreme("d3", shares[shares["area"] != "Vejle"], ["Horsens", "Vejle"], "lowest") is None
    assert page.higher_than("e", shares, "Silkeborg", AREAS) == (
        "hele landet (21,7 pct.), Randers Kommune (22,8 pct.), Horsens Kommune (20,6 pct.) og "
        "Vejle Kommune (19,9 pct.)")
    change = ras.select("change_in_persons", 2024, base_role="base", areas=["Randers"], **EVERYONE)
    assert page.change("f", "g", change, "Randers") == ("faldt", "3.381")
    assert page.change("h", "i", change, "Horsens") == (None, None)
    assert page.extreme("j", shares.iloc[0:0], ["Vejle"], "lowest") is None
    assert page.glued["a"] == "Vejle Kommune (19,9 pct.)" and "h" not in page.glued


def test_values_text_and_comparison_names(page, ras):
    edition = Edition(2024, "Randers", ("Horsens", "Silkeborg", "Vejle", "Hele landet"))
    assert edition.comparison_names == "Horsens Kommune, Silkeborg Kommune, Vejle Kommune og hele landet"
    bounds = ras.select("share_of_outside_labour_force", 2024, areas=["Vejle", "Silkeborg"],
                        age_group="16-66", sex="mænd", origin="i alt")
    assert page.values_text("a", bounds) == "56 pct."
    assert page.values_text("b", bounds.iloc[0:0]) is None


def test_a_sentence_with_a_missing_number_is_left_out_never_shown_with_holes(page, ras):
    page.word("periode", "november 2022")
    shares = ras.select("share_of_population", 2023, areas=AREAS, **EVERYONE)  # no 2023 edition rows
    page.value("andel", shares, "Randers")
    page.paragraph("p", "Det er en kendt sætning.", "I $periode var andelen $andel.",
                   "Det er også en kendt sætning.")
    assert _md(page.glued["p"]) == "Det er en kendt sætning. Det er også en kendt sætning."
    # the first sentence carries the paragraph: without it, nothing is said
    page.paragraph("p", "I $periode var andelen $andel.", "Det er en kendt sætning.")
    assert _md(page.glued["p"]) == ""
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("andel", shares, "Hele landet")
    page.paragraph("p", "Andelen var $andel.")
    assert plain_text(_md(page.glued["p"])) == "Andelen var 21,7 pct."  # one full stop after "pct."
    with pytest.raises(KeyError, match="ukendt"):
        page.paragraph("q", "Her er $ukendt.")
    with pytest.raises(TypeError, match="templates"):
        page.paragraph("r", ("I $periode var andelen $andel.", "Der er ingen andel."))


def test_a_paragraph_about_an_exhibit_goes_with_it(page, ras):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    empty = ras.select("share_of_population", 2015, areas=AREAS, **EVERYONE)
    page.table("tabel-8-1", shares, value_header="Andel")
    page.figure("figur-8-1", empty, axis_label="Andel")
    page.paragraph("om_tabellen", "Tabel 8.1 viser andelene.", about="tabel-8-1")
    page.paragraph("om_figuren", "Figur 8.1 viser udviklingen.", about="figur-8-1")
    page.paragraph("om_begge", "Tabel 8.1 og figur 8.1.", about=["tabel-8-1", "figur-8-1"])
    page.paragraph("kun_randers", "Randers Kommunes egne tal.", only_for="Randers")
    page.paragraph("kun_horsens", "Horsens Kommunes egne tal.", only_for="Horsens")
    assert "om_tabellen" not in page.glued              # decided when the page is finished
    page.finish()
    assert _md(page.glued["om_tabellen"]) == "Tabel 8.1 viser andelene."
    assert _md(page.glued["om_figuren"]) == ""          # figur 8.1 is not placed
    assert _md(page.glued["om_begge"]) == "Tabel 8.1 og figur 8.1."
    assert _md(page.glued["kun_randers"]) == "Randers Kommunes egne tal."
    assert _md(page.glued["kun_horsens"]) == ""
    page.paragraph("ukendt", "Figur 8.99 viser noget.", about="figur-8-99")
    with pytest.raises(KeyError, match="figur-8-99"):
        page.finish()


def test_report_claims_are_told_only_in_the_report_s_own_edition(page, ras):
    page.claim("c", "Hvidbogen siger noget.", dataset=ras, period="2023-11", topic="emnet")
    assert _md(page.glued["c"]) == "Hvidbogen siger noget."
    page.edition = Edition(2025, "Randers", ("Vejle",))
    page.claim("c", "Hvidbogen siger noget.", dataset=ras, period="2023-11", topic="emnet")
    assert _md(page.glued["c"]) == ""          # the front page says so, once for the edition
    page.edition = Edition(2024, "Horsens", ("Randers", "Vejle"))
    page.claim("c", "Hvidbogen siger noget.", dataset=ras, period="2023-11", topic="emnet")
    assert _md(page.glued["c"]) == ""          # a claim about Randers, not about Horsens
    assert page.claims == {"c": "emnet"}


def test_caption_note_and_source_line_follow_the_rows_shown(page, ras):
    """A partial exhibit's note is one sentence, marked for counting; what the full exhibit
    needs goes to the workbench (the page's gaps); an exhibit without rows is not placed."""
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.table("tabel-8-1", shares, value_header="Andel", needs="alle andele")
    assert _md(page.glued["tabel-8-1-kilde"]) == (
        "Danmarks Statistik, RAS201 {cite:p}`dst_ras201`, gengivet i hvidbogen {cite:p}`randers2025`")
    page.finish()
    assert _md(page.glued["tabel-8-1-note"]) == ""
    assert "tabel-8-1" not in page.gaps
    page.table("tabel-8-1", shares[shares["area"] != "Vejle"], value_header="Andel",
               expected_areas=AREAS, needs="alle andele")
    page.finish()
    assert _md(page.glued["tabel-8-1-note"]) == (
        '<span class="delvis">Der er ingen tal for Vejle Kommune.</span>')
    assert page.gaps["tabel-8-1"]["needs"] == "alle andele"
    assert page.statuses["tabel-8-1"] == "partial"
    empty = ras.select("share_of_population", 2015, areas=AREAS, **EVERYONE)   # no rows for 2015
    page.table("tabel-8-1", empty, value_header="Andel", needs="alle andele")
    page.finish()
    assert _md(page.glued["tabel-8-1-kilde"]) == "Danmarks Statistik, RAS201 {cite:p}`dst_ras201`"
    assert page.glued["tabel-8-1"].data == '<div class="exhibit-absent"></div>'
    assert page.statuses["tabel-8-1"] == "notice"
    assert _md(page.glued["udeladte"]) == (
        "Hvidbogens tabel 8.1 gengives ikke, fordi udgaven endnu ikke har tal for november 2014.")


def test_under_another_focus_rows_without_the_focus_are_not_placed(page, ras):
    page.edition = Edition(2024, "Horsens", ("Randers", "Silkeborg", "Vejle", "Hele landet"))
    change = ras.select("change_in_persons", 2024, base_role="base", areas=AREAS, **EVERYONE)
    assert set(change["area"]) == {"Randers"}          # the report prints Randers' change only
    page.figure("figur-8-1", change, axis_label="Ændring")
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.table("tabel-8-1", shares, value_header="Andel")
    assert page.statuses == {"figur-8-1": "notice", "tabel-8-1": "full"}
    assert page.glued["figur-8-1"].data == '<div class="exhibit-absent"></div>'
    shown = page.caption("figur-8-26", source="Hvidbogen", own="Randers")
    assert shown is False and page.statuses["figur-8-26"] == "notice"
    page.finish()
    assert _md(page.glued["udeladte"]) == (
        "Hvidbogens figur 8.1 gengives ikke, fordi der ikke er tal for Horsens Kommune, og "
        "figur 8.26 heller ikke, fordi den kun handler om Randers Kommune.")


def test_the_reason_follows_what_the_data_lack(ras):
    from labour_market_book.exhibits import omission
    from labour_market_book.omissions import Omission
    assert omission(ras.select("share_of_population", 2015, areas=AREAS, **EVERYONE)) == \
        Omission("period", ("november 2014",))
    assert omission(ras.select("share_of_population", 2024, areas=["Aarhus"], **EVERYONE)) == \
        Omission("areas", ("Aarhus Kommune",))
    by_age = ras.select("share_of_population", 2024, areas=AREAS, age_group="16-24", sex="i alt",
                        origin="i alt")
    assert by_age.empty and omission(by_age) == Omission("unpublished")


def test_a_comparison_sentence_says_how_many_areas_are_higher(page, ras):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    values = dict(zip(shares["area"], shares["value"]))
    lowest = min(values, key=values.get)
    highest = max(values, key=values.get)
    assert page.higher_sentence("h", shares, highest, AREAS) == \
        "I ingen af de sammenlignede områder var andelen højere."
    assert page.higher_sentence("h", shares, lowest, AREAS, what="andelen").startswith(
        "Andelen var højere i alle de sammenlignede områder: $h")
    second = sorted(values, key=values.get)[-2]
    assert page.higher_sentence("h", shares, second, AREAS) == "Kun i $h var andelen højere."
    assert page.values["h"].startswith(display_name(highest)) or page.values["h"].startswith("hele")
    assert page.higher_sentence("h", shares.iloc[0:0], "Randers", AREAS) == "$h"


def test_rows_added_by_hand_are_credited_as_such_not_to_the_report(page, ras):
    from labour_market_book.sources import source_line
    ras.meta["provenance"]["hand"] = {"method": "manual", "added_by": "Analyse og Data",
                                      "added_on": "2025-04-02", "source": "Statistikbanken, RAS201"}
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    shares.loc[shares["area"] == "Vejle", "provenance"] = "hand"
    line = source_line(shares, {ras.id: ras}, [ras.id])
    assert line == ("Danmarks Statistik, RAS201 {cite:p}`dst_ras201`, gengivet i hvidbogen "
                    "{cite:p}`randers2025` og tilføjet i hånden 2. april 2025 af Analyse og Data "
                    "efter Statistikbanken, RAS201")  # the source named once, both ways it came
    line = source_line(shares[shares["area"] == "Vejle"], {ras.id: ras}, [ras.id])
    assert "randers2025" not in line


def test_page_exports_the_numbers_in_its_prose(page, ras, tmp_path):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("andel", shares, "Randers")
    page.extreme("laveste", shares, ["Horsens", "Silkeborg", "Vejle"], "lowest")
    page.finish()
    rows = list(csv.DictReader((tmp_path / "testside-tekst.csv").open(encoding="utf-8")))
    first = rows[0]
    assert (first["key"], first["text"], first["value"], first["dataset"], first["provenance"]) == (
        "andel", "22,8 pct.", "22.8", "outside_labour_force", "report")
    assert first["row_key"].startswith("area_code=730;period=2023-11;")
    assert {r["basis"] for r in rows if r["key"] == "laveste"} == {"derived"}


def test_an_export_names_each_column_once_when_base_period_is_also_a_dimension():
    from labour_market_book.exports import export_frame
    frame = pd.DataFrame([{"area": "Randers", "period": "2024-Q4", "base_period": "2024-Q1",
                           "measure": "m", "value": 1.5, "unit": "pct", "decimals": 1, "flag": "",
                           "dataset": "d", "provenance": "report"}])
    out = export_frame(frame, ["base_period"])
    assert list(out.columns).count("base_period") == 1


def _ranked(places: dict[str, int]) -> pd.DataFrame:
    """Rows of a ranking: two measures per area, as Tabel 8.4's rows are."""
    rows = []
    for area, place in places.items():
        for measure, value in (("expected_share", 5.0 + place / 100), ("difference", -0.1)):
            rows.append({"area": area, "rank": place, "measure": measure, "value": value,
                         "unit": "pct", "decimals": 2, "flag": ""})
    return pd.DataFrame(rows)


def test_a_ranking_excerpt_shows_one_row_for_the_places_it_skips():
    from labour_market_book.exhibits import rank_positions, ranking_size, ranking_table, spans_da
    frame = _ranked({"Allerød": 1, "Rudersdal": 2, "Randers": 97, "Lolland": 98})
    shown, focus = ranking_table(frame, columns={"expected_share": "Forventet", "difference": "Forskel"},
                                 focus="Randers")
    assert shown["Placering"].tolist() == ["1", "2", "…", "97", "98"]
    assert shown.iloc[2]["Kommune"] == "(placering 3–96 er ikke gengivet i hvidbogen)"
    assert focus == [3] and shown.iloc[3]["Forventet"] == "5,97"
    assert rank_positions(frame) == [(1, 2), (97, 98)] and spans_da(rank_positions(frame)) == "1–2 og 97–98"
    assert ranking_size(frame) == 98


def test_areas_sharing_a_place_take_the_places_after_it_and_leave_no_gap():
    from labour_market_book.exhibits import rank_positions, ranking_size, ranking_table
    frame = _ranked({"B": 1, "C": 2, "A": 2, "D": 4, "E": 5, "F": 5})
    shown, _ = ranking_table(frame, columns={"expected_share": "Forventet"})
    assert shown["Placering"].tolist() == ["1", "2", "2", "4", "5", "5"]
    assert shown["Kommune"].tolist() == ["B", "A", "C", "D", "E", "F"]   # a shared place by name
    assert rank_positions(frame) == [(1, 6)] and ranking_size(frame) == 6


@pytest.mark.parametrize("rank, words", [
    (98, "landets vanskeligste"), (97, "landets næstvanskeligste"), (95, "landets fjerdevanskeligste"),
    (89, "landets tiendevanskeligste"), (88, "forholdsvis vanskelige"), (50, "forholdsvis vanskelige"),
    (49, "forholdsvis gode"), (11, "forholdsvis gode"), (10, "landets tiendebedste"),
    (2, "landets næstbedste"), (1, "landets bedste")])
def test_a_place_in_words(rank, words):
    from labour_market_book.exhibits import judgement_da
    assert judgement_da(rank, 98) == words


# -- the report's claims in another edition ---------------------------------------------
CLAIM = ("Ifølge hvidbogen ligger Randers Kommune over niveauet på landsplan og i "
         "sammenligningskommunerne, og over de tre sammenligningskommuner for de unge. Den "
         "faldt i alle de sammenlignede områder og mest blandt de sammenlignede kommuner.")


def test_a_claim_reads_as_the_report_wrote_it_when_the_edition_follows_the_report():
    edition = Edition(2024, "Randers", ("Vejle", "Horsens", "Silkeborg", "Hele landet"))
    assert edition.follows_report and edition.in_report_terms(CLAIM) == CLAIM


@pytest.mark.parametrize("focus, comparison", [
    ("Horsens", ("Randers", "Silkeborg", "Vejle", "Hele landet")),
    ("Silkeborg", ("Randers", "Horsens", "Vejle")),
    ("Randers", ("Aarhus", "Hele landet")),
])
def test_in_another_edition_a_claim_names_the_report_s_comparison_set(focus, comparison):
    edition = Edition(2024, focus, comparison)
    assert not edition.follows_report
    assert edition.in_report_terms(CLAIM) == (
        "Ifølge hvidbogen ligger Randers Kommune over niveauet på landsplan og i hvidbogens "
        "sammenligningskommuner (Horsens, Silkeborg og Vejle), og over hvidbogens tre "
        "sammenligningskommuner (Horsens, Silkeborg og Vejle) for de unge. Den faldt i alle "
        "hvidbogens områder og mest blandt hvidbogens fire kommuner.")


def test_a_path_in_brackets_leaves_reader_text_but_a_danish_slash_stays():
    assert without_paths("Tekst udtrukket af hvidbogens PDF (tekster/hvidbog.txt)") == \
        "Tekst udtrukket af hvidbogens PDF"
    assert without_paths("fil (node-red/Y30R21-api.csv, version 9337652) her") == "fil her"
    assert without_paths("se (https://www.dst.dk/da/x) her") == "se her"
    kept = "Teksten før tabel 8.10 (bostøtte samt alkohol- og/eller stofmisbrugsbehandling): i ord"
    assert without_paths(kept) == kept


def test_a_page_announces_its_comparison_only_when_it_places_an_exhibit(page, ras):
    page.word("fokus_navn", "Horsens Kommune")
    page.word("sammenligning_navne", "Randers Kommune og hele landet")
    sentence = "Afsnittet sammenligner $fokus_navn med $sammenligning_navne."
    page.edition = Edition(2024, "Horsens", ("Randers", "Hele landet"))
    change = ras.select("change_in_persons", 2024, base_role="base", areas=AREAS, **EVERYONE)
    page.figure("figur-8-1", change, axis_label="Ændring")       # Randers' only: not placed
    page.compares(sentence)
    assert page.glued["sammenligning_saetning"] == ""
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.table("tabel-8-1", shares, value_header="Andel")
    page.compares(sentence)
    assert page.glued["sammenligning_saetning"] == (
        "Afsnittet sammenligner Horsens Kommune med Randers Kommune og hele landet.")
