"""The refresh path on REAL answers: what Jobindsats and Statistikbanken actually said.

The files in tests/real/ were recorded and published by others (tests/real/README.md says
who, where, at which commit, and how each was rewrapped); the made-up answers in the
documented formats live apart, in tests/recorded/ and tests/made_up_answers.py. Every test
here reads a real answer through the same parser, area mapping and transform as `make
data`, on a temporary copy of data/ where anything is written.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import made_up_answers as made_up
from helpers import LocalServer
from labour_market_book import areas
from labour_market_book.datasets import load_dataset
from labour_market_book.exhibits import rank_positions, ranking_table
from labour_market_book.fetch import jobindsats, statbank, transforms
from labour_market_book.fetch.http import FetchError
from labour_market_book.fetch.run import periods_by_code, rule_periods, run
from labour_market_book.trace import plain_text

REAL = Path(__file__).parent / "real"
Y30R21 = REAL / "jobindsats-Y30R21-2020-2021.json"
FOLK1AM = REAL / "statbank-FOLK1AM-2021M10-2024M04.csv"
METROX1_INFO = REAL / "statbank-METROX1-tableinfo-en.derived.json"
EXPECTED = "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse: Forventet andel (pct.)"
API_RANK = "Placering på benchmarkranglisten"
SENTINEL = "SENTINEL-KEY-real-answers-7d1c"
MUNICIPALITIES = {code for code in areas.AREAS if code != "000"}


@pytest.fixture(scope="module")
def real_rows() -> pd.DataFrame:
    return jobindsats.read_saved(Y30R21.read_text(encoding="utf-8"), "tests/real/Y30R21")


@pytest.fixture(scope="module")
def benchmark():
    return load_dataset("framework_benchmark")


def y30r21_rows(real_rows, benchmark, year: int) -> pd.DataFrame:
    q = benchmark.meta["query"]
    long = transforms.long_jobindsats(real_rows, q, "tests/real/Y30R21", periods_by_code(benchmark, year))
    return transforms.transform(benchmark, long, q, rule_periods(benchmark, year))


def places_by_hand(period: str) -> dict[str, int]:
    """Tabel 8.4's rule computed here from the raw JSON, independently of the package: the
    98 municipalities by expected share, lowest first; equal shares share the best place."""
    data = json.loads(Y30R21.read_text(encoding="utf-8"))[0]
    labels = [v["Label"] for v in data["Variables"]]
    rows = [dict(zip(labels, r)) for r in data["Data"]
            if r[1] == period and r[2] == "Ydelsesgrupper i alt"]
    share = {r["Area"]: float(r[EXPECTED].replace(",", ".")) for r in rows}
    return {area: 1 + sum(v < s for v in share.values()) for area, s in share.items()}


# -- Jobindsats Y30R21 ---------------------------------------------------------------------

def test_every_area_name_in_the_real_answers_maps_to_one_book_area(real_rows):
    names = set(real_rows["Area"])
    assert len(names) == 98 and "Hele landet" not in names          # no national row in Y30R21
    codes = {areas.source_area_code(n) for n in names}
    assert codes == MUNICIPALITIES                                   # one to one
    assert {n for n in names if n not in areas.CODES} == {"Vesthimmerlands"} == set(areas.ALIASES)
    # every alias and every area left out is one a real answer writes
    folk = set(statbank.parse_csv(FOLK1AM.read_bytes().decode("utf-8"), "FOLK1AM")["OMRÅDE"])
    assert set(areas.ALIASES) <= names & folk
    assert set(areas.OTHER_AREAS.values()) == {n for n in folk if areas.source_area_code(n) is None}
    with pytest.raises(KeyError):
        areas.source_area_code("Vesthimmerlandd")


@pytest.mark.parametrize("year, randers, api_rank", [(2020, 94, 51), (2021, 95, 50)])
def test_tabel_8_4_from_the_real_answer_ranks_all_98_by_expected_share(
        real_rows, benchmark, year, randers, api_rank):
    out = y30r21_rows(real_rows, benchmark, year)
    assert len(out) == 98 * 3 and set(out["area_code"]) == MUNICIPALITIES
    assert set(out["period"]) == {str(year)}
    expected = out[out["measure"] == "expected_share"]
    by_hand = places_by_hand(f"{year}QMAT04")
    names = {areas.source_area_code(n): n for n in by_hand}
    assert {names[c]: int(r) for c, r in zip(expected["area_code"], expected["rank"])} == by_hand
    assert by_hand["Allerød"] == 1 and by_hand["Randers"] == randers
    # every measure of an area carries its place, and it is not the API's own ranking
    assert out.groupby("area_code")["rank"].nunique().eq(1).all()
    raw = real_rows[(real_rows["Area"] == "Randers") & (real_rows["Periode"] == f"{year}QMAT04")
                    & (real_rows["Ydelsesgrupper"] == "Ydelsesgrupper i alt")]
    assert int(raw[API_RANK].iloc[0]) == api_rank != randers


def test_shares_counts_and_ranks_are_read_as_sent(real_rows, benchmark):
    # København, 2020QMAT04: the shares are strings with a decimal comma, counts and the
    # API's rank JSON integers; the recorded cells, then the book's rows
    raw = real_rows[(real_rows["Area"] == "København") & (real_rows["Periode"] == "2020QMAT04")
                    & (real_rows["Ydelsesgrupper"] == "Ydelsesgrupper i alt")].iloc[0]
    data = json.loads(Y30R21.read_text(encoding="utf-8"))[0]["Data"]
    cells = next(r for r in data if r[:3] == ["København", "2020QMAT04", "Ydelsesgrupper i alt"])
    assert isinstance(cells[3], int) and isinstance(cells[6], str) and "," in cells[6]
    assert raw[EXPECTED] == cells[6] and raw.iloc[3] == str(cells[3])
    long = transforms.long_jobindsats(real_rows, benchmark.meta["query"], "real",
                                      periods_by_code(benchmark, 2020))
    kbh = long[long["area_code"] == "101"].set_index("VARIABEL")["value"]
    assert kbh[EXPECTED] == float(cells[6].replace(",", "."))
    assert kbh["Forventet og faktisk antal fuldtidspersoner på offentlig forsørgelse: Forventet antal"] == cells[3]
    assert kbh[API_RANK] == cells[9]
    out = y30r21_rows(real_rows, benchmark, 2020)
    row = out[(out["area_code"] == "101") & (out["measure"] == "difference")].iloc[0]
    assert row["value"] == float(cells[8].replace(",", ".")) and row["decimals"] == 2


def test_equal_expected_shares_share_the_best_place_and_leave_no_gap(real_rows, benchmark):
    out = y30r21_rows(real_rows, benchmark, 2021)
    expected = out[out["measure"] == "expected_share"]
    tie = expected[expected["value"] == 7.70]                        # three municipalities
    assert len(tie) == 3 and tie["rank"].nunique() == 1
    place = int(tie["rank"].iloc[0])
    assert int(expected[expected["value"] > 7.70]["rank"].min()) == place + 3
    assert rank_positions(out) == [(1, 98)]
    shown, focus = ranking_table(out, focus="Randers", columns={
        "expected_share": "Forventet", "actual_share": "Faktisk", "difference": "Forskel"})
    assert len(shown) == 98 and "…" not in set(shown["Placering"])
    assert shown.iloc[focus[0]]["Kommune"] == "Randers" and shown.iloc[focus[0]]["Placering"] == "95"
    assert list(shown.iloc[0]) == ["1", "Allerød", "5,53", "5,36", "−0,17"]
    # the three sharing a place stand together, by name
    together = shown[shown["Placering"] == str(place)]["Kommune"].tolist()
    assert together == sorted(together) and len(together) == 3


def test_the_bundled_2020_and_2021_rows_are_the_real_answer_read_by_the_fetch(real_rows, benchmark):
    frame = benchmark.frame
    for year in (2020, 2021):
        bundled = frame[frame["provenance"] == f"recorded_{year}"]
        fresh = y30r21_rows(real_rows, benchmark, year)
        key = ["area_code", "measure"]
        merged = bundled.merge(fresh, on=key, suffixes=("", "_fresh"))
        assert len(bundled) == len(fresh) == len(merged) == 294
        assert (merged["value"] == merged["value_fresh"]).all()
        assert (merged["rank"].astype(int) == merged["rank_fresh"].astype(int)).all()
        entry = benchmark.meta["provenance"][f"recorded_{year}"]
        assert entry["method"] == "fetched" and entry["fetched_by"] == "Randers Kommune"
        assert entry["recording"]["commit"] == "933765204d15955ac5d68f6b3521e9f0cfb893b1"
        assert entry["request"]["area"] == "*"


# -- Statistikbanken: the real FOLK1AM export and METROX1's tableinfo -----------------------

def test_the_real_folk1am_export_is_read_as_it_was_saved():
    raw = FOLK1AM.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 3256   # BOM, CRLF
    rows = statbank.parse_csv(raw.decode("utf-8"), "tests/real/FOLK1AM.csv")
    assert list(rows.columns) == ["OMRÅDE", "TID", "INDHOLD"] and len(rows) == 3255
    said: list[str] = []
    long = transforms.long_statbank(rows, {"area_variable": "OMRÅDE", "time_variable": "Tid"},
                                    "FOLK1AM", {"2024M04": "2024-04"}, say=said.append)
    assert len(long) == 99 and set(long["area_code"]) == set(areas.AREAS)   # labels -> codes
    value = dict(zip(long["area_code"], long["value"]))
    assert value["730"] == 100167 and value["000"] > 5_900_000 and "820" in value
    assert any("left out 6 areas the book does not use" in s for s in said)


def test_the_real_folk1am_export_saved_by_hand_into_incoming_goes_through_make_data(data_copy, tmp_path):
    """An analyst saves Statistikbanken's answer as it comes (labels, BOM, CRLF, regions) into
    data/incoming/: the same parser, area mapping, transform and validation read it. Here
    AUS08's sidecar declares a FOLK1AM query on a temporary copy of data/."""
    sidecar = data_copy / "unemployment_aus08.yaml"
    text = sidecar.read_text(encoding="utf-8")
    head, rest = text.split("\nquery:\n", 1)
    sidecar.write_text(head + "\nquery:\n  api: statbank\n  table: FOLK1AM\n  confirmed: false\n"
                       "  area_variable: OMRÅDE\n  time_variable: Tid\n"
                       "  rules: [current, next_february, next_march]\n"
                       "  measures:\n    - {measure: persons_actual, decimals: 0}\n"
                       "feeds:" + rest.split("\nfeeds:", 1)[1], encoding="utf-8")
    (data_copy / "incoming").mkdir()
    (data_copy / "incoming" / "FOLK1AM.csv").write_bytes(FOLK1AM.read_bytes())
    said: list[str] = []
    run(2023, directory=data_copy, cache_dir=tmp_path / "cache", say=said.append, incoming_only=True)
    ds = load_dataset("unemployment_aus08", data_copy)
    rows = ds.frame[ds.frame["provenance"] == "incoming_2023"]
    assert len(rows) == 3 * 99 and set(rows["period"]) == {"2023-03", "2024-02", "2024-03"}
    randers = rows[(rows["area"] == "Randers") & (rows["period"] == "2024-03")]
    assert randers["value"].tolist() == [100088.0]
    assert "Vesthimmerland" in set(rows["area"])
    assert not (data_copy / "incoming" / "FOLK1AM.csv").exists()
    assert (data_copy / "raw" / "folk1am-incoming-2023.csv").exists()


