"""Bar charts: one zero line, one mark per meaning, a key for what is drawn, alt text, HTML."""

import base64
import html
import re

import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from labour_market_book import style
from labour_market_book.alt_text import describe_area_lines, describe_bars
from labour_market_book.figures import (DERIVED_KEY, LOWER_BOUND_KEY, bar_by_area,
                                        figure_html)


def bars(areas, values, *, unit="pct", decimals=1, flags=None, basis=None):
    frame = pd.DataFrame({"area": areas, "value": [float(v) for v in values], "unit": unit,
                          "decimals": decimals, "flag": flags or [""] * len(areas)})
    if basis is not None:
        frame["basis"] = basis
    return frame


@pytest.fixture
def shares():
    """Tabel 8.1's numbers (RAS201, november 2023)."""
    return bars(["Hele landet", "Randers", "Horsens", "Silkeborg", "Vejle"],
                [21.7, 22.8, 20.6, 18.9, 19.9])


def zero_lines(ax):
    return [line for line in ax.lines
            if len(line.get_xdata()) and all(float(x) == 0 for x in line.get_xdata())
            and line.get_linestyle() not in ("None", "none", "")]


def legend_texts(fig):
    return [t.get_text() for legend in fig.legends for t in legend.get_texts() if t.get_text()]


def hatch_of(ax, label):
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    return ax.patches[ticks.index(label)].get_hatch()


# -- one zero line --------------------------------------------------------------------------------
@pytest.mark.parametrize("values", [[21.7, 22.8, 20.6], [-120, -3381, -5], [-120, 40, 0]])
def test_exactly_one_zero_line(values):
    fig = bar_by_area(bars(["Hele landet", "Randers", "Horsens"], values), focus="Randers",
                      axis_label="x")
    ax = fig.axes[0]
    assert len(zero_lines(ax)) == 1
    assert not ax.spines["left"].get_visible()
    low, high = ax.get_xlim()
    assert low < 0 < high  # visible for all-positive and all-negative data


# -- marks ---------------------------------------------------------------------------------------
def test_lower_bound_and_derived_have_distinct_marks_and_keys():
    frame = bars(["Randers", "Horsens", "Vejle"], [56, 24.3, 19.9], decimals=[0, 1, 1],
                 flags=["lower_bound", "", ""], basis=["published", "derived", "published"])
    fig = bar_by_area(frame, focus="Randers", axis_label="Andel, pct.")
    ax = fig.axes[0]
    lower, derived = hatch_of(ax, "Randers Kommune"), hatch_of(ax, "Horsens Kommune")
    assert lower and derived and lower != derived
    assert (lower, derived) == (style.LOWER_BOUND_HATCH, style.DERIVED_HATCH)
    assert not hatch_of(ax, "Vejle Kommune")
    assert "over 56 pct." in [t.get_text() for t in ax.texts]
    texts = legend_texts(fig)
    assert LOWER_BOUND_KEY in texts and DERIVED_KEY in texts


def test_a_figure_without_marks_has_no_mark_keys(shares):
    texts = legend_texts(bar_by_area(shares, focus="Randers", axis_label="Andel, pct."))
    assert LOWER_BOUND_KEY not in texts and DERIVED_KEY not in texts
    only_derived = shares.assign(basis="derived")
    texts = legend_texts(bar_by_area(only_derived, focus="Randers", axis_label="Andel, pct."))
    assert DERIVED_KEY in texts and LOWER_BOUND_KEY not in texts


# -- colour key ----------------------------------------------------------------------------------
def test_colour_key_names_the_areas_present(shares):
    fig = bar_by_area(shares, focus="Randers", axis_label="Andel, pct.")
    assert legend_texts(fig) == ["Randers Kommune", "Sammenligningskommuner", "Hele landet"]
    legend = fig.legends[0]
    colours = {t.get_text(): h.get_facecolor() for t, h in zip(legend.get_texts(),
                                                                  legend.legend_handles)}
    assert colours["Randers Kommune"] == to_rgba(style.FOCUS)
    assert colours["Hele landet"] == to_rgba(style.NATIONAL_COLOUR)
    assert colours["Sammenligningskommuner"] == to_rgba(style.COMPARISON)


