"""Shared test set-up.

Exhibit CSVs written while tests (and nbval's kernels) run go to a temporary folder,
never into the repository. The variable is set at import time, before nbval starts
any kernel, and kernels inherit it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_EXPORTS = tempfile.mkdtemp(prefix="lmb-test-exports-")
os.environ["LMB_EXPORT_DIR"] = _EXPORTS

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"


def pytest_unconfigure(config):
    shutil.rmtree(_EXPORTS, ignore_errors=True)


@pytest.fixture(scope="session")
def book_2024(tmp_path_factory):
    """The default edition built once per test session into a temporary folder:
    ``(html folder, out_root)``. Shared by the build tests and the browser tests."""
    from labour_market_book.build import build_book
    out = tmp_path_factory.mktemp("book2024")
    return build_book(2024, out_root=out), out


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
