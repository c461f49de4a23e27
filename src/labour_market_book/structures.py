"""Structure files: facts that are not series of numbers (an organisation chart, places).

They live in ``data/structures/<name>.yaml``, each with a title, the date it describes
(``as_of``), its source and its provenance (as a dataset's provenance entry). They are
validated with the data, before any notebook runs, and published with the site.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import DataValidationError
from .paths import data_dir
from .reading import read_text, yaml_error

REQUIRED = ("title", "as_of", "source", "provenance")
PROVENANCE_REQUIRED = {"transcribed": ("document", "transcribed_on"),
                       "manual": ("added_by", "added_on", "source")}
LISTS = {"organisation": "centres", "locations": "places"}
"""Each known structure and the list it must hold."""


def structures_dir(directory: Path | None = None) -> Path:
    return (Path(directory) if directory else data_dir()) / "structures"


def load_structure(name: str, directory: Path | None = None) -> dict:
    """Read and check ``data/structures/<name>.yaml``; errors name the file and field."""
    path = structures_dir(directory) / f"{name}.yaml"
    if not path.exists():
        raise DataValidationError(path, "structure file not found")
    text = read_text(path)
    try:
        meta = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise yaml_error(path, text, exc) from None
    if not isinstance(meta, dict):
        raise DataValidationError(path, "a structure file must be a YAML mapping")
    for field in REQUIRED:
        if not meta.get(field):
            raise DataValidationError(path, f"field '{field}' is missing or empty")
    provenance = meta["provenance"]
    method = provenance.get("method") if isinstance(provenance, dict) else None
    if method not in PROVENANCE_REQUIRED:
        raise DataValidationError(path, "field 'provenance.method' must be one of "
                                  f"{', '.join(PROVENANCE_REQUIRED)}")
    for field in PROVENANCE_REQUIRED[method]:
        if not provenance.get(field):
            raise DataValidationError(path, f"field 'provenance.{field}' is missing")
    items = LISTS.get(name)
    if items and not (isinstance(meta.get(items), list) and meta[items]):
        raise DataValidationError(path, f"field '{items}' must be a non-empty list")
    for i, item in enumerate(meta.get(items, []) if items else []):
        if not isinstance(item, dict) or not item.get("name"):
            raise DataValidationError(path, f"field '{items}[{i}].name' is missing")
    return meta


def load_structures(directory: Path | None = None) -> dict[str, dict]:
    """Every structure file, checked."""
    folder = structures_dir(directory)
    if not folder.exists():
        return {}
    return {p.stem: load_structure(p.stem, directory) for p in sorted(folder.glob("*.yaml"))}


def structure_source(meta: dict) -> str:
    """The "Kilde:" line of an exhibit drawn from a structure file (MyST Markdown)."""
    prov = meta["provenance"]
    source = meta["source"] if isinstance(meta["source"], str) else meta["source"].get("name", "")
    if prov["method"] == "transcribed":
        return f"{source}, som gengivet i {{cite:t}}`{prov['document']}`".lstrip(", ")
    return f"{source}, tilføjet i hånden af {prov['added_by']}"
