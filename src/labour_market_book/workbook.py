"""Excel workbooks (``.xlsx``) of the exhibits' numbers, for readers with Danish Excel.

The CSV exports (:mod:`.exports`) are right for programs: comma-separated, dot as
decimal mark. Danish Excel opens them badly (it expects ``;`` and a decimal comma), so
every exhibit's numbers are also written as a workbook beside its CSV, as Statistikbanken
offers both:

- sheet "Tal": Danish column headers, one row per number, the numbers as real numeric
  cells with a number format that follows the row's ``decimals`` (``#,##0.0``: Excel
  shows 14.494,0 in a Danish locale), suppressed values as empty cells whose
  "Markering" says so, a frozen header row and fitted column widths;
- sheet "Om tallene": what the numbers are and where they come from, from the sidecars
  of the datasets the rows name (title, publisher, source table, licence, the
  provenance entries the rows use) and what the codes in the columns mean.

The file is deterministic: the workbook's created/modified times and the zip entries'
dates are fixed, so a rebuild with the same numbers writes the same bytes.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from functools import lru_cache
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from .metadata import load_sidecar
from .paths import data_dir
from .sources import METHOD_DA

FIXED_TIME = datetime.datetime(1980, 1, 1)
"""Timestamp written into every workbook (the zip format's epoch): no build time leaks in."""

HEADERS_DA = {
    "area": "Område", "period": "Periode", "base_period": "Basisperiode", "measure": "Mål",
    "value": "Værdi", "unit": "Enhed", "flag": "Markering", "basis": "Grundlag",
    "dataset": "Datasæt", "provenance": "Oprindelse", "measure_code": "Målkode",
    # dimension columns of the datasets
    "age_group": "Aldersgruppe", "sex": "Køn", "origin": "Herkomst", "education": "Uddannelse",
    "school_district": "Skoledistrikt", "effort": "Indsats", "target_group": "Målgruppe",
    "benefit": "Ydelse", "group": "Gruppe", "category": "Kategori", "channel": "Kanal",
    "comparison": "Sammenligning", "survey_round": "Undersøgelsesrunde",
    "base_round": "Basisrunde", "statement": "Udsagn", "question": "Spørgsmål",
    "theme": "Tema", "statistic": "Nøgletal", "respondents": "Besvarelser", "rank": "Placering",
    "range_bound": "Intervalgrænse", "job_title": "Jobmål", "contact": "Kontakt",
    "timing": "Tidspunkt", "adjustment": "Korrektion", "order": "Rækkefølge",
    "footnote": "Fodnote", "exhibit": "Tabel/figur", "where_printed": "Trykt hvor",
    "kilde": "Kilde",
    # the text numbers (<page>-tekst)
    "key": "Nøgle", "text": "Tekst i bogen", "row_key": "Rækkens nøgle",
    # exhibits that are not number rows (organisation chart, places)
    "centre": "Center", "abbreviation": "Forkortelse", "department": "Afdeling",
    "target_groups": "Målgrupper", "inferred": "Udledt af hvidbogens tekst",
    "as_of": "Opgjort", "source": "Kilde",
}

UNITS_DA = {"pct": "pct.", "pct_points": "procentpoint", "persons": "personer",
            "fte": "fuldtidspersoner", "jobs": "stillingsopslag", "index": "indeks",
            "rank": "placering", "dkk": "kr.", "dkk_bn": "mia. kr.", "dkk_mn": "mio. kr.",
            "score": "score (skala 1-5)", "ratio": "forholdstal", "count": "antal"}
FLAGS_DA = {"": "", "suppressed": "diskretioneret (udeladt)", "approximate": "omtrentlig",
            "lower_bound": "nedre grænse (over)"}
BASIS_DA = {"published": "offentliggjort", "derived": "afledt (beregnet i bogen)"}
DATA_SHEET = "Tal"
ABOUT_SHEET = "Om tallene"


def number_format(decimals: int) -> str:
    """Excel format code with thousands separators: ``#,##0`` or ``#,##0.0`` (and so on).

    Excel stores the format locale-neutrally; in a Danish locale it shows ``14.494`` and
    ``22,8``."""
    decimals = int(decimals)
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


@lru_cache(maxsize=None)
def _sidecar(dataset_id: str, folder: str) -> dict | None:
    path = Path(folder) / f"{dataset_id}.yaml"
    if not dataset_id or not path.exists():
        return None
    return load_sidecar(path)


def sidecar(dataset_id: str) -> dict | None:
    """The sidecar of a dataset in the data folder, or None (e.g. a structure file)."""
    return _sidecar(str(dataset_id), str(data_dir()))


def _unique(columns) -> list[str]:
    return list(dict.fromkeys(columns))


def _sheet_rows(frame: pd.DataFrame, columns: list[str]) -> tuple[list[str], list[list], list]:
    """Headers, cell values and per-row number formats of the data sheet."""
    has_measures = "measure" in columns
    shown = list(columns) + (["measure_code"] if has_measures else [])
    headers = [HEADERS_DA.get(c, c.replace("_", " ").capitalize()) for c in shown]
    rows, formats = [], []
    for _, r in frame.iterrows():
        meta = sidecar(r["dataset"]) if "dataset" in frame else None
        cells = []
        for c in columns:
            v = r.get(c)
            if c == "value":
                v = None if v is None or (isinstance(v, str) and v == "") or pd.isna(v) else float(v)
                if v is not None and v == int(v) and int(r.get("decimals", 0) or 0) == 0:
                    v = int(v)
            elif c == "measure" and meta and v in meta.get("measures", {}):
                v = meta["measures"][v]["label_da"]
            elif c == "unit":
                v = UNITS_DA.get(v, v)
            elif c == "flag":
                v = FLAGS_DA.get("" if pd.isna(v) else v, v)
            elif c == "basis":
                v = BASIS_DA.get(v, v)
            elif isinstance(v, bool):
                v = "ja" if v else "nej"
            elif isinstance(v, float) and pd.isna(v):
                v = None
            elif v is not None and not isinstance(v, (int, float, str)):
                v = str(v)
            cells.append(None if v == "" else v)
        if has_measures:
            cells.append(r["measure"])
        rows.append(cells)
        decimals = r.get("decimals", 0)
        formats.append(number_format(0 if decimals is None or pd.isna(decimals) or decimals == ""
                                     else int(decimals)))
    return headers, rows, formats


def _about_rows(title: str, csv_name: str, frame: pd.DataFrame, columns: list[str]) -> list[list]:
    if "value" not in columns:  # an exhibit of facts, not numbers (organisation, places)
        return [[title], [],
                ["Filen", f"Samme oplysninger som {csv_name}."],
                ["Kilde", "Kolonnen Kilde nævner strukturfilen i bogens data (data/structures/), "
                          "der angiver kilden og oprindelsen for hver oplysning."]]
    rows: list[list] = [[title], [],
                        ["Filen", f"Samme tal som {csv_name} (til programmer: kommasepareret, "
                                  "punktum som decimaltegn). Her er tallene rigtige tal med "
                                  "dansk visning."],
                        ["Værdi", "Tallet med det antal decimaler, kilden trykker (kolonnen "
                                  "decimals i datasættet)."],
                        ["Markering", "Tom: tallet som trykt. Diskretioneret: kilden viser ikke "
                                      "tallet (tom celle, aldrig 0). Omtrentlig: kilden angiver "
                                      "tallet med ~. Nedre grænse: kilden skriver \"over\" tallet."],
                        ["Grundlag", "Offentliggjort: tallet som kilden trykker det. Afledt: "
                                     "beregnet i bogen af offentliggjorte tal."],
                        ["Oprindelse", "Hvilken oprindelse i datasættets metadata rækken kommer "
                                       "fra (se nedenfor)."]]
    if frame.empty:
        rows += [[], ["Ingen tal", "Bogen har ingen tal for denne tabel eller figur i denne udgave; "
                                   "siden siger, hvad der mangler, og hvor tallene kan hentes."]]
    datasets = _unique(frame["dataset"]) if "dataset" in frame and len(frame) else []
    for dataset_id in datasets:
        meta = sidecar(dataset_id)
        rows += [[], ["Datasæt", dataset_id]]
        if meta is None:
            continue
        src = meta["source"]
        rows += [["Titel", meta["title"]], ["Udgiver", meta["publisher"]],
                 ["Kildetabel", src["table_id"] + (f", {src['table_title']}"
                                                   if src.get("table_title") else "")]]
        if src.get("url"):
            rows.append(["Adresse", src["url"]])
        licence = meta["licence"]
        rows.append(["Licens", licence["name"] + (f" ({licence['url']})" if licence.get("url") else "")])
        if licence.get("note"):
            rows.append(["Om licensen", " ".join(str(licence["note"]).split())])
        rows.append(["Fil", f"data/{dataset_id}.csv med metadata i data/{dataset_id}.yaml"])
        used = _unique(frame.loc[frame["dataset"] == dataset_id, "provenance"]) \
            if "provenance" in frame else []
        for entry_id in used:
            entry = meta["provenance"].get(entry_id)
            if not entry:
                continue
            method = entry["method"]
            if method == "transcribed":
                detail = (f"{entry.get('section', '')}; afskrevet {entry.get('transcribed_on', '')}"
                          .strip("; "))
            elif method == "fetched":
                detail = (f"{entry.get('api', '')} {entry.get('endpoint', '')}, hentet "
                          + (f"af {entry['fetched_by']} " if entry.get("fetched_by") else "")
                          + f"{entry.get('retrieved_at', '')}"
                          + (f", offentliggjort {entry['recording']['published_on']} i "
                             f"{entry['recording']['repository']}" if entry.get("recording") else ""))
            else:
                detail = (f"tilføjet {entry.get('added_on', '')} af {entry.get('added_by', '')} "
                          f"efter {entry.get('source', '')}")
            rows.append([f"Oprindelse '{entry_id}'", f"{METHOD_DA.get(method, method)}: {detail}"])
    return rows


def _deterministic(data: bytes, properties) -> bytes:
    """Rewrite an xlsx (zip) with fixed entry dates and fixed document times."""
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    core = tostring(properties.to_tree())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = core if info.filename == "docProps/core.xml" else zin.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, content)
    return out.getvalue()


