"""Golden backtests: for the report's own reference year the book shows the report's numbers."""

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from labour_market_book.datasets import load_dataset
from labour_market_book.edition import Edition
from labour_market_book.exhibits import area_table

GOLDEN = Path(__file__).parent / "golden"
NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "borgere_uden_for_arbejdsstyrken.ipynb"
REPORT_EDITION = Edition(2024, "Randers", ("Horsens", "Silkeborg", "Vejle", "Hele landet"))


def test_tabel_8_1_equals_the_report():
    ds = load_dataset("outside_labour_force")
    frame = ds.select("share_of_population", REPORT_EDITION.reference_year,
                      areas=REPORT_EDITION.areas, age_group="16-66", sex="i alt", origin="i alt")
    shown = area_table(frame, "borgere_uden_for_arbejdsstyrken").rename(columns={"Område": "område"})
    golden = pd.read_csv(GOLDEN / "tabel-8-1.csv", dtype=str)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), golden)


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


with open(GOLDEN / "text-8-1.csv", encoding="utf-8") as handle:
    TEXT_CASES = [(row["glue_key"], row["printed"]) for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def report_edition_notebook(tmp_path_factory):
    """The notebook executed for the report's own edition, whatever edition.yml says."""
    import os

    import papermill
    tmp = tmp_path_factory.mktemp("report-edition")
    old = os.environ.get("LMB_EXPORT_DIR")
    os.environ["LMB_EXPORT_DIR"] = str(tmp / "exports")
    try:
        papermill.execute_notebook(
            str(NOTEBOOK), str(tmp / "nb.ipynb"), cwd=str(NOTEBOOK.parent), progress_bar=False,
            parameters={"reference_year": REPORT_EDITION.reference_year,
                        "focus_municipality": REPORT_EDITION.focus,
                        "comparison_areas": list(REPORT_EDITION.comparison)})
    finally:
        if old is None:
            os.environ.pop("LMB_EXPORT_DIR")
        else:
            os.environ["LMB_EXPORT_DIR"] = old
    return tmp / "nb.ipynb"


@pytest.mark.parametrize("key, printed", TEXT_CASES)
def test_prose_numbers_of_the_report_edition_equal_the_report(report_edition_notebook, key, printed):
    glued = glued_text(report_edition_notebook)
    assert glued.get(key) == printed
