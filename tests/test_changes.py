"""What changed since the previous edition (labour_market_book.changes).

All numbers here are made up for the tests; none is the report's.
"""

import pandas as pd
import pytest
from helpers import make_notebook

from labour_market_book.changes import (changes_frame, changes_markdown, compare, difference_da,
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
    assert "Udgaven for 2023 er sammenlignet med udgaven for 2022" in text
    assert "2 tal er ændret, 1 tal er nyt og 1 tal er forsvundet; 0 tal er uændrede." in text
    table_8_1 = text.split("## Tabel 8.1")[1].split("## ")[0]
    assert ("Se {ref}`tabel 8.1 <tabel-8-1>` på siden "
            "{doc}`/notebooks/borgere_uden_for_arbejdsstyrken`.") in table_8_1
    assert ("| Randers Kommune, i alt, andel af de opdigtede | 21,9 pct. \\(november 2021\\) | "
            "22,8 pct. \\(november 2022\\) | \\+0,9 procentpoint |") in table_8_1
    assert ("| Horsens Kommune, i alt, andel af de opdigtede | ikke med | 20,6 pct. \\(november 2022\\) "
            "| nyt |") in table_8_1
    assert ("| Vejle Kommune, i alt, andel af de opdigtede | 19,0 pct. \\(november 2021\\) | ikke med "
            "| forsvundet |") in table_8_1
    side = text.split("## Tabel uden nummer (indkomstoverfoersler-foertidspension.csv)")[1]
    assert "{doc}`/notebooks/indkomstoverfoersler`" in side
    assert "| 100 \\(2021\\) | 1.100 \\(2021\\) | \\+1.000 |" in side
    download = changes_frame(changes, year=2023, previous=2022)
    assert list(download.iloc[0][["exhibit", "change", "value_2022", "value_2023"]]) == [
        "tabel-8-1", "ændret", "21.9", "22.8"]


def test_without_a_previous_edition_the_page_says_so(tmp_path):
    assert changes_markdown([], year=2009, previous=None, pages={}, measures={}) == (
        "Der er ingen tidligere udgave med data før udgaven for 2009, så der er intet at "
        "sammenligne med.\n")
    datasets = load_all()
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