def write_workbook(path: Path, frame: pd.DataFrame, columns: list[str], *, title: str) -> Path:
    """Write ``frame`` (tidy rows with ``value`` and ``decimals``; or plain text rows) as an
    xlsx with the sheets "Tal" and "Om tallene"; return the path."""
    columns = _unique(columns)
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    headers, rows, formats = _sheet_rows(frame, columns)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    value_col = columns.index("value") + 1 if "value" in columns else None
    for cells, fmt in zip(rows, formats):
        ws.append(cells)
        if value_col:
            ws.cell(row=ws.max_row, column=value_col).number_format = fmt
    if value_col:
        ws.cell(row=1, column=value_col).alignment = Alignment(horizontal="right")
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for i, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[i - 1])) for r in rows if r[i - 1] is not None])
        ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), 60)

    about = wb.create_sheet(ABOUT_SHEET)
    for row in _about_rows(title, path.with_suffix(".csv").name, frame, columns):
        about.append(row)
    about["A1"].font = Font(bold=True, size=12)
    for row in about.iter_rows(min_row=2):
        if row and row[0].value:
            row[0].font = Font(bold=True)
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 100

    wb.properties.title = title
    wb.properties.creator = "labour-market-book"
    wb.properties.language = "da-DK"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_deterministic(buffer.getvalue(), wb.properties))
    return path


def workbook_title(exhibit_id: str) -> str:
    """``"tabel-8-1"`` -> ``"Tabel 8.1"``; a page table or text numbers keep their name."""
    kind, _, number = exhibit_id.partition("-")
    if kind in {"tabel", "figur", "kort"} and number.replace("-", "").isdigit():
        return f"{kind.capitalize()} {number.replace('-', '.')}: tallene"
    if exhibit_id.endswith("-tekst"):
        return f"Tallene i teksten på siden {exhibit_id[:-len('-tekst')]}"
    return f"Tallene i tabellen {exhibit_id}"
