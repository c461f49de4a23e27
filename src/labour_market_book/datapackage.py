"""A Frictionless Data Package (``datapackage.json``) describing the book's datasets.

Published with the site next to the data it describes (``_build/html/data/``), so that a
program can read every dataset with its types, key, source and licence in one go
(``frictionless validate data/datapackage.json``). It is written from the sidecars
(``data/*.yaml``), like the data appendix, so it cannot drift from them:

- one resource per dataset CSV with a sidecar, its ``path`` relative to the package
  (the CSV lies beside it), ``name``, ``title``, ``description``, format, media type,
  encoding, size and the sidecar's SHA-256 checksum as ``hash``;
- a Table Schema from the sidecar's ``columns`` (types; ``required``, ``allowed`` and
  ``pattern`` as constraints; periods as strings with the period pattern) and its
  ``key`` as ``primaryKey``;
- ``sources`` (publisher, source table, url) and ``licenses`` (the sidecar's licence)
  per resource and, gathered, for the package. A licence whose sidecar names no terms
  document (e.g. "vilkår ikke efterprøvet") gets the Open Definition id
  ``notspecified`` beside the sidecar's wording, never a guessed licence.

Only tabular datasets with sidecars are resources: the structure files
(``data/structures/*.yaml``: centres, places) are not tables, and ``data/raw/`` (the answers
`make data` fetched, a local record git ignores) is not published. ``created`` is the latest date in the datasets' provenance
(when a row was last transcribed, fetched or added), not the build time, so rebuilding
unchanged data writes the same file.
"""

from __future__ import annotations

import json
from pathlib import Path

from .metadata import load_sidecar, sidecar_paths
from .periods import PERIOD_PATTERN

NAME = "borgere-uden-for-arbejdsmarkedet-data"
TITLE = "Data til bogen Borgere uden for arbejdsmarkedet"
FILENAME = "datapackage.json"

FIELD_TYPES = {"string": "string", "number": "number", "integer": "integer", "period": "string"}
PROVENANCE_DATES = ("transcribed_on", "retrieved_at", "added_on")


def _field(column: dict) -> dict:
    field = {"name": column["name"], "type": FIELD_TYPES[column["type"]]}
    if column.get("description"):
        field["description"] = column["description"]
    constraints = {}
    if column.get("required"):
        constraints["required"] = True
    allowed = [v for v in column.get("allowed", []) if v != ""]  # "" is a missing value
    if allowed:
        constraints["enum"] = allowed
    if column.get("pattern"):
        constraints["pattern"] = column["pattern"]
    elif column["type"] == "period":
        constraints["pattern"] = PERIOD_PATTERN.pattern
        field.setdefault("description", "Periode: YYYY, YYYY-MM eller YYYY-Qn")
    if constraints:
        field["constraints"] = constraints
    return field


def _licence(meta: dict) -> dict:
    licence = meta["licence"]
    out = {"title": licence["name"]}
    if licence.get("url"):
        out["path"] = licence["url"]
    else:  # a licence needs a name or a path: no terms document is named
        out["name"] = "notspecified"
    return out


def _source(meta: dict) -> dict:
    src = meta["source"]
    title = f"{meta['publisher']}, {src['table_id']}" + (
        f": {src['table_title']}" if src.get("table_title") else "")
    out = {"title": title}
    if src.get("url"):
        out["path"] = src["url"]
    return out


def resource(meta: dict, csv_path: Path) -> dict:
    """The Data Package resource of one dataset, from its sidecar."""
    return {
        "name": meta["id"],
        "path": csv_path.name,
        "profile": "tabular-data-resource",
        "title": meta["title"],
        "description": " ".join(str(meta["description"]).split()),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": csv_path.stat().st_size,
        "hash": f"sha256:{meta['checksum']['value']}",
        "schema": {"fields": [_field(c) for c in meta["columns"]],
                   "primaryKey": list(meta["key"]),
                   "missingValues": [""]},
        "sources": [_source(meta)],
        "licenses": [_licence(meta)],
    }


def _latest_date(metas: list[dict]) -> str | None:
    dates = [str(entry[key])[:10] for meta in metas for entry in meta["provenance"].values()
             for key in PROVENANCE_DATES if entry.get(key)]
    return max(dates) if dates else None


def datapackage(data_dir: Path | None = None) -> dict:
    """The package descriptor for the datasets in ``data_dir`` (default: ``data/``)."""
    metas = [(load_sidecar(p), p.with_suffix(".csv")) for p in sidecar_paths(data_dir)]
    metas = [(m, csv) for m, csv in metas if csv.exists()]
    resources = [resource(m, csv) for m, csv in metas]
    unique = lambda items: [json.loads(s) for s in dict.fromkeys(json.dumps(i, sort_keys=True)
                                                                 for i in items)]
    package = {
        "name": NAME,
        "title": TITLE,
        "description": ("Datasættene bag bogen om kapitel 8 i Randers Kommunes hvidbog: tal "
                        "afskrevet fra hvidbogen eller hentet fra kilderne, med kilde, licens og "
                        "oprindelse for hver række (kolonnen provenance, forklaret i datasættets "
                        "YAML-fil ved siden af CSV-filen)."),
        "profile": "tabular-data-package",
        "licenses": unique(r["licenses"][0] for r in resources),
        "sources": unique(r["sources"][0] for r in resources),
        "resources": resources,
    }
    latest = _latest_date([m for m, _ in metas])
    if latest:
        package["created"] = f"{latest}T00:00:00Z"
    return package


def write_datapackage(folder: Path, data_dir: Path | None = None) -> Path:
    """Write ``<folder>/datapackage.json`` (the CSVs are expected beside it); return its path."""
    path = Path(folder) / FILENAME
    text = json.dumps(datapackage(data_dir), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path
