"""The default edition is declared once (edition.yml); parameters reach the numbers."""

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

from labour_market_book.build import edition_parameters
from labour_market_book.devtools import set_parameters_cell
from labour_market_book.execution import toc_notebooks
from labour_market_book.datasets import load_all
from labour_market_book.edition import default_parameters
from labour_market_book.errors import ParameterError
from labour_market_book.trace import plain_text
from test_backtests import glued_text
from helpers import REPO

NOTEBOOK = REPO / "notebooks" / "borgere_uden_for_arbejdsstyrken.ipynb"


def parameters_cell(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:  # literals only: papermill and nbval need them
        assert isinstance(node, ast.Assign), f"{path.name}: parameters cell holds only assignments"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("notebook", toc_notebooks(), ids=lambda p: p.name)
def test_parameters_cells_agree_with_edition_yml(notebook):
    assert parameters_cell(notebook) == default_parameters()


def test_set_parameters_cell_writes_literals_that_read_back(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    wanted = {"reference_year": 2025, "focus_municipality": "Horsens",
              "comparison_areas": ["Randers", "Hele landet"]}
    assert set_parameters_cell(nb, wanted)
    nbformat.write(nb, tmp_path / "x.ipynb")
    assert parameters_cell(tmp_path / "x.ipynb") == wanted
    assert not set_parameters_cell(nb, wanted)  # unchanged the second time
    # a value with an apostrophe, a quote or a backslash reads back as it was
    odd = {"reference_year": 2025, "focus_municipality": "Randers' \"by\" \\ Kommune",
           "comparison_areas": ["Hele landet"]}
    set_parameters_cell(nb, odd)
    nbformat.write(nb, tmp_path / "y.ipynb")
    assert parameters_cell(tmp_path / "y.ipynb") == odd
    assert nb.cells[[i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])][0]].source \
        .splitlines()[1] == 'focus_municipality = "Randers\' \\"by\\" \\\\ Kommune"'


def test_focus_and_comparison_are_checked_against_the_areas_in_the_data():
    datasets = load_all()
    params = edition_parameters(None, "Horsens", ["Randers", "Vejle", "Hele landet"], datasets)
    assert params["focus_municipality"] == "Horsens"
    assert params["reference_year"] == default_parameters()["reference_year"]
    with pytest.raises(ParameterError, match=r"unknown area 'Aarhuus' \(did you mean 'Aarhus'\?\)"):
        edition_parameters(None, "Aarhuus", None, datasets)
    # Aarhus is in the data (Tabel 8.4's whole ranking for 2020 and 2021), not in the 2024 edition
    with pytest.raises(ParameterError, match=r"^no data for 'Aarhus' in the 2024 edition \(data/ has it "
                                             r"for 2020-2021\): fetch .*`make data YEAR=2024`"):
        edition_parameters(2024, "Aarhus", None, datasets)
    assert edition_parameters(2021, "Aarhus", ["Aalborg", "Odense"], datasets)["focus_municipality"] == "Aarhus"
    with pytest.raises(ParameterError, match="not 'Hele landet'"):
        edition_parameters(None, "Hele landet", ["Randers"], datasets)


def test_focus_horsens_changes_the_glued_prose(tmp_path, monkeypatch):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path / "exports"))
    out = tmp_path / "horsens.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), cwd=str(NOTEBOOK.parent), progress_bar=False,
                               parameters={"focus_municipality": "Horsens",
                                           "comparison_areas": ["Randers", "Silkeborg", "Vejle", "Hele landet"]})
    glued = glued_text(out)
    assert glued["fokus_navn"] == "Horsens Kommune"
    assert glued["t81_andel_fokus"] == "20,6 pct."
    assert "t81_antal_fokus" not in glued  # the report gives the count for Randers only
    paragraph = plain_text(glued_markdown(out)["p_andel"])  # the text, without the numbers' trace
    assert "20,6 pct. af de 16-66-årige i Horsens Kommune" in paragraph
    assert "Det svarer til" not in paragraph   # the count is Randers' only: left out, no hole
    assert "(ingen data)" not in paragraph
    assert glued["f85_fokus"] == "75,7 pct."
    assert "Randers Kommune" in glued["f85_hoejere"] and "Silkeborg Kommune" in glued["f85_hoejere"]


def glued_markdown(notebook: Path) -> dict[str, str]:
    """glue key -> text/markdown of every glued Markdown in an executed notebook."""
    nb = nbformat.read(notebook, as_version=4)
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/markdown")
            if key and text is not None:
                out[key] = text
    return out