def test_colour_key_leaves_out_absent_categories_and_a_lone_colour():
    # one colour says nothing the axis does not: the bar is named there, so no key at all
    for focus in ("Randers", "Horsens"):   # Randers' bar as the focus, or as a comparison
        fig = bar_by_area(bars(["Randers"], [-3381], unit="persons", decimals=0), focus=focus,
                          axis_label="Ændring i antal personer")
        assert legend_texts(fig) == [] and not fig.legends
    fig = bar_by_area(bars(["Silkeborg", "Vejle"], [56, 56], decimals=0,
                           flags=["lower_bound", "lower_bound"]),
                      focus="Randers", axis_label="Andel, pct.")
    assert legend_texts(fig) == [LOWER_BOUND_KEY]
    fig = bar_by_area(bars(["Horsens", "Hele landet"], [1, 2]), focus="Horsens", axis_label="x")
    assert legend_texts(fig) == ["Horsens Kommune", "Hele landet"]
    fig = bar_by_area(bars(["Randers", "Vejle"], [1, 2]), focus="Randers", axis_label="x")
    assert legend_texts(fig) == ["Randers Kommune", "Sammenligningskommune"]


def test_key_sits_below_the_axes(shares):
    fig = bar_by_area(shares.assign(basis="derived"), focus="Randers", axis_label="Andel, pct.")
    fig.draw_without_rendering()
    legend_box = fig.legends[0].get_window_extent()
    axes_box = fig.axes[0].get_tightbbox()  # bars, tick labels, value labels
    assert legend_box.y1 <= axes_box.y0
    assert legend_box.x0 >= 0 and legend_box.x1 <= fig.bbox.x1


# -- alt text ------------------------------------------------------------------------------------
def test_describe_bars_names_highest_and_lowest(shares):
    text = describe_bars(shares, axis_label="Andel, pct.")
    assert text == ("Vandret søjlediagram med fem søjler: andel, pct. "
                    "Højest: Randers Kommune (22,8 pct.). Lavest: Silkeborg Kommune (18,9 pct.).")


def test_describe_bars_counts_marks_and_uses_given_labels():
    frame = bars(["Randers", "Horsens", "Vejle"], [56, 24.3, 19.9], decimals=[0, 1, 1],
                 flags=["lower_bound", "", ""], basis=["published", "derived", "derived"])
    text = describe_bars(frame, labels=["Randers, mænd", "Horsens, i alt", "Vejle, i alt"],
                         axis_label="Andel, pct.")
    assert text == ("Vandret søjlediagram med tre søjler: andel, pct. "
                    "Højest: Randers, mænd (over 56 pct.). Lavest: Vejle, i alt (19,9 pct.). "
                    "Én søjle er en nedre grænse, og to er afledt af offentliggjorte tal.")


def test_describe_a_single_bar_plainly():
    text = describe_bars(bars(["Randers"], [-3381], unit="persons", decimals=0),
                         axis_label="Ændring i antal personer")
    assert text == ("Vandret søjlediagram med én søjle: ændring i antal personer. "
                    "Randers Kommune: −3.381.")


def test_describe_changes_as_rises_and_falls():
    text = describe_bars(bars(["Hele landet", "Randers", "Horsens"], [-12000, -3381, 1250],
                              unit="persons", decimals=0), axis_label="Ændring i antal personer")
    assert "Største stigning: Horsens Kommune (1.250)." in text
    assert "Største fald: Hele landet (−12.000)." in text
    falls = describe_bars(bars(["Randers", "Horsens"], [-3381, -12], unit="persons", decimals=0),
                          axis_label="Ændring i antal personer")
    assert falls.endswith("Største fald: Randers Kommune (−3.381). "
                          "Mindste fald: Horsens Kommune (−12).")


def test_describe_equal_bars_and_lower_bounds():
    text = describe_bars(bars(["Silkeborg", "Vejle"], [56, 56], decimals=0,
                              flags=["lower_bound", "lower_bound"]),
                         labels=["Silkeborg Kommune, mænd", "Vejle Kommune, mænd"],
                         axis_label="Andel, pct.")
    assert text == ("Vandret søjlediagram med to søjler: andel, pct. Begge søjler "
                    "(Silkeborg Kommune, mænd og Vejle Kommune, mænd) viser over 56 pct. "
                    "Begge søjler er nedre grænser.")


def test_describe_follows_the_data():
    frame = bars(["Randers", "Vejle"], [22.8, 19.9])
    assert "22,8" in describe_bars(frame, axis_label="pct.")
    assert "30,1" in describe_bars(frame.assign(value=[30.1, 19.9]), axis_label="pct.")
    with pytest.raises(ValueError):
        describe_bars(frame, labels=["only one"], axis_label="pct.")


