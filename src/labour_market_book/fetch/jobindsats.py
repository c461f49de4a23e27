"""Jobindsats' API v2 (https://api.jobindsats.dk/v2/, key required).

From STAR's "API Eksempler" (see ``shared/SOURCES-API-NOTES.md``): the key goes in the
``Authorization`` header as it is; ``POST data/<ID>/json/`` with a JSON body of
dimensions (``area``, ``period`` and the table's variables prefixed with ``_``); the
answer is a list whose first element holds ``Variables`` (column labels) and ``Data``
(rows). A wrong or expired key is answered ``{"Forkert nøgle eller nøglen er udløbet.": ""}``.

The key is read from the environment (``JOBINDSATS_API_KEY``) or a git-ignored ``.env``
file, and is never written anywhere: not in messages, snapshots, sidecars or the cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..paths import REPO_ROOT
from .http import FetchError, request

BASE = "https://api.jobindsats.dk/v2"
KEY_VARIABLE = "JOBINDSATS_API_KEY"
HOW_TO_GET_A_KEY = ("Jobindsats needs an API key: ask Jobindsats.dk (STAR) for one for your "
                    "organisation by mail to jobindsats@star.dk with the subject 'Ansøgning om "
                    "adgang til api.jobindsats.dk' (one key per organisation), then set "
                    f"{KEY_VARIABLE} in the environment or in a .env file at the repository "
                    "root (git ignores it)")
WRONG_KEY = "Forkert nøgle eller nøglen er udløbet."


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


def fetch(session, table: str, body: dict, key: str) -> pd.DataFrame:
    """POST one data request; the rows with the answer's column labels, as text."""
    response = request(session, "POST", f"{BASE}/data/{table}/json/", json=body,
                       headers={"Authorization": key})
    try:
        answer = response.json()
    except ValueError:
        raise FetchError(f"api.jobindsats.dk answered {table} with something that is not JSON "
                         f"(HTTP {response.status_code}); the bundled data are unchanged") from None
    if isinstance(answer, dict) and WRONG_KEY in answer:
        raise FetchError("api.jobindsats.dk refused the key (wrong or expired); the bundled "
                         f"data are unchanged. {HOW_TO_GET_A_KEY}")
    if response.status_code != 200 or not isinstance(answer, list) or not answer:
        raise FetchError(f"api.jobindsats.dk refused the request for {table} "
                         f"(HTTP {response.status_code}); the bundled data are unchanged")
    first = answer[0]
    labels = [v.get("Label", v.get("Name", "")) for v in first.get("Variables", [])]
    rows = first.get("Data", [])
    if any(len(r) != len(labels) for r in rows):
        raise FetchError(f"api.jobindsats.dk's answer for {table} has rows that do not match "
                         "its columns; the bundled data are unchanged")
    return pd.DataFrame(rows, columns=labels).astype(str)
