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

from .appendix import NOTEBOOK_DOWNLOADS, NOTEBOOKS_DOC, calculations_page, generated_pages
from .areas import display_name
from .contents import edition_toc, exhibits_in, left_out_sentence, page_title
from .datapackage import write_datapackage
from .edition import REPORT_FOCUS, REPORT_YEAR, Edition, coverage_da, default_parameters, join_da
from .errors import BuildError
from .execution import hash_files
from .exports import read_layout, read_statuses
from .gaps import write_gaps_page
from .memo import package_digest
from .layout import stage_reader_notebook
from .paths import REPO_ROOT, data_dir as default_data_dir, using_data_dir

BOOK_FILES = ["_config.yml", "intro.md", "references.bib"]
BOOK_DIRS = ["appendix", "chapters", "_static"]
GENERATED_PAGES = {"appendix/datasaet.md", "appendix/afvigelser.md", "appendix/aendringer.md",
                   "appendix/mangler.md", "appendix/beregninger.md"}
"""Pages whose text the build generates from the data into the stage (written only when it
changed, so that Sphinx rereads them only then)."""


def renderer_digest() -> str:
    """Hash of the package and the pinned requirements: what turns staged pages into HTML."""
    return package_digest()[:20]


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


def book_citation(path: Path = REPO_ROOT / "CITATION.cff") -> dict[str, str]:
    """Who the book is by, its version and year, from ``CITATION.cff``: the one place that
    declares them (the site's author line and the front page's citation follow it)."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [a.get("name") or " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p)
             for a in cff.get("authors", [])]
    return {"author": join_da([n for n in names if n]) or "ukendt", "version": str(cff.get("version", "")),
            "year": str(cff.get("date-released", ""))[:4]}


def _edition_config(config_text: str, parameters: dict, words: dict[str, str]) -> str:
    """The staged ``_config.yml``: the book's title and substitutions follow the edition
    (``words``: the front page's generated sentences, :func:`edition_words`)."""
    config = yaml.safe_load(config_text)
    edition = Edition(parameters["reference_year"], parameters["focus_municipality"],
                      parameters["comparison_areas"])
    focus = edition.focus_name
    config["title"] = f"Borgere uden for arbejdsmarkedet i {focus}"
    citation = book_citation()
    config["author"] = citation["author"]
    config["copyright"] = citation["year"]
    config.setdefault("parse", {})["myst_substitutions"] = {
        "fokus": focus,
        "sammenligning": edition.comparison_names,       # in the order the pages name them
        "referenceaar": str(parameters["reference_year"]),
        **words,
        "forfatter": citation["author"],
        "version": citation["version"],
        "udgivet": citation["year"],
        "titel": config["title"],
    }
    config.setdefault("sphinx", {}).setdefault("config", {})["lmb_renderer_digest"] = renderer_digest()
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


EXAMPLE_PERIODS = (("outside_labour_force", "current", "tilknytningen til arbejdsmarkedet"),
                   ("unemployment_aus08", "next_march", "ledigheden"))
"""Datasets whose periods the front page gives as examples of what the reference year means."""


def edition_words(parameters: dict, statuses: dict[str, str], left_out: list[Path],
                  datasets: dict | None) -> dict[str, str]:
    """The front page's and the chapter page's sentences about the edition, in a reader's
    words: what the reference year means (``perioder``), what is shown (``daekning``), where
    the report's own assessments are (``vurderinger``) and which pages are left out
    (``udeladte_sider``)."""
    year = parameters["reference_year"]
    focus = parameters["focus_municipality"]
    examples = []
    for dataset_id, role, what in EXAMPLE_PERIODS:
        ds = (datasets or {}).get(dataset_id)
        if ds is not None:
            examples.append(f"{what} i {ds.period(year, role).label_da()}")
    periods = ("Hver statistik opgøres på sit eget tidspunkt, så tabellerne og figurerne viser den "
               f"opgørelse, der hører til året, for eksempel {join_da(examples)}; perioden står "
               "ved hver af dem." if examples else "")
    report_edition = focus == REPORT_FOCUS and year == REPORT_YEAR
    assessments = ("" if report_edition else
                   f"Hvidbogens egne vurderinger gælder {display_name(REPORT_FOCUS)} i {REPORT_YEAR} "
                   "og gengives kun i den udgave.")
    pages = left_out_sentence([page_title(nb) for nb in left_out], display_name(REPORT_FOCUS))
    return {"perioder": periods, "daekning": coverage_da(statuses), "vurderinger": assessments,
            "udeladte_sider": pages}


def stage_book(stage: Path, executed: dict[Path, Path], parameters: dict | None = None,
               data_dir: Path | None = None, datasets: dict | None = None,
               left_out: list[Path] | None = None) -> None:
    """Lay out the book to build: pages, config, the reader's copy of each executed notebook
    (:mod:`.layout`), datasets and CSVs. ``left_out``: the pages this edition leaves out
    (:func:`.contents.left_out`)."""
    parameters = parameters or default_parameters()
    left_out = list(left_out or [])
    for name in BOOK_FILES:
        _sync(REPO_ROOT / name, stage / name)
    toc_text = edition_toc((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"),
                           [nb.relative_to(REPO_ROOT).as_posix() for nb in left_out])
    if not (stage / "_toc.yml").exists() or (stage / "_toc.yml").read_text(encoding="utf-8") != toc_text:
        (stage / "_toc.yml").write_text(toc_text, encoding="utf-8")
    for nb in left_out:
        (stage / nb.relative_to(REPO_ROOT)).unlink(missing_ok=True)
    statuses = read_statuses(entry / "exports" for entry in executed.values())
    statuses.update({e: "notice" for nb in left_out for e in exhibits_in(nb)})
    words = edition_words(parameters, statuses, left_out, datasets)
    config = _edition_config((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"), parameters,
                             words)
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
    _stage_notebook_downloads(stage, list(executed))
    for nb, entry in executed.items():
        stage_reader_notebook(entry / "notebook.ipynb", stage / nb.relative_to(REPO_ROOT),
                              read_layout(entry / "exports", nb.stem))
        for export in sorted((entry / "exports").glob("*")):
            if export.suffix not in {".csv", ".xlsx"}:
                continue
            if (exports / export.name).exists():
                raise BuildError(f"{export.name} is exported twice (two notebooks, or an "
                                 "exhibit named like a dataset)")
            shutil.copyfile(export, exports / export.name)


def _stage_notebook_downloads(stage: Path, notebooks: list[Path]) -> None:
    """The workbench's page "Beregningerne" and the notebooks it offers, without their outputs
    (the code an analyst reruns; the site shows the results)."""
    folder = stage / "_exports" / NOTEBOOK_DOWNLOADS
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for nb in notebooks:
        notebook = nbformat.read(nb, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        (folder / nb.name).write_text(nbformat.writes(notebook), encoding="utf-8")
    text = calculations_page([(nb.relative_to(REPO_ROOT).with_suffix("").as_posix(), nb.stem)
                              for nb in notebooks])
    target = stage / f"{NOTEBOOKS_DOC}.md"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


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
