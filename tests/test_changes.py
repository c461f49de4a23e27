"""What changed since the previous edition (labour_market_book.changes).

All numbers here are made up for the tests; none is the report's.
"""

import pandas as pd
import pytest
from helpers import FROZEN, make_notebook

from labour_market_book.changes import Change, compare, not_yet_updated
from labour_market_book.changes_page import (changes_frame, changes_markdown, difference_da,
                                             write_changes_page)
from labour_market_book.datasets import load_all, previous_year
from labour_market_book.execution import execute_editions

COLUMNS = ["area", "sex", "period", "measure", "value", "unit", "flag", "basis", "dataset",
           "provenance"]
MEASURES = {"made_up": {"share": "Andel af de opdigtede", "persons": "Antal opdigtede"}}


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, r)) for r in rows], columns=COLUMNS)


def row(area, period, value, *, sex="i alt", measure="share", unit="pct", flag="",
        provenance="made_up"):
    return (area, sex, period, measure, value, unit, flag, "published", "made_up", provenance)


def test_moved_new_and_gone_rows_are_found_by_exhibit_and_every_column_that_names_the_number():
    before = {"figur-8-14": frame(row("Randers", "2020", "10.0"), row("Randers", "2021", "11.5"),
                                  row("Vejle", "2021", "7.0"), row("Randers", "2021", "5.0", sex="mænd"))}
    after = {"figur-8-14": frame(row("Randers", "2020", "10.0"), row("Randers", "2021", "11.2"),
                                 row("Randers", "2022", "12.0"),
                                 row("Randers", "2021", "5.0", sex="mænd", provenance="fetched"))}
    changes = compare(after, before)
    kinds = [(c.kind, c.row.get("area"), c.row.get("period")) for c in changes]
    # Randers 2021 moved; 2022 is new and Vejle 2021 gone: Vejle has no 2022 to pair with,
    # and Randers has its 2021 row already. Unchanged numbers (2020, and the men's row
    # whose provenance alone changed) are not listed.
    assert kinds == [("moved", "Randers", "2021"), ("new", "Randers", "2022"),
                     ("gone", "Vejle", "2021")]
    moved = changes[0]
    assert (moved.before["value"], moved.after["value"]) == ("11.5", "11.2")
    assert difference_da(moved.before, moved.after) == "\u22120,3 procentpoint"


def test_a_number_whose_period_moved_on_is_paired_with_the_previous_one():
    before = {"tabel-8-1": frame(row("Randers", "2021-11", "21.9"), row("Vejle", "2021-11", "19.0"))}
    after = {"tabel-8-1": frame(row("Randers", "2022-11", "22.8"), row("Horsens", "2022-11", "20.6"))}
    changes = compare(after, before)
    assert [(c.kind, c.row["area"]) for c in changes] == [
        ("moved", "Randers"), ("new", "Horsens"), ("gone", "Vejle")]
    assert "period" not in changes[0].row  # the pair differs in its period
    assert difference_da(changes[0].before, changes[0].after) == "+0,9 procentpoint"


def test_two_candidates_for_a_pair_are_not_guessed():
    before = {"tabel-8-2": frame(row("Randers", "2023-03", "3.0"), row("Randers", "2024-02", "3.1"))}
    after = {"tabel-8-2": frame(row("Randers", "2025-02", "3.2"), row("Randers", "2025-03", "3.3"))}
    assert sorted(c.kind for c in compare(after, before)) == ["gone", "gone", "new", "new"]


def test_differences_in_danish():
    def r(value, unit="persons", flag=""):
        return {"value": value, "unit": unit, "flag": flag}
    assert difference_da(r("14494"), r("11113")) == "\u22123.381"
    assert difference_da(r("1.4", "dkk_bn", "approximate"), r("2.2", "dkk_bn")) == "~+0,8 mia. kr."
    assert difference_da(r("5"), r("5")) == "0"
    assert difference_da(r("", flag="suppressed"), r("9")) == ""  # a suppressed cell: no number
    assert difference_da(r("56", "pct", "lower_bound"), r("57", "pct")) == ""
    assert difference_da(r("5", "pct"), r("5", "persons")) == ""


