"""Jobindsats' API v2 (https://api.jobindsats.dk/v2/, key required).

From STAR's "API Eksempler" (Jobindsats' API examples, revised 2022-03-04: the endpoints
``subjects/``, ``tables/``, ``tables/<ID>/``, ``data/<ID>/json/`` and ``data/<ID>/csv/``,
queries by GET parameters or a POST JSON body, period codes such as ``2024M03``,
``2024QMAT04`` (a moving annual total to the 4th quarter) and ``2024``; CSV answers are
``;``-separated with a decimal comma) and the real answer in ``tests/real/`` (recorded by
Randers Kommune's own ETL, which calls the API the same way): the key goes in the
``Authorization`` header as it is; ``POST data/<ID>/json/`` with a JSON body of dimensions
(``area``, ``period`` and the table's variables prefixed with ``_``); the answer is a list
whose first element holds ``Variables`` (column labels) and ``Data`` (rows: names and shares
as strings with a decimal comma, ``"9,08"``; counts and ranks as JSON integers).
``GET tables/<ID>/json/`` describes the table, with the periods it has under
``[0]["Period"]`` (Randers Kommune's ETL reads the latest period from there). A wrong or
expired key is answered ``{"Forkert nøgle eller nøglen er udløbet.": ""}``.

The base address is ``$LMB_JOBINDSATS_URL`` or ``https://api.jobindsats.dk/v2``. The key is
read from the environment (``JOBINDSATS_API_KEY``) or a git-ignored ``.env`` file, and is
never written anywhere: not in messages, snapshots, sidecars or the cache.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..paths import REPO_ROOT, jobindsats_url
from .http import FetchError, request

KEY_VARIABLE = "JOBINDSATS_API_KEY"
HOW_TO_GET_A_KEY = ("Jobindsats needs an API key: ask Jobindsats.dk (STAR) for one for your "
                    "organisation by mail to jobindsats@star.dk with the subject 'Ansøgning om "
                    "adgang til api.jobindsats.dk' (one key per organisation), then set "
                    f"{KEY_VARIABLE} in the environment or in a .env file at the repository "
                    "root (git ignores it)")
WRONG_KEY = "Forkert nøgle eller nøglen er udløbet."


def base() -> str:
    return jobindsats_url()


def data_url(table: str) -> str:
    return f"{base()}/data/{table}/json/"


def table_url(table: str) -> str:
    return f"{base()}/tables/{table}/json/"


def api_key(root: Path = REPO_ROOT) -> str | None:
    """The key from the environment, else from ``<root>/.env``; None when there is none."""
    key = os.environ.get(KEY_VARIABLE)
    if key:
        return key.strip()
    env = root / ".env"
    if env.exists():
        for line in env.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            if name.strip() == KEY_VARIABLE and value.strip():
                return value.strip().strip('"').strip("'")
    return None


def _json(response, what: str):
    if WRONG_KEY in response.content.decode("utf-8", errors="replace"):
        raise FetchError("api.jobindsats.dk refused the key (wrong or expired); the bundled "
                         f"data are unchanged. {HOW_TO_GET_A_KEY}")
    try:
        answer = response.json()
    except ValueError:
        raise FetchError(f"api.jobindsats.dk answered {what} with something that is not JSON "
                         f"(HTTP {response.status_code}); the bundled data are unchanged") from None
    return answer


_PERIOD = re.compile(r"^\d{4}(M\d{2}|Q[1-4]|QMAT\d{2})?$")


def table_periods(session, table: str, key: str) -> list[str] | None:
    """The periods the table has (``GET tables/<ID>/json/`` → ``[0]["Period"]``), or None
    when the description cannot be read (then the data answer itself is checked)."""
    response = request(session, "GET", table_url(table), headers={"Authorization": key})
    try:
        answer = _json(response, f"the description of {table}")
    except FetchError as exc:
        if "refused the key" in str(exc):
            raise
        return None
    if response.status_code != 200 or not isinstance(answer, list) or not answer:
        return None
    periods = answer[0].get("Period") if isinstance(answer[0], dict) else None
    if not isinstance(periods, list):
        return None
    return [str(p) for p in periods]


def check_periods(table: str, wanted: list[str], available: list[str]) -> None:
    """One line, before any data request, for a period the table does not have (yet)."""
    missing = [p for p in wanted if p not in available]
    if not missing:
        return
    same_kind = sorted(p for p in available if _kind(p) == _kind(missing[0])) or sorted(available)
    latest = same_kind[-1] if same_kind else "none"
    if all(m > latest for m in missing):
        raise FetchError(f"{table} has no {', '.join(missing)} yet; the latest is {latest}; the "
                         "bundled data are unchanged")
    raise FetchError(f"{table} has no {', '.join(missing)} (its periods of that kind run "
                     f"{same_kind[0] if same_kind else '?'}-{latest}); the bundled data are unchanged")


def _kind(period: str) -> str:
    return re.sub(r"\d", "", period)


@dataclass
class Answer:
    """One data answer: its rows (cells as text, columns as labelled) and its text as sent."""

    table: str
    rows: pd.DataFrame
    text: str


def fetch(session, table: str, body: dict, key: str) -> Answer:
    """POST one data request; the rows with the answer's column labels, as text."""
    response = request(session, "POST", data_url(table), json=body, headers={"Authorization": key})
    answer = _json(response, table)
    if response.status_code != 200 or not isinstance(answer, list) or not answer:
        raise FetchError(f"api.jobindsats.dk refused the request for {table} "
                         f"(HTTP {response.status_code}); the bundled data are unchanged")
    return Answer(table, rows_of(answer, f"api.jobindsats.dk's answer for {table}"), response.text)


