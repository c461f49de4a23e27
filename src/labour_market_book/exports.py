"""Export of the exact numbers behind every table and figure.

Each exhibit id (``tabel-8-1``, ``figur-8-5`` ...) gets one CSV in the export folder
(:func:`labour_market_book.paths.export_dir`), which the build publishes as
``_build/html/data/<id>.csv``. The files are UTF-8 with a header row, plain numbers
(dot as decimal mark, no thousands separator) and suppressed values left empty with
their flag.
"""

from __future__ import annotations

import re

import pandas as pd

from .paths import export_dir

EXHIBIT_ID = re.compile(r"^(tabel|figur|kort)-8-[0-9]+$")

BASE_COLUMNS = ["area", "period", "measure", "value", "unit", "flag", "basis"]
"""Columns every export has; dimension columns (age group, sex, ...) come before them."""


def _plain(value: float, decimals: int) -> str:
    if pd.isna(value):
        return ""
    return f"{value:.{int(decimals)}f}"


def export_frame(frame: pd.DataFrame, dimensions: list[str] | None = None) -> pd.DataFrame:
    """The export layout of a selection: dimensions, then the base columns, as text."""
    out = frame.copy()
    if "basis" not in out:
        out["basis"] = "published"
    out["value"] = [_plain(v, d) for v, d in zip(out["value"], out["decimals"])]
    extra = [c for c in ("base_period",) if c in out and out[c].astype(bool).any()]
    columns = ["area"] + (dimensions or []) + ["period"] + extra + BASE_COLUMNS[2:]
    if out.empty:
        return pd.DataFrame(columns=columns)
    return out[columns]


def write_export(exhibit_id: str, frame: pd.DataFrame, dimensions: list[str] | None = None):
    """Write ``<export_dir>/<exhibit_id>.csv`` and return its path."""
    if not EXHIBIT_ID.match(exhibit_id):
        raise ValueError(f"'{exhibit_id}' is not an exhibit id like 'tabel-8-1' or 'figur-8-5'")
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{exhibit_id}.csv"
    export_frame(frame, dimensions).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def download_link_html(exhibit_id: str) -> str:
    """HTML link from a notebook page (``notebooks/<name>.html``) to the exhibit's CSV.

    The captions in the notebooks carry this same link; the build test checks that every
    exhibit's page links to a CSV that the build published.
    """
    return (f'<p class="exhibit-download"><a href="../data/{exhibit_id}.csv" download>'
            f"Hent tallene bag {exhibit_id.replace('-', ' ', 1).capitalize().replace('-', '.')}"
            f" (CSV)</a></p>")