def test_the_page_lists_both_values_and_the_change_and_links_each_exhibit():
    before = {"tabel-8-1": frame(row("Randers", "2021-11", "21.9"), row("Vejle", "2021-11", "19.0")),
              "indkomstoverfoersler-foertidspension": frame(
                  row("Randers", "2021", "100", measure="persons", unit="persons"))}
    after = {"tabel-8-1": frame(row("Randers", "2022-11", "22.8"), row("Horsens", "2022-11", "20.6")),
             "indkomstoverfoersler-foertidspension": frame(
                 row("Randers", "2021", "1100", measure="persons", unit="persons"))}
    pages = {"tabel-8-1": "notebooks/borgere_uden_for_arbejdsstyrken",
             "indkomstoverfoersler-foertidspension": "notebooks/indkomstoverfoersler"}
    changes = compare(after, before)
    text = changes_markdown(changes, year=2023, previous=2022, pages=pages, measures=MEASURES,
                            unchanged=0)
    assert text.startswith("**I alt: 2 tal ændret, 1 nyt, 0 endnu ikke opdateret, 1 forsvundet.**\n")
    assert "Udgaven for 2023 er sammenlignet med udgaven for 2022" in text and "uændrede" not in text
    table_8_1 = text.split("## Tabel 8.1")[1].split("## ")[0]
    assert ("Se {ref}`tabel 8.1 <tabel-8-1>` på siden "
            "{doc}`/notebooks/borgere_uden_for_arbejdsstyrken`.") in table_8_1
    assert ("| Randers Kommune, i alt, andel af de opdigtede | 21,9 pct. \\(november 2021\\) | "
            "22,8 pct. \\(november 2022\\) | \\+0,9 procentpoint |") in table_8_1
    assert ("| Horsens Kommune, i alt, andel af de opdigtede | ikke med | 20,6 pct. \\(november 2022\\) "
            "| nyt |") in table_8_1
    assert ("| Vejle Kommune, i alt, andel af de opdigtede | 19,0 pct. \\(november 2021\\) | ikke med "
            "| forsvundet |") in table_8_1
    side = text.split("## Tabel om førtidspension")[1]   # named by what it shows, not by its file
    assert "{doc}`/notebooks/indkomstoverfoersler`" in side
    assert "| 100 \\(2021\\) | 1.100 \\(2021\\) | \\+1.000 |" in side
    download = changes_frame(changes, year=2023, previous=2022)
    assert list(download.iloc[0][["exhibit", "change", "value_2022", "value_2023"]]) == [
        "tabel-8-1", "ændret", "21.9", "22.8"]


def change(exhibit, kind, area="Randers", before="10.0", after="11.0", period="2024"):
    """A hand-made change of one made-up number of ``exhibit``."""
    which = {"area": area, "sex": "i alt", "period": period, "measure": "share", "unit": "pct"}
    rows = {"before": dict(which, value=before, flag="", basis="published", dataset="made_up",
                           provenance="made_up"),
            "after": dict(which, value=after, flag="", basis="published", dataset="made_up",
                          provenance="made_up")}
    return Change(exhibit, kind, which, None if kind == "new" else rows["before"],
                  None if kind == "gone" else rows["after"])


PAGES = {"tabel-8-1": "notebooks/borgere_uden_for_arbejdsstyrken", "figur-8-3": "notebooks/ledigheden",
         "tabel-8-4": "notebooks/indkomstoverfoersler", "figur-8-5": "notebooks/ledigheden",
         "tabel-8-7": "notebooks/indsats_virksomheder", "figur-8-9": "notebooks/ledigheden"}


