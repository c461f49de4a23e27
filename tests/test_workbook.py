"""Excel workbooks beside the exhibit CSVs: Danish headers, real numbers, Danish formats."""

import zipfile

import openpyxl
import pandas as pd
import pytest

from labour_market_book.datasets import load_dataset
from labour_market_book.exports import write_export, write_plain_export, write_text_numbers
from labour_market_book.workbook import ABOUT_SHEET, DATA_SHEET, number_format


@pytest.fixture
def ras():
    return load_dataset("outside_labour_force")


def _sheet(path, name=DATA_SHEET):
    return openpyxl.load_workbook(path)[name]


def test_workbook_has_danish_headers_numeric_cells_and_formats(tmp_path, monkeypatch, ras):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    shares = ras.select("share_of_population", 2024, areas=["Randers", "Hele landet"],
                        age_group="16-66", sex="i alt", origin="i alt")
    counts = ras.select("persons", 2024, areas=["Randers"], age_group="16-66", sex="i alt",
                        origin="i alt")
    write_export("tabel-8-1", pd.concat([shares, counts], ignore_index=True))
    ws = _sheet(tmp_path / "tabel-8-1.xlsx")
    headers = [c.value for c in ws[1]]
    assert headers[:9] == ["Område", "Periode", "Mål", "Værdi", "Enhed", "Markering", "Grundlag",
                           "Datasæt", "Oprindelse"]
    assert ws.freeze_panes == "A2"
    col = headers.index("Værdi") + 1
    values = {ws.cell(row=r, column=1).value + "/" + ws.cell(row=r, column=headers.index("Målkode") + 1).value:
              ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)}
    randers_share = values["Randers/share_of_population"]
    assert randers_share.value == pytest.approx(22.8) and randers_share.data_type == "n"
    assert randers_share.number_format == "#,##0.0"          # Danish Excel: 22,8
    count = values["Randers/persons"]
    assert count.value == 14494 and isinstance(count.value, int)
    assert count.number_format == "#,##0"                    # Danish Excel: 14.494
    row = [c.value for c in ws[2]]
    assert row[headers.index("Enhed")] in {"pct.", "personer"}
    assert ws.cell(row=2, column=3).value.startswith("Andel af de 16-66-årige")  # the measure's Danish label
    assert all(ws.column_dimensions[letter].width >= 8 for letter in "ABCDEFGHIJ")


def test_suppressed_value_is_an_empty_cell_with_its_flag(tmp_path, monkeypatch):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = pd.DataFrame({"area": ["Randers", "Randers"], "period": ["2023-11", "2023-11"],
                          "measure": ["persons", "persons"], "value": [float("nan"), 12.0],
                          "unit": ["persons", "persons"], "decimals": [0, 0],
                          "flag": ["suppressed", ""], "dataset": ["outside_labour_force"] * 2,
                          "provenance": ["report", "report"]})  # made-up rows
    write_export("tabel-8-1", frame)
    ws = _sheet(tmp_path / "tabel-8-1.xlsx")
    headers = [c.value for c in ws[1]]
    suppressed = [c.value for c in ws[2]]
    assert suppressed[headers.index("Værdi")] is None
    assert suppressed[headers.index("Markering")].startswith("diskretioneret")
    assert [c.value for c in ws[3]][headers.index("Værdi")] == 12


def test_about_sheet_names_the_sources_and_licence(tmp_path, monkeypatch, ras):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    write_export("tabel-8-1", ras.select("share_of_population", 2024, areas=["Randers"],
                                         age_group="16-66", sex="i alt", origin="i alt"))
    about = {r[0]: r[1] for r in _sheet(tmp_path / "tabel-8-1.xlsx", ABOUT_SHEET)
             .iter_rows(values_only=True) if r[0]}
    assert about["Titel"] == ras.meta["title"]
    assert about["Udgiver"] == "Danmarks Statistik"
    assert about["Kildetabel"].startswith("RAS201")
    assert about["Licens"].startswith(ras.meta["licence"]["name"])
    assert about["Oprindelse 'report'"].startswith("afskrevet fra hvidbogen")


def test_workbook_bytes_do_not_depend_on_when_they_were_written(tmp_path, monkeypatch, ras):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    frame = ras.select("persons", 2024, areas=["Randers"], age_group="16-66", sex="i alt",
                       origin="i alt")
    first = write_export("tabel-8-1", frame).with_suffix(".xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "tabel-8-1.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core
    monkeypatch.setattr("time.time", lambda: 2_000_000_000.0)  # another "now" for the zip
    assert write_export("tabel-8-1", frame).with_suffix(".xlsx").read_bytes() == first


def test_text_numbers_and_plain_exhibits_get_workbooks(tmp_path, monkeypatch):
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    write_text_numbers("ledigheden", [{  # a made-up record
        "key": "x", "text": "3,4 pct.", "area": "Randers", "period": "2025-03", "base_period": "",
        "measure": "share_actual", "value": "3.4", "unit": "pct", "flag": "", "basis": "published",
        "dataset": "unemployment_aus08", "provenance": "report", "row_key": "k"}])
    ws = _sheet(tmp_path / "ledigheden-tekst.xlsx")
    headers = [c.value for c in ws[1]]
    assert "Basisperiode" not in headers and headers[:2] == ["Nøgle", "Tekst i bogen"]
    cell = ws.cell(row=2, column=headers.index("Værdi") + 1)
    assert cell.value == pytest.approx(3.4) and cell.number_format == "#,##0.0"
    write_plain_export("kort-8-1", pd.DataFrame({"Sted": ["Et sted"], "inferred": [True],
                                                 "source": ["structures/x.yaml"]}))  # made up
    ws = _sheet(tmp_path / "kort-8-1.xlsx")
    assert [c.value for c in ws[1]] == ["Sted", "Udledt af hvidbogens tekst", "Kilde"]
    assert [c.value for c in ws[2]] == ["Et sted", "ja", "structures/x.yaml"]


def test_number_format_follows_decimals():
    assert [number_format(d) for d in (0, 1, 2)] == ["#,##0", "#,##0.0", "#,##0.00"]
