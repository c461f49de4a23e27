"""`make data`: the clients, the cache, the retries, the atomic writes and the key's secrecy.

No test reaches the network: a small HTTP server on 127.0.0.1 answers with the recorded
(MADE-UP) answers in tests/recorded/, and every test works on a temporary copy of data/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import LocalServer, REPO
from labour_market_book.datasets import load_dataset
from labour_market_book.fetch import jobindsats, statbank
from labour_market_book.fetch.http import FetchError, session
from labour_market_book.trace import plain_text
from labour_market_book.fetch.run import run

RECORDED = Path(__file__).parent / "recorded"
QUERY = """query:
  api: statbank
  table: TESTTAB
  confirmed: false
  note: MADE UP for the tests (tests/recorded/README.md)
  area_variable: OMRÅDE
  time_variable: Tid
  rules: [current, next_february, next_march]
  variables: {MAALING: ["P", "N"]}
  measures:
    - {where: {MAALING: "P"}, measure: share_actual, decimals: 1}
    - {where: {MAALING: "N"}, measure: persons_actual, decimals: 0}
"""


class Server(LocalServer):
    """Answers each path with the next of its scripted (status, headers, body) answers."""

    def __init__(self):
        self.script: dict[str, list[tuple[int, dict, bytes]]] = {}
        super().__init__()

    def answer(self, path, body):
        answers = self.script.get(path) or [(404, {}, b'{"message": "no script"}')]
        return answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.fixture
def server(monkeypatch):
    s = Server()
    monkeypatch.setenv("LMB_STATBANK_URL", f"{s.url}/v1")       # the documented override
    monkeypatch.setenv("LMB_JOBINDSATS_URL", f"{s.url}/v2")
    s.script["/v1/tableinfo"] = [(200, {}, (RECORDED / "statbank_tableinfo.json").read_bytes())]
    s.script["/v1/data"] = [(200, {"Content-Type": "text/csv"}, (RECORDED / "statbank_data.csv").read_bytes())]
    yield s
    s.close()


@pytest.fixture
def data(data_copy):
    """A copy of data/ in which AUS08's sidecar declares the MADE-UP query."""
    replace_query(data_copy / "unemployment_aus08.yaml", QUERY)
    return data_copy


def replace_query(sidecar: Path, query: str) -> None:
    """Put ``query`` in place of the sidecar's own query block (or before ``feeds:``)."""
    text = sidecar.read_text(encoding="utf-8")
    if "\nquery:\n" in text:
        head, rest = text.split("\nquery:\n", 1)
        text = head + "\nfeeds:" + rest.split("\nfeeds:", 1)[1]
    sidecar.write_text(text.replace("\nfeeds:", "\n" + query + "feeds:", 1), encoding="utf-8")


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def fetch(data, tmp_path, **kwargs):
    lines = []
    kwargs.setdefault("dataset", "unemployment_aus08")
    found = run(2030, directory=data, cache_dir=tmp_path / "cache", areas=["Hele landet", "Randers"],
                say=lines.append, backoff=0.0, **kwargs)
    return found, lines


def test_dry_run_prints_the_request_and_fetches_nothing(data, tmp_path, server):
    before = snapshot(data)
    _, lines = fetch(data, tmp_path, dry_run=True)
    assert len(lines) == 3 and '"table": "TESTTAB"' in lines[0]
    assert '"2030M03", "2031M02", "2031M03"' in lines[0] and '"000", "730"' in lines[0]
    # the months published after the edition's year, which an early run may not find yet
    assert lines[2].startswith("    note: the 2030 edition also needs 2031M02, 2031M03, after 2030")
    # the same request as an address to open in a browser and save into data/incoming/
    assert "save into data/incoming/TESTTAB-2030.csv:" in lines[1]
    assert lines[1].endswith("/v1/data/TESTTAB/CSV?valuePresentation=Code&delimiter=Semicolon"
                             "&lang=da&OMR%C3%85DE=000,730&MAALING=P,N&Tid=2030M03,2031M02,2031M03")
    assert server.hits == [] and snapshot(data) == before