def edition_2025():
    """Made-up changes as after an update of a few datasets: tabel 8.1 lost a number and
    kept others, figur 8.3 has a new one beside old ones, tabel 8.4 has no numbers in the
    new edition, figur 8.5 none in the previous one, tabel 8.7 one number moved, figur 8.9
    a single number gone with nothing left."""
    changes = [change("tabel-8-1", "gone", "Vejle"),
               change("figur-8-3", "new", "Horsens"),
               *[change("tabel-8-4", "gone", area) for area in ("Randers", "Vejle", "Horsens")],
               *[change("figur-8-5", "new", area) for area in ("Randers", "Vejle")],
               change("tabel-8-7", "moved", "Randers", "21.9", "22.8"),
               change("tabel-8-7", "gone", "Vejle"),
               change("figur-8-9", "gone", "Silkeborg")]
    sizes = {"tabel-8-1": (5, 4), "figur-8-3": (3, 4), "tabel-8-4": (3, 0), "figur-8-5": (0, 2),
             "tabel-8-7": (2, 1), "figur-8-9": (1, 0), "figur-8-2": (7, 7)}
    return changes, sizes


def summary_rows(text):
    table = text.split("| Tabel, figur, kort eller tekst | Ændret | Nye | Forsvundet |\n|---|--:|--:|--:|\n")[1]
    return table.split("\n\n")[0].splitlines()


def test_the_page_leads_with_a_summary_changed_exhibits_first_then_new_then_gone():
    changes, sizes = edition_2025()
    text = changes_markdown(changes, year=2025, previous=2024, pages=PAGES, measures=MEASURES,
                            unchanged=12, csv_link="../data/aendringer.csv", sizes=sizes)
    intro, rest = text.split("| Tabel, figur, kort eller tekst |", 1)
    assert intro.startswith("**I alt: 1 tal ændret, 3 nye, 0 endnu ikke opdateret, 6 forsvundet.**\n")
    assert "Yderligere 12 tal er uændrede." in intro
    assert intro.index("Hent ændringerne (CSV)") < len(intro)          # the download, then the summary
    assert "## " not in intro
    assert ("Oversigten har en linje pr. tabel, figur, kort og tekst med ændringer: først dem med "
            "ændrede tal, så dem med nye tal og til sidst dem, hvor tal kun er forsvundet.") in intro
    assert summary_rows(text) == [
        "| {ref}`Tabel 8.7 <aendring-tabel-8-7>` | 1 | 0 | 1 |",
        "| {ref}`Figur 8.3 <aendring-figur-8-3>` | 0 | 1 | 0 |",
        "| {ref}`Figur 8.5 <aendring-nye>` | 0 | 2 | 0 |",
        "| {ref}`Tabel 8.1 <aendring-tabel-8-1>` | 0 | 0 | 1 |",
        "| {ref}`Tabel 8.4 <aendring-uden-tal>` | 0 | 0 | 3 |",
        "| {ref}`Figur 8.9 <aendring-uden-tal>` | 0 | 0 | 1 |",
    ]
    # Exhibits with numbers in both editions: a labelled section each, in the summary's
    # order, with a row per number; then the one-line lists.
    headings = [line for line in rest.splitlines() if line.startswith("## ")]
    assert headings == ["## Tabel 8.7", "## Figur 8.3", "## Tabel 8.1", "## Nye i denne udgave",
                        "## Uden tal i denne udgave"]
    for label, heading in [("aendring-tabel-8-7", "Tabel 8.7"), ("aendring-figur-8-3", "Figur 8.3"),
                           ("aendring-tabel-8-1", "Tabel 8.1"), ("aendring-nye", "Nye i denne udgave"),
                           ("aendring-uden-tal", "Uden tal i denne udgave")]:
        assert f"({label})=\n## {heading}\n" in rest
    table_8_7 = rest.split("## Tabel 8.7")[1].split("## ")[0]
    assert ("| Randers Kommune, i alt, andel af de opdigtede | 21,9 pct. \\(2024\\) | "
            "22,8 pct. \\(2024\\) | \\+0,9 procentpoint |") in table_8_7
    assert "| Vejle Kommune, i alt, andel af de opdigtede | 10,0 pct. \\(2024\\) | ikke med | forsvundet |" \
        in table_8_7


