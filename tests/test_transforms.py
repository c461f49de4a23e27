"""The transforms from a source's answer to the book's measures (labour_market_book.fetch).

Every frame here is MADE UP for the tests: invented codes and counts in the shape
:func:`transforms.long_statbank` gives, never Danmarks Statistik's numbers.
"""

from __future__ import annotations

import pandas as pd
import pytest

from labour_market_book.fetch import transforms
from labour_market_book.fetch.http import FetchError
from labour_market_book.periods import Period


class FakeDataset:
    def __init__(self, measures: dict[str, str]):
        self.meta = {"id": "made_up", "measures": {m: {"unit": u} for m, u in measures.items()}}


def answer(rows: list[tuple]) -> pd.DataFrame:
    """Long rows: (area_code, period, STATUS, AGE, value)."""
    return pd.DataFrame(rows, columns=["area_code", "period", "STATUS", "AGE", "value"])


COUNTS_QUERY = {
    "table": "MADEUP",
    "transform": "counts",
    "counts": {"variable": "STATUS", "part": ["OUT"], "whole": ["IN", "OUT"]},
    "dimensions": {"AGE": {"column": "age_group", "sum": {"16-66": ["A1", "A2"], "16-24": ["A1"]}}},
    "constants": {"sex": "i alt"},
    "outputs": [{"measure": "persons", "of": "part"},
                {"measure": "share_of_population", "share": True, "decimals": 1},
                {"measure": "change_in_persons", "of": "part", "change_from": "base"},
                {"measure": "share_of_national", "of": "part", "share_of_national": True, "decimals": 1}],
}
DS = FakeDataset({"persons": "persons", "share_of_population": "pct",
                  "change_in_persons": "persons", "share_of_national": "pct"})
PERIODS = {"current": "2030-11", "base": "2020-11"}


def counts_answer(randers_a2_out=600.0):
    rows = []
    for area, scale in (("730", 1), ("000", 10)):
        for period, shift in (("2030-11", 0), ("2020-11", 100)):
            rows += [(area, period, "OUT", "A1", 400.0 * scale + shift),
                     (area, period, "OUT", "A2", randers_a2_out if area == "730" else 6000.0),
                     (area, period, "IN", "A1", 1600.0 * scale),
                     (area, period, "IN", "A2", 1400.0 * scale)]
    return answer(rows)


def pick(rows, **where):
    hit = rows
    for k, v in where.items():
        hit = hit[hit[k] == v]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_counts_sum_code_groups_into_persons_shares_and_changes():
    rows = transforms.counts(DS, counts_answer(), COUNTS_QUERY, PERIODS)
    randers = dict(area_code="730", period="2030-11", age_group="16-66")
    assert pick(rows, measure="persons", **randers)["value"] == 1000
    assert pick(rows, measure="share_of_population", **randers)["value"] == 25.0   # 1000 / 4000
    assert pick(rows, measure="share_of_population", area_code="730", age_group="16-24")["value"] == 20.0
    change = pick(rows, measure="change_in_persons", **randers)
    assert change["value"] == -100 and change["base_period"] == "2020-11"           # 1000 - 1100
    assert pick(rows, measure="share_of_national", **randers)["value"] == 10.0      # 1000 / 10000
    assert set(rows["sex"]) == {"i alt"} and set(rows["area"]) == {"Randers", "Hele landet"}
    # levels only for the edition's own period; the base period serves the change
    assert set(rows[rows["measure"] != "change_in_persons"]["period"]) == {"2030-11"}


def test_a_suppressed_cell_suppresses_every_sum_and_share_it_enters_never_zero():
    rows = transforms.counts(DS, counts_answer(randers_a2_out=None), COUNTS_QUERY, PERIODS)
    hit = rows[(rows["area_code"] == "730") & (rows["age_group"] == "16-66")]
    assert hit["value"].isna().all() and (hit["flag"] == "suppressed").all()
    # the age band without the suppressed cell is still published
    young = pick(rows, measure="persons", area_code="730", age_group="16-24")
    assert young["value"] == 400 and young["flag"] == ""