def test_fetch_writes_validated_rows_with_fetched_provenance(data, tmp_path, server):
    found, lines = fetch(data, tmp_path)
    assert found == [] and "12 rows written" in lines[-1]
    ds = load_dataset("unemployment_aus08", data)  # checksum sealed, same validation as bundled data
    rows = ds.frame[ds.frame["provenance"] == "statbank_2030"]
    assert len(rows) == 12
    suppressed = rows[(rows["area"] == "Randers") & (rows["period"] == "2030-03")
                      & (rows["measure"] == "persons_actual")]
    assert suppressed["value"].isna().all() and (suppressed["flag"] == "suppressed").all()  # never 0
    assert float(rows[(rows["area"] == "Randers") & (rows["period"] == "2031-03")
                      & (rows["measure"] == "share_actual")]["value"].iloc[0]) == 3.5
    entry = ds.meta["provenance"]["statbank_2030"]
    assert entry["method"] == "fetched" and entry["row_count"] == 12 and entry["request"]["table"] == "TESTTAB"
    assert (data / "raw" / "testtab-unemployment_aus08-2030.csv").exists() and (data / "raw" / "testtab-unemployment_aus08-2030.yaml").exists()
    assert 2030 in ds.editions()
    # the report's rows are still there, still credited to the report
    assert (ds.frame["provenance"] == "report").sum() == 60


def test_a_rerun_within_a_day_makes_no_request(data, tmp_path, server):
    fetch(data, tmp_path)
    hits = len(server.hits)
    fetch(data, tmp_path)
    assert len(server.hits) == hits


def test_no_network_is_one_clear_line_and_changes_nothing(data, tmp_path, monkeypatch):
    monkeypatch.setenv("LMB_STATBANK_URL", "http://127.0.0.1:9/v1")  # nothing listens on port 9
    before = snapshot(data)
    with pytest.raises(FetchError, match=r"^cannot reach 127\.0\.0\.1: .*the bundled data are unchanged$"):
        fetch(data, tmp_path)
    assert snapshot(data) == before


def test_500_then_success_is_retried(data, tmp_path, server):
    csv_body = (RECORDED / "statbank_data.csv").read_bytes()
    server.script["/v1/data"] = [(500, {}, b"oops"), (200, {}, csv_body)]
    fetch(data, tmp_path)
    assert [p for p, *_ in server.hits].count("/v1/data") == 2


def test_429_with_retry_after_is_retried(data, tmp_path, server):
    csv_body = (RECORDED / "statbank_data.csv").read_bytes()
    server.script["/v1/data"] = [(429, {"Retry-After": "0"}, b""), (200, {}, csv_body)]
    fetch(data, tmp_path)
    assert [p for p, *_ in server.hits].count("/v1/data") == 2


def test_a_400_is_not_retried_and_its_message_is_shown(data, tmp_path, server):
    server.script["/v1/data"] = [(400, {}, (RECORDED / "statbank_error.json").read_bytes())]
    before = snapshot(data)
    with pytest.raises(FetchError, match="HTTP 400.*EXTRACT-NOTFOUND"):
        fetch(data, tmp_path)
    assert [p for p, *_ in server.hits].count("/v1/data") == 1 and snapshot(data) == before


def test_a_truncated_body_is_refused_and_changes_nothing(data, tmp_path, server):
    body = (RECORDED / "statbank_data.csv").read_bytes()
    server.script["/v1/data"] = [(200, {}, body[: body.rindex(b";")])]  # cut in the last row
    before = snapshot(data)
    with pytest.raises(FetchError, match="cut off or malformed at line 13"):
        fetch(data, tmp_path)
    assert snapshot(data) == before


