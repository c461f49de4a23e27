"""Metadata sidecars: one YAML file beside each CSV in ``data/``.

A sidecar says what a dataset is (title, publisher, source table and url, citation
key, licence), what its columns and measures are, how its periods follow from the
reference year, where its numbers come from (transcribed from the report, or fetched
from an API, by which query and when), which exhibits it feeds, and the checksum of
the CSV. The schema is ``schema/dataset.schema.json``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .errors import DataValidationError
from .paths import SCHEMA_DIR, data_dir
from .reading import read_text, yaml_error

SCHEMA_PATH = SCHEMA_DIR / "dataset.schema.json"


@lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON schema of a sidecar."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def sidecar_paths(directory: Path | None = None) -> list[Path]:
    """All sidecars in the data folder, sorted by name."""
    return sorted((directory or data_dir()).glob("*.yaml"))


def file_checksum(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (about ten times faster than the pure-Python one)."""

_SIDECARS: dict[tuple[str, str], dict] = {}
"""Sidecars already read and validated in this process, by path and exact text."""


def load_sidecar(path: Path) -> dict:
    """Read and schema-validate one sidecar; errors name the file and the field."""
    path = Path(path)
    text = read_text(path)  # UTF-8 or an error with line and character
    cached = _SIDECARS.get((str(path), text))
    if cached is not None:          # the same text was read and validated before
        return copy.deepcopy(cached)
    try:
        meta = yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        try:                         # the pure-Python parser's message, for the same error
            meta = yaml.safe_load(text)
        except yaml.YAMLError as exc:  # on the line an editor shows, not where PyYAML gave up
            raise yaml_error(path, text, exc) from None
    if not isinstance(meta, dict):
        raise DataValidationError(path, "a sidecar must be a YAML mapping")
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(meta),
                    key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        field = ".".join(str(p) for p in first.path) or "(top level)"
        raise DataValidationError(path, f"metadata field '{field}': {first.message}")
    if meta["id"] != path.stem:
        raise DataValidationError(path, f"metadata field 'id': '{meta['id']}' must equal "
                                  f"the file name '{path.stem}'")
    names = [c["name"] for c in meta["columns"]]
    for field in meta["key"]:
        if field not in names:
            raise DataValidationError(path, f"metadata field 'key': '{field}' is not a column")
    for required in ("area", "period", "measure", "value", "unit", "flag", "provenance"):
        if required not in names:
            raise DataValidationError(path, f"metadata field 'columns': the tidy layout "
                                      f"needs a '{required}' column")
    _SIDECARS[(str(path), text)] = copy.deepcopy(meta)
    return meta


def write_checksum(sidecar: Path, value: str) -> bool:
    """Set the checksum value in a sidecar, keeping its comments and layout.

    Returns whether the file changed.
    """
    text = sidecar.read_text(encoding="utf-8")
    new, count = re.subn(r"(checksum:\s*\n\s+algorithm:\s*sha256\s*\n\s+value:\s*)(\S+)",
                         lambda m: f'{m.group(1)}"{value}"', text)
    if count != 1:
        raise DataValidationError(sidecar, "could not find the checksum block to update")
    if new != text:
        sidecar.write_text(new, encoding="utf-8")
        return True
    return False
