"""From the sources to the book: `make data` on MADE-UP answers, then the book built from them.

A local server answers in the sources' documented formats (tests/made_up_answers.py); the
fetch writes into a temporary copy of data/, never the repository's own. Two stories:

1. The backtest: answers constructed so that the report's 2024 numbers come out of the same
   code path real data take reproduce Tabel 8.1 and Tabel 8.2 exactly, and a made-up
   revision of one count appears on "Afvigelser fra hvidbogen".
2. A made-up later edition with another focus: the notices become figures, the prose
   follows the new numbers, nothing of 2024 shows, and the Jobindsats key (a sentinel)
   appears in nothing written.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

import made_up_answers as made_up
from helpers import LocalServer
from labour_market_book.build import build_book
from labour_market_book.datasets import load_dataset
from labour_market_book.fetch.run import run
from test_backtests import _golden_numbers

SENTINEL = "SENTINEL-KEY-5f2b9c7e-never-written"
REPORT_AREAS = ["000", "730", "615", "740", "630"]


class SourceServer(LocalServer):
    """Answers Statistikbanken's POSTs by the body's table, Jobindsats' by the path."""

    def __init__(self):
        self.answers: dict[tuple[str, str], bytes] = {}
        super().__init__()

    def answer(self, path, body):
        table = json.loads(body).get("table", "") if path.startswith("/v1/") else ""
        payload = self.answers.get((path, table.upper()))
        if payload is None:
            return 400, {}, b'{"errorTypeCode": "EXTRACT-NOTFOUND", "message": "no such table"}'
        return 200, {}, payload

    def statbank(self, table: str, info: bytes, data: bytes) -> None:
        self.answers[("/v1/tableinfo", table)] = info
        self.answers[("/v1/data", table)] = data


@pytest.fixture
def source(monkeypatch):
    s = SourceServer()
    monkeypatch.setenv("LMB_STATBANK_URL", f"{s.url}/v1")
    monkeypatch.setenv("LMB_JOBINDSATS_URL", f"{s.url}/v2")
    yield s
    s.close()


def ledigheden_html(html: Path) -> str:
    return (html / "notebooks" / "ledigheden.html").read_text(encoding="utf-8")


def exported(html: Path, exhibit: str) -> list[dict]:
    return list(csv.DictReader((html / "data" / f"{exhibit}.csv").open(encoding="utf-8")))


# -- 1. the backtest ----------------------------------------------------------------------

# Counts chosen so that the shares round to Tabel 8.1 (Randers: 14.494 of 63.570 = 22,80 pct.)
# and the changes since 2013 are the report's (-3.381 in all, -2.253 aged 60-66).
BACKTEST_LEVELS = {
    "2023": {"000": (21700, 100000), "730": (14494, 63570), "615": (20600, 100000),
             "740": (18900, 100000), "630": (19900, 100000)},
    "2013": {"000": (22700, 100000), "730": (14494 + 3381, 63570), "615": (21600, 100000),
             "740": (19900, 100000), "630": (20900, 100000)},
}
BACKTEST_AGES = {"2023": {"730": {"60-64": 3000, "65-66": 1000}},
                 "2013": {"730": {"60-64": 5253, "65-66": 1000}}}


def test_made_up_counts_reproduce_tabel_8_1_and_8_2_and_a_revision_reaches_afvigelser(
        data_copy, tmp_path, source, monkeypatch):
    monkeypatch.delenv("JOBINDSATS_API_KEY", raising=False)
    levels = json.loads(json.dumps(BACKTEST_LEVELS))
    # the revision: seven more persons outside the labour force in Randers in 2023 (the
    # share stays 22,8 pct.: 14.501 of 63.577)
    levels["2023"]["730"] = [14494 + 7, 63570 + 7]
    source.statbank("RAS201", made_up.ras201_tableinfo(data_copy, REPORT_AREAS, ["2013", "2023"]),
                    made_up.answer(made_up.ras201(levels, BACKTEST_AGES)))
    aus08 = load_dataset("unemployment_aus08", data_copy)
    periods = ["2024-03", "2025-02", "2025-03"]
    februaries = [f"{y}M02" for y in range(2014, 2026)]
    source.statbank("AUS08", made_up.tableinfo("AUS08", {
        "OMRÅDE": REPORT_AREAS, "SAESONFAK": ["9", "10", "22", "24"],
        "Tid": sorted(set(februaries) | {"2024M03", "2025M03"})}),
        made_up.answer(made_up.aus08_from_dataset(aus08.frame, periods)))
    lines: list[str] = []
    found = []
    for dataset in ("outside_labour_force", "unemployment_aus08", "framework_benchmark"):
        found += run(2024, directory=data_copy, cache_dir=tmp_path / "cache", dataset=dataset,
                     areas=["Hele landet", "Randers", "Horsens", "Silkeborg", "Vejle"],
                     say=lines.append, backoff=0.0)
    revision = [d for d in found if d["dataset"] == "outside_labour_force" and d["measure"] == "persons"]
    assert revision == [{"dataset": "outside_labour_force", "area_code": "730", "period": "2023-11",
                         "base_period": "", "age_group": "16-66", "sex": "i alt", "origin": "i alt",
                         "measure": "persons", "printed": "14494", "fetched": "14501"}]
    # AUS08 echoed the report: not one difference in Tabel 8.2's 60 cells
    assert not [d for d in found if d["dataset"] == "unemployment_aus08"]
    assert any("framework_benchmark: skipped, no key" in line for line in lines)

    html = build_book(2024, out_root=tmp_path / "book", data_dir=data_copy)
    rows = exported(html, "tabel-8-1")
    assert {r["provenance"] for r in rows} == {"statbank_2024"}           # fetched, not transcribed
    assert sorted(float(r["value"]) for r in rows) == _golden_numbers("tabel-8-1")[0]
    rows = exported(html, "tabel-8-2")
    assert {r["provenance"] for r in rows} == {"statbank_2024"}
    shown = sorted(round(float(r["value"]), 4) for r in rows if r["flag"] != "suppressed")
    assert (shown, sum(r["flag"] == "suppressed" for r in rows)) == _golden_numbers("tabel-8-2")
    page = (html / "notebooks" / "borgere_uden_for_arbejdsstyrken.html").read_text(encoding="utf-8")
    assert "14.501" in page and "14.494" not in page
    deviations = (html / "appendix" / "afvigelser.html").read_text(encoding="utf-8")
    assert "14.494" in deviations and "14.501" in deviations