def test_a_table_s_own_suppressed_value_is_read_from_its_real_tableinfo():
    info_json = json.loads(METROX1_INFO.read_text(encoding="utf-8"))
    printed = ast.literal_eval((REAL / "statbank-METROX1-tableinfo-en.pyrepr.txt").read_text(encoding="utf-8"))
    assert printed == info_json                                     # the JSON is the printout
    info = statbank.TableInfo.from_json("METROX1", info_json)
    assert info.suppressed == "0" and info.time_variable == "Tid"
    assert statbank.number("0", info.suppressed_marks()) is None     # unpublished, never 0
    assert statbank.number("0") == 0.0 and statbank.number("..") is None
    with pytest.raises(FetchError, match=r"^METROX1 has no 2022U01 yet; the latest is 2021U49;"):
        statbank.check_codes(info, {"SÆSON": ["10"], "Tid": ["2021U49", "2022U01"]})
    with pytest.raises(FetchError, match=r"METROX1 has no 1 for SÆSON \(a wrong code: it has 10, 11\)"):
        statbank.check_codes(info, {"SÆSON": ["1"]})
    statbank.check_codes(info, {"SÆSON": ["10", "11"], "Tid": ["2020U01"]})


def test_a_real_answer_with_labels_and_a_decimal_comma_is_parsed():
    text = (REAL / "statbank-METROX1-data-BULK-da-head.txt").read_text(encoding="utf-8")
    rows = statbank.parse_csv(text, "METROX1")
    assert list(rows.columns) == ["SÆSON", "TID", "INDHOLD"] and len(rows) == 6
    assert rows["SÆSON"].unique().tolist() == ["Sæsonkorrigeret"]
    assert [statbank.number(c) for c in rows["INDHOLD"]][:2] == [37.7, 105.0]


