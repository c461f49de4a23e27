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

Each answer is transformed, validated, and written atomically with a ``fetched`` provenance
entry (the request, the time, the edition, the answer's checksum and the differences from
the report's printed numbers); the answer itself is kept in ``data/raw/``, a local record
that git ignores. Files saved by hand from Statistikbanken
into ``data/incoming/`` (named after the table, e.g. ``RAS201.csv`` or
``RAS201-2025.csv``) take the same path. Jobindsats queries are skipped, with a message,
when no key is set.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd
import yaml

from .. import areas as area_registry
from ..datasets import load_all
from ..paths import BUILD_DIR, data_dir as default_data_dir
from . import jobindsats, statbank, transforms
from .http import FetchError, session
from .store import now_iso, snapshot_checksum, update_dataset, write_snapshot

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
    """The variables (or Jobindsats parameters) one dataset's query asks for in ``year``.

    Jobindsats is asked for every area (``"area": "*"``, as Randers Kommune's own ETL asks):
    its tables name areas in their own way (``Vesthimmerlands``), some have no national row,
    and a rank such as Tabel 8.4's needs all 98 municipalities."""
    q = ds.meta["query"]
    periods = list(periods_by_code(ds, year))
    if q["api"] == "jobindsats":
        variables = {q["area_variable"]: "*"}
    else:
        variables = {q["area_variable"]: [area_registry.CODES[a] for a in area_names]}
    variables.update({k: list(v) for k, v in q.get("variables", {}).items()})
    variables[q["time_variable"]] = sorted(set(periods))
    return variables


def later_periods(ds, year: int) -> list[str]:
    """The source's codes of the periods an edition needs from after its reference year
    (AUS08's February and March of the following year): usually published later, so a
    run early in the year may not find them yet."""
    template = ds.meta["query"].get("period_code")
    return [transforms.source_period(p, template) for p in book_periods(ds, year) if p.year > year]


def get_url(table: str, variables: dict[str, list[str]]) -> str:
    """The same request as a GET address, to open in a browser and save into data/incoming/."""
    params = {"valuePresentation": "Code", "delimiter": "Semicolon", "lang": "da"}
    params.update({code: ",".join(values) for code, values in variables.items()})
    return f"{statbank.base()}/data/{table}/CSV?{urlencode(params, quote_via=quote, safe=',*')}"


def incoming_name(ds, year: int) -> str:
    """The file name a hand-saved answer for this dataset and edition gets in data/incoming/."""
    q = ds.meta["query"]
    return f"{q['table']}-{year}.{'json' if q['api'] == 'jobindsats' else 'csv'}"


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
    machine without access to the APIs). A run that fetches nothing writes nothing."""
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
    found_files = incoming_files(directory)
    if incoming_only and not found_files:
        say(f"data/{INCOMING}/ holds no files to read. For the {year} edition it would read "
            "(saved from the addresses `make data DRY_RUN=1` prints):")
        for name, ds in sorted(datasets.items()):
            say(f"    data/{INCOMING}/{incoming_name(ds, year)}  ->  data/{name}.csv")
        return []
    deviations += ingest_incoming(directory, year, datasets, say=say, dry_run=dry_run,
                                  ingested=fetched_names)
    if incoming_only:
        datasets = {}
    http = None if dry_run or not datasets else session(cache_dir or BUILD_DIR / "http-cache", backoff=backoff)
    key = jobindsats.api_key()
    total = len(datasets)
    failures: list[tuple[str, str]] = []
    unreachable: dict[str, str] = {}     # api -> why: its other datasets are not tried again
    for i, (name, ds) in enumerate(sorted(datasets.items()), start=1):
        q = ds.meta["query"]
        variables = planned_requests(ds, year, area_names)
        prefix = f"[{i}/{total}] {name}"
        later = later_periods(ds, year)
        if dry_run:
            _say_request(prefix, ds, year, variables, key, say)
            if later:
                say(f"    note: the {year} edition also needs {', '.join(later)}, after {year}: "
                    "usually published some weeks after the period ends, so a run early in "
                    f"{year + 1} may not find {'them' if len(later) > 1 else 'it'} yet")
            continue
        if q["api"] == "jobindsats" and not key:
            say(f"{prefix}: skipped, no key. {jobindsats.HOW_TO_GET_A_KEY}. Without a key, "
                f"`make data YEAR={year} DRY_RUN=1` prints the request to make elsewhere and the "
                f"file to save it as (data/{INCOMING}/{incoming_name(ds, year)})")
            continue
        if q["api"] in unreachable:
            failures.append((name, unreachable[q["api"]]))
            say(f"{prefix}: not fetched, its source could not be reached (above)")
            continue
        try:
            deviations += _fetch_one(directory, ds, year, variables, key, http, prefix, say)
        except FetchError as exc:
            failures.append((name, str(exc)))
            if str(exc).startswith("cannot reach") or " did not answer within " in str(exc):
                unreachable[q["api"]] = str(exc)
            say(f"{prefix}: not fetched: {exc}")
            continue
        fetched_names.append(name)
    if failures and len(failures) == 1 and total == 1:
        raise FetchError(failures[0][1])
    if failures:
        reasons: dict[str, list[str]] = {}
        for name, why in failures:              # one unreachable host is one reason
            reasons.setdefault(why.removesuffix("; the bundled data are unchanged"), []).append(name)
        raise FetchError(f"{len(failures)} of {total} datasets were not fetched ("
                         + "; ".join(f"{', '.join(names)}: {why}" for why, names in reasons.items()) + ")"
                         + (f"; written: {', '.join(fetched_names)}" if fetched_names else
                            "; the bundled data are unchanged"))
    return deviations


def _fetch_one(directory: Path, ds, year: int, variables: dict, key: str | None, http, prefix: str,
               say) -> list[dict]:
    """Fetch one dataset's answer for an edition, check it, and write the dataset: all or
    nothing (a failure leaves its files as they were)."""
    q, name = ds.meta["query"], ds.meta["id"]
    cells = 1
    for values in variables.values():
        cells *= max(len(values), 1) if isinstance(values, list) else 98
    say(f"{prefix}: {q['api']} {q['table']}, up to {cells} cells ...")
    if not q.get("confirmed"):
        say(f"    note: {q['table']}'s codes in data/{name}.yaml are not all confirmed against "
            "its documentation; compare the result with the report on 'Afvigelser fra "
            "hvidbogen' (make data YEAR=2024) before you publish")
    retrieved = now_iso()
    codes = periods_by_code(ds, year)
    if q["api"] == "statbank":
        info = statbank.tableinfo(http, q["table"])
        statbank.check_codes(info, variables)
        answer = statbank.fetch(http, q["table"], variables)
        rows = statbank.codes_from_labels(answer.rows, info, (q["area_variable"], "TID", "INDHOLD"))
        long = transforms.long_statbank(rows, q, f"api.statbank.dk's answer for {q['table']}",
                                        codes, suppressed=info.suppressed_marks(), say=say)
        request, text, api = answer.body, answer.text, "https://api.statbank.dk"
        endpoint, suffix = "/v1/data", ".csv"
    else:
        available = jobindsats.table_periods(http, q["table"], key)
        if available is None:
            say(f"    note: could not read {q['table']}'s periods from "
                f"{jobindsats.table_url(q['table'])}; the answer itself is checked instead")
        else:
            jobindsats.check_periods(q["table"], list(codes), available)
        answer = jobindsats.fetch(http, q["table"], variables, key)
        long = transforms.long_jobindsats(answer.rows, q, f"api.jobindsats.dk's answer for "
                                          f"{q['table']}", codes, say=say)
        request, text, api = variables, answer.text, "https://api.jobindsats.dk"
        endpoint, suffix = f"/v2/data/{q['table']}/json/", ".json"
    raw = f"{q['table'].lower()}-{name}-{year}"
    entry = {"method": "fetched", "api": api, "endpoint": endpoint, "request": request,
             "retrieved_at": retrieved, "client": "labour_market_book.fetch", "edition": year,
             "raw": {"file": f"data/raw/{raw}{suffix}", "sha256": snapshot_checksum(text)}}
    found = _store(directory, ds, long, year, f"{q['api']}_{year}", entry, "    ", say)
    write_snapshot(directory / "raw", raw, text, request, retrieved, api.removeprefix("https://"),
                   suffix=suffix)
    return found


def _say_request(prefix: str, ds, year: int, variables: dict, key: str | None, say) -> None:
    """The request a dataset makes for an edition, to make by hand elsewhere if need be."""
    q = ds.meta["query"]
    target = f"data/{INCOMING}/{incoming_name(ds, year)}"
    if q["api"] == "statbank":
        body = statbank.data_body(q["table"], variables)
        say(f"{prefix}: POST {statbank.base()}/data {json.dumps(body, ensure_ascii=False)}")
        say(f"    or open in a browser and save into {target}: {get_url(q['table'], variables)}")
        return
    say(f"{prefix}: POST {jobindsats.data_url(q['table'])} "
        f"{json.dumps(variables, ensure_ascii=False)}")
    say(f"    with the header 'Authorization: <your key>' ({'set' if key else 'not set here'}; "
        f"{jobindsats.KEY_VARIABLE}); save the JSON answer as it is into {target}; its periods: "
        f"GET {jobindsats.table_url(q['table'])}")


def incoming_files(directory: Path) -> list[Path]:
    """The answers saved by hand into ``data/incoming/`` (CSV from Statistikbanken, JSON
    from Jobindsats)."""
    folder = directory / INCOMING
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".json"))


RECORDING_FIELDS = {"fetched_by", "retrieved_at", "endpoint", "request", "recording"}


def _incoming_source(path: Path) -> dict:
    """What an optional sidecar beside a saved answer says about who fetched it, when and
    how (``Y30R21-2020.yaml`` beside ``Y30R21-2020.json``): ``fetched_by``, ``retrieved_at``,
    ``endpoint``, ``request`` and ``recording`` (where the answer was published: ``repository``, ``path``,
    ``commit``, ``published_on``, ``citation_key``, ``note``)."""
    sidecar = path.with_suffix(".yaml")
    if not sidecar.exists():
        return {}
    where = f"data/{INCOMING}/{sidecar.name}"
    try:
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FetchError(f"{where}{f', line {mark.line + 1}' if mark else ''}: not readable YAML "
                         f"({getattr(exc, 'problem', exc)}); the bundled data are unchanged") from None
    unknown = sorted(set(meta) - RECORDING_FIELDS) if isinstance(meta, dict) else ["(not a mapping)"]
    if unknown:
        raise FetchError(f"{where}: unknown field {', '.join(unknown)} (known: "
                         f"{', '.join(sorted(RECORDING_FIELDS))}); the bundled data are unchanged")
    if "retrieved_at" in meta:
        meta["retrieved_at"] = str(meta["retrieved_at"])
    return meta


def ingest_incoming(directory: Path, year: int, datasets: dict, *, say=print,
                    dry_run: bool = False, ingested: list[str] | None = None) -> list[dict]:
    """Take answers saved by hand into ``data/incoming/``: Statistikbanken CSV (codes or
    labels, as saved) and Jobindsats JSON (a ``data/<ID>/json/`` answer as it is).

    A file is matched to the datasets whose query reads its table by its name
    (``RAS201.csv``, ``RAS201-2025.csv``, ``Y30R21-2025.json``), parsed by the same parser as
    the API's answers, transformed and validated the same way, and then moved to
    ``data/raw/`` (ignored by git): a file that fails stays where it is and nothing in
    ``data/`` changes. A sidecar beside it (``Y30R21-2025.yaml``) may say who fetched it,
    when, with which request and where it was published (:func:`_incoming_source`); its
    provenance entry then credits them.
    """
    files = incoming_files(directory)
    if not files:
        return []
    deviations: list[dict] = []
    ingested = ingested if ingested is not None else []
    by_table: dict[tuple[str, str], list[str]] = {}
    for name, ds in datasets.items():
        q = ds.meta["query"]
        for suffix in ((".json", ".csv") if q["api"] == "jobindsats" else (".csv",)):
            by_table.setdefault((q["table"].upper(), suffix), []).append(name)
    for path in files:
        where = f"data/{INCOMING}/{path.name}"
        table = path.stem.split("-")[0].split("_")[0].upper()
        targets = by_table.get((table, path.suffix.lower()))
        if not targets:
            known = sorted(f"{t}{x}" for t, x in by_table)
            raise FetchError(f"{where}: no dataset's query reads table {table} from a "
                             f"{path.suffix.lower()} file (known: {', '.join(known) or 'none'}); "
                             "name the file after its table, e.g. RAS201.csv or Y30R21.json; "
                             "the bundled data are unchanged")
        if dry_run:
            say(f"{where}: would be read into {', '.join(targets)}")
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FetchError(f"{where}: not UTF-8 (byte {exc.start}); save it as UTF-8; the "
                             "bundled data are unchanged") from None
        source = _incoming_source(path)
        jobindsats_file = datasets[targets[0]].meta["query"]["api"] == "jobindsats"
        if not jobindsats_file:
            rows = statbank.parse_csv(text, where)
        elif path.suffix.lower() == ".json":
            rows = jobindsats.read_saved(text, where)
        else:
            rows = jobindsats.read_saved_csv(text, where)
        host = "api.jobindsats.dk" if jobindsats_file else "api.statbank.dk"
        for name in targets:
            ds = datasets[name]
            q = ds.meta["query"]
            codes = periods_by_code(ds, year)
            long = (transforms.long_jobindsats(rows, q, where, codes, say=say) if jobindsats_file
                    else transforms.long_statbank(rows, q, where, codes, say=say))
            endpoint = (f"/v2/data/{q['table']}/{path.suffix.lower().lstrip('.')}/" if jobindsats_file
                        else f"/v1/data ({q['table']})")
            raw = f"{path.stem.lower()}-incoming-{year}"
            entry = {"method": "fetched", "api": f"https://{host}",
                     "endpoint": source.get("endpoint", f"{endpoint}, saved by hand as data/{INCOMING}/{path.name}"),
                     "request": source.get("request", f"{q['table']} as saved in data/{INCOMING}/{path.name}"),
                     "retrieved_at": source.get("retrieved_at", now_iso()),
                     "client": "labour_market_book.fetch (incoming)", "edition": year,
                     "raw": {"file": f"data/raw/{raw}{path.suffix.lower()}",
                             "sha256": snapshot_checksum(text)}}
            if source.get("fetched_by"):
                entry["fetched_by"] = source["fetched_by"]
            if source.get("recording"):
                entry["recording"] = source["recording"]
            entry_id = f"{'recorded' if source.get('recording') else 'incoming'}_{year}"
            deviations += _store(directory, ds, long, year, entry_id, entry, f"{where}: ", say)
            ingested.append(name)
        write_snapshot(directory / "raw", raw, text,
                       {"file": f"data/{INCOMING}/{path.name}"}, now_iso(), host,
                       suffix=path.suffix.lower(), extra={"source": source} if source else None)
        path.unlink()
        if path.with_suffix(".yaml").exists():
            path.with_suffix(".yaml").unlink()
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
