"""Staging the book for one edition: the folder that Jupyter Book renders.

:func:`stage_book` lays out ``_build/stage/<edition>``: the book's pages and configuration
(the title and substitutions following the edition, :func:`edition_config`), the executed
notebooks (their ``parameters`` cells hidden), the appendix pages generated from the data
(:mod:`.appendix`), and the published downloads in ``_exports/data``: every dataset with its
sidecar, ``datapackage.json`` and the CSV and xlsx of every exhibit. Files are written only
when their content changed, so Sphinx rereads only changed pages; :func:`book_digest` of the
stage tells the build whether the published site already shows it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import yaml

from .appendix import generated_pages
from .areas import NATIONAL, display_name
from .datapackage import write_datapackage
from .edition import coverage_da, default_parameters, join_da
from .errors import BuildError
from .execution import hash_files
from .exports import read_statuses
from .gaps import write_gaps_page
from .paths import PACKAGE_DIR, REPO_ROOT, data_dir as default_data_dir, using_data_dir

BOOK_FILES = ["_config.yml", "_toc.yml", "intro.md", "references.bib"]
BOOK_DIRS = ["appendix", "chapters", "_static"]
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters"}
GENERATED_PAGES = {"appendix/datasaet.md", "appendix/afvigelser.md", "appendix/aendringer.md",
                   "appendix/mangler.md"}
"""Pages whose text the build generates from the data into the stage (written only when it
changed, so that Sphinx rereads them only then)."""


def renderer_digest() -> str:
    """Hash of the package and the pinned requirements: what turns staged pages into HTML."""
    digest = hashlib.sha256()
    hash_files(digest, [p for p in PACKAGE_DIR.rglob("*") if p.is_file()
                         and "__pycache__" not in p.parts], PACKAGE_DIR)
    hash_files(digest, [REPO_ROOT / "requirements.txt"], REPO_ROOT)
    return digest.hexdigest()[:20]


def book_digest(stage: Path) -> str:
    """Hash of the staged book; its _config.yml carries :func:`renderer_digest`, so the
    code that renders it counts too: equal digests build equal sites."""
    digest = hashlib.sha256()
    hash_files(digest, [p for p in stage.rglob("*") if p.is_file()], stage)
    return digest.hexdigest()


def _sync(src: Path, dst: Path) -> None:
    """Copy only when the content differs, so Sphinx sees unchanged files as unchanged."""
    if dst.exists() and dst.read_bytes() == src.read_bytes():
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def _hide_parameter_cells(source: Path, target: Path) -> None:
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if HIDDEN_CELL_TAGS & set(tags) and "remove-cell" not in tags:
            cell.metadata["tags"] = tags + ["remove-cell"]
    text = nbformat.writes(nb)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def book_citation(path: Path = REPO_ROOT / "CITATION.cff") -> dict[str, str]:
    """Who the book is by, its version and year, from ``CITATION.cff``: the one place that
    declares them (the site's author line and the front page's citation follow it)."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [a.get("name") or " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p)
             for a in cff.get("authors", [])]
    return {"author": join_da([n for n in names if n]) or "ukendt", "version": str(cff.get("version", "")),
            "year": str(cff.get("date-released", ""))[:4]}


def _edition_config(config_text: str, parameters: dict, coverage: str = "") -> str:
    """The staged ``_config.yml``: the book's title and substitutions follow the edition."""
    config = yaml.safe_load(config_text)
    focus = display_name(parameters["focus_municipality"])
    others = [display_name(a) for a in parameters["comparison_areas"] if a != NATIONAL]
    if NATIONAL in parameters["comparison_areas"]:
        others.append("hele landet")
    config["title"] = f"Borgere uden for arbejdsmarkedet i {focus}"
    citation = book_citation()
    config["author"] = citation["author"]
    config["copyright"] = citation["year"]
    config.setdefault("parse", {})["myst_substitutions"] = {
        "fokus": focus,
        "sammenligning": join_da(others),
        "referenceaar": str(parameters["reference_year"]),
        "daekning": coverage,
        "forfatter": citation["author"],
        "version": citation["version"],
        "udgivet": citation["year"],
        "titel": config["title"],
    }
    config.setdefault("sphinx", {}).setdefault("config", {})["lmb_renderer_digest"] = renderer_digest()
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def stage_book(stage: Path, executed: dict[Path, Path], parameters: dict | None = None,
               data_dir: Path | None = None, datasets: dict | None = None) -> None:
    """Lay out the book to build: pages, config, executed notebooks, datasets and CSVs."""
    parameters = parameters or default_parameters()
    for name in BOOK_FILES:
        _sync(REPO_ROOT / name, stage / name)
    coverage = coverage_da(read_statuses(entry / "exports" for entry in executed.values()))
    config = _edition_config((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"), parameters,
                             coverage)
    if (stage / "_config.yml").read_text(encoding="utf-8") != config:
        (stage / "_config.yml").write_text(config, encoding="utf-8")
    for folder in BOOK_DIRS:
        for src in (REPO_ROOT / folder).rglob("*"):
            if src.is_file() and src.relative_to(REPO_ROOT).as_posix() not in GENERATED_PAGES:
                _sync(src, stage / src.relative_to(REPO_ROOT))
    _stage_generated_pages(stage, parameters, data_dir, datasets)
    write_gaps_page(stage, executed)
    exports = stage / "_exports" / "data"
    if exports.exists():
        shutil.rmtree(exports)  # only this build's exhibits and data are published
    exports.mkdir(parents=True)
    # The datasets themselves, with their sidecars, beside the exhibits' numbers.
    source = data_dir or default_data_dir()
    for src in sorted(source.rglob("*")):
        local = src.relative_to(source).parts[0] in ("raw", "incoming")   # make data's, not the book's
        if src.is_file() and src.suffix in {".csv", ".yaml"} and not local:
            target = exports / src.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    write_datapackage(exports, source)  # datapackage.json beside the datasets it describes
    for nb, entry in executed.items():
        _hide_parameter_cells(entry / "notebook.ipynb", stage / nb.relative_to(REPO_ROOT))
        for export in sorted((entry / "exports").glob("*")):
            if export.suffix not in {".csv", ".xlsx"}:
                continue
            if (exports / export.name).exists():
                raise BuildError(f"{export.name} is exported twice (two notebooks, or an "
                                 "exhibit named like a dataset)")
            shutil.copyfile(export, exports / export.name)


def _stage_generated_pages(stage: Path, parameters: dict, data_dir: Path | None,
                           datasets: dict | None = None) -> None:
    """Write the appendix pages generated from the data (datasets, differences from the
    report) into the stage, only when their text changed."""
    with using_data_dir(data_dir):
        pages = generated_pages(parameters["reference_year"], datasets)
    for doc, text in pages.items():
        target = stage / f"{doc}.md"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
