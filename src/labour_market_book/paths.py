"""Repository paths, anchored on the repository root (never on the working directory).

papermill changes the working directory of the kernel, and pytest and the build run
from elsewhere; every path the package uses is therefore derived from this file's
location.

Every environment variable the package reads is listed here (and in the README):

``LMB_EXPORT_DIR``
    Folder that receives the CSV of every table and figure (default:
    ``_build/exports`` in the repository, which git ignores).
``LMB_DATA_DIR``
    Folder holding the datasets (default: ``data/`` in the repository). Used by tests
    that corrupt a copy of the data.
``LMB_EXPORTS_ONLY``
    Set by the build for the previous edition's light run ('Hvad er ændret'): the
    notebooks export their numbers as CSV but draw no figures
    (:meth:`exhibits.Page.glue_figure`) and write no workbooks (:mod:`exports`).
``LMB_STATBANK_URL``, ``LMB_JOBINDSATS_URL``
    Base addresses of the two APIs for ``make data`` (default
    ``https://api.statbank.dk/v1`` and ``https://api.jobindsats.dk/v2``): a mirror, a
    proxy or a local test server.
``JOBINDSATS_API_KEY``
    Jobindsats' API key (or in a git-ignored ``.env``); read only by
    :mod:`labour_market_book.fetch.jobindsats`, sent only in the ``Authorization`` header.
``LMB_CHROMIUM``
    The Chromium executable for the browser tests and the print edition (``make pdf``;
    default: ``chromium`` on the PATH).
``LMB_WARM_KERNELS``
    Minutes a kernel that ``make book`` keeps warm for the next build waits to be claimed
    (default 20; ``0`` keeps none; the tests set 0). :mod:`labour_market_book.kernels`.
``LMB_WARM_IMPORTS``, ``LMB_KERNEL_IDLE_EXIT``, ``LMB_KERNEL_CONNECTION_FILE``
    Set by the build for a kernel it starts, read by the kernel as it starts
    (:func:`labour_market_book.in_kernel.warm`): the imports to make, how long a kept
    kernel waits, and the file whose removal (``make clean``) ends it.
``PYTHONPATH``
    Read, not set: part of a kept kernel's key (a build claims only a kernel that imports
    the package from where the build does).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
SCHEMA_DIR = PACKAGE_DIR / "schema"
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
BUILD_DIR = REPO_ROOT / "_build"


def data_dir() -> Path:
    """Folder with the datasets: ``$LMB_DATA_DIR`` or ``<repo>/data``."""
    override = os.environ.get("LMB_DATA_DIR")
    return Path(override).resolve() if override else REPO_ROOT / "data"


def export_dir() -> Path:
    """Folder that receives exhibit CSVs: ``$LMB_EXPORT_DIR`` or ``<repo>/_build/exports``."""
    override = os.environ.get("LMB_EXPORT_DIR")
    return Path(override).resolve() if override else BUILD_DIR / "exports"


STATBANK_URL = "https://api.statbank.dk/v1"
JOBINDSATS_URL = "https://api.jobindsats.dk/v2"


def statbank_url() -> str:
    """Base address of Statistikbanken's API: ``$LMB_STATBANK_URL`` or the real one."""
    return (os.environ.get("LMB_STATBANK_URL") or STATBANK_URL).rstrip("/")


def jobindsats_url() -> str:
    """Base address of Jobindsats' API v2: ``$LMB_JOBINDSATS_URL`` or the real one."""
    return (os.environ.get("LMB_JOBINDSATS_URL") or JOBINDSATS_URL).rstrip("/")


@contextmanager
def using_data_dir(folder: Path | None):
    """``LMB_DATA_DIR`` set to ``folder`` (when given) for the duration, then as it was: for
    code that reads the data where no folder can be passed (the Sphinx extension)."""
    saved = os.environ.get("LMB_DATA_DIR")
    if folder is not None:
        os.environ["LMB_DATA_DIR"] = str(folder)
    try:
        yield
    finally:
        if folder is not None:
            if saved is None:
                os.environ.pop("LMB_DATA_DIR", None)
            else:
                os.environ["LMB_DATA_DIR"] = saved


def exports_only() -> bool:
    """Whether this run only exports numbers (``LMB_EXPORTS_ONLY``, the light run)."""
    return bool(os.environ.get("LMB_EXPORTS_ONLY"))
