"""Optional district geometry: validated, and drawn as a map when present.

The geometry here is MADE UP for the test (two unit squares): it is not Randers' school
districts and is never written into data/.
"""

import json

import pytest

from labour_market_book import diagrams, style
from labour_market_book.errors import DataValidationError
from labour_market_book.geo import load_districts

MADE_UP = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"skoledistrikt": "Testdistrikt A", "note": "opdigtet testgeometri"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
        {"type": "Feature", "properties": {"skoledistrikt": "Testdistrikt B", "note": "opdigtet testgeometri"},
         "geometry": {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}},
    ],
}


def write(folder, data):
    path = folder / "geo" / "skoledistrikter.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_no_geometry_is_bundled_so_the_maps_are_bar_charts():
    assert load_districts() is None


def test_made_up_geometry_loads_and_draws_a_map(tmp_path):
    write(tmp_path, MADE_UP)
    geo = load_districts(tmp_path)
    style.apply()
    fig = diagrams.choropleth({"Testdistrikt A": (2.5, "2,5 pct."), "Testdistrikt B": (None, ".")},
                             geo, legend_label="Andel, pct.")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Testdistrikt A\n2,5 pct." in texts and "Testdistrikt B\n." in texts
    assert len(fig.axes[0].patches) == 2


@pytest.mark.parametrize("breakage, message", [
    (lambda d: d.update(type="Feature"), "FeatureCollection"),
    (lambda d: d["features"][0]["properties"].pop("skoledistrikt"), "feature 0 has no property"),
    (lambda d: d["features"][1]["geometry"].update(type="Point"), "feature 1 .* Polygon"),
    (lambda d: d["features"][1]["properties"].update(skoledistrikt="Testdistrikt A"), "appears twice"),
])
def test_bad_geometry_is_refused_naming_the_feature(tmp_path, breakage, message):
    data = json.loads(json.dumps(MADE_UP))
    breakage(data)
    path = write(tmp_path, data)
    with pytest.raises(DataValidationError, match=message) as info:
        load_districts(tmp_path)
    assert str(path.name) in str(info.value)


def test_the_page_draws_kort_8_2_as_a_map_when_geometry_is_added(tmp_path, data_copy, monkeypatch):
    """End to end: the same notebook draws a map instead of bars once the file exists."""
    import papermill

    from test_backtests import NOTEBOOKS
    names = ["Nørrevangsskolen", "Rismølleskolen"]  # two real district names on MADE-UP squares
    data = json.loads(json.dumps(MADE_UP))
    for feature, name in zip(data["features"], names):
        feature["properties"]["skoledistrikt"] = name
    write(data_copy, data)
    monkeypatch.setenv("LMB_DATA_DIR", str(data_copy))
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path / "exports"))
    out = tmp_path / "page.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "indsats_paa_tvaers.ipynb"), str(out),
                               cwd=str(NOTEBOOKS), progress_bar=False)
    from test_notebook_parameters import glued_markdown
    note = glued_markdown(out)["kort-8-2-note"]
    assert "kortet vises som søjler" not in note  # the bar-chart fallback's caption is gone
    import nbformat
    html = [o["data"]["application/papermill.record/text/html"]
            for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])
            if o.get("metadata", {}).get("scrapbook", {}).get("name") == "kort-8-2"]
    assert len(html) == 1 and 'class="exhibit-figure"' in html[0] and "Nørrevangsskolen" in html[0]
