"""Danmarks Statistik's Statistikbanken API (https://api.statbank.dk, open, no key).

The contract, from the API's own documentation page (see ``shared/SOURCES-API-NOTES.md``):
``POST /v1/data`` with a JSON body ``{"table", "format", "lang", "variables": [{"code",
"values"}]}``; CSV answers are ``;``-separated UTF-8 with a byte-order mark, a header of
the variable codes followed by ``TID;INDHOLD``, a decimal comma with ``lang=da``, and the
table's ``suppressedDataValue`` (commonly ``..``) in unpublished cells. Errors are JSON
with ``errorTypeCode`` and ``message``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pandas as pd

from ..periods import Period
from .http import FetchError, request

BASE = "https://api.statbank.dk/v1"
SUPPRESSED = ("..", ".", "-")


@dataclass
class Answer:
    """One table's rows as fetched: a column per variable code, ``TID``, ``INDHOLD`` (text)."""

    table: str
    body: dict
    rows: pd.DataFrame
    text: str


def time_code(period: Period) -> str:
    """The API's time code: ``2023M11``, ``2024K1``, ``2024``."""
    if period.month:
        return f"{period.year}M{period.month:02d}"
    if period.quarter:
        return f"{period.year}K{period.quarter}"
    return str(period.year)


def period_of(code: str) -> str:
    """Back from a time code to the book's period: ``2023M11`` -> ``2023-11``."""
    code = code.strip()
    if "M" in code:
        year, month = code.split("M")
        return f"{year}-{month}"
    if "K" in code or "Q" in code:
        year, quarter = code.replace("Q", "K").split("K")
        return f"{year}-Q{quarter}"
    return code


def data_body(table: str, variables: dict[str, list[str]]) -> dict:
    """The documented request body for ``/v1/data`` (codes in, codes out, Danish CSV)."""
    return {"table": table, "format": "CSV", "lang": "da", "valuePresentation": "Code",
            "variables": [{"code": code, "values": list(values)} for code, values in variables.items()]}


def parse_csv(text: str, table: str) -> pd.DataFrame:
    """Rows of a CSV answer, as text; refuse anything that is not one (e.g. a cut-off body)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        raise FetchError(f"api.statbank.dk answered an empty body for {table}; the bundled "
                         "data are unchanged") from None
    if header[-2:] != ["TID", "INDHOLD"]:
        raise FetchError(f"api.statbank.dk answered {table} with a header that does not end in "
                         f"TID;INDHOLD ({';'.join(header)[:80]}); the bundled data are unchanged")
    rows = [r for r in reader if r]
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise FetchError(f"api.statbank.dk's answer for {table} is cut off or malformed at "
                             f"line {line} ({len(row)} fields, expected {len(header)}); the "
                             "bundled data are unchanged")
    return pd.DataFrame(rows, columns=header)


def number(cell: str) -> float | None:
    """A CSV cell as a number (decimal comma), or None for an unpublished cell."""
    cell = cell.strip()
    if cell in SUPPRESSED or not cell:
        return None
    return float(cell.replace(".", "").replace(",", ".")) if "," in cell else float(cell)


def fetch(session, table: str, variables: dict[str, list[str]]) -> Answer:
    """POST one data request and parse the answer; API errors become one-line messages."""
    body = data_body(table, variables)
    response = request(session, "POST", f"{BASE}/data", json=body)
    if response.status_code != 200:
        raise FetchError(f"api.statbank.dk refused the request for {table} "
                         f"(HTTP {response.status_code}): {_error_message(response.text)}; the "
                         "bundled data are unchanged")
    text = response.content.decode("utf-8-sig", errors="strict")  # documented: UTF-8 with BOM
    return Answer(table, body, parse_csv(text, table), text)


def _error_message(text: str) -> str:
    try:
        error = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError:
        return " ".join(text.split())[:160] or "no message"
    if isinstance(error, dict):
        return f"{error.get('errorTypeCode', 'error')}: {error.get('message', '')}".strip()
    return str(error)[:160]


def check_codes(session, table: str, variables: dict[str, list[str]]) -> None:
    """Ask ``/v1/tableinfo`` whether the table has these variables and values; refuse the
    query with a clear message before any data request if it has not."""
    response = request(session, "POST", f"{BASE}/tableinfo", json={"table": table, "format": "JSON"})
    if response.status_code != 200:
        raise FetchError(f"api.statbank.dk has no table {table} (HTTP {response.status_code}: "
                         f"{_error_message(response.text)}); the bundled data are unchanged")
    info = response.json()
    known = {v["id"]: {x["id"] for x in v.get("values", [])} for v in info.get("variables", [])}
    for code, values in variables.items():
        if code not in known:
            raise FetchError(f"{table} has no variable {code} (it has {', '.join(known)}); fix the "
                             "sidecar's query; the bundled data are unchanged")
        missing = [v for v in values if v != "*" and v not in known[code]]
        if missing:
            raise FetchError(f"{table} has no {', '.join(missing)} for {code} yet (a period the table "
                             "does not have, or a wrong code); the bundled data are unchanged")
