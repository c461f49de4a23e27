"""Scaffolding shared by several test modules: the repository's folders, the datasets for
module-level use, a scratch notebook and a local HTTP server.

Two data folders, for two kinds of test:

- :data:`FROZEN`, ``tests/frozen_data``: the data as the 2024 edition was built from them,
  frozen. The tests of the machinery (validation, period rules, ``make plan``, "Hvad er
  ændret", the build) run on it, or on a per-test copy (``data_copy``), so that adding a
  year to ``data/`` cannot change their outcome.
- :data:`DATA`, the data folder under test (``data/``, or ``$LMB_DATA_DIR``): the data tests
  check only what must hold for any state of it (``tests/test_data_state.py``)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from labour_market_book.datasets import load_all, load_dataset
from labour_market_book.errors import DataValidationError
from labour_market_book.metadata import top_level_blocks, yaml_lines
from labour_market_book.paths import data_dir

REPO = Path(__file__).resolve().parent.parent
"""The repository's root, for the tests that read its files."""
DATA = data_dir()
"""The data folder under test: ``data/`` (or ``$LMB_DATA_DIR``). Only data tests read it."""
FROZEN = REPO / "tests" / "frozen_data"
"""The machinery tests' own data folder, frozen as the 2024 edition was built from it."""
REPORT_TEXT_VARIABLE = "LMB_REPORT_TEXT"
"""Names the text extracted from the report's PDF. The text is not part of the repository;
the tests that compare the data with it run only when it is given."""


def report_text(*, module_level: bool = False) -> str:
    """The report's extracted text, from the file ``$LMB_REPORT_TEXT`` names. Without it the
    test is skipped and says how to supply the text; a name that is not a file fails under
    ``CI`` (CI meant to run these tests) and is skipped, with the same advice, elsewhere."""
    how = (f"name the report's extracted text to run it: {REPORT_TEXT_VARIABLE}="
           "/path/to/extracted-text.txt make test")
    value = os.environ.get(REPORT_TEXT_VARIABLE, "")
    if not value:
        pytest.skip(f"the report's extracted text is not available; {how}",
                    allow_module_level=module_level)
    path = Path(value)
    if not path.is_file():
        message = f"{REPORT_TEXT_VARIABLE}={value} is not a file; {how}"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message, allow_module_level=module_level)
    return path.read_text(encoding="utf-8")


def private_copy(out: Path, target: Path) -> Path:
    """A copy of a shared build's out_root for a test that builds on in it (a rebuild, a
    print, a changed page): the shared one stays as every other test reads it."""
    shutil.copytree(out, target, symlinks=True)
    return target


def data_frame(name: str) -> pd.DataFrame:
    """A dataset's rows for a test module's constants and parameters. A dataset that does not
    validate gives no rows (with its declared columns), so its tests are still collected and
    fail, and ``tests/test_datasets.py`` names the file, line and column; a data error never
    stops the collection of the whole suite."""
    try:
        return load_dataset(name).frame
    except DataValidationError:
        try:
            columns = [c["name"] for c in yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))["columns"]]
        except Exception:  # noqa: BLE001 - an unreadable sidecar: the common columns
            columns = ["area_code", "area", "period", "measure", "value", "unit", "decimals", "flag", "provenance"]
        return pd.DataFrame(columns=["dataset", *columns])


def all_datasets() -> dict:
    """Every dataset, or none when data/ does not validate (see :func:`data_frame`)."""
    try:
        return load_all()
    except DataValidationError:
        return {}


# -- the README's yearly update, as an analyst does it -----------------------------------------
def add_rows(folder: Path, dataset: str, rows: list[dict]) -> None:
    """Append rows to a dataset's CSV as an analyst types them: the header's order, a cell the
    row does not give left empty, the file's other lines as they were."""
    path = Path(folder) / f"{dataset}.csv"
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader([text.split("\n", 1)[0]]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([row.get(c, "") for c in header] for row in rows)
    path.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(), encoding="utf-8")


