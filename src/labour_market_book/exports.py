"""Export of the exact numbers behind every table and figure.

Each exhibit id (``tabel-8-1``, ``figur-8-5`` ...) gets one CSV in the export folder
(:func:`labour_market_book.paths.export_dir`), which the build publishes as
``_build/html/data/<id>.csv``; the numbers in a page's prose go to
``<page>-tekst.csv``. The files are UTF-8 with a header row, plain numbers (dot as
decimal mark, no thousands separator) and suppressed values left empty with their
flag. Every row names its dataset and its provenance entry (see :mod:`.sources`).
Beside each CSV, the same numbers are written as an Excel workbook (``<id>.xlsx``,
:mod:`.workbook`) with Danish headers and number formats, for readers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .paths import export_dir, exports_only
from .workbook import workbook_title, write_workbook

EXHIBIT_ID = re.compile(r"^(tabel|figur|kort)-8-([0-9]+)$")

PAGE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

BASE_COLUMNS = ["area", "period", "measure", "value", "unit", "flag", "basis", "dataset",
                "provenance"]
"""Columns every export has; dimension columns (age group, sex, ...) come before them."""


def _plain(value: float, decimals: int) -> str:
    if pd.isna(value):
        return ""
    return f"{value:.{int(decimals)}f}"


def _columns(frame: pd.DataFrame, dimensions: list[str] | None) -> list[str]:
    extra = [c for c in ("base_period",) if c in frame and frame[c].astype(bool).any()
             and c not in (dimensions or [])]           # a dimension already has its column
    return ["area"] + (dimensions or []) + ["period"] + extra + BASE_COLUMNS[2:]


def export_frame(frame: pd.DataFrame, dimensions: list[str] | None = None) -> pd.DataFrame:
    """The export layout of a selection: dimensions, then the base columns, as text."""
    out = frame.copy()
    if "basis" not in out:
        out["basis"] = "published"
    out["value"] = [_plain(v, d) for v, d in zip(out["value"], out["decimals"])]
    columns = _columns(out, dimensions)
    if out.empty:
        return pd.DataFrame(columns=columns)
    return out[columns]


PAGE_TABLE = re.compile(r"^[a-z][a-z0-9_]*-[a-z][a-z0-9_]*$")
"""A table of a page that the report does not number: ``<page>-<name>``."""


def write_export(exhibit_id: str, frame: pd.DataFrame, dimensions: list[str] | None = None):
    """Write ``<export_dir>/<exhibit_id>.csv`` and ``.xlsx``; return the CSV's path."""
    if not EXHIBIT_ID.match(exhibit_id) and not PAGE_TABLE.match(exhibit_id):
        raise ValueError(f"'{exhibit_id}' is not an exhibit id like 'tabel-8-1' or 'figur-8-5', "
                         "nor a page table like 'indkomstoverfoersler-foertidspension'")
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{exhibit_id}.csv"
    export_frame(frame, dimensions).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    if exports_only():          # the light run compares CSVs: no workbook
        return path
    rows = frame.copy()
    if "basis" not in rows:
        rows["basis"] = "published"
    write_workbook(path.with_suffix(".xlsx"), rows, _columns(rows, dimensions),
                   title=workbook_title(exhibit_id))
    return path


TEXT_COLUMNS = ["key", "text", "area", "period", "base_period", "measure", "value", "unit",
                "flag", "basis", "dataset", "provenance", "row_key"]


def write_text_numbers(page: str, records: list[dict]):
    """Write the numbers glued into a page's prose as ``<export_dir>/<page>-tekst.csv``
    (and ``.xlsx``)."""
    if not PAGE_NAME.match(page):
        raise ValueError(f"'{page}' is not a page name like 'borgere_uden_for_arbejdsstyrken'")
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{page}-tekst.csv"
    frame = pd.DataFrame(records, columns=TEXT_COLUMNS)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    if exports_only():
        return path
    # The values are text with the printed decimals ("22.8"); the workbook gets numbers.
    frame["decimals"] = [len(v.split(".")[1]) if "." in v else 0 for v in frame["value"].astype(str)]
    columns = [c for c in TEXT_COLUMNS if c != "base_period" or frame[c].astype(bool).any()]
    write_workbook(path.with_suffix(".xlsx"), frame, columns, title=workbook_title(f"{page}-tekst"))
    return path


def write_plain_export(exhibit_id: str, frame: pd.DataFrame):
    """Write an exhibit that is not number rows (an organisation chart, places) as it is."""
    if not EXHIBIT_ID.match(exhibit_id):
        raise ValueError(f"'{exhibit_id}' is not an exhibit id like 'figur-8-26' or 'kort-8-1'")
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{exhibit_id}.csv"
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    if exports_only():
        return path
    write_workbook(path.with_suffix(".xlsx"), frame, list(frame.columns),
                   title=workbook_title(exhibit_id).replace("tallene", "oplysningerne"))
    return path


STATUS_SUFFIX = "-status.json"


def write_statuses(page: str, statuses: dict[str, str]) -> Path:
    """Write what each exhibit of a page shows in this edition (``full``, ``partial`` or
    ``notice``) as ``<export_dir>/<page>-status.json``: the front page's count of the
    edition's coverage and ``make plan`` read it; it is not published."""
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{page}{STATUS_SUFFIX}"
    path.write_text(json.dumps(dict(sorted(statuses.items())), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path


GAPS_SUFFIX = "-gaps.json"


def write_gaps(page: str, gaps: dict[str, dict]) -> Path:
    """Write what each exhibit of a page that is not shown in full lacks in this edition
    (its status, what it shows, what the full exhibit needs, where the numbers are) as
    ``<export_dir>/<page>-gaps.json``: the appendix "Manglende tal" and ``make plan`` read
    it; it is not published."""
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{page}{GAPS_SUFFIX}"
    path.write_text(json.dumps(gaps, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_gaps(folders) -> dict[str, dict[str, dict]]:
    """Page -> {exhibit -> what it lacks} over the ``*-gaps.json`` files in the folders."""
    out: dict[str, dict[str, dict]] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob(f"*{GAPS_SUFFIX}")):
            out[path.name.removesuffix(GAPS_SUFFIX)] = json.loads(path.read_text(encoding="utf-8"))
    return out


LAYOUT_SUFFIX = "-layout.json"


def write_layout(page: str, layout: dict) -> Path:
    """Write what the build needs to lay a page out for the reader (:mod:`.layout`): the
    exhibits not placed and where the page's sentence about them stands, as
    ``<export_dir>/<page>-layout.json``; it is not published."""
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{page}{LAYOUT_SUFFIX}"
    path.write_text(json.dumps(layout, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_layout(folder: Path, page: str) -> dict:
    """A page's layout (:func:`write_layout`); nothing omitted when the page wrote none."""
    path = Path(folder) / f"{page}{LAYOUT_SUFFIX}"
    if not path.exists():
        return {"omitted": [], "sentence_at": None, "sentence_key": None}
    return json.loads(path.read_text(encoding="utf-8"))


def read_statuses(folders) -> dict[str, str]:
    """Exhibit -> status over the ``*-status.json`` files in the given export folders."""
    out: dict[str, str] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob(f"*{STATUS_SUFFIX}")):
            out.update(json.loads(path.read_text(encoding="utf-8")))
    return out