# -- 2. a made-up later edition with another focus ------------------------------------------

EDITION = 2025
AREAS = ["Hele landet", "Aarhus", "Aalborg", "Odense", "Randers"]
CODES = [made_up.NAMES[a] for a in AREAS]


def edition_answers(source: SourceServer, data_dir: Path) -> None:
    """MADE-UP answers for the 2025 edition: every number unlike any the report prints."""
    size = {code: 50 if code == "000" else 1 for code in CODES}     # the country is larger
    levels = {"2024": {c: ((23010 + 100 * i) * size[c], 100000 * size[c]) for i, c in enumerate(CODES)},
              "2014": {c: ((24010 + 100 * i) * size[c], 100000 * size[c]) for i, c in enumerate(CODES)}}
    source.statbank("RAS201", made_up.ras201_tableinfo(data_dir, CODES, ["2014", "2024"]),
                    made_up.answer(made_up.ras201(levels, {})))
    cells = {}
    tids = [f"{y}M02" for y in range(2015, 2027)] + ["2025M03", "2026M03"]
    for i, code in enumerate(CODES):
        for j, tid in enumerate(tids):
            cells[(code, "9", tid)] = 4.1 + 0.1 * i + 0.01 * j
            cells[(code, "10", tid)] = (5100 + 10 * i + j) * size[code]
            cells[(code, "22", tid)] = 4.3 + 0.1 * i
            cells[(code, "24", tid)] = (5300 + 10 * i + j) * size[code]
    source.statbank("AUS08", made_up.tableinfo("AUS08", {
        "OMRÅDE": CODES, "SAESONFAK": ["9", "10", "22", "24"], "Tid": sorted(tids)}),
        made_up.answer(made_up.aus08(cells)))
    ages = ["TOT", "16-24", "25-29", "30-39", "40-49", "50-59", "6099"]
    rows = [[code, age, sex, "2025M12", 3.3 + 0.1 * i + 0.2 * a + (0.05 if sex == "K" else 0)]
            for i, code in enumerate(CODES) for a, age in enumerate(ages) for sex in ("TOT", "M", "K")]
    source.statbank("AUP01", made_up.tableinfo("AUP01", {
        "OMRÅDE": CODES, "ALDER": ages, "KØN": ["TOT", "M", "K"], "Tid": ["2025M12"]}),
        made_up.answer((["OMRÅDE", "ALDER", "KØN", "TID", "INDHOLD"], rows)))
    educations = ["H10", "H20", "H30", "H35", "H40", "H50", "H60", "H70", "H80", "H90"]
    rows = [[code, h, made_up.OUTSIDE, "16-19", "M", "2024", 1000 * (k + 1) + 7 * i]
            for i, code in enumerate(CODES) for k, h in enumerate(educations)]
    q = made_up.query_codes(data_dir, "outside_labour_force_by_education")
    source.statbank("RAS209", made_up.tableinfo("RAS209", {
        "OMRÅDE": CODES, "UDDANNELSE": educations, "SOCIO": q["variables"]["SOCIO"],
        "ALDER": made_up.RAS_AGES, "KØN": ["M", "K"], "Tid": ["2024"]}),
        made_up.answer(made_up.complete(
            (["OMRÅDE", "UDDANNELSE", "SOCIO", "ALDER", "KØN", "TID", "INDHOLD"], rows),
            {"SOCIO": q["variables"]["SOCIO"], "ALDER": made_up.RAS_AGES, "KØN": ["M", "K"]})))
    # Y30R21 has no national row (as in the real answer, tests/real/)
    source.answers[("GET /v2/tables/Y30R21/json/", "")] = made_up.jobindsats_table(
        ["2024QMAT04", "2025QMAT02", "2025QMAT04"])
    source.answers[("/v2/data/Y30R21/json/", "")] = made_up.jobindsats_y30r21(
        [(a, "2025QMAT04", 17.31 + i, 18.02 + i, round(18.02 - 17.31, 2))
         for i, a in enumerate(AREAS) if a != "Hele landet"])


