"""papermill parameters reach the numbers: another focus municipality changes the prose."""

from pathlib import Path

import papermill

from test_backtests import glued_text

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "borgere_uden_for_arbejdsstyrken.ipynb"


def test_focus_horsens_changes_the_glued_prose(tmp_path, monkeypatch):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path / "exports"))
    out = tmp_path / "horsens.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), cwd=str(NOTEBOOK.parent), progress_bar=False,
                               parameters={"focus_municipality": "Horsens",
                                           "comparison_areas": ["Randers", "Silkeborg", "Vejle", "Hele landet"]})
    glued = glued_text(out)
    assert glued["fokus_navn"] == "Horsens Kommune"
    assert glued["t81_andel_fokus"] == "20,6 pct."
    assert glued["t81_antal_fokus"] == "(ingen data)"  # the report gives the count for Randers only
    assert glued["f85_fokus"] == "75,7 pct."
    assert "Randers Kommune" in glued["f85_hoejere"] and "Silkeborg Kommune" in glued["f85_hoejere"]