def test_an_exhibit_with_no_numbers_in_one_edition_is_one_line_not_a_row_per_number():
    changes, sizes = edition_2025()
    text = changes_markdown(changes, year=2025, previous=2024, pages=PAGES, measures=MEASURES,
                            sizes=sizes)
    new = text.split("## Nye i denne udgave\n")[1].split("(aendring-uden-tal)=")[0]
    gone = text.split("## Uden tal i denne udgave\n")[1]
    assert new.strip().splitlines() == [
        "- {ref}`Figur 8.5 <figur-8-5>` på siden {doc}`/notebooks/ledigheden`: 2 tal i udgaven "
        "for 2025 (ingen i udgaven for 2024)."]
    assert gone.strip().splitlines() == [
        "- {ref}`Tabel 8.4 <tabel-8-4>` på siden {doc}`/notebooks/indkomstoverfoersler`: ingen tal "
        "i udgaven for 2025 (3 tal i udgaven for 2024).",
        "- {ref}`Figur 8.9 <figur-8-9>` på siden {doc}`/notebooks/ledigheden`: ingen tal i udgaven "
        "for 2025 (1 tal i udgaven for 2024)."]
    for exhibit in ("Tabel 8.4", "Figur 8.5", "Figur 8.9"):
        assert f"## {exhibit}" not in text
    assert text.count("| Horsens Kommune") == 1             # figur 8.3's new number, not tabel 8.4's
    assert "| ikke med | 11,0 pct. \\(2024\\) | nyt |" in text.split("## Figur 8.3")[1]
    # The download keeps every number, the one-liners' included.
    download = changes_frame(changes, year=2025, previous=2024)
    assert len(download) == len(changes) == 10
    assert list(download["exhibit"]).count("tabel-8-4") == 3


def test_without_sizes_or_with_numbers_left_an_exhibit_keeps_its_rows():
    changes = [change("tabel-8-4", "gone", area) for area in ("Randers", "Vejle")]
    for sizes in (None, {"tabel-8-4": (3, 1)}):
        text = changes_markdown(changes, year=2025, previous=2024, pages=PAGES, measures=MEASURES,
                                sizes=sizes)
        assert summary_rows(text) == ["| {ref}`Tabel 8.4 <aendring-tabel-8-4>` | 0 | 0 | 2 |"]
        assert "Oversigten har en linje pr. tabel, figur, kort og tekst med ændringer. Titlen" in text
        assert "(aendring-tabel-8-4)=\n## Tabel 8.4\n" in text
        assert text.count("| forsvundet |") == 2
        assert "Uden tal i denne udgave" not in text and "ingen tal i udgaven" not in text


def test_a_page_table_gone_is_one_line_named_by_its_page():
    changes = [change("indsats_virksomheder-rekrutteringsteamet", "gone", area)
               for area in ("Randers", "Vejle")]
    pages = {"indsats_virksomheder-rekrutteringsteamet": "notebooks/indsats_virksomheder"}
    text = changes_markdown(changes, year=2025, previous=2024, pages=pages, measures=MEASURES,
                            sizes={"indsats_virksomheder-rekrutteringsteamet": (2, 0)})
    assert summary_rows(text) == [
        "| {ref}`Tabel om rekrutteringsteamet <aendring-uden-tal>` | 0 | 0 | 2 |"]
    assert ("- Tabel om rekrutteringsteamet på siden "
            "{doc}`/notebooks/indsats_virksomheder`: ingen tal i udgaven for 2025 (2 tal i udgaven "
            "for 2024).") in text
    assert "Et tal, der står i begge udgaver" not in text   # no table of numbers to explain


