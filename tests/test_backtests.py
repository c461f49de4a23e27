"""Golden backtests: for the report's own reference year the book shows the report's numbers."""

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from labour_market_book.areas import display_name
from labour_market_book.edition import Edition
from labour_market_book.pages import ledigheden as p82
from helpers import REPO

GOLDEN = Path(__file__).parent / "golden"
NOTEBOOKS = REPO / "notebooks"
NOTEBOOK = NOTEBOOKS / "borgere_uden_for_arbejdsstyrken.ipynb"
PAGES = {"8-1": "borgere_uden_for_arbejdsstyrken", "8-2": "ledigheden", "8-3": "indkomstoverfoersler",
         "8-4-1": "indsats_organisering", "8-4-2": "indsats_loentimer",
         "8-4-3": "indsats_virksomheder", "8-4-4": "indsats_paa_tvaers",
         "8-4-5": "indsats_borgertilfredshed", "8-4-6": "indsats_sammenfatning"}
REPORT_EDITION = Edition(2024, "Randers", ("Horsens", "Silkeborg", "Vejle", "Hele landet"))


def glued_text(notebook: Path) -> dict[str, str]:
    """glue key -> text/plain of every glued string in an executed notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = data.get("application/papermill.record/text/plain")
            if key and text is not None:
                out[key] = text.strip("'\"")
    return out


def _cases(section: str) -> list[tuple[str, str, str]]:
    with open(GOLDEN / f"text-{section}.csv", encoding="utf-8") as handle:
        return [(section, row["glue_key"], row["printed"]) for row in csv.DictReader(handle)]


TEXT_CASES = _cases("8-1") + _cases("8-2") + _cases("8-3")


@pytest.fixture(scope="module")
def report_edition_notebooks(book_2024, tmp_path_factory):
    """The notebooks executed with papermill for the report's own edition, whatever
    edition.yml says: taken from (a copy of) the run's build of the default edition when that
    is the report's, else executed here. Each notebook's glued text, and every exhibit CSV
    in one folder (``"exports"``)."""
    from helpers import private_copy

    from labour_market_book.execution import execute_notebooks
    tmp_path = tmp_path_factory.mktemp("report-edition")
    cache = private_copy(book_2024[1] / "_build" / "cache", tmp_path / "cache")
    parameters = {"reference_year": REPORT_EDITION.reference_year,
                  "focus_municipality": REPORT_EDITION.focus,
                  "comparison_areas": list(REPORT_EDITION.comparison)}
    entries = execute_notebooks([NOTEBOOKS / f"{name}.ipynb" for name in PAGES.values()], parameters, cache)
    exports = tmp_path / "exports"
    exports.mkdir()
    for entry in entries.values():
        for path in (entry / "exports").iterdir():
            shutil.copyfile(path, exports / path.name)
    return {section: glued_text(entries[NOTEBOOKS / f"{name}.ipynb"] / "notebook.ipynb")
            for section, name in PAGES.items()} | {"exports": exports}


@pytest.mark.parametrize("section, key, printed", TEXT_CASES)
def test_prose_numbers_of_the_report_edition_equal_the_report(report_edition_notebooks, section,
                                                              key, printed):
    assert report_edition_notebooks[section].get(key) == printed


def _danish(value: str) -> str:
    """An exported plain number as the report prints it: ``-0.15`` -> ``-0,15``."""
    return value.replace(".", ",")


def _exported(notebooks, exhibit: str) -> list[dict]:
    """The rows the notebook exported for an exhibit (what the page shows and offers)."""
    return list(csv.DictReader((notebooks["exports"] / f"{exhibit}.csv").open(encoding="utf-8")))


def _number(text: str) -> float:
    """A number as the report prints it: ``1.537`` -> 1537, ``3,1`` -> 3.1."""
    return float(text.replace(" pct.", "").replace(".", "").replace(",", "."))


def test_tabel_8_1_equals_the_report(report_edition_notebooks):
    shown = {display_name(r["area"]): f"{_danish(r['value'])} pct."
             for r in _exported(report_edition_notebooks, "tabel-8-1")}
    golden = pd.read_csv(GOLDEN / "tabel-8-1.csv", dtype=str)
    assert shown == dict(zip(golden["område"], golden["borgere_uden_for_arbejdsstyrken"]))


BLOCKS_8_2 = {label: measure for measure, label in p82.BLOCKS_8_2}
"""The report's row groups of Tabel 8.2 and the measure each shows, as the page builds them."""
MONTHS_8_2 = {"marts 2024": "2024-03", "februar 2025": "2025-02", "marts 2025": "2025-03"}


def test_tabel_8_2_equals_the_report(report_edition_notebooks):
    shown = {(r["measure"], display_name(r["area"]), r["period"]): float(r["value"])
             for r in _exported(report_edition_notebooks, "tabel-8-2")}
    golden = pd.read_csv(GOLDEN / "tabel-8-2.csv", dtype=str)
    expected = {(BLOCKS_8_2[row["blok"]], row["område"], period): _number(row[month])
                for _, row in golden.iterrows() for month, period in MONTHS_8_2.items()}
    assert shown == expected