def rows_of(answer, where: str) -> pd.DataFrame:
    """The rows of a ``data/<ID>/json/`` answer (or a file saved from one) with their column
    labels, every cell as text (``9,08`` stays ``9,08``; the integer ``43070`` becomes
    ``43070``)."""
    if not isinstance(answer, list) or not answer or not isinstance(answer[0], dict) \
            or "Data" not in answer[0]:
        raise FetchError(f"{where} is not a Jobindsats data answer (a list whose first element "
                         "holds 'Variables' and 'Data'); the bundled data are unchanged")
    first = answer[0]
    labels = [v.get("Label", v.get("Name", "")) for v in first.get("Variables", [])]
    rows = first.get("Data", [])
    for line, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(labels):
            raise FetchError(f"{where}: data row {line} has {len(row) if isinstance(row, list) else 0} "
                             f"cells but the answer has {len(labels)} columns; the bundled data "
                             "are unchanged")
    return pd.DataFrame([["" if c is None else str(c) for c in row] for row in rows], columns=labels)


def read_saved(text: str, where: str) -> pd.DataFrame:
    """A ``data/<ID>/json/`` answer saved by hand into ``data/incoming/``."""
    if WRONG_KEY in text:
        raise FetchError(f"{where} holds Jobindsats' answer to a wrong or expired key, not data; "
                         "the bundled data are unchanged")
    try:
        answer = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FetchError(f"{where}, line {exc.lineno}: not JSON ({exc.msg}); save the API's answer "
                         "as it is; the bundled data are unchanged") from None
    return rows_of(answer, where)


def read_saved_csv(text: str, where: str) -> pd.DataFrame:
    """A ``data/<ID>/csv/`` answer saved by hand: ``;``-separated, a header of the same column
    labels as the JSON answer, a decimal comma (what Randers Kommune's Node-RED flow read
    from Y30R21's CSV endpoint; ``tests/real/README.md``)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";")
    try:
        header = next(reader)
    except StopIteration:
        raise FetchError(f"{where} is empty; the bundled data are unchanged") from None
    rows = [r for r in reader if r]
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise FetchError(f"{where}, line {line}: {len(row)} fields, expected {len(header)} "
                             "(a ;-separated answer of Jobindsats' csv endpoint); the bundled data "
                             "are unchanged")
    return pd.DataFrame(rows, columns=header)