@pytest.mark.parametrize("change, message", [
    (lambda q: q.replace("MAALING: [", "MAALNIG: ["), "has no variable MAALNIG"),
    (lambda q: q.replace("next_march]", "next_march, series_start]"),
     r"has no 2020M02 for Tid \(its periods run 2030M03-2031M03\)"),
])
def test_unknown_codes_and_missing_periods_are_refused_before_any_data_request(
        data, tmp_path, server, change, message):
    sidecar = data / "unemployment_aus08.yaml"
    sidecar.write_text(change(sidecar.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(data)
    with pytest.raises(FetchError, match=message):
        fetch(data, tmp_path)
    assert "/v1/data" not in [p for p, *_ in server.hits] and snapshot(data) == before


def test_a_revised_number_is_listed_as_a_difference_from_the_report(data, tmp_path, server):
    # MADE-UP answer for the 2024 edition in which one count differs from Tabel 8.2's 1.691
    body = ("\ufeffOMRÅDE;MAALING;TID;INDHOLD\n730;N;2025M03;1699\n").encode("utf-8")
    info = json.loads((RECORDED / "statbank_tableinfo.json").read_text(encoding="utf-8"))
    info["variables"][2]["values"] += [{"id": p, "text": p} for p in ("2024M03", "2025M02", "2025M03")]
    server.script["/v1/tableinfo"] = [(200, {}, json.dumps(info).encode())]
    server.script["/v1/data"] = [(200, {}, body)]
    found = run(2024, directory=data, cache_dir=tmp_path / "cache", areas=["Randers"],
                say=lambda _: None, backoff=0.0, dataset="unemployment_aus08")
    assert found == [{"dataset": "unemployment_aus08", "area_code": "730", "period": "2025-03",
                      "measure": "persons_actual", "printed": "1691", "fetched": "1699"}]
    ds = load_dataset("unemployment_aus08", data)
    row = ds.frame[(ds.frame["area"] == "Randers") & (ds.frame["period"] == "2025-03")
                   & (ds.frame["measure"] == "persons_actual")]
    assert (row["value"].tolist(), row["provenance"].tolist()) == ([1699.0], ["statbank_2024"])


SENTINEL = "SENTINEL-KEY-0123456789"


def test_the_jobindsats_key_is_sent_but_never_written(tmp_path, server, monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_KEY", SENTINEL)
    server.script["/v2/data/Y99TEST/json/"] = [(200, {}, (RECORDED / "jobindsats_data.json").read_bytes())]
    s = session(tmp_path / "cache", backoff=0.0)
    rows = jobindsats.fetch(s, "Y99TEST", {"area": "*", "period": ["2030"]}, jobindsats.api_key()).rows
    assert list(rows.columns) == ["Område", "Periode", "Fuldtidspersoner"] and len(rows) == 2
    assert server.hits[-1][1]["Authorization"] == SENTINEL          # sent as the docs say
    jobindsats.fetch(s, "Y99TEST", {"area": "*", "period": ["2030"]}, jobindsats.api_key())
    s.close()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and not [p for p in written if SENTINEL.encode() in p.read_bytes()]


def test_a_wrong_key_is_one_line_without_the_key(tmp_path, server):
    server.script["/v2/data/Y99TEST/json/"] = [(200, {}, (RECORDED / "jobindsats_wrong_key.json").read_bytes())]
    with pytest.raises(FetchError) as info:
        jobindsats.fetch(session(tmp_path / "cache"), "Y99TEST", {"area": "*"}, SENTINEL)
    assert "refused the key" in str(info.value) and SENTINEL not in str(info.value)


def test_without_a_key_jobindsats_is_skipped_with_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.delenv("JOBINDSATS_API_KEY", raising=False)
    assert jobindsats.api_key(tmp_path) is None
    (tmp_path / ".env").write_text(f"JOBINDSATS_API_KEY={SENTINEL}\n", encoding="utf-8")
    assert jobindsats.api_key(tmp_path) == SENTINEL
    assert "ask Jobindsats.dk" in jobindsats.HOW_TO_GET_A_KEY


def test_csv_numbers_and_time_codes():
    assert statbank.number("3,4") == 3.4 and statbank.number("1691") == 1691.0
    assert statbank.number("..") is None and statbank.number("") is None
    assert statbank.period_of("2023M11") == "2023-11" and statbank.period_of("2024K1") == "2024-Q1"
    from labour_market_book.periods import Period
    assert statbank.time_code(Period(2023, 11)) == "2023M11"
    assert statbank.time_code(Period(2024, quarter=4)) == "2024K4"


def test_a_revision_reaches_the_page_and_the_deviations_appendix(data, tmp_path, server):
    """Fetch → book: the fetched count replaces the printed one on the page, is credited to
    Statistikbanken, and the difference is listed on "Afvigelser fra hvidbogen"."""
    from labour_market_book.build import build_book
    body = ("\ufeffOMRÅDE;MAALING;TID;INDHOLD\n730;N;2025M03;1699\n").encode("utf-8")
    info = json.loads((RECORDED / "statbank_tableinfo.json").read_text(encoding="utf-8"))
    info["variables"][2]["values"] += [{"id": p, "text": p} for p in ("2024M03", "2025M02", "2025M03")]
    server.script["/v1/tableinfo"] = [(200, {}, json.dumps(info).encode())]
    server.script["/v1/data"] = [(200, {}, body)]
    run(2024, directory=data, cache_dir=tmp_path / "cache", areas=["Randers"], say=lambda _: None,
        backoff=0.0, dataset="unemployment_aus08")
    html = build_book(2024, out_root=tmp_path / "book", data_dir=data)
    page = plain_text((html / "notebooks" / "ledigheden.html").read_text(encoding="utf-8"))
    assert "I marts 2025 var der 1.699 fuldtidsledige i Randers Kommune" in page
    assert "hentet" in page.split("Tabel 8.2.")[1].split("Hent tallene")[0]
    deviations = (html / "appendix" / "afvigelser.html").read_text(encoding="utf-8")
    assert "1.691" in deviations and "1.699" in deviations


def test_a_csv_saved_by_hand_into_incoming_is_read_like_an_answer_and_moved_to_raw(data, tmp_path):
    incoming = data / "incoming"
    incoming.mkdir()
    (incoming / "TESTTAB-2030.csv").write_bytes((RECORDED / "statbank_data.csv").read_bytes())
    lines = []
    run(2030, directory=data, cache_dir=tmp_path / "cache", say=lines.append, incoming_only=True)
    ds = load_dataset("unemployment_aus08", data)
    rows = ds.frame[ds.frame["provenance"] == "incoming_2030"]
    assert len(rows) == 12 and "TESTTAB-2030.csv" in ds.meta["provenance"]["incoming_2030"]["endpoint"]
    assert not (incoming / "TESTTAB-2030.csv").exists()
    assert (data / "raw" / "testtab-2030-incoming-2030.csv").exists()
    assert lines == ["data/incoming/TESTTAB-2030.csv: 12 rows written to data/unemployment_aus08.csv"]


@pytest.mark.parametrize("name, content, message", [
    ("NOSUCH.csv", b"A;TID;INDHOLD\n", "no dataset's query reads table NOSUCH"),
    ("TESTTAB.csv", "OMRÅDE;MAALING;TID;INDHOLD\n730;P;2030M03;3,4\n".encode("cp1252"), "not UTF-8"),
    ("TESTTAB.csv", b"\xef\xbb\xbfOMR\xc3\x85DE;MAALING;INDHOLD\n730;P;3,4\n", "does not end in TID;INDHOLD"),
    ("TESTTAB.csv", "OMRÅDE;MAALING;TID;INDHOLD\n999;P;2030M03;3,4\n".encode(), "the area '999'"),
])
def test_a_bad_incoming_file_is_named_stays_put_and_changes_nothing(data, tmp_path, name, content, message):
    incoming = data / "incoming"
    incoming.mkdir()
    (incoming / name).write_bytes(content)
    before = snapshot(data)
    with pytest.raises(FetchError, match=message):
        run(2030, directory=data, cache_dir=tmp_path / "cache", say=lambda _: None, incoming_only=True)
    assert snapshot(data) == before


def test_a_table_s_suppressed_data_value_makes_a_suppressed_row_never_a_number(data, tmp_path, server):
    # MADE-UP tableinfo declaring '0' as the unpublished cell, as METROX1's real one does
    info = json.loads((RECORDED / "statbank_tableinfo.json").read_text(encoding="utf-8"))
    info["suppressedDataValue"] = "0"
    server.script["/v1/tableinfo"] = [(200, {}, json.dumps(info).encode())]
    body = (RECORDED / "statbank_data.csv").read_bytes().replace(b";3,5\n", b";0\n")
    server.script["/v1/data"] = [(200, {}, body)]
    fetch(data, tmp_path)
    rows = load_dataset("unemployment_aus08", data).frame
    cell = rows[(rows["area"] == "Randers") & (rows["period"] == "2031-03") & (rows["measure"] == "share_actual")]
    assert cell["value"].isna().all() and cell["flag"].tolist() == ["suppressed"]


def test_a_file_saved_with_labels_is_refused_naming_file_line_and_column(data, tmp_path):
    # MADE-UP: what Statistikbanken's default (valuePresentation=Value) would give for TESTTAB
    (data / "incoming").mkdir()
    (data / "incoming" / "TESTTAB.csv").write_bytes(
        "\ufeffOMRÅDE;MAALING;TID;INDHOLD\r\nRanders;Procent;2030M03;3,4\r\n".encode("utf-8"))
    before = snapshot(data)
    with pytest.raises(FetchError, match=r"^data/incoming/TESTTAB\.csv, line 2, column MAALING: 'Procent' "
                                         r"is not one of the codes the query asks for \(P, N\); .*valuePresentation=Code"):
        run(2030, directory=data, cache_dir=tmp_path / "cache", say=lambda _: None, incoming_only=True)
    assert snapshot(data) == before


def test_incoming_only_with_nothing_saved_says_what_it_would_read_and_writes_nothing(data, tmp_path):
    before = snapshot(data)
    lines = []
    run(2030, directory=data, cache_dir=tmp_path / "cache", say=lines.append, incoming_only=True)
    assert lines[0].startswith("data/incoming/ holds no files to read. For the 2030 edition it would read")
    assert "    data/incoming/TESTTAB-2030.csv  ->  data/unemployment_aus08.csv" in lines
    assert "    data/incoming/Y30R21-2030.json  ->  data/framework_benchmark.csv" in lines
    assert snapshot(data) == before and not (data / "incoming").exists()


def test_the_dry_run_prints_the_jobindsats_request_without_a_key(data, tmp_path, monkeypatch):
    monkeypatch.delenv("JOBINDSATS_API_KEY", raising=False)
    monkeypatch.setattr(jobindsats, "REPO_ROOT", tmp_path, raising=False)
    monkeypatch.setenv("LMB_JOBINDSATS_URL", "https://mirror.example/v2")
    before = snapshot(data)
    lines = []
    run(2030, directory=data, cache_dir=tmp_path / "cache", dataset="framework_benchmark",
        say=lines.append, dry_run=True)
    assert lines[0] == ('[1/1] framework_benchmark: POST https://mirror.example/v2/data/Y30R21/json/ '
                        '{"area": "*", "_ygrp_y30r21": ["Ydelsesgrupper i alt"], "period": ["2030QMAT04"]}')
    assert "save the JSON answer as it is into data/incoming/Y30R21-2030.json" in lines[1]
    assert "GET https://mirror.example/v2/tables/Y30R21/json/" in lines[1]
    assert snapshot(data) == before


def test_make_data_changes_only_what_it_must_in_a_sidecar(data, tmp_path, server):
    sidecar = data / "unemployment_aus08.yaml"
    before = sidecar.read_text(encoding="utf-8").split("\n")
    fetch(data, tmp_path)
    after = sidecar.read_text(encoding="utf-8").split("\n")
    import difflib
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    # the coverage, the checksum and its seal of the coverage change, a provenance entry is added
    removed = [line for line in changed if line.startswith("-")]
    assert all(re.match(r"^-(  first_period|  last_period|  editions|  value|    coverage): ", line)
               for line in removed), removed
    assert "+  statbank_2030:" in changed
    assert after[0] == before[0]                                   # the header comment stays


def test_a_fetch_changes_only_the_dataset_and_what_git_ignores(data, tmp_path, server):
    """After `make data`, `git status` shows the changed dataset and nothing untracked: the
    answers kept in data/raw/ and the drop folder data/incoming/ are ignored by git, and the
    sidecar carries the request, the time, the edition and the answer's checksum."""
    before = snapshot(data)
    fetch(data, tmp_path)
    after = snapshot(data)
    changed = {p for p in after if before.get(p) != after[p]}
    assert {p for p in changed if p.parts[0] != "raw"} == {Path("unemployment_aus08.csv"),
                                                           Path("unemployment_aus08.yaml")}
    import subprocess
    repo = REPO
    ignored = subprocess.run(["git", "check-ignore", "data/raw/testtab-unemployment_aus08-2030.csv",
                              "data/incoming/AUS08-2030.csv"], cwd=repo, capture_output=True, text=True)
    assert ignored.returncode == 0 and len(ignored.stdout.split()) == 2
    entry = load_dataset("unemployment_aus08", data).meta["provenance"]["statbank_2030"]
    import hashlib
    raw = (data / "raw" / "testtab-unemployment_aus08-2030.csv").read_bytes()
    assert entry["edition"] == 2030 and entry["raw"]["sha256"] == hashlib.sha256(raw).hexdigest()


def test_the_differences_from_the_report_are_kept_in_the_provenance_entry(data, tmp_path, server):
    body = ("\ufeffOMRÅDE;MAALING;TID;INDHOLD\n730;N;2025M03;1699\n").encode("utf-8")
    info = json.loads((RECORDED / "statbank_tableinfo.json").read_text(encoding="utf-8"))
    info["variables"][2]["values"] += [{"id": p, "text": p} for p in ("2024M03", "2025M02", "2025M03")]
    server.script["/v1/tableinfo"] = [(200, {}, json.dumps(info).encode())]
    server.script["/v1/data"] = [(200, {}, body)]
    run(2024, directory=data, cache_dir=tmp_path / "cache", areas=["Randers"], say=lambda _: None,
        backoff=0.0, dataset="unemployment_aus08")
    entry = load_dataset("unemployment_aus08", data).meta["provenance"]["statbank_2024"]
    assert entry["differences"] == [{"area_code": "730", "period": "2025-03", "measure": "persons_actual",
                                     "printed": "1691", "fetched": "1699"}]
