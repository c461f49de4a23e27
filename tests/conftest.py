"""Shared test set-up.

Exhibit CSVs written while tests (and nbval's kernels) run go to a temporary folder,
never into the repository. The variable is set at import time, before nbval starts
any kernel, and kernels inherit it. No build a test runs leaves kernels warm for the next
(``LMB_WARM_KERNELS=0``; tests/test_kernels.py asks for them where it tests them).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_EXPORTS = tempfile.mkdtemp(prefix="lmb-test-exports-")
os.environ["LMB_EXPORT_DIR"] = _EXPORTS
os.environ["LMB_WARM_KERNELS"] = "0"   # a build run by a test keeps no kernel warm after it

from helpers import DATA, FROZEN  # noqa: E402 (after LMB_EXPORT_DIR is set)


def pytest_unconfigure(config):
    shutil.rmtree(_EXPORTS, ignore_errors=True)


SLOW_MODULES = {"test_build.py", "test_backtests.py", "test_site_browser.py", "test_publish.py", "test_style_da.py",
                "test_publication.py",
                "test_fetch_to_book.py", "test_pdf.py"}
"""Modules whose tests build the book or execute every notebook (shared session builds)."""
SLOW_TESTS = {
    "test_changes.py": ("test_both_editions_are_run",),
    "test_fetch.py": ("test_a_revision_reaches_the_page",),
    "test_real_answers.py": ("test_make_data_on_the_real_answer_then_the_book", "test_the_2021_edition"),
    "test_notebook_parameters.py": ("test_focus_horsens_changes_the_glued_prose",),
    "test_geo.py": ("test_the_page_draws_kort_8_2",),
}
"""Single tests that run papermill or build the book."""


def pytest_collection_modifyitems(config, items):
    """Mark the tests that build the book or run notebooks ``slow``: ``make check`` (the quick
    tier an analyst runs while working) leaves them to ``make test``. (Under pytest-xdist the
    Makefile hands out whole files, ``--dist loadfile``: a notebook's nbval cells share its
    kernel, and a module's fixtures are made once.)"""
    for item in items:
        name = item.path.name
        if name in SLOW_MODULES or item.name.startswith(SLOW_TESTS.get(name, ("\0",))):
            item.add_marker(pytest.mark.slow)


EDITIONS = {
    "2024": (2024, None, None),
    "2023": (2023, "Randers", None),
    "2016": (2016, "Randers", None),
    "horsens-2024": (2024, "Horsens", ["Randers", "Silkeborg", "Vejle", "Hele landet"]),
    "silkeborg-2021": (2021, "Silkeborg", ["Randers", "Horsens", "Vejle", "Hele landet"]),
}
"""The editions several test modules read, built from ``data/`` (``None``: ``edition.yml``'s)."""


def shared_folder(tmp_path_factory) -> Path:
    """A folder of this test run that every worker sees: under pytest-xdist each worker has
    its own ``basetemp`` inside the run's, so the run's is their parent; a run without
    workers uses its own (never a previous run's)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "shared-builds"
    folder.mkdir(exist_ok=True)
    return folder


def built_once(tmp_path_factory, name: str, make) -> Path:
    """``<shared folder>/<name>``, made by ``make(folder)`` once per test run whichever worker
    asks first (a file lock; the others wait for it and then read it)."""
    from filelock import FileLock
    root = shared_folder(tmp_path_factory)
    out, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)   # a failed attempt's remains
            out.mkdir()
            make(out)
            done.touch()
    return out


@pytest.fixture(scope="session")
def edition_out(tmp_path_factory):
    """``edition_out(name)``: the out_root of one of :data:`EDITIONS`, built once per test
    run and shared by every test (and worker) that reads it. Read it, never write to it:
    a test that rebuilds, prints or changes a build takes ``helpers.private_copy`` of it."""
    def get(name: str) -> Path:
        from labour_market_book.build import build_book
        year, focus, comparison = EDITIONS[name]
        return built_once(tmp_path_factory, f"edition-{name}", lambda out: build_book(
            year, focus=focus, comparison=comparison, out_root=out))
    return get


@pytest.fixture(scope="session")
def book_2024(edition_out):
    """The default edition built once per test run: ``(html folder, out_root)``. Shared by the
    build, publication, style, browser and PDF tests (read only)."""
    out = edition_out("2024")
    return out / "_build" / "html", out


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the machinery tests' frozen data folder (``tests/frozen_data``) to
    corrupt or extend: what ``data/`` holds for a later year never changes these tests."""
    target = tmp_path / "data"
    shutil.copytree(FROZEN, target, ignore=shutil.ignore_patterns("README.md"))
    return target


@pytest.fixture
def repo_data_copy(tmp_path) -> Path:
    """A writable copy of the data folder under test (``data/`` as it is now), for the walk
    through the README's yearly update."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def ras():
    """The dataset behind section 8.1 (RAS201), from the frozen data folder."""
    from labour_market_book.datasets import load_dataset
    return load_dataset("outside_labour_force", FROZEN)


@pytest.fixture
def page(ras, monkeypatch, tmp_path):
    """A Page of the report's edition over ``ras`` whose glued values land in ``page.glued``
    and whose exports go to a temporary folder."""
    from labour_market_book.edition import Edition
    from labour_market_book.exhibits import Page
    monkeypatch.setenv("LMB_EXPORT_DIR", str(tmp_path))
    glued = {}
    monkeypatch.setattr("labour_market_book.prose.glue",
                        lambda key, value, display=False: glued.__setitem__(key, value))
    page = Page("testside", Edition(2024, "Randers", ("Horsens", "Silkeborg", "Vejle", "Hele landet")),
                [ras])
    page.glued = glued
    return page