def test_the_built_page_counts_each_exhibits_numbers_in_both_editions(tmp_path):
    def entry(name, exhibits):
        folder = tmp_path / name / "exports"
        folder.mkdir(parents=True)
        for exhibit, rows in exhibits.items():
            frame(*rows).to_csv(folder / f"{exhibit}.csv", index=False)
        return {tmp_path / "ledigheden.ipynb": tmp_path / name}
    now = entry("now", {"tabel-8-1": [row("Randers", "2025", "3.0"), row("Vejle", "2025", "2.0")],
                        "tabel-8-2": [row("Randers", "2024", "5.0")]})
    then = entry("then", {"tabel-8-1": [row("Randers", "2025", "3.1"), row("Vejle", "2025", "2.0")],
                          "tabel-8-2": [row("Randers", "2024", "5.0"), row("Vejle", "2024", "4.0")],
                          "tabel-8-4": [row(area, "2024", "1.0") for area in ("Randers", "Vejle")]})
    stage = tmp_path / "stage"
    text = write_changes_page(stage, now, (2024, then), {"reference_year": 2025}, {})
    assert summary_rows(text) == ["| {ref}`Tabel 8.1 <aendring-tabel-8-1>` | 1 | 0 | 0 |",
                                  "| {ref}`Tabel 8.2 <aendring-tabel-8-2>` | 0 | 0 | 1 |",
                                  "| {ref}`Tabel 8.4 <aendring-uden-tal>` | 0 | 0 | 2 |"]
    assert ("- {ref}`Tabel 8.4 <tabel-8-4>` på siden {doc}`/ledigheden`: ingen tal i udgaven for "
            "2025 (2 tal i udgaven for 2024).") in text
    assert "(aendring-tabel-8-2)=\n## Tabel 8.2\n" in text     # Randers is still there: a section
    assert text.startswith("**I alt: 1 tal ændret, 0 nye, 0 endnu ikke opdateret, 3 forsvundet.**\n")
    assert "Yderligere 2 tal er uændrede." in text
    download = pd.read_csv(stage / "_exports" / "data" / "aendringer.csv", dtype=str)
    assert list(download["exhibit"]) == ["tabel-8-1", "tabel-8-2", "tabel-8-4", "tabel-8-4"]


def test_no_changes_keeps_its_sentence():
    text = changes_markdown([], year=2025, previous=2024, pages={}, measures={}, unchanged=3,
                            sizes={"tabel-8-1": (3, 3)})
    assert text.endswith("Ingen af tabellernes og figurernes tal er ændret siden udgaven for 2024.\n")
    assert "| Tabel, figur eller kort |" not in text and "## " not in text


def test_without_a_previous_edition_the_page_says_so(tmp_path):
    assert changes_markdown([], year=2009, previous=None, pages={}, measures={}) == (
        "Der er ingen tidligere udgave med data før udgaven for 2009, så der er intet at "
        "sammenligne med.\n")
    datasets = load_all(FROZEN)
    earliest = min(y for y in range(1990, 2030) if previous_year(y + 1, datasets) == y)
    assert previous_year(earliest, datasets) is None
    assert previous_year(2024, datasets) == 2023
    stage = tmp_path / "stage"
    write_changes_page(stage, {}, None, {"reference_year": earliest}, datasets)
    text = (stage / "appendix" / "aendringer.md").read_text(encoding="utf-8")
    assert text.startswith("(bilag-aendringer)=\n# Hvad er ændret siden sidste udgave\n")
    assert "% changes-list" not in text
    assert (f"Der er ingen tidligere udgave med data før udgaven for {earliest}, så der er intet "
            "at sammenligne med.") in text
    written = (stage / "appendix" / "aendringer.md").stat().st_mtime_ns
    write_changes_page(stage, {}, None, {"reference_year": earliest}, datasets)
    assert (stage / "appendix" / "aendringer.md").stat().st_mtime_ns == written  # unchanged: not rewritten


class _Editions:
    """A stand-in dataset that has rows for the editions 2023 and 2024."""

    def editions(self):
        return {2023: ["2022"], 2024: ["2023"]}


WRITE_YEAR = ("import os, pathlib\n"
              "folder = pathlib.Path(os.environ['LMB_EXPORT_DIR'])\n"
              "folder.mkdir(parents=True, exist_ok=True)\n"
              "(folder / '{name}.txt').write_text(str(reference_year))")


