"""``make data``: fetch every dataset whose sidecar declares a ``query``, for one edition.

A query in a sidecar (the codes are the source table's, checked against its ``tableinfo``
where that was possible; ``confirmed: false`` says where it was not)::

    query:
      api: statbank
      table: AUS08
      confirmed: false
      area_variable: OMRÅDE          # filled with the edition's area codes
      time_variable: Tid             # filled with the periods the period rules need
      rules: [current, next_february, next_march]
      variables: {SAESONFAK: ["9", "10"]}
      measures:                      # which source cells become which measure
        - {where: {SAESONFAK: "9"}, measure: share_seasonally_adjusted}

The answer is kept as a raw snapshot (``data/raw/``), turned into the dataset's tidy rows
by :func:`declared_rows`, validated, and written atomically with a ``fetched`` provenance
entry. Jobindsats queries are skipped, with a message, when no key is set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .. import areas as area_registry
from ..datasets import load_all
from ..paths import BUILD_DIR, data_dir as default_data_dir
from . import jobindsats, statbank
from .http import FetchError, session
from .store import now_iso, update_dataset, write_snapshot


def planned_requests(ds, year: int, area_names: list[str]) -> dict:
    """The variables one dataset's query asks for in the edition ``year``."""
    q = ds.meta["query"]
    periods = [statbank.time_code(ds.period(year, rule)) for rule in q.get("rules", ["current"])]
    variables = {q["area_variable"]: [area_registry.CODES[a] for a in area_names]}
    variables.update({k: list(v) for k, v in q.get("variables", {}).items()})
    variables[q["time_variable"]] = sorted(set(periods))
    return variables


def declared_rows(ds, answer: pd.DataFrame) -> pd.DataFrame:
    """The dataset's tidy rows from a source answer, as the query's ``measures`` declare."""
    q = ds.meta["query"]
    area_col = q["area_variable"].upper() if q["area_variable"].upper() in answer else q["area_variable"]
    time_col = "TID" if "TID" in answer else q["time_variable"]
    records = []
    for spec in q["measures"]:
        m = ds.meta["measures"][spec["measure"]]
        hit = answer
        for code, value in spec.get("where", {}).items():
            hit = hit[hit[code] == str(value)]
        for _, row in hit.iterrows():
            code = row[area_col]
            if code not in area_registry.AREAS:
                raise FetchError(f"{ds.meta['source']['table_id']}: area code {code} is not in "
                                 "labour_market_book/areas.py; the bundled data are unchanged")
            value = statbank.number(row["INDHOLD"])
            records.append({"area_code": code, "area": area_registry.AREAS[code],
                            "period": statbank.period_of(row[time_col]), "measure": spec["measure"],
                            "value": value, "unit": m["unit"], "decimals": int(spec.get("decimals", 0)),
                            "flag": "" if value is not None else "suppressed"})
    return pd.DataFrame.from_records(records)


def run(year: int, *, dataset: str | None = None, areas: list[str] | None = None,
        dry_run: bool = False, directory: Path | None = None, cache_dir: Path | None = None,
        say=print, backoff: float = 1.0) -> list[dict]:
    """Fetch for one edition; return the differences from the report's printed numbers."""
    directory = Path(directory) if directory else default_data_dir()
    datasets = {k: v for k, v in load_all(directory).items() if v.meta.get("query")}
    if dataset:
        if dataset not in datasets:
            raise FetchError(f"{dataset} declares no query (datasets with one: "
                             f"{', '.join(sorted(datasets)) or 'none'})")
        datasets = {dataset: datasets[dataset]}
    area_names = areas or [a for a in area_registry.AREAS.values()]
    http = None if dry_run else session(cache_dir or BUILD_DIR / "http-cache", backoff=backoff)
    key = jobindsats.api_key()
    deviations: list[dict] = []
    for i, (name, ds) in enumerate(sorted(datasets.items()), start=1):
        q = ds.meta["query"]
        variables = planned_requests(ds, year, area_names)
        if q["api"] == "jobindsats" and not key:
            say(f"[{i}/{len(datasets)}] {name}: skipped, no key. {jobindsats.HOW_TO_GET_A_KEY}")
            continue
        if dry_run:
            body = statbank.data_body(q["table"], variables)
            say(f"[{i}/{len(datasets)}] {name}: POST {statbank.BASE}/data {json.dumps(body, ensure_ascii=False)}")
            continue
        say(f"[{i}/{len(datasets)}] {name}: {q['table']}, {sum(len(v) for v in variables.values())} values ...")
        if q["api"] != "statbank":
            raise FetchError(f"{name}: fetching from {q['api']} is not implemented yet")
        statbank.check_codes(http, q["table"], variables)
        answer = statbank.fetch(http, q["table"], variables)
        retrieved = now_iso()
        write_snapshot(directory / "raw", f"{q['table'].lower()}-{year}", answer.text, answer.body,
                       retrieved, "api.statbank.dk")
        rows = declared_rows(ds, answer.rows)
        entry = {"method": "fetched", "api": "https://api.statbank.dk", "endpoint": "/v1/data",
                 "request": answer.body, "retrieved_at": retrieved,
                 "client": "labour_market_book.fetch"}
        found = update_dataset(directory, name, rows, f"statbank_{year}", entry)
        deviations += found
        say(f"    {len(rows)} rows written to data/{name}.csv"
            + (f"; {len(found)} differ from the report" if found else ""))
    if not dry_run:
        write_deviations(directory, year, deviations)
    return deviations


DEVIATION_COLUMNS = ["dataset", "area_code", "period", "measure", "printed", "fetched"]


def write_deviations(directory: Path, year: int, deviations: list[dict]) -> Path:
    """Keep the differences from the report for the appendix "Afvigelser fra rapporten"."""
    folder = directory / "raw"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"afvigelser-{year}.csv"
    frame = pd.DataFrame([{c: d.get(c, "") for c in DEVIATION_COLUMNS} for d in deviations],
                         columns=DEVIATION_COLUMNS)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
