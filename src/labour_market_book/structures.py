"""Structure files: facts that are not series of numbers (an organisation chart, places).

They live in ``data/structures/<name>.yaml``, each with a title, the date it describes
(``as_of``), its source and its provenance (as a dataset's provenance entry). They are
validated with the data, before any notebook runs, and published with the site.
"""

from __future__ import annotations

from pathlib import Path

import re

from .errors import DataValidationError
from .metadata import PROSE, fingerprint, line_of, parse_yaml, replace_block
from .paths import data_dir
from .reading import read_text
from .sources import REPORT_AUTHOR, REPORT_DA, REPORT_KEY, document_da

REQUIRED = ("title", "as_of", "source", "provenance")
PROVENANCE_REQUIRED = {"transcribed": ("document", "transcribed_on"),
                       "manual": ("added_by", "added_on", "source")}
LISTS = {"organisation": "centres", "locations": "places"}
"""Each known structure and the list it must hold."""


def structures_dir(directory: Path | None = None) -> Path:
    return (Path(directory) if directory else data_dir()) / "structures"


def load_structure(name: str, directory: Path | None = None, *, check_seal: bool = True) -> dict:
    """Read and check ``data/structures/<name>.yaml``: its fields, that every printed fact
    and its value agree, and (``check_seal``) that its facts are as sealed; errors name the
    file, the line and the field."""
    path = structures_dir(directory) / f"{name}.yaml"
    if not path.exists():
        raise DataValidationError(path, "structure file not found")
    text = read_text(path)
    meta = parse_yaml(path, text)
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
            raise DataValidationError(path, f"field '{items}[{i}].name' is missing",
                                      row=line_of(text, [items, i]))
    check_facts(path, text, meta)
    if check_seal:
        sealed = meta.get("seal")
        if sealed is None:
            raise DataValidationError(path, "field 'seal' is missing: run `make checksums` to seal "
                                      "the facts this file gives the book")
        if sealed != structure_seal(meta):
            raise DataValidationError(
                path, "the facts changed since the file was sealed (names, units, numbers: what the "
                      "book shows). If you changed them on purpose, run `make checksums`; if not, "
                      "undo the change", row=line_of(text, ["seal"]))
    return meta


def structure_seal(meta: dict) -> str:
    """The fingerprint of what a structure file gives the book: everything but its words
    about itself (notes, descriptions) and the seal."""
    return fingerprint({k: v for k, v in meta.items() if k not in ("seal", "departments_note")
                        and k not in PROSE})


_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def printed_number(text: str) -> float | None:
    """The number in a printed text, read the Danish way: ``"mere end 2.000"`` -> 2000."""
    match = _NUMBER.search(str(text))
    if not match:
        return None
    return float(match.group(0).replace(".", "").replace(",", "."))


def check_facts(path: Path, text: str, meta: dict) -> None:
    """Every fact with a number (``printed`` and ``value``) must say the same number twice."""
    def walk(node, where):
        if isinstance(node, dict):
            if "printed" in node and "value" in node:
                printed = printed_number(node["printed"])
                value = node["value"]
                if printed is None or not isinstance(value, (int, float)) or \
                        round(float(value), int(node.get("decimals", 0))) != printed:
                    raise DataValidationError(
                        path, f"field '{'.'.join(str(w) for w in where)}.value': {value!r} does not "
                              f"agree with the printed text {node['printed']!r}", row=line_of(text, where + ["value"]))
            for key, value in node.items():
                walk(value, where + [key])
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, where + [i])
    walk(meta, [])


def seal_structures(directory: Path | None = None) -> dict[str, bool]:
    """Seal every structure file (``make checksums``): name -> whether it changed."""
    folder = structures_dir(directory)
    out = {}
    for path in sorted(folder.glob("*.yaml")) if folder.exists() else []:
        meta = load_structure(path.stem, directory, check_seal=False)
        text = path.read_text(encoding="utf-8")
        new = replace_block(text, "seal", None).replace("seal: null", f'seal: "{structure_seal(meta)}"')
        out[path.stem] = new != text
        if new != text:
            path.write_text(new, encoding="utf-8")
    return out


def load_structures(directory: Path | None = None) -> dict[str, dict]:
    """Every structure file, checked."""
    folder = structures_dir(directory)
    if not folder.exists():
        return {}
    return {p.stem: load_structure(p.stem, directory) for p in sorted(folder.glob("*.yaml"))}


def structure_source(meta: dict) -> str:
    """The "Kilde:" line of an exhibit drawn from a structure file (MyST Markdown): its
    source named once, ``Randers Kommunes egne data, gengivet i hvidbogen [16]``; a source
    that is the report's author itself is the report (``Hvidbogen [16]``)."""
    prov = meta["provenance"]
    source = meta["source"] if isinstance(meta["source"], str) else meta["source"].get("name", "")
    if prov["method"] == "transcribed":
        if prov["document"] == REPORT_KEY and source in ("", REPORT_AUTHOR):
            return f"{REPORT_DA.capitalize()} {{cite:p}}`{REPORT_KEY}`"
        return f"{source}, gengivet i {document_da(prov['document'])}".lstrip(", ")
    return f"{source}, tilføjet i hånden af {prov['added_by']}".lstrip(", ")