# -- make data against a local server answering with the real Y30R21 answer ---------------

class Jobindsats(LocalServer):
    """Answers like api.jobindsats.dk: the table's periods (made up in the documented shape:
    only ``[0]["Period"]``) and, for the data request, the REAL recorded answer."""

    def __init__(self, periods=("2020QMAT02", "2020QMAT04", "2021QMAT02", "2021QMAT04")):
        self.periods = list(periods) if periods is not None else None
        super().__init__()

    def answer(self, path, body):
        if path == "GET /v2/tables/Y30R21/json/" and self.periods is not None:
            return 200, {}, made_up.jobindsats_table(self.periods)
        if path == "/v2/data/Y30R21/json/":
            return 200, {"Content-Type": "application/json"}, Y30R21.read_bytes()
        return 404, {}, b'{"message": "not found"}'


@pytest.fixture
def real_server(monkeypatch):
    server = Jobindsats()
    monkeypatch.setenv("LMB_JOBINDSATS_URL", f"{server.url}/v2")
    monkeypatch.setenv("JOBINDSATS_API_KEY", SENTINEL)
    yield server
    server.close()


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_make_data_on_the_real_answer_then_the_book_ranks_tabel_8_4_and_never_writes_the_key(
        data_copy, tmp_path, real_server):
    from labour_market_book.build import build_book
    said: list[str] = []
    run(2021, directory=data_copy, cache_dir=tmp_path / "cache", dataset="framework_benchmark",
        say=said.append, backoff=0.0)
    # asked as Randers Kommune's ETL asks: the table's periods first, then every area
    paths = [h[0] for h in real_server.hits]
    assert paths == ["GET /v2/tables/Y30R21/json/", "/v2/data/Y30R21/json/"]
    body = json.loads(real_server.hits[1][2])
    assert body == {"area": "*", "_ygrp_y30r21": ["Ydelsesgrupper i alt"], "period": ["2021QMAT04"]}
    assert all(h[1]["Authorization"] == SENTINEL for h in real_server.hits)
    ds = load_dataset("framework_benchmark", data_copy)
    fetched = ds.frame[ds.frame["provenance"] == "jobindsats_2021"]
    assert len(fetched) == 294 and not (ds.frame["provenance"] == "recorded_2021").any()
    places = places_by_hand("2021QMAT04")
    got = fetched[fetched["measure"] == "expected_share"]
    assert {areas.AREAS[c]: int(r) for c, r in zip(got["area_code"], got["rank"])} == {
        areas.AREAS[areas.source_area_code(n)]: p for n, p in places.items()}
    assert (data_copy / "raw" / "y30r21-framework_benchmark-2021.json").exists()

    html = build_book(2021, out_root=tmp_path / "book", data_dir=data_copy)
    page = (html / "notebooks" / "indkomstoverfoersler.html").read_text(encoding="utf-8")
    table = page.split('id="T_tabel_8_4"')[1].split("</table>")[0]
    assert table.count('class="data row') // 5 == 98 and "gengives ikke" not in table
    text = plain_text(page)
    assert "nr. 95 ud af 98" in text and "Året før, i 2020, var den nr. 94." in text
    caption = text.split("Tabel 8.4.")[1].split("Hent tallene")[0]
    assert "hentet" in caption and "gengivet i" not in caption and "Delvis tabel" not in caption
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 100 and [p for p in written if SENTINEL.encode() in p.read_bytes()] == []