def test_shares_round_at_the_declared_precision():
    frame = answer([("730", "2030-11", "OUT", "A1", 14494.0), ("730", "2030-11", "IN", "A1", 49076.0)])
    query = {**COUNTS_QUERY, "dimensions": {"AGE": {"column": "age_group", "values": {"A1": "16-66"}}},
             "outputs": [{"measure": "share_of_population", "share": True, "decimals": 1}]}
    rows = transforms.counts(DS, frame, query, PERIODS)
    assert rows["value"].tolist() == [22.8] and rows["decimals"].tolist() == [1]   # 14494/63570


def test_declared_cells_with_dimension_codes_mapped_to_categories():
    frame = pd.DataFrame([("730", "2030-03", "9", "TOT", 3.4), ("730", "2030-03", "9", "M", 3.6),
                          ("730", "2030-03", "10", "TOT", 1700.0), ("730", "2030-03", "9", "X", 9.9)],
                         columns=["area_code", "period", "SA", "SEX", "value"])
    query = {"table": "MADEUP", "dimensions": {"SEX": {"column": "sex", "values": {"TOT": "i alt", "M": "mænd"}}},
             "measures": [{"where": {"SA": "9"}, "measure": "share", "decimals": 1},
                          {"where": {"SA": "10"}, "measure": "persons"}]}
    ds = FakeDataset({"share": "pct", "persons": "persons"})
    rows = transforms.declared(ds, frame, query, {})
    assert sorted(zip(rows["measure"], rows["sex"], rows["value"])) == [
        ("persons", "i alt", 1700.0), ("share", "i alt", 3.4), ("share", "mænd", 3.6)]  # X dropped


@pytest.mark.parametrize("code, period", [("2023M11", "2023-11"), ("2024K1", "2024-Q1"),
                                          ("2024Q4", "2024-Q4"), ("2024QMAT04", "2024"), ("2024", "2024")])
def test_time_codes_to_book_periods(code, period):
    assert transforms.book_period(code) == period


def test_book_periods_to_time_codes_with_a_template():
    assert transforms.source_period(Period(2024)) == "2024"
    assert transforms.source_period(Period(2023, 11)) == "2023M11"
    assert transforms.source_period(Period(2024), "{year}QMAT04") == "2024QMAT04"


def test_unknown_time_codes_and_areas_are_refused_with_the_cell():
    with pytest.raises(FetchError, match="'2024W07'"):
        transforms.book_period("2024W07")
    with pytest.raises(FetchError, match="RAS201: the area '999'"):
        transforms.area_code("999", "RAS201")
    assert transforms.area_code("Randers Kommune", "x") == "730"


def test_jobindsats_answers_become_long_rows_with_names_as_area_codes():
    rows = pd.DataFrame([["Randers", "2030QMAT04", "Ydelsesgrupper i alt", "24,1", "23,0"],
                         ["Hele landet", "2030QMAT04", "Ydelsesgrupper i alt", "20,5", "20,5"]],
                        columns=["Område", "Periode", "Ydelsesgrupper", "Faktisk andel (pct.)",
                                 "Forventet andel (pct.)"])
    long = transforms.long_jobindsats(rows, {}, "Y30R21")
    assert set(long["area_code"]) == {"730", "000"} and set(long["period"]) == {"2030"}
    hit = long[(long["area_code"] == "730") & (long["VARIABEL"] == "Faktisk andel (pct.)")]
    assert hit["value"].tolist() == [24.1] and hit["Ydelsesgrupper"].tolist() == ["Ydelsesgrupper i alt"]


def test_a_transform_that_yields_nothing_is_an_error_naming_the_table():
    frame = pd.DataFrame([("730", "2030-03", "1", 3.4)], columns=["area_code", "period", "SA", "value"])
    query = {"table": "MADEUP", "measures": [{"where": {"SA": "9"}, "measure": "share"}]}
    with pytest.raises(FetchError, match="MADEUP gave no rows"):
        transforms.transform(FakeDataset({"share": "pct"}), frame, query, {})
