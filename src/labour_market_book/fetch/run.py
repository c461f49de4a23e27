"""``make data``: fetch every dataset whose sidecar declares a ``query``, for one edition.

A query in a sidecar names the source table, its variable codes (checked against the
table's ``tableinfo`` before any data request; ``confirmed: false`` says the codes could not
be checked when the query was written), the period rules whose periods it asks for, and
the transform that turns the answer into the dataset's measures (:mod:`.transforms`)::

    query:
      api: statbank
      table: AUS08
      confirmed: false
      area_variable: OMRÅDE          # filled with the edition's area codes
      time_variable: Tid             # filled with the periods the period rules need
      rules: [current, next_february, next_march]
      variables: {SAESONFAK: ["9", "10"]}
      transform: declared
      measures:
        - {where: {SAESONFAK: "9"}, measure: share_seasonally_adjusted, decimals: 1}

A Jobindsats query has ``api: jobindsats``, ``area_variable: area``, ``time_variable:
period``, a ``period_code`` template (``{year}QMAT04``) and dimension parameters prefixed
``_`` in ``variables``; its answer's value columns become a variable ``VARIABEL``.

Each answer is kept as a raw snapshot (``data/raw/``), transformed, validated, and written
atomically with a ``fetched`` provenance entry. Files saved by hand from Statistikbanken
into ``data/incoming/`` (named after the table, e.g. ``RAS201.csv`` or
``RAS201-2025.csv``) take the same path. Jobindsats queries are skipped, with a message,
when no key is set.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd

from .. import areas as area_registry
from ..datasets import load_all
from ..paths import BUILD_DIR, data_dir as default_data_dir
from . import jobindsats, statbank, transforms
from .http import FetchError, session
from .store import now_iso, update_dataset, write_snapshot

INCOMING = "incoming"


def rule_periods(ds, year: int) -> dict[str, str]:
    """The book period of each of the query's rules in the edition ``year``."""
    return {rule: str(ds.period(year, rule)) for rule in ds.meta["query"].get("rules", ["current"])}


def book_periods(ds, year: int) -> list:
    """Every period the query asks for: its rules' periods, plus, with ``history: {from:
    <rule>, to: <rule>}``, the same month (or quarter) of every year between the two
    (e.g. every February 2014-2025 for Figur 8.8)."""
    q = ds.meta["query"]
    periods = {ds.period(year, rule) for rule in q.get("rules", ["current"])}
    if q.get("history"):
        first, last = ds.period(year, q["history"]["from"]), ds.period(year, q["history"]["to"])
        periods |= {type(first)(y, first.month, quarter=first.quarter)
                    for y in range(first.year, last.year + 1)}
    return sorted(periods)


def periods_by_code(ds, year: int) -> dict[str, str]:
    """Source time code -> the book's period, for the periods the query asks for."""
    template = ds.meta["query"].get("period_code")
    return {transforms.source_period(p, template): str(p) for p in book_periods(ds, year)}


def planned_requests(ds, year: int, area_names: list[str]) -> dict:
    """The variables (or Jobindsats parameters) one dataset's query asks for in ``year``."""
    q = ds.meta["query"]
    periods = list(periods_by_code(ds, year))
    if q["api"] == "jobindsats":
        variables = {q["area_variable"]: list(area_names)}
    else:
        variables = {q["area_variable"]: [area_registry.CODES[a] for a in area_names]}
    variables.update({k: list(v) for k, v in q.get("variables", {}).items()})
    variables[q["time_variable"]] = sorted(set(periods))
    return variables


def get_url(table: str, variables: dict[str, list[str]]) -> str:
    """The same request as a GET address, to open in a browser and save into data/incoming/."""
    params = {"valuePresentation": "Code", "delimiter": "Semicolon", "lang": "da"}
    params.update({code: ",".join(values) for code, values in variables.items()})
    return f"{statbank.BASE}/data/{table}/CSV?{urlencode(params, quote_via=quote, safe=',*')}"