def test_a_period_the_table_does_not_have_yet_is_one_line_and_changes_nothing(
        data_copy, tmp_path, real_server):
    before = snapshot(data_copy)
    with pytest.raises(FetchError) as info:
        run(2022, directory=data_copy, cache_dir=tmp_path / "cache", dataset="framework_benchmark",
            say=lambda _: None, backoff=0.0)
    assert str(info.value) == ("Y30R21 has no 2022QMAT04 yet; the latest is 2021QMAT04; the "
                               "bundled data are unchanged")
    assert [h[0] for h in real_server.hits] == ["GET /v2/tables/Y30R21/json/"]   # no data request
    assert snapshot(data_copy) == before


def test_without_the_table_s_periods_the_answer_itself_is_checked(data_copy, tmp_path, real_server):
    real_server.periods = None                                    # tables/Y30R21/json/ answers 404
    before = snapshot(data_copy)
    said: list[str] = []
    with pytest.raises(FetchError, match=r"has no cells for 2022QMAT04, the periods this edition needs"):
        run(2022, directory=data_copy, cache_dir=tmp_path / "cache", dataset="framework_benchmark",
            say=said.append, backoff=0.0)
    assert any("could not read Y30R21's periods" in s for s in said)
    assert snapshot(data_copy) == before


def test_the_real_wrong_key_answer_is_one_line_without_the_key(tmp_path, monkeypatch):
    class WrongKey(LocalServer):
        def answer(self, path, body):
            return 200, {}, (REAL / "jobindsats-wrong-key.txt").read_bytes()
    server = WrongKey()
    try:
        monkeypatch.setenv("LMB_JOBINDSATS_URL", f"{server.url}/v2")
        from labour_market_book.fetch.http import session
        with pytest.raises(FetchError) as info:
            jobindsats.fetch(session(tmp_path / "cache"), "Y30R21", {"area": "*"}, SENTINEL)
        assert "refused the key" in str(info.value) and SENTINEL not in str(info.value)
        with pytest.raises(FetchError, match="refused the key"):  # also as plain text
            jobindsats.table_periods(session(tmp_path / "cache2"), "Y30R21", SENTINEL)
    finally:
        server.close()


