"""Build orchestrator: validate the data, execute the notebooks with papermill, build the book.

``make book YEAR=2024`` runs :func:`build_book`, which

1. validates every dataset (a bad file stops the build before anything is written),
2. checks that the bundled data reach the reference year,
3. executes each notebook in the toc with papermill for that year, in parallel
   processes (papermill changes the working directory, so never threads), re-using a
   cached result when the notebook, the data, the package and the parameters are all
   unchanged,
4. stages the book (config, toc, pages, executed notebooks, exhibit CSVs) in
   ``_build/stage/<year>`` and builds it with Jupyter Book (``-n -W --keep-going``) into
   ``_build/work/<year>``,
5. and only when that succeeded replaces ``_build/html`` with the new site.

No tracked file is modified. All output lives under ``_build/``.
"""

from __future__ import annotations

import concurrent.futures as futures
import difflib
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import yaml

from .areas import CODES, NATIONAL, display_name
from .changes import execute_editions, write_changes_page
from .datapackage import write_datapackage
from .datasets import check_reference_year, edition_areas, load_all, year_ranges
from .edition import default_parameters, join_da
from .errors import ParameterError
from .paths import PACKAGE_DIR, REPO_ROOT
from .geo import load_districts
from .structures import load_structures

BOOK_FILES = ["_config.yml", "_toc.yml", "intro.md", "references.bib"]
BOOK_DIRS = ["appendix", "chapters", "_static"]
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters"}
GENERATED_PAGES = {"appendix/datasaet.md", "appendix/afvigelser.md", "appendix/aendringer.md"}
"""Pages whose text the build generates from the data into the stage (written only when it
changed, so that Sphinx rereads them only then)."""


class BuildError(RuntimeError):
    """A notebook failed or Jupyter Book reported errors."""


