"""Scaffolding shared by several test modules: the repository's folders, the datasets for
module-level use, a scratch notebook and a local HTTP server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pandas as pd
import yaml

from labour_market_book.datasets import load_all, load_dataset
from labour_market_book.errors import DataValidationError

REPO = Path(__file__).resolve().parent.parent
"""The repository's root, for the tests that read its files."""
DATA = REPO / "data"
SEED = REPO.parent / "shared" / "seed" / "000_f9fa206bdf17da7e.txt"
"""The report's extracted text, beside the repository when it is there."""


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