# -- the bundled editions -------------------------------------------------------------------

def test_the_2021_edition_for_another_focus_shows_all_98_credited_to_the_recording(tmp_path):
    from labour_market_book.build import build_book
    html = build_book(2021, focus="Aarhus", comparison=["Aalborg", "Odense", "Vejle"],
                      out_root=tmp_path / "book")
    page = (html / "notebooks" / "indkomstoverfoersler.html").read_text(encoding="utf-8")
    table = page.split('id="T_tabel_8_4"')[1].split("</table>")[0]
    rows = re.findall(r'<td id="T_tabel_8_4_row\d+_col1" class="([^"]*)" >([^<]*)</td>', table)
    assert len(rows) == 98
    assert [name for classes, name in rows if "focus" in classes.split()] == ["Aarhus"]
    text = plain_text(page)
    caption = text.split("Tabel 8.4.")[1].split("Hent tallene")[0]
    assert "hentet af Randers Kommune og offentliggjort 15. august 2023" in caption
    assert "gengivet i" not in caption and "Delvis tabel" not in caption
    assert "Aarhus Kommune i 2021 forholdsvis vanskelige rammevilkår: nr. 51 ud af 98" in text
    assert "Året før, i 2020, var den nr. 54." in text


def test_an_unreachable_statbank_does_not_stop_the_jobindsats_fetch(data_copy, tmp_path, real_server,
                                                                     monkeypatch):
    monkeypatch.setenv("LMB_STATBANK_URL", "http://127.0.0.1:9/v1")     # nothing listens there
    said: list[str] = []
    with pytest.raises(FetchError) as info:
        run(2021, directory=data_copy, cache_dir=tmp_path / "cache", say=said.append, backoff=0.0)
    message = str(info.value)
    assert message.startswith("4 of 5 datasets were not fetched (outside_labour_force, "
                              "outside_labour_force_by_education, unemployment_aup01, unemployment_aus08: "
                              "cannot reach 127.0.0.1")
    assert message.endswith("; written: framework_benchmark") and "\n" not in message
    # the host is tried once, not once per dataset
    assert sum("cannot reach" in s and "not fetched:" in s for s in said) == 1
    ds = load_dataset("framework_benchmark", data_copy)
    assert (ds.frame["provenance"] == "jobindsats_2021").sum() == 294