# -- HTML ----------------------------------------------------------------------------------------
def test_figure_html_is_deterministic_and_escapes_the_alt_text(shares):
    alt = 'Søjler <"over" 56 pct.> & mere'
    fig = bar_by_area(shares.assign(flag=["lower_bound", "", "", "", ""]), focus="Randers",
                      axis_label="Andel, pct.")
    first, second = figure_html(fig, alt), figure_html(fig, alt)
    assert first == second
    again = figure_html(bar_by_area(shares.assign(flag=["lower_bound", "", "", "", ""]),
                                    focus="Randers", axis_label="Andel, pct."), alt)
    assert again == first  # a new Figure from the same data gives the same bytes
    match = re.fullmatch(r'<img class="exhibit-figure" alt="([^"]*)" '
                         r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">', first)
    assert match, first[:200]
    assert match.group(1) == html.escape(alt, quote=True)
    assert "<" not in match.group(1) and "&amp;" in match.group(1)
    svg = base64.b64decode(match.group(2)).decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "dc:date" not in svg  # no timestamp
    assert "over 21,7 pct." in svg  # text stays text (svg.fonttype: none)


def test_area_lines_draw_one_line_per_area_with_distinct_ticks_and_alt_text():
    from labour_market_book.figures import area_lines
    rows = [("Randers", f"{y}-02", 3.0 + 0.05 * i) for i, y in enumerate(range(2014, 2020))]
    rows += [("Hele landet", f"{y}-02", 2.9) for y in range(2014, 2020)]
    frame = pd.DataFrame([{"area": a, "period": p, "value": v, "unit": "pct", "decimals": 2, "flag": ""}
                          for a, p, v in rows])
    fig = area_lines(frame, focus="Randers", axis_label="Andel, pct.")
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ticks) == len(set(ticks))                     # no tick label said twice
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(y) for y in range(2014, 2020)]
    alt = describe_area_lines(frame, axis_label="Andel, pct.")
    assert alt.startswith("Linjediagram, andel, pct., 2014–2019, én linje pr. område.")
    assert "Randers Kommune: fra 3,00 pct. i 2014 til 3,25 pct. i 2019" in alt


# -- no text on another ----------------------------------------------------------------------------
def overlapping_texts(fig) -> list[tuple[str, str]]:
    """Pairs of the figure's visible texts whose boxes, as drawn, overlap."""
    import itertools
    from matplotlib.text import Text
    fig.draw_without_rendering()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
            if box_a.overlaps(box_b)]


def figure_8_14(reference_year: int):
    """Figur 8.14 as notebooks/indkomstoverfoersler.ipynb draws it, in the house style."""
    from labour_market_book.datasets import load_dataset
    from labour_market_book.edition import default_parameters
    from labour_market_book.figures import lines_over_time
    from labour_market_book.pages.indkomstoverfoersler import Expenditure
    focus = default_parameters()["focus_municipality"]
    f814 = Expenditure.of(load_dataset("income_transfer_expenditure"), reference_year, focus)
    if f814.rows().empty:
        return None
    return lines_over_time(f814.rows(), series={"expenditure_share": "Andel udgift",
                                                "population_share": "Andel folketal"},
                           axis_label=f"{focus} Kommunes andel af hele landet, pct.", notes=f814.notes())


@pytest.mark.parametrize("reference_year", [2024, 2023, 2022, 2021])
def test_figure_8_14_has_no_text_on_another(reference_year):
    """The amount written beside the first point ("ca. 1,4 mia. kr.") ran into the value
    labels of the rising line ("2,00" of 2017)."""
    import matplotlib as mpl
    with mpl.rc_context():
        style.apply()
        fig = figure_8_14(reference_year)
        assert fig is not None
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert "ca. 1,4 mia. kr." in texts and "2,00" in texts
        assert overlapping_texts(fig) == []
        low, high = fig.axes[0].get_ylim()
        assert all(low < t.xy[1] < high for t in fig.axes[0].texts)


def test_a_note_beside_a_rising_line_clears_its_value_labels_and_stays_in_the_axes():
    import matplotlib as mpl
    from labour_market_book.figures import lines_over_time
    years = [str(y) for y in range(2015, 2025)]
    rising = [1.0 + 0.05 * i for i in range(10)]
    frame = pd.DataFrame(
        [{"period": y, "measure": "a", "value": v, "unit": "pct", "decimals": 2, "flag": ""}
         for y, v in zip(years, rising)]
        + [{"period": y, "measure": "b", "value": 0.9, "unit": "pct", "decimals": 2, "flag": ""}
           for y in years])
    notes = [("2015", "a", "en lang note ved første punkt"), ("2024", "a", "note ved sidste"),
             ("2015", "b", "note under første punkt"), ("2024", "b", "og ved sidste")]
    with mpl.rc_context():
        style.apply()
        fig = lines_over_time(frame, series={"a": "A", "b": "B"}, axis_label="Andel, pct.", notes=notes)
        assert overlapping_texts(fig) == []
        axes_box = fig.axes[0].get_window_extent()
        for note in fig.axes[0].texts:
            if note.get_text() in {text for _, _, text in notes}:
                box = note.get_window_extent()
                assert axes_box.y0 <= box.y0 and box.y1 <= axes_box.y1, note.get_text()
