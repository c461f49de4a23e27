"""Danmarks Statistik's Statistikbanken API (https://api.statbank.dk, open, no key).

The contract this client relies on, and where each part of it comes from:

- From the API's own documentation page (https://api.statbank.dk): the endpoints
  ``/v1/subjects``, ``/v1/tables``, ``/v1/tableinfo`` and ``/v1/data``; a POST with a JSON
  body is the documented form (``{"table", "format", "lang", "variables": [{"code",
  "values"}]}``, ``"*"`` for all values of a variable), a GET with the same as URL
  parameters also works (``valuePresentation`` = ``Value``, the default, ``Code`` or
  ``CodeAndValue``). ``tableinfo`` answers JSON with ``id``, ``text``, ``unit``,
  ``suppressedDataValue``, ``updated`` and ``variables: [{id, text, time, values: [{id,
  text}]}]``: a table's variable codes are read from there, never assumed. Time codes are
  ``2024`` (year), ``2024K1`` (quarter) and ``2023M11`` (month).
- CSV answers are ``;``-separated UTF-8 with a byte-order mark, a header of the variable
  codes followed by ``TID;INDHOLD``, a decimal comma with ``lang=da``, labels in the cells
  unless codes are asked for; the real FOLK1AM export in ``tests/real/`` also has CRLF line
  ends, and regions and Christiansø among the municipalities.
- Unpublished cells carry the table's own ``suppressedDataValue``, commonly ``..`` but
  ``0`` for some tables (the METROX1 ``tableinfo`` in ``tests/real/``), so it is read per
  table.
- Errors are JSON with ``errorTypeCode`` and ``message`` (e.g. ``REQUEST-LIMIT`` above a
  million cells, as reported in rOpenGov/dkstat's issue 39).
- Codes differ between tables (``KØN`` is ``1``/``2`` in FOLK1A but ``M``/``K`` in AUP01
  and RAS209): every query is checked against its own table's ``tableinfo`` first.
- Reuse is free, also commercially, with the attribution "Kilde: Danmarks Statistik" and
  the table id (dst.dk, kildeangivelse).

The base address is ``$LMB_STATBANK_URL`` or ``https://api.statbank.dk/v1``
(:func:`labour_market_book.paths.statbank_url`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pandas as pd

from ..paths import statbank_url
from ..periods import Period
from .http import FetchError, request

SUPPRESSED = ("..", ".", "-")
"""Marks of an unpublished cell when the table's own ``suppressedDataValue`` is not known
(a file saved by hand)."""


@dataclass
class Answer:
    """One table's rows as fetched: a column per variable code, ``TID``, ``INDHOLD`` (text)."""

    table: str
    body: dict
    rows: pd.DataFrame
    text: str


@dataclass
class TableInfo:
    """What ``/v1/tableinfo`` says about a table: its variables' codes and labels, which
    variable is time, and the value of an unpublished cell."""

    table: str
    variables: dict[str, dict[str, str]]          # variable id -> {code: label}
    time_variable: str | None = None
    suppressed: str | None = None                 # suppressedDataValue, as declared
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, table: str, info: dict) -> "TableInfo":
        variables = {v["id"]: {str(x["id"]): str(x.get("text", x["id"])) for x in v.get("values", [])}
                     for v in info.get("variables", [])}
        time = next((v["id"] for v in info.get("variables", []) if v.get("time")), None)
        suppressed = info.get("suppressedDataValue")
        return cls(table, variables, time, None if suppressed is None else str(suppressed), info)

    def suppressed_marks(self) -> tuple[str, ...]:
        """The cells that mean "unpublished": the declared value and the usual marks (which
        are never numbers anyway)."""
        return ((self.suppressed,) if self.suppressed not in (None, "") else ()) + SUPPRESSED


def base() -> str:
    return statbank_url()


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