# -- what to execute ----------------------------------------------------------------------
def toc_notebooks(root: Path = REPO_ROOT) -> list[Path]:
    """Notebooks named in ``_toc.yml``, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [root / f"{name}.ipynb" for name in found if (root / f"{name}.ipynb").exists()]


def _hash_files(digest, paths, base: Path) -> None:
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())


def _inputs_digest(data_dir: Path) -> str:
    """Hash of what every notebook depends on besides itself: data, package, requirements."""
    digest = hashlib.sha256()
    _hash_files(digest, [p for p in data_dir.rglob("*") if p.is_file()], data_dir)
    _hash_files(digest, [p for p in PACKAGE_DIR.rglob("*") if p.is_file()
                         and p.suffix in {".py", ".json", ".mplstyle"}], PACKAGE_DIR)
    _hash_files(digest, [REPO_ROOT / "requirements.txt"], REPO_ROOT)
    return digest.hexdigest()


def cache_key(notebook: Path, parameters: dict, data_dir: Path, inputs: str | None = None) -> str:
    """Hash of everything a notebook's output depends on."""
    digest = hashlib.sha256()
    digest.update(notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update((inputs or _inputs_digest(data_dir)).encode())
    return digest.hexdigest()[:20]


def renderer_digest() -> str:
    """Hash of the package and the pinned requirements: what turns staged pages into HTML."""
    digest = hashlib.sha256()
    _hash_files(digest, [p for p in PACKAGE_DIR.rglob("*") if p.is_file()
                         and "__pycache__" not in p.parts], PACKAGE_DIR)
    _hash_files(digest, [REPO_ROOT / "requirements.txt"], REPO_ROOT)
    return digest.hexdigest()[:20]


def book_digest(stage: Path) -> str:
    """Hash of the staged book; its _config.yml carries :func:`renderer_digest`, so the
    code that renders it counts too: equal digests build equal sites."""
    digest = hashlib.sha256()
    _hash_files(digest, [p for p in stage.rglob("*") if p.is_file()], stage)
    return digest.hexdigest()


# -- execution (runs in a worker process) ---------------------------------------------------
def _execute(notebook: str, output: str, export_dir: str, parameters: dict,
             data_dir: str) -> float:
    import papermill

    os.environ["LMB_EXPORT_DIR"] = export_dir  # the kernel inherits both
    os.environ["LMB_DATA_DIR"] = data_dir
    # The kernel's own log (start-up notices) goes to a file beside the executed copy,
    # so the build prints one line per notebook.
    log = os.open(Path(output).with_name("kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(log, 2)
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            papermill.execute_notebook(notebook, output, parameters=parameters,
                                       cwd=str(Path(notebook).parent), progress_bar=False,
                                       log_output=False, kernel_name="python3")
            break
        except Exception as exc:
            if attempt == 2 or not kernel_did_not_start(exc):
                raise
            # A kernel that never answered ran none of the notebook: start it once more.
            print(f"kernel did not start ({exc}); trying once more", file=sys.stderr, flush=True)
    return time.perf_counter() - start


def kernel_did_not_start(exc: BaseException) -> bool:
    """Whether papermill failed because the kernel never came up (jupyter_client's start-up
    timeout, seen when two kernels start at once on a loaded machine), before any cell ran."""
    text = str(exc)
    return "Kernel didn't respond" in text or "Kernel died before replying to kernel_info" in text


def execute_notebooks(notebooks: list[Path], parameters: dict, cache_dir: Path, *,
                      jobs: int | None = None, force: bool = False,
                      data_dir: Path | None = None) -> dict[Path, Path]:
    """Execute (or take from the cache) every notebook; return notebook -> cache entry."""
    from .paths import data_dir as default_data_dir

    data_dir = data_dir or default_data_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    entries, todo = {}, []
    total = len(notebooks)
    inputs = _inputs_digest(data_dir)
    for i, nb in enumerate(notebooks, start=1):
        entry = cache_dir / f"{nb.stem}-{cache_key(nb, parameters, data_dir, inputs)}"
        entries[nb] = entry
        if entry.exists() and not force:
            print(f"[{i}/{total}] {nb.stem}: unchanged, taken from the cache", flush=True)
        else:
            todo.append((i, nb, entry))
    if not todo:
        return entries
    warm_renderer()
    jobs = jobs or os.cpu_count() or 1
    failures = []
    ctx = multiprocessing.get_context("spawn")
    with futures.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
        running = {}
        for i, nb, entry in todo:
            tmp = Path(tempfile.mkdtemp(prefix=f"{nb.stem}-", dir=cache_dir))
            fut = pool.submit(_execute, str(nb), str(tmp / "notebook.ipynb"),
                              str(tmp / "exports"), parameters, str(data_dir))
            running[fut] = (i, nb, entry, tmp)
        for fut in futures.as_completed(running):
            i, nb, entry, tmp = running[fut]
            try:
                seconds = fut.result()
            except Exception as exc:  # papermill's error names the cell and the exception
                failed = cache_dir.parent / "failed" / f"{nb.stem}.ipynb"
                failed.parent.mkdir(parents=True, exist_ok=True)
                if (tmp / "notebook.ipynb").exists():
                    shutil.copyfile(tmp / "notebook.ipynb", failed)
                shutil.rmtree(tmp, ignore_errors=True)
                print(f"[{i}/{total}] {nb.stem}: FAILED (executed copy: {failed})", flush=True)
                failures.append(f"{nb.name}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__}")
                continue
            (tmp / "exports").mkdir(exist_ok=True)
            _keep(tmp, entry)
            print(f"[{i}/{total}] {nb.stem}: executed in {seconds:.1f} s", flush=True)
    if failures:
        raise BuildError("notebook execution failed:\n  " + "\n  ".join(failures))
    return entries


def _keep(tmp: Path, entry: Path) -> None:
    """Make a finished run the cache entry (the run's folder renamed into place)."""
    if entry.exists():
        shutil.rmtree(entry)
    tmp.rename(entry)


# -- exports only (the previous edition, for 'Hvad er ændret') -------------------------------
def _run_for_exports(notebook: str, export_dir: str, parameters: dict, data_dir: str) -> float:
    """Run a notebook's code cells in this worker process, without a kernel, for the exhibit
    CSVs it writes: figures are not rendered and no output is kept. Workers are reused, so
    the imports are paid once per worker, not once per notebook."""
    import contextlib
    import io

    os.environ["LMB_EXPORT_DIR"] = export_dir
    os.environ["LMB_DATA_DIR"] = data_dir
    if not os.environ.get("LMB_EXPORTS_ONLY"):
        os.environ["LMB_EXPORTS_ONLY"] = "1"
        os.nice(5)   # this edition's pages come first: yield the cores to their kernels
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    start = time.perf_counter()
    nb = nbformat.read(notebook, as_version=4)
    namespace: dict = {"__name__": "__main__"}
    here = os.getcwd()
    os.chdir(Path(notebook).parent)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                exec(compile(cell.source, f"{notebook}, cell {index}", "exec"), namespace)
                if "parameters" in cell.metadata.get("tags", []):
                    namespace.update(parameters)       # as papermill's injected cell does
    finally:
        os.chdir(here)
        plt.close("all")
    return time.perf_counter() - start


def execute_for_exports(notebooks: list[Path], parameters: dict, cache_dir: Path, *,
                        jobs: int | None = None, force: bool = False,
                        data_dir: Path | None = None) -> dict[Path, Path]:
    """Like :func:`execute_notebooks`, but for the exhibit CSVs only (``<entry>/exports``):
    the previous edition's numbers, which 'Hvad er ændret siden sidste udgave' compares
    with. Its cache entries are apart from papermill's (``<notebook>-exports-<key>``)."""
    from .paths import data_dir as default_data_dir

    data_dir = data_dir or default_data_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    inputs = _inputs_digest(data_dir)
    entries, todo = {}, []
    for nb in notebooks:
        entry = cache_dir / f"{nb.stem}-exports-{cache_key(nb, parameters, data_dir, inputs)}"
        entries[nb] = entry
        if force or not entry.exists():
            todo.append((nb, entry))
    if not todo:
        return entries
    warm_renderer()
    year = parameters["reference_year"]
    failures = []
    ctx = multiprocessing.get_context("spawn")
    with futures.ProcessPoolExecutor(max_workers=min(jobs or os.cpu_count() or 1, len(todo)),
                                     mp_context=ctx) as pool:
        running = {}
        for nb, entry in todo:
            tmp = Path(tempfile.mkdtemp(prefix=f"{nb.stem}-exports-", dir=cache_dir))
            (tmp / "exports").mkdir()
            running[pool.submit(_run_for_exports, str(nb), str(tmp / "exports"), parameters,
                                str(data_dir))] = (nb, entry, tmp)
        for fut in futures.as_completed(running):
            nb, entry, tmp = running[fut]
            try:
                seconds = fut.result()
            except Exception as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                failures.append(f"{nb.name} ({year}): {type(exc).__name__}: {exc}")
                continue
            _keep(tmp, entry)
            print(f"[{year}] {nb.stem}: numbers for 'Hvad er ændret' in {seconds:.1f} s", flush=True)
    if failures:
        raise BuildError("the previous edition's notebooks failed:\n  " + "\n  ".join(failures))
    return entries


# -- staging ----------------------------------------------------------------------------
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


def _edition_config(config_text: str, parameters: dict) -> str:
    """The staged ``_config.yml``: the book's title and substitutions follow the edition."""
    config = yaml.safe_load(config_text)
    focus = display_name(parameters["focus_municipality"])
    others = [display_name(a) for a in parameters["comparison_areas"] if a != NATIONAL]
    if NATIONAL in parameters["comparison_areas"]:
        others.append("hele landet")
    config["title"] = f"Borgere uden for arbejdsmarkedet i {focus}"
    config.setdefault("parse", {})["myst_substitutions"] = {
        "fokus": focus,
        "sammenligning": join_da(others),
        "referenceaar": str(parameters["reference_year"]),
    }
    config.setdefault("sphinx", {}).setdefault("config", {})["lmb_renderer_digest"] = renderer_digest()
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def stage_book(stage: Path, executed: dict[Path, Path], parameters: dict | None = None,
               data_dir: Path | None = None, datasets: dict | None = None) -> None:
    """Lay out the book to build: pages, config, executed notebooks, datasets and CSVs."""
    from .paths import data_dir as default_data_dir

    parameters = parameters or default_parameters()
    for name in BOOK_FILES:
        _sync(REPO_ROOT / name, stage / name)
    config = _edition_config((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"), parameters)
    if (stage / "_config.yml").read_text(encoding="utf-8") != config:
        (stage / "_config.yml").write_text(config, encoding="utf-8")
    for folder in BOOK_DIRS:
        for src in (REPO_ROOT / folder).rglob("*"):
            if src.is_file() and src.relative_to(REPO_ROOT).as_posix() not in GENERATED_PAGES:
                _sync(src, stage / src.relative_to(REPO_ROOT))
    _stage_generated_pages(stage, parameters, data_dir, datasets)
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


@contextmanager
def _data_dir_env(data_dir: Path | None):
    """``LMB_DATA_DIR`` set to ``data_dir`` (when given) for the duration, then as it was."""
    saved = os.environ.get("LMB_DATA_DIR")
    if data_dir is not None:
        os.environ["LMB_DATA_DIR"] = str(data_dir)
    try:
        yield
    finally:
        if data_dir is not None:
            if saved is None:
                os.environ.pop("LMB_DATA_DIR", None)
            else:
                os.environ["LMB_DATA_DIR"] = saved


def _stage_generated_pages(stage: Path, parameters: dict, data_dir: Path | None,
                           datasets: dict | None = None) -> None:
    """Write the appendix pages generated from the data (datasets, differences from the
    report) into the stage, only when their text changed."""
    from .sphinx_ext import generated_pages
    with _data_dir_env(data_dir):
        pages = generated_pages(parameters["reference_year"], datasets)
    for doc, text in pages.items():
        target = stage / f"{doc}.md"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


_RENDERER_WARMING: list = []


def warm_renderer() -> None:
    """Import the renderer (Sphinx, myst-nb, the theme: about a second) in a thread while
    notebooks run in other processes, during which this process would wait idle. Once."""
    if not _RENDERER_WARMING:
        import threading
        thread = threading.Thread(target=_import_renderer, daemon=True)
        _RENDERER_WARMING.append(thread)
        thread.start()


def _import_renderer() -> None:
    try:
        import jupyter_book.sphinx  # noqa: F401
        import myst_nb.sphinx_ext  # noqa: F401
        import sphinx.application  # noqa: F401
        import sphinx_book_theme  # noqa: F401
        import sphinx.builders.html  # noqa: F401
    except Exception:  # noqa: BLE001 - the render imports them again and reports a failure
        pass


REDIRECT = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta http-equiv="Refresh" content="0; url={first}">
<title>{title}</title>
<link rel="icon" href="data:,">
</head>
<body><p><a href="{first}">Gå til bogen: {title}</a></p></body>
</html>
"""


def _write_redirect(output: Path, stage: Path) -> None:
    """``index.html``, sending the reader on to the book's first page (as Jupyter Book's
    command line writes it), with an empty icon (so that browsers ask the host neither for
    /favicon.ico nor, while leaving, for the site's icon), a language, a title and a link
    for browsers that do not follow it."""
    import html as html_lib
    import re

    root = yaml.safe_load((stage / "_toc.yml").read_text(encoding="utf-8"))["root"]
    first = f"{Path(root).with_suffix('').as_posix()}.html"
    title = re.search(r"<title>(.*?)</title>", (output / first).read_text(encoding="utf-8"), re.S)
    name = title.group(1).split("&#8212;")[-1].strip() if title else "Bogen"   # the book's title
    (output / "index.html").write_text(
        REDIRECT.format(first=html_lib.escape(first, quote=True), title=name), encoding="utf-8")


def run_jupyter_book(stage: Path, work: Path, data_dir: Path | None = None) -> Path:
    """Build the staged book with warnings as errors (what ``jupyter-book build <stage>
    --path-output <work> -n -W --keep-going`` does, with Jupyter Book's own
    ``build_sphinx`` called in this process to spare a second interpreter's start-up);
    return the html folder. The log goes to ``<work>/jupyter-book.log``."""
    import contextlib
    import io

    from jupyter_book.sphinx import build_sphinx

    work.mkdir(parents=True, exist_ok=True)
    output = work / "_build" / "html"
    overrides = {"external_toc_path": (stage / "_toc.yml").as_posix(),
                 "latex_individualpages": False, "nitpicky": True}
    log = io.StringIO()
    # the extension describes the data the book was built from
    with _data_dir_env(data_dir):
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            result = build_sphinx(stage, output, use_external_toc=True, noconfig=True,
                                  path_config=str(stage / "_config.yml"), confoverrides=overrides,
                                  builder="html", warningiserror=True, keep_going=True,
                                  freshenv=False, verbosity=0)
            failed = isinstance(result, Exception) or result != 0
            if not failed:
                _write_redirect(output, stage)
    text = log.getvalue()
    (work / "jupyter-book.log").write_text(text, encoding="utf-8")
    if failed:
        problems = [line for line in text.splitlines()
                    if "WARNING" in line or "ERROR" in line or "Error" in line]
        raise BuildError("Jupyter Book failed (full log: " + str(work / "jupyter-book.log") + "):\n  "
                         + "\n  ".join(problems[-20:] or [str(result)]))
    return output


def edition_parameters(year: int | None = None, focus: str | None = None,
                       comparison: list[str] | None = None, datasets=None) -> dict:
    """The notebooks' parameters: ``edition.yml`` overridden by what was asked for.

    The focus and the comparison areas must be areas the data have rows for, and the focus
    must have rows in this edition; otherwise a :class:`ParameterError` says which and how to
    get them (or, for a name the book does not know, which name was meant).
    """
    parameters = default_parameters()
    if year is not None:
        parameters["reference_year"] = int(year)
    if focus is not None:
        parameters["focus_municipality"] = focus
    if comparison is not None:
        parameters["comparison_areas"] = list(comparison)
    if datasets is not None:
        year = parameters["reference_year"]
        present = edition_areas(datasets)
        wanted = [parameters["focus_municipality"], *parameters["comparison_areas"]]
        unknown = [a for a in wanted if a not in CODES]
        if unknown:
            hints = [m for a in unknown for m in difflib.get_close_matches(a, list(CODES), n=1)]
            raise ParameterError(
                f"unknown area {', '.join(repr(a) for a in unknown)}"
                + (f" (did you mean {', '.join(repr(h) for h in hints)}?)" if hints else "")
                + ": areas are named as in the data's 'area' column (labour_market_book/areas.py)")
        # every area must have rows somewhere, and the focus in this edition: a comparison
        # area an edition lacks is said on the page, a focus without rows makes no book
        absent = [a for a in wanted if a not in present]
        edition_has_data = any(year in years for years in present.values())  # else: check_reference_year
        if edition_has_data and year not in present.get(parameters["focus_municipality"], {year}):
            absent.insert(0, parameters["focus_municipality"])
        if absent:
            others = sorted({y for a in absent for y in present.get(a, set())})
            raise ParameterError(
                f"no data for {', '.join(repr(a) for a in absent)} in the {year} edition"
                + (f" (data/ has {'them' if len(absent) > 1 else 'it'} for {year_ranges(others)})" if others else "")
                + f": fetch the edition's numbers from the sources with `make data YEAR={year}` "
                "(see README, 'Adding a new year')")
        if parameters["focus_municipality"] == NATIONAL:
            raise ParameterError("the focus must be a municipality, not 'Hele landet'")
        if parameters["focus_municipality"] in parameters["comparison_areas"]:
            parameters["comparison_areas"] = [a for a in parameters["comparison_areas"]
                                              if a != parameters["focus_municipality"]]
        if not parameters["comparison_areas"]:
            raise ParameterError("name at least one comparison area besides the focus")
    return parameters


def _stage_name(parameters: dict) -> str:
    defaults = default_parameters()
    year = str(parameters["reference_year"])
    if parameters["focus_municipality"] == defaults["focus_municipality"]:
        return year
    return f"{year}-{parameters['focus_municipality'].lower()}"


def build_book(year: int | None = None, *, focus: str | None = None,
               comparison: list[str] | None = None, jobs: int | None = None,
               force: bool = False, out_root: Path = REPO_ROOT,
               data_dir: Path | None = None) -> Path:
    """Validate, execute, stage and build one edition of the book.

    ``year``, ``focus`` and ``comparison`` default to ``edition.yml``. Returns the
    published html folder (``<out_root>/_build/html``).
    """
    start = time.perf_counter()
    phases: dict[str, float] = {}
    mark = time.perf_counter
    datasets = load_all(data_dir)            # 1. stop on bad data before writing anything
    load_structures(data_dir)
    load_districts(data_dir)                 # optional district geometry for Kort 8.2-8.3
    parameters = edition_parameters(year, focus, comparison, datasets)
    year = parameters["reference_year"]
    check_reference_year(year, datasets)     # 2. stop on an edition no exhibit has data for
    print(f"data valid: {len(datasets)} datasets; building the edition for reference year {year}, "
          f"focus {parameters['focus_municipality']}, compared with "
          f"{', '.join(parameters['comparison_areas'])}", flush=True)
    build = out_root / "_build"
    notebooks = toc_notebooks()
    phases["validate"] = mark() - start
    t = mark()
    executed, before = execute_editions(execute_notebooks, notebooks, parameters, datasets,
                                        build / "cache", jobs=jobs, force=force,
                                        data_dir=data_dir)  # 3. also the previous edition
    phases["execute"], t = mark() - t, mark()
    stage = build / "stage" / _stage_name(parameters)
    stage_book(stage, executed, parameters, data_dir, datasets)              # 4.
    write_changes_page(stage, executed, before, parameters, datasets)  # 'Hvad er ændret'
    published = build / "html"
    stamp = build / "html.digest"            # the digest of the staged book _build/html shows
    digest = book_digest(stage)
    phases["stage"], t = mark() - t, mark()
    if (not force and published.exists() and stamp.exists()
            and stamp.read_text(encoding="utf-8") == digest):
        print(f"book unchanged since the last build ({time.perf_counter() - start:.1f} s): "
              f"{published / 'index.html'}", flush=True)
        return published
    html = run_jupyter_book(stage, build / "work" / _stage_name(parameters), data_dir)
    phases["render"], t = mark() - t, mark()
    incoming = build / "html.new"                                            # 5.
    if incoming.exists():
        shutil.rmtree(incoming)
    shutil.copytree(html, incoming)
    stamp.unlink(missing_ok=True)
    if published.exists():
        shutil.rmtree(published)
    incoming.rename(published)
    stamp.write_text(digest, encoding="utf-8")
    phases["publish"] = mark() - t
    print(f"book for reference year {year} built in {time.perf_counter() - start:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
          + f"): {published / 'index.html'}", flush=True)
    return published


def _repo_copy(target: Path) -> Path:
    """The repository's tracked files (as they are now) in ``target``: a scratch copy the
    benchmark may change."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        src = REPO_ROOT / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target / name)
    return target


def _touch_notebook(path: Path) -> None:
    """Change one notebook as an analyst would: a comment added to its last code cell."""
    nb = nbformat.read(path, as_version=4)
    cell = [c for c in nb.cells if c.cell_type == "code"][-1]
    cell.source += "\n# changed for the benchmark"
    nbformat.write(nb, path)


def _timed(cmd: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise BuildError(f"benchmark step failed: {' '.join(cmd)}\n{(result.stdout + result.stderr)[-2000:]}")
    return seconds


def benchmark(year: int | None = None, *, jobs: int | None = None) -> None:
    """Print, for the whole book, the time of a cold build, of a rebuild with nothing
    changed and of a rebuild after one notebook changed, for ``make book`` and for Jupyter
    Book's own executor (``execute_notebooks: cache``) on the same book with the default
    parameters. Both run in scratch copies of the repository, in fresh processes."""
    parameters = default_parameters()
    year = year or parameters["reference_year"]
    python = sys.executable
    jb = str(Path(sys.executable).parent / "jupyter-book")
    changed = toc_notebooks()[-1].relative_to(REPO_ROOT)
    results = {}
    with tempfile.TemporaryDirectory(prefix="lmb-bench-") as tmp:
        for name in ("make book", "jupyter-book cache"):
            root = _repo_copy(Path(tmp) / name.replace(" ", "-"))
            env = dict(os.environ, PYTHONPATH=str(root / "src"),
                       PATH=f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}")
            env.pop("LMB_DATA_DIR", None)
            env.pop("LMB_EXPORT_DIR", None)
            if name == "make book":
                cmd = [python, "-m", "labour_market_book", "build", "--year", str(year)]
                if jobs:
                    cmd += ["--jobs", str(jobs)]
            else:
                config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
                config["execute"] = {"execute_notebooks": "cache", "timeout": 600}
                (root / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                                  encoding="utf-8")
                cmd = [jb, "build", str(root), "--builder", "html"]
            cold = _timed(cmd, root, env)
            again = _timed(cmd, root, env)
            _touch_notebook(root / changed)
            one = _timed(cmd, root, env)
            size = sum(p.stat().st_size for p in (root / "_build" / "html").rglob("*") if p.is_file())
            results[name] = (cold, again, one, size)
    print(f"\nbenchmark, reference year {year}, whole book ({len(toc_notebooks())} notebooks), "
          f"{jobs or os.cpu_count()} parallel jobs for make book; one changed notebook: {changed}")
    print(f"  {'':22} {'cold':>8} {'no change':>10} {'one notebook':>13} {'site':>9}")
    for name, (cold, again, one, size) in results.items():
        print(f"  {name:22} {cold:7.1f}s {again:9.1f}s {one:12.1f}s {size / 1e6:7.1f}MB")


def set_parameters_cell(nb, parameters: dict) -> bool:
    """Write ``parameters`` as literals into a notebook's ``parameters`` cell; True if changed."""
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise BuildError("a notebook needs exactly one cell tagged 'parameters'")
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    source = source.replace("'", '"')
    changed = cells[0].source != source
    cells[0].source = source
    return changed


def execute_committed() -> None:
    """Re-execute the committed notebooks in place with the default parameters.

    The parameters cells are first set to the literals of ``edition.yml``.

    Uses nbclient without timing metadata, so that a rerun with nothing changed leaves
    the files byte for byte the same. Exhibit CSVs go to a temporary folder.
    """
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="lmb-exports-") as tmp:
        os.environ["LMB_EXPORT_DIR"] = tmp
        parameters = default_parameters()
        for nb_path in toc_notebooks():
            nb = nbformat.read(nb_path, as_version=4)
            if set_parameters_cell(nb, parameters):
                print(f"parameters cell set from edition.yml: {nb_path.relative_to(REPO_ROOT)}")
            NotebookClient(nb, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": str(nb_path.parent)}}).execute()
            for cell in nb.cells:
                cell.metadata.pop("execution", None)
            nbformat.write(nb, nb_path)
            print(f"executed in place: {nb_path.relative_to(REPO_ROOT)}", flush=True)