def test_both_editions_are_run_and_cached_the_previous_one_for_its_numbers_only(tmp_path, capsys):
    notebooks = [make_notebook(tmp_path / "one.ipynb", WRITE_YEAR.format(name="one")),
                 make_notebook(tmp_path / "two.ipynb", WRITE_YEAR.format(name="two"))]
    cache = tmp_path / "cache"
    data = tmp_path / "data"
    data.mkdir()
    now, before = execute_editions(notebooks, {"reference_year": 2024},
                                   {"made_up": _Editions()}, cache, jobs=2, data_dir=data)
    assert before[0] == 2023
    assert set(now) == set(before[1]) == set(notebooks)
    assert set(now.values()).isdisjoint(before[1].values())
    for nb in notebooks:   # each edition's parameters reached its run
        assert (now[nb] / "exports" / f"{nb.stem}.txt").read_text() == "2024"
        assert (before[1][nb] / "exports" / f"{nb.stem}.txt").read_text() == "2023"
        assert (now[nb] / "notebook.ipynb").exists()                # papermill: the page
        assert not (before[1][nb] / "notebook.ipynb").exists()      # numbers only
    printed = capsys.readouterr().out
    assert printed.count("executed in") == 2 and printed.count("numbers for 'Hvad er ændret'") == 2
    execute_editions(notebooks, {"reference_year": 2024},
                     {"made_up": _Editions()}, cache, jobs=2, data_dir=data)
    printed = capsys.readouterr().out
    assert "executed in" not in printed and "numbers for" not in printed
    assert printed.count("unchanged, taken from the cache") == 2


@pytest.mark.parametrize("year,expected", [(2024, 2023), (2023, None)])
def test_previous_year_is_the_latest_earlier_edition_with_data(year, expected):
    assert previous_year(year, {"made_up": _Editions()}) == expected


def test_the_same_value_a_period_later_or_on_another_basis_is_no_change():
    """Korshøjskolen's 7 in january 2024 and 7 in january 2025 is no change (the 2024 page
    listed it as "7 → 7"); nor is 7.0 for 7, nor a number that became derived."""
    def cell(period, value, basis="published"):
        return ("Randers", "i alt", period, "persons", value, "persons", "", basis, "made_up", "made_up")
    before = {"tabel-8-11": frame(cell("2024-01", "7"), cell("2023-01", "12"))}
    after = {"tabel-8-11": frame(cell("2025-01", "7"), cell("2023-01", "12.0", "derived"))}
    assert compare(after, before) == []
    after["tabel-8-11"].loc[0, "value"] = "8"
    assert [(c.kind, c.before["value"], c.after["value"]) for c in compare(after, before)] == [("moved", "7", "8")]


class _Data:
    """A stand-in dataset: its rows' measures and periods, and a rule for each edition."""

    def __init__(self, rows):
        self.frame = pd.DataFrame(rows, columns=["measure", "period"])
        self.meta = {"periods": {"rules": {"current": {"year_offset": 0}}}, "title": "Opdigtede tal",
                     "measures": {m: {"label_da": label} for m, label in MEASURES["made_up"].items()}}