def test_a_new_edition_fetched_for_another_focus_draws_the_notices_and_never_writes_the_key(
        data_copy, tmp_path, source, monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_KEY", SENTINEL)
    edition_answers(source, data_copy)
    lines: list[str] = []
    run(EDITION, directory=data_copy, cache_dir=tmp_path / "cache", areas=AREAS, say=lines.append,
        backoff=0.0)
    assert [h for h in source.hits if h[0].startswith("/v2/")][0][1]["Authorization"] == SENTINEL
    assert any("Y30R21" in line for line in lines)
    for name in ("outside_labour_force", "outside_labour_force_by_education", "unemployment_aus08",
                 "unemployment_aup01", "framework_benchmark"):
        ds = load_dataset(name, data_copy)
        assert EDITION in ds.editions(), name

    html = build_book(EDITION, focus="Aarhus", comparison=["Aalborg", "Odense", "Hele landet"],
                      out_root=tmp_path / "book", data_dir=data_copy)
    page = (html / "notebooks" / "borgere_uden_for_arbejdsstyrken.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Aarhus Kommune" in text and "november 2024" in text
    # the report's own assessments are said once, on the front page, to be Randers Kommune's in
    # 2024, never retold as this edition's
    front = " ".join(re.sub(r"<[^>]+>", " ", (html / "intro.html").read_text(encoding="utf-8")).split())
    assert "Hvidbogens egne vurderinger gælder Randers Kommune i 2024" in front
    assert "relativt været størst i Randers Kommune" not in text   # the 2024 claim on 8.1
    assert "22,8" not in text and "14.494" not in text and "november 2023" not in text
    # a sentence the report edition could not have (it printed only a lower bound)
    assert ("I november 2024 var 40,0 pct. af borgerne uden for arbejdsstyrken i Aarhus Kommune "
            "kvinder.") in text
    # the shares the made-up counts give (23.110 of 100.000 in Aarhus) are the page's numbers
    assert "23,1 pct." in text
    ledighed = re.sub(r"<[^>]+>", " ", (html / "notebooks" / "ledigheden.html").read_text(encoding="utf-8"))
    # Figur 8.7, 8.9 and 8.11 were notices in the report's edition: now they are drawn
    for exhibit in ("figur-8-7", "figur-8-9", "figur-8-11"):
        rows = exported(html, exhibit)
        assert rows and {r["provenance"] for r in rows} == {"statbank_2025"}, exhibit
        assert {r["area"] for r in rows} == {"Hele landet", "Aarhus", "Aalborg", "Odense"}
    assert "marts 2026" in ledighed and "marts 2025" in ledighed
    # Figur 8.8 was its last point: now it is the series of Februaries, a line per area
    rows = exported(html, "figur-8-8")
    assert sorted({r["period"] for r in rows}) == [f"{y}-02" for y in range(2015, 2027)]
    assert "Linjediagram" in ledigheden_html(html) and 'class="delvis"' not in \
        ledigheden_html(html).split("Figur 8.8.")[1][:400]
    # Randers Kommune's own organisation is not drawn under Aarhus' title: one sentence says so
    organisation = " ".join(re.sub(r"<[^>]+>", " ", (html / "notebooks" / "indsats_organisering.html")
                                   .read_text(encoding="utf-8")).split())
    assert "Figur 8.26." not in organisation and "kun handler om Randers Kommune" in organisation
    # the key is in nothing written: data, raw snapshots, the HTTP cache, the book
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 100
    leaks = [p for p in written if SENTINEL.encode() in p.read_bytes()]
    assert leaks == []


def test_a_wrong_jobindsats_key_stops_the_fetch_in_one_line_without_the_key_and_changes_nothing(
        data_copy, tmp_path, source, monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_KEY", SENTINEL)
    source.answers[("/v2/data/Y30R21/json/", "")] = '{"Forkert nøgle eller nøglen er udløbet.": ""}'.encode()
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    with pytest.raises(Exception) as info:
        run(EDITION, directory=data_copy, cache_dir=tmp_path / "cache", areas=AREAS,
            dataset="framework_benchmark", say=lambda _: None, backoff=0.0)
    message = str(info.value)
    assert "refused the key" in message and SENTINEL not in message and "\n" not in message
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before
