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


def test_edition_gaps_name_the_dataset_and_period(ras):
    from labour_market_book.exhibits import edition_gaps
    empty = load_dataset("outside_labour_force_by_education")
    assert edition_gaps(2024, [ras, empty]) == []  # a dataset with no rows at all is not a gap
    gaps = edition_gaps(2023, [ras, empty])
    assert gaps == ["november 2022 fra Danmarks Statistik"]


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


def test_a_sentence_with_a_missing_number_is_replaced_never_shown_with_holes(page, ras):
    page.word("periode", "november 2022")
    shares = ras.select("share_of_population", 2023, areas=AREAS, **EVERYONE)  # no 2023 edition rows
    page.value("andel", shares, "Randers")
    page.paragraph("p", ("I $periode var andelen $andel.", "Der er ingen andel for $periode."),
                   ("Det er en kendt sætning.", ""))
    assert _md(page.glued["p"]) == "Der er ingen andel for november 2022. Det er en kendt sætning."
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("andel", shares, "Hele landet")
    page.paragraph("p", "Andelen var $andel.", missing="")
    assert plain_text(_md(page.glued["p"])) == "Andelen var 21,7 pct."  # one full stop after "pct."
    with pytest.raises(KeyError, match="ukendt"):
        page.paragraph("q", "Her er $ukendt.", missing="")


def test_report_claims_are_shown_only_in_the_report_s_edition(page, ras):
    page.claim("c", "Rapporten siger noget.", dataset=ras, period="2023-11", topic="emnet")
    assert _md(page.glued["c"]) == "Rapporten siger noget."
    page.edition = Edition(2025, "Randers", ("Vejle",))
    page.claim("c", "Rapporten siger noget.", dataset=ras, period="2023-11", topic="emnet")
    assert _md(page.glued["c"]) == ""          # said once, at the top of the page
    assert page.claims_elsewhere == ["emnet"]


def test_caption_note_and_source_line_follow_the_rows_shown(page, ras):
    """The note is glued by finish(): one sentence, what the full exhibit needs goes to the
    appendix (the page's gaps), linked from the note."""
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
        "*Delvis tabel:* bogens data har ingen tal for Vejle Kommune "
        "({ref}`se hvad der mangler <mangler-tabel-8-1>`).")
    assert page.gaps["tabel-8-1"]["needs"] == "alle andele"
    empty = ras.select("share_of_population", 2015, areas=AREAS, **EVERYONE)   # no rows for 2015
    page.table("tabel-8-1", empty, value_header="Andel", needs="alle andele")
    page.finish()
    assert _md(page.glued["tabel-8-1-note"]) == (
        "Tabellen vises ikke, fordi bogens data endnu ikke har tal for november 2014 "
        "({ref}`se hvad der mangler <mangler-tabel-8-1>`).")
    assert _md(page.glued["tabel-8-1-kilde"]) == "Danmarks Statistik, RAS201 {cite:p}`dst_ras201`"
    assert page.glued["tabel-8-1"].data == '<div class="exhibit-absent"></div>'
    assert page.statuses["tabel-8-1"] == "notice"


def test_why_an_exhibit_is_not_shown_is_one_sentence_and_neighbours_share_it():
    from labour_market_book.exhibits import UNPUBLISHED_DA, absent_sentences
    same = {f"figur-8-{n}": UNPUBLISHED_DA for n in range(17, 24)}
    out = absent_sentences({**same, "figur-8-2": "bogens data endnu ikke har tal for november 2015"})
    assert out["figur-8-17"] == f"Figur 8.17–8.23 vises ikke, fordi {UNPUBLISHED_DA}"
    assert all(out[f"figur-8-{n}"] == "" for n in range(18, 24))
    assert out["figur-8-2"] == "Figuren vises ikke, fordi bogens data endnu ikke har tal for november 2015"
    two = absent_sentences({"figur-8-9": UNPUBLISHED_DA, "figur-8-10": UNPUBLISHED_DA,
                            "figur-8-12": UNPUBLISHED_DA, "kort-8-2": "x"})
    assert two["figur-8-9"].startswith("Figur 8.9 og 8.10 vises ikke") and two["figur-8-10"] == ""
    assert two["figur-8-12"].startswith("Figuren vises ikke") and two["kort-8-2"] == "Kortet vises ikke, fordi x"
    # neighbours in number, but with figures between them on the page: each says it itself
    apart = absent_sentences({"tabel-8-4": "y", "tabel-8-5": "y"},
                             ["figur-8-13", "tabel-8-4", "figur-8-14", "tabel-8-5"])
    assert apart == {"tabel-8-4": "Tabellen vises ikke, fordi y", "tabel-8-5": "Tabellen vises ikke, fordi y"}


def test_the_reason_follows_what_the_data_lack(ras):
    from labour_market_book.exhibits import UNPUBLISHED_DA, absent_reason
    assert absent_reason(ras.select("share_of_population", 2015, areas=AREAS, **EVERYONE)) == \
        "bogens data endnu ikke har tal for november 2014"
    assert absent_reason(ras.select("share_of_population", 2024, areas=["Aarhus"], **EVERYONE)) == \
        "bogens data ikke har tallene for Aarhus Kommune"
    by_age = ras.select("share_of_population", 2024, areas=AREAS, age_group="16-24", sex="i alt",
                        origin="i alt")
    assert by_age.empty and absent_reason(by_age) == UNPUBLISHED_DA


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
    assert shown.iloc[2]["Kommune"] == "(placering 3–96 gengives ikke i rapporten)"
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
CLAIM = ("Ifølge rapporten ligger Randers Kommune over niveauet på landsplan og i "
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
        "Ifølge rapporten ligger Randers Kommune over niveauet på landsplan og i rapportens "
        "sammenligningskommuner (Horsens, Silkeborg og Vejle), og over rapportens tre "
        "sammenligningskommuner (Horsens, Silkeborg og Vejle) for de unge. Den faldt i alle "
        "rapportens områder og mest blandt rapportens fire kommuner.")