def prose_entry(folder, name, rows):
    """A notebook titled "Ledigheden" and its light run's exports: ``rows`` as its prose numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / f"{name}.ipynb"
    notebook.write_text('{"cells": [{"cell_type": "markdown", "source": ["# Ledigheden\\n"], '
                        '"metadata": {}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
                        encoding="utf-8")
    exports = folder / name / "exports"
    exports.mkdir(parents=True)
    columns = ["key", "text", "area", "period", "base_period", "measure", "value", "unit", "flag",
               "basis", "dataset", "provenance", "row_key"]
    pd.DataFrame(rows, columns=columns).to_csv(exports / "ledigheden-tekst.csv", index=False)
    return notebook, folder / name


def test_the_numbers_in_the_prose_are_compared_too(tmp_path):
    """The text's 14.494 -> 14.310 (MADE UP) is listed, under the page's text, by what the
    number is (no glue key, no dimension that all its numbers share)."""
    def number(key, period, value, text, age="16-66"):
        return [key, text, "Randers", period, "", "persons", value, "persons", "", "published",
                "made_up", "made_up", f"area_code=730;period={period};age_group={age};sex=i alt;measure=persons"]
    notebook, then = prose_entry(tmp_path / "then", "ledigheden",
                                 [number("t_antal", "2023-11", "14494", "14.494"),
                                  number("t_aeldre", "2023-11", "2253", "2.253", "60-66")])
    _, now = prose_entry(tmp_path / "now", "ledigheden",
                         [number("t_antal", "2024-11", "14310", "14.310"),
                          number("t_aeldre", "2024-11", "2253", "2.253", "60-66")])
    text = write_changes_page(tmp_path / "stage", {notebook: now}, (2024, {notebook: then}),
                              {"reference_year": 2025}, {"made_up": _Data([("persons", "2025")])})
    assert text.startswith("**I alt: 1 tal ændret, 0 nye, 0 endnu ikke opdateret.**\n")
    assert summary_rows(text) == [
        "| {ref}`Tallene i teksten på siden »Ledigheden« <aendring-ledigheden-tekst>` | 1 | 0 | 0 |"]
    section = text.split("(aendring-ledigheden-tekst)=\n## Tallene i teksten på siden »Ledigheden«\n")[1]
    assert ("| Randers Kommune, antal opdigtede | 14.494 \\(november 2023\\) | "
            "14.310 \\(november 2024\\) | −184 |") in section
    assert "t\\_antal" not in text and "i alt" not in section and "2.253" not in section


def test_numbers_not_yet_updated_are_one_line_per_dataset_never_one_per_number():
    """A partly updated 2025 edition (MADE UP): the survey has its 2025 rows, the register
    and the counts have none yet; their numbers are summed up per dataset, while a number
    that disappeared from the updated survey is listed."""
    changes = [change("tabel-8-7", "moved", "Randers", "21.9", "22.8", "2025"),
               change("tabel-8-7", "gone", "Vejle", period="2024"),
               *[change("figur-8-8", "gone", area, period="2024") for area in ("Randers", "Vejle", "Horsens")],
               change("figur-8-9", "gone", "Randers", period="2024"),
               change("figur-8-10", "gone", "Randers", period="2024")]
    datasets = {"made_up": _Data([("share", "2024"), ("share", "2025")])}
    for c in changes:
        if c.exhibit != "tabel-8-7":
            c.before["dataset"] = "register" if c.exhibit != "figur-8-10" else "counts"
    datasets |= {"register": _Data([("share", "2024")]), "counts": _Data([("share", "2024")])}
    marked = not_yet_updated(changes, datasets, 2025)
    assert [c.kind for c in marked] == ["moved", "gone", "pending", "pending", "pending", "pending", "pending"]
    text = changes_markdown(marked, year=2025, previous=2024, pages=PAGES, measures=MEASURES,
                            unchanged=1200, titles={"register": "Et opdigtet register",
                                                    "counts": "Opdigtede tællinger"})
    assert text.startswith("**I alt: 1 tal ændret, 0 nye, 5 endnu ikke opdateret, 1 forsvundet.**\n")
    assert "Yderligere 1.200 tal er uændrede." in text
    assert summary_rows(text) == ["| {ref}`Tabel 8.7 <aendring-tabel-8-7>` | 1 | 0 | 1 |"]
    pending = text.split("(aendring-endnu-ikke-opdateret)=\n## Endnu ikke opdateret\n")[1]
    assert pending.strip().splitlines()[2:] == [
        "- Et opdigtet register: 4 tal i figur 8.8–8.9.",
        "- Opdigtede tællinger: 1 tal i figur 8.10."]
    assert "## Figur 8.8" not in text and text.count("| forsvundet |") == 1
    download = changes_frame(marked, year=2025, previous=2024)
    assert list(download["change"]).count("endnu ikke opdateret") == 5
