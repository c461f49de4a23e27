"""Exports, house style and exhibit helpers."""

import csv

import pandas as pd
import pytest

from labour_market_book import style
from labour_market_book.datasets import load_dataset
from labour_market_book.derive import complement_share
from labour_market_book.edition import Edition, join_da
from labour_market_book.exports import download_link_html, write_export
from labour_market_book.figures import bar_by_area, danish_tick


@pytest.fixture
def ras():
    return load_dataset("outside_labour_force")


def test_export_is_plain_csv_with_flags(tmp_path, monkeypatch, ras):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = ras.select("share_of_outside_labour_force", 2024, areas=["Vejle", "Randers"],
                       age_group="16-66", sex="mænd", origin="i alt")
    path = write_export("figur-8-4", frame, ["sex"])
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows == [{"area": "Vejle", "sex": "mænd", "period": "2023-11",
                     "measure": "share_of_outside_labour_force", "value": "56", "unit": "pct",
                     "flag": "lower_bound", "basis": "published"}]


def test_export_keeps_suppressed_cells_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = pd.DataFrame({"area": ["Randers"], "period": ["2023-11"], "measure": ["persons"],
                          "value": [float("nan")], "unit": ["persons"], "decimals": [0],
                          "flag": ["suppressed"]})
    text = write_export("tabel-8-1", frame).read_text(encoding="utf-8")
    assert text.splitlines()[1] == "Randers,2023-11,persons,,persons,suppressed,published"


def test_export_numbers_have_no_thousands_separator(tmp_path, monkeypatch, ras):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = ras.select("persons", 2024, areas=["Randers"], age_group="16-66", sex="i alt", origin="i alt")
    assert ",14494," in write_export("tabel-8-1", frame).read_text(encoding="utf-8")


def test_export_refuses_ids_that_are_not_the_reports():
    with pytest.raises(ValueError):
        write_export("Figure 1", pd.DataFrame())


def test_download_link_points_at_the_published_csv():
    assert 'href="../data/figur-8-5.csv"' in download_link_html("figur-8-5")


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
        Edition(2024, "Aarhus", ())
    with pytest.raises(TypeError):
        Edition("2024", "Randers", ())


def test_join_da():
    assert join_da(["A"]) == "A"
    assert join_da(["A", "B", "C"]) == "A, B og C"


def test_edition_gaps_name_the_dataset_and_period(ras):
    from labour_market_book.datasets import load_dataset
    from labour_market_book.exhibits import edition_gaps
    empty = load_dataset("outside_labour_force_by_education")
    assert edition_gaps(2024, [ras, empty]) == []  # a dataset with no rows at all is not a gap
    gaps = edition_gaps(2023, [ras, empty])
    assert len(gaps) == 1 and "RAS201" in gaps[0] and "november 2022" in gaps[0]


def test_prose_helpers(ras):
    from labour_market_book.exhibits import change_words, extreme, higher_than, labelled_value
    everyone = dict(age_group="16-66", sex="i alt", origin="i alt")
    shares = ras.select("share_of_population", 2024, areas=["Hele landet", "Randers", "Horsens",
                                                            "Silkeborg", "Vejle"], **everyone)
    assert labelled_value(shares, "Vejle") == "Vejle Kommune (19,9 pct.)"
    assert extreme(shares, ["Horsens", "Silkeborg", "Vejle"], "lowest") == "Silkeborg Kommune (18,9 pct.)"
    assert extreme(shares, ["Horsens", "Silkeborg", "Vejle"], "highest") == "Horsens Kommune (20,6 pct.)"
    assert higher_than(shares, "Randers") == "ingen"
    assert higher_than(shares, "Silkeborg") == ("Hele landet (21,7 pct.), Randers Kommune (22,8 pct.), "
                                                "Horsens Kommune (20,6 pct.) og Vejle Kommune (19,9 pct.)")
    change = ras.select("change_in_persons", 2024, base_role="base", areas=["Randers"], **everyone)
    assert change_words(change, "Randers") == ("faldt", "3.381")
    assert change_words(change, "Horsens") == ("ændredes", "(ingen data)")
    assert extreme(shares.iloc[0:0], ["Vejle"], "lowest") == "(ingen data)"


def test_comparison_names_and_values_text(ras):
    from labour_market_book.exhibits import values_text
    edition = Edition(2024, "Randers", ("Horsens", "Silkeborg", "Vejle", "Hele landet"))
    assert edition.comparison_names == "Horsens Kommune, Silkeborg Kommune, Vejle Kommune og hele landet"
    bounds = ras.select("share_of_outside_labour_force", 2024, areas=["Vejle", "Silkeborg"],
                        age_group="16-66", sex="mænd", origin="i alt")
    assert values_text(bounds) == "56 pct."
    assert values_text(bounds.iloc[0:0]) == "(ingen data)"