def parse_csv(text: str, where: str) -> pd.DataFrame:
    """Rows of a CSV answer, as text; refuse anything that is not one (e.g. a cut-off body).

    Reads the answer as the API gives it: a byte-order mark and CRLF line ends are
    allowed. ``where`` names the answer in messages (``api.statbank.dk's answer for
    AUS08`` or ``data/incoming/AUS08.csv``)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        raise FetchError(f"{where} is empty; the bundled data are unchanged") from None
    if header[-2:] != ["TID", "INDHOLD"]:
        raise FetchError(f"{where} has a header that does not end in TID;INDHOLD "
                         f"({';'.join(header)[:80]}); the bundled data are unchanged")
    rows = [r for r in reader if r]
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise FetchError(f"{where} is cut off or malformed at line {line} ({len(row)} "
                             f"fields, expected {len(header)}); the bundled data are unchanged")
    return pd.DataFrame(rows, columns=header)


def number(cell: str, suppressed: tuple[str, ...] = SUPPRESSED) -> float | None:
    """A CSV cell as a number (decimal comma or point), or None for an unpublished cell:
    one of ``suppressed`` (the table's ``suppressedDataValue``) or empty."""
    cell = str(cell).strip()
    if not cell or cell in suppressed:
        return None
    try:
        return float(cell.replace(".", "").replace(",", ".")) if "," in cell else float(cell)
    except ValueError:
        raise FetchError(f"the cell '{cell[:40]}' is neither a number nor a mark of an unpublished "
                         f"cell ({', '.join(suppressed)}); the bundled data are unchanged") from None


def fetch(session, table: str, variables: dict[str, list[str]]) -> Answer:
    """POST one data request and parse the answer; API errors become one-line messages."""
    body = data_body(table, variables)
    response = request(session, "POST", f"{base()}/data", json=body)
    if response.status_code != 200:
        raise FetchError(f"api.statbank.dk refused the request for {table} "
                         f"(HTTP {response.status_code}): {_error_message(response.text)}; the "
                         "bundled data are unchanged")
    try:
        text = response.content.decode("utf-8-sig", errors="strict")  # documented: UTF-8 with BOM
    except UnicodeDecodeError as exc:
        raise FetchError(f"api.statbank.dk's answer for {table} is not UTF-8 (byte {exc.start}); "
                         "the bundled data are unchanged") from None
    return Answer(table, body, parse_csv(text, f"api.statbank.dk's answer for {table}"), text)


def _error_message(text: str) -> str:
    try:
        error = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError:
        return " ".join(text.split())[:160] or "no message"
    if isinstance(error, dict):
        return f"{error.get('errorTypeCode', 'error')}: {error.get('message', '')}".strip()
    return str(error)[:160]


def tableinfo(session, table: str) -> TableInfo:
    """Ask ``/v1/tableinfo`` what the table has (variables, codes, periods, the value of an
    unpublished cell)."""
    response = request(session, "POST", f"{base()}/tableinfo", json={"table": table, "format": "JSON"})
    if response.status_code != 200:
        raise FetchError(f"api.statbank.dk has no table {table} (HTTP {response.status_code}: "
                         f"{_error_message(response.text)}); the bundled data are unchanged")
    try:
        info = response.json()
    except ValueError:
        raise FetchError(f"api.statbank.dk answered tableinfo for {table} with something that is "
                         "not JSON; the bundled data are unchanged") from None
    return TableInfo.from_json(table, info)


def check_codes(info: TableInfo, variables: dict[str, list[str]]) -> None:
    """Refuse, before any data request, a variable or code the table does not have; a period
    it does not have yet is one line naming the latest it has."""
    table, known = info.table, info.variables
    for code, values in variables.items():
        if code not in known:
            raise FetchError(f"{table} has no variable {code} (it has {', '.join(known)}); fix the "
                             "sidecar's query; the bundled data are unchanged")
        missing = [v for v in values if v != "*" and v not in known[code]]
        if not missing:
            continue
        if code == info.time_variable and known[code]:
            periods = sorted(known[code])
            if all(m > periods[-1] for m in missing):
                raise FetchError(f"{table} has no {', '.join(missing)} yet; the latest is "
                                 f"{periods[-1]}; the bundled data are unchanged")
            raise FetchError(f"{table} has no {', '.join(missing)} for {code} (its periods run "
                             f"{periods[0]}-{periods[-1]}); the bundled data are unchanged")
        raise FetchError(f"{table} has no {', '.join(missing)} for {code} (a wrong code: it has "
                         f"{', '.join(list(known[code])[:12])}{', …' if len(known[code]) > 12 else ''}); "
                         "fix the sidecar's query; the bundled data are unchanged")


def codes_from_labels(rows: pd.DataFrame, info: TableInfo, skip: tuple[str, ...]) -> pd.DataFrame:
    """An answer asked with labels (``valuePresentation=Value``, the API's default) turned
    back into codes with the table's own labels; cells that are codes already stay."""
    out = rows.copy()
    for column in out.columns:
        if column in skip or column not in info.variables:
            continue
        labels = {label: code for code, label in info.variables[column].items()}
        codes = set(info.variables[column])
        out[column] = [c if c in codes else labels.get(c, c) for c in out[column]]
    return out
