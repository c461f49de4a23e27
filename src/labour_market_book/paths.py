"""Repository paths, anchored on the repository root (never on the working directory).

papermill changes the working directory of the kernel, and pytest and the build run
from elsewhere; every path the package uses is therefore derived from this file's
location. Two environment variables redirect output for tests and staging builds:

``LMB_EXPORT_DIR``
    Folder that receives the CSV of every table and figure (default:
    ``_build/exports`` in the repository, which git ignores).
``LMB_DATA_DIR``
    Folder holding the datasets (default: ``data/`` in the repository). Used by tests
    that corrupt a copy of the data.
"""

from __future__ import annotations

import os
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