def test_tabel_8_3_equals_the_report(report_edition_notebooks):
    shown = {}
    for r in _exported(report_edition_notebooks, "tabel-8-3"):
        shown.setdefault((r["rank"], r["job_title"]), {})[r["measure"]] = r["value"]
    table = [[rank, title, v["unemployed_with_job_goal"], v["job_postings"]]
             for (rank, title), v in sorted(shown.items(), key=lambda kv: int(kv[0][0]))]
    assert table == pd.read_csv(GOLDEN / "tabel-8-3.csv", dtype=str).values.tolist()


def test_tabel_8_4_equals_the_report(report_edition_notebooks):
    rows = list(csv.DictReader((report_edition_notebooks["exports"] / "tabel-8-4.csv").open(encoding="utf-8")))
    shown = {}
    for row in rows:
        shown.setdefault((row["rank"], row["area"]), {})[row["measure"]] = _danish(row["value"])
    table = [[rank, area, v["expected_share"], v["actual_share"], v["difference"]]
             for (rank, area), v in sorted(shown.items(), key=lambda kv: int(kv[0][0]))]
    golden = pd.read_csv(GOLDEN / "tabel-8-4.csv", dtype=str).values.tolist()
    assert table == golden


def test_tabel_8_5_equals_the_report(report_edition_notebooks):
    rows = list(csv.DictReader((report_edition_notebooks["exports"] / "tabel-8-5.csv").open(encoding="utf-8")))
    golden = pd.read_csv(GOLDEN / "tabel-8-5.csv", dtype=str, keep_default_na=False)
    areas = ["Hele landet", "Randers", "Horsens", "Silkeborg", "Vejle"]
    for _, expected in golden.iterrows():
        benefit = expected["ydelse"].rstrip("*")
        mine = [r for r in rows if r["benefit"] == benefit]
        count = next(r for r in mine if r["measure"] == "full_time_persons")
        printed = "." if count["flag"] == "suppressed" else f"{int(count['value']):,}".replace(",", ".")
        assert printed == expected["antal fuldtidspersoner i Randers"], benefit
        for area in areas:
            share = next(r for r in mine if r["measure"] == "share_of_population" and r["area"] == area)
            assert _danish(share["value"]) == expected[area], (benefit, area)
    assert len({r["benefit"] for r in rows}) == len(golden)


def test_figur_8_14_equals_the_report(report_edition_notebooks):
    rows = list(csv.DictReader((report_edition_notebooks["exports"] / "figur-8-14.csv").open(encoding="utf-8")))
    series = {}
    for row in rows:
        if row["measure"] in ("expenditure_share", "population_share"):
            series.setdefault(row["period"], {})[row["measure"]] = _danish(row["value"])
    table = [[year, v["expenditure_share"], v["population_share"]] for year, v in sorted(series.items())]
    assert table == pd.read_csv(GOLDEN / "figur-8-14.csv", dtype=str).values.tolist()


with open(GOLDEN / "text-8-4-1.csv", encoding="utf-8") as handle:
    PUBLISHED_8_4 = [(r["dataset"], r["measure"], r["period"], r["printed"]) for r in csv.DictReader(handle)]


@pytest.mark.parametrize("dataset, measure, period, printed", PUBLISHED_8_4)
def test_every_published_number_of_8_4_part_1_reaches_the_text(report_edition_notebooks, dataset,
                                                                measure, period, printed):
    texts = set()
    for page in ("indsats_organisering", "indsats_loentimer"):
        path = report_edition_notebooks["exports"] / f"{page}-tekst.csv"
        texts |= {r["text"].lower() for r in csv.DictReader(path.open(encoding="utf-8"))
                  if r["dataset"] == dataset and r["measure"] == measure and r["period"] == period}
    assert printed.lower() in texts, texts


def _golden_numbers(name: str) -> tuple[list[float], int]:
    """The numbers a golden table prints (label column dropped) and its suppressed cells."""
    import re
    frame = pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)
    numbers, suppressed = [], 0
    for column in frame.columns[1:]:
        for cell in frame[column]:
            text = cell.strip().strip("()").replace("%", "").replace(" pct.", "").lstrip("~").strip()
            if text == "-" or text == ".":
                suppressed += 1
            elif re.fullmatch(r"-?[\d.]+(,\d+)?", text):
                numbers.append(round(float(text.replace(".", "").replace(",", ".")), 4))
    return sorted(numbers), suppressed


@pytest.mark.parametrize("exhibit", ["tabel-8-6", "tabel-8-7", "tabel-8-8", "tabel-8-9", "tabel-8-10",
                                     "tabel-8-11", "tabel-8-12", "figur-8-38"])
def test_exported_numbers_equal_the_golden_table(report_edition_notebooks, exhibit):
    """The numbers a table or figure shows (its CSV) are exactly the numbers the report
    prints in it, suppressed cells included."""
    rows = list(csv.DictReader((report_edition_notebooks["exports"] / f"{exhibit}.csv").open(encoding="utf-8")))
    if exhibit == "tabel-8-8":  # the text's split of the total is not a cell of the table
        rows = [r for r in rows if r.get("contact", "i alt") == "i alt"]
    shown = sorted(round(float(r["value"]), 4) for r in rows if r["flag"] != "suppressed")
    suppressed = sum(r["flag"] == "suppressed" for r in rows)
    expected, expected_suppressed = _golden_numbers(exhibit)
    if exhibit == "figur-8-38":  # Randers' "meget utilfreds": no label, the text says "ingen" (0)
        expected = sorted(expected + [0.0])
    assert (shown, suppressed) == (expected, expected_suppressed)