def declared_rows(ds, answer: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The dataset's tidy rows from a Statistikbanken answer, as its query declares."""
    q = ds.meta["query"]
    long = transforms.long_statbank(answer, q, q["table"], periods_by_code(ds, year) if year else None)
    periods = rule_periods(ds, year) if year else {}
    return transforms.transform(ds, long, q, periods)


def _default_areas() -> list[str]:
    return list(area_registry.AREAS.values())


def run(year: int, *, dataset: str | None = None, areas: list[str] | None = None,
        dry_run: bool = False, directory: Path | None = None, cache_dir: Path | None = None,
        say=print, backoff: float = 1.0, incoming_only: bool = False) -> list[dict]:
    """Fetch for one edition; return the differences from the report's printed numbers.

    ``incoming_only`` reads the files in ``data/incoming/`` and asks no source (for a
    machine without access to the APIs)."""
    directory = Path(directory) if directory else default_data_dir()
    datasets = {k: v for k, v in load_all(directory).items() if v.meta.get("query")}
    if dataset:
        if dataset not in datasets:
            raise FetchError(f"{dataset} declares no query (datasets with one: "
                             f"{', '.join(sorted(datasets)) or 'none'})")
        datasets = {dataset: datasets[dataset]}
    area_names = areas or _default_areas()
    for name in area_names:
        area_registry.check_area(name)
    deviations: list[dict] = []
    fetched_names: list[str] = []
    deviations += ingest_incoming(directory, year, datasets, say=say, dry_run=dry_run,
                                  ingested=fetched_names)
    if incoming_only:
        datasets = {}
    http = None if dry_run or incoming_only else session(cache_dir or BUILD_DIR / "http-cache", backoff=backoff)
    key = jobindsats.api_key()
    total = len(datasets)
    for i, (name, ds) in enumerate(sorted(datasets.items()), start=1):
        q = ds.meta["query"]
        variables = planned_requests(ds, year, area_names)
        prefix = f"[{i}/{total}] {name}"
        if q["api"] == "jobindsats" and not key:
            say(f"{prefix}: skipped, no key. {jobindsats.HOW_TO_GET_A_KEY}")
            continue
        if dry_run:
            if q["api"] == "statbank":
                body = statbank.data_body(q["table"], variables)
                say(f"{prefix}: POST {statbank.BASE}/data {json.dumps(body, ensure_ascii=False)}")
                say(f"    or open in a browser and save into data/{INCOMING}/{q['table']}.csv: "
                    f"{get_url(q['table'], variables)}")
            else:
                say(f"{prefix}: POST {jobindsats.BASE}/data/{q['table']}/json/ "
                    f"{json.dumps(variables, ensure_ascii=False)}")
            continue
        cells = 1
        for values in variables.values():
            cells *= max(len(values), 1)
        say(f"{prefix}: {q['api']} {q['table']}, up to {cells} cells ...")
        if not q.get("confirmed"):
            say(f"    note: {q['table']}'s codes in data/{name}.yaml are not confirmed against its "
                "documentation; compare the result with the report on 'Afvigelser fra rapporten' "
                "(make data YEAR=2024) before you publish")
        retrieved = now_iso()
        if q["api"] == "statbank":
            statbank.check_codes(http, q["table"], variables)
            answer = statbank.fetch(http, q["table"], variables)
            long = transforms.long_statbank(answer.rows, q, q["table"], periods_by_code(ds, year))
            request, text, api, endpoint = answer.body, answer.text, "https://api.statbank.dk", "/v1/data"
        else:
            rows = jobindsats.fetch(http, q["table"], variables, key)
            long = transforms.long_jobindsats(rows, q, q["table"], periods_by_code(ds, year))
            request, api = variables, "https://api.jobindsats.dk"
            endpoint = f"/v2/data/{q['table']}/json/"
            text = rows.to_csv(index=False, sep=";", lineterminator="\n")
        write_snapshot(directory / "raw", f"{q['table'].lower()}-{name}-{year}", text, request,
                       retrieved, api.removeprefix("https://"))
        entry = {"method": "fetched", "api": api, "endpoint": endpoint, "request": request,
                 "retrieved_at": retrieved, "client": "labour_market_book.fetch"}
        deviations += _store(directory, ds, long, year, f"{q['api']}_{year}", entry, "    ", say)
        fetched_names.append(name)
    if not dry_run:
        write_deviations(directory, year, deviations, refreshed=set(fetched_names))
    return deviations


def ingest_incoming(directory: Path, year: int, datasets: dict, *, say=print,
                    dry_run: bool = False, ingested: list[str] | None = None) -> list[dict]:
    """Take Statistikbanken CSV files saved by hand into ``data/incoming/``.

    A file is matched to the datasets whose query reads its table by its name
    (``RAS201.csv``, ``RAS201-2025.csv``), parsed by the same parser as the API's answers,
    transformed and validated the same way, and then moved to ``data/raw/`` as a snapshot:
    a file that fails stays where it is and nothing in ``data/`` changes.
    """
    folder = directory / INCOMING
    if not folder.is_dir():
        return []
    deviations: list[dict] = []
    ingested = ingested if ingested is not None else []
    by_table: dict[str, list[str]] = {}
    for name, ds in datasets.items():
        if ds.meta["query"]["api"] == "statbank":
            by_table.setdefault(ds.meta["query"]["table"].upper(), []).append(name)
    for path in sorted(folder.glob("*.csv")):
        table = path.stem.split("-")[0].split("_")[0].upper()
        targets = by_table.get(table)
        if not targets:
            raise FetchError(f"data/{INCOMING}/{path.name}: no dataset's query reads table {table} "
                             f"(tables with a query: {', '.join(sorted(by_table)) or 'none'}); name "
                             "the file after its table, e.g. RAS201.csv; the bundled data are unchanged")
        if dry_run:
            say(f"data/{INCOMING}/{path.name}: would be read into {', '.join(targets)}")
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FetchError(f"data/{INCOMING}/{path.name}: not UTF-8 (byte {exc.start}); save it "
                             "from Statistikbanken as UTF-8 CSV; the bundled data are unchanged") from None
        rows = statbank.parse_csv(text, f"data/{INCOMING}/{path.name}")
        for name in targets:
            ds = datasets[name]
            q = ds.meta["query"]
            long = transforms.long_statbank(rows, q, f"data/{INCOMING}/{path.name}",
                                            periods_by_code(ds, year))
            entry = {"method": "fetched", "api": "https://api.statbank.dk",
                     "endpoint": f"saved by hand into data/{INCOMING}/{path.name}",
                     "request": f"{q['table']} as saved in data/{INCOMING}/{path.name}",
                     "retrieved_at": now_iso(), "client": "labour_market_book.fetch (incoming)"}
            deviations += _store(directory, ds, long, year, f"incoming_{year}", entry,
                                 f"data/{INCOMING}/{path.name}: ", say)
            ingested.append(name)
        write_snapshot(directory / "raw", f"{path.stem.lower()}-incoming-{year}", text,
                       {"file": f"data/{INCOMING}/{path.name}"}, now_iso(), "statistikbanken.dk")
        path.unlink()
    return deviations


def _store(directory: Path, ds, long: pd.DataFrame, year: int, entry_id: str, entry: dict,
           prefix: str, say) -> list[dict]:
    """Transform an answer, write the dataset atomically with its provenance entry, say so,
    and return the differences from the report."""
    name = ds.meta["id"]
    fetched = transforms.transform(ds, long, ds.meta["query"], rule_periods(ds, year))
    found = update_dataset(directory, name, fetched, entry_id, entry)
    say(f"{prefix}{len(fetched)} rows written to data/{name}.csv"
        + (f"; {len(found)} differ from the report" if found else ""))
    return found


DEVIATION_COLUMNS = ["dataset", "area_code", "period", "measure", "printed", "fetched"]


def write_deviations(directory: Path, year: int, deviations: list[dict],
                     refreshed: set[str] | None = None) -> Path:
    """Keep the differences from the report for the appendix "Afvigelser fra rapporten".

    The datasets fetched in this run (``refreshed``) get their differences anew; those of
    datasets fetched in an earlier run of the same edition are kept. ``row`` holds the
    row's other key columns (age group, sex, ...), so that rows with the same area, period
    and measure can be told apart.
    """
    folder = directory / "raw"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"afvigelser-{year}.csv"
    refreshed = set(refreshed or set()) | {d["dataset"] for d in deviations}
    kept = []
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        kept = [r for r in old.to_dict("records") if r["dataset"] not in refreshed]
    rows = deviations
    frame = pd.DataFrame(kept + [{**{c: d.get(c, "") for c in DEVIATION_COLUMNS},
                                  "row": ", ".join(f"{k}={v}" for k, v in d.items()
                                                   if k not in DEVIATION_COLUMNS and v)}
                                 for d in rows], columns=DEVIATION_COLUMNS + ["row"])
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