def add_provenance_entry(folder: Path, dataset: str, entry_id: str, entry: dict) -> None:
    """Add an entry to a sidecar's ``provenance`` as an analyst types it (README, "Adding a new
    year"): its lines after the block's last entry, every other line as it was."""
    sidecar = Path(folder) / f"{dataset}.yaml"
    lines = sidecar.read_text(encoding="utf-8").split("\n")
    _, end = top_level_blocks(lines)["provenance"]
    lines[end:end] = [f"  {entry_id}:"] + yaml_lines(entry, 4)
    sidecar.write_text("\n".join(lines), encoding="utf-8")
    assert yaml.safe_load(sidecar.read_text(encoding="utf-8"))["provenance"][entry_id] == entry


HAND_ENTRY = {"method": "manual", "added_by": "Testanalytiker, Beskæftigelsesforvaltningen",
              "added_on": "2026-04-15", "source": "MADE UP for the test: Statistikbanken RAS201"}


def add_tabel_8_1(folder: Path, year: int = 2025, *, persons: str | None = None,
                  persons_decimals: str = "0", period: dict[str, str] | None = None) -> str:
    """Step 2 of the README's yearly update for the edition ``year``'s Tabel 8.1: six rows in
    ``outside_labour_force.csv`` for the period its rule gives that edition (november 2024
    for 2025), shaped like the previous edition's rows (the five areas' shares and Randers'
    count), and a ``manual`` provenance entry. The values are MADE UP: the previous edition's
    shares less 0,3 and its count less 184 (14.494 becomes 14310), unless ``persons`` (and
    ``persons_decimals``) give the count as typed; ``period`` gives an area code another period
    (a mistyped month). Returns the provenance entry's name."""
    ras = load_dataset("outside_labour_force", folder, check_checksum=False)
    before, now = str(ras.period(year - 1)), str(ras.period(year))
    frame = ras.frame
    everyone = frame[(frame["period"] == before) & (frame["base_period"] == "")
                     & (frame["age_group"] == "16-66") & (frame["sex"] == "i alt") & (frame["origin"] == "i alt")]
    rows = []
    for record in everyone.to_dict("records"):
        code, measure = record["area_code"], record["measure"]
        if measure == "share_of_population" and code in ("000", "730", "615", "740", "630"):
            value, decimals = f"{record['value'] - 0.3:.1f}", "1"
        elif measure == "persons" and code == "730":
            value, decimals = persons or str(int(record["value"]) - 184), persons_decimals
        else:
            continue
        rows.append(dict(record, period=(period or {}).get(code, now), value=value,
                         decimals=decimals, provenance=f"hand_{year}"))
    assert len(rows) == 6, rows
    add_rows(folder, "outside_labour_force", rows)
    add_provenance_entry(folder, "outside_labour_force", f"hand_{year}", HAND_ENTRY)
    return f"hand_{year}"


def sidecar(folder: Path, dataset: str) -> dict:
    """A sidecar read as YAML (never by splitting its text)."""
    return yaml.safe_load((Path(folder) / f"{dataset}.yaml").read_text(encoding="utf-8"))


def make_notebook(path: Path, source: str) -> Path:
    """A notebook with a ``parameters`` cell (``reference_year = 2024``) and one code cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("reference_year = 2024")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


class LocalServer:
    """An HTTP server on 127.0.0.1 that records every POST and GET in ``hits`` (path, headers,
    body; a GET's body is empty and its path carries the method: ``GET /v2/tables/...``) and
    answers it with what :meth:`answer` returns: ``(status, headers, payload)``."""

    def __init__(self):
        self.hits: list[tuple[str, dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._reply(self.path, body)

            def do_GET(self):
                self._reply(f"GET {self.path}", b"")

            def _reply(self, path, body):
                outer.hits.append((path, dict(self.headers), body))
                status, headers, payload = outer.answer(path, body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()

    def answer(self, path: str, body: bytes) -> tuple[int, dict, bytes]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self):
        self.httpd.shutdown()
