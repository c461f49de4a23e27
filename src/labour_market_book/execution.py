"""Executing the book's notebooks for an edition, cached: papermill for the edition being built,
and the light run for the previous edition's numbers.

Two ways to run a notebook, both for one set of parameters, both cached under ``_build/cache``
by a key of everything the result depends on (:func:`cache_key`: the notebook, the parameters,
the data, the package, the pins):

``papermill`` (:func:`execute_notebooks`)
    The edition being built, every output kept; the executed copy is what Jupyter Book
    renders. papermill runs in the build's threads, one per core, each notebook in a kernel of
    the build's :class:`~labour_market_book.kernels.KernelPool` (started before validation,
    warmed with the imports, reused notebook after notebook, each time made what a fresh
    kernel shows a notebook). A kernel that never came up is started once more.
``the light run`` (:func:`execute_for_exports`)
    The previous edition, for 'Hvad er ændret siden sidste udgave': the notebook's code
    cells run without papermill (:func:`labour_market_book.in_kernel.run_code_cells`) in the
    build's warm kernels once this edition's notebooks have run (called without a pool: in a
    reused worker process), with ``LMB_EXPORTS_ONLY=1`` so that no figure is drawn
    (:meth:`labour_market_book.exhibits.Page.glue_figure`); only the exhibit CSVs it writes
    are kept (``<notebook>-exports-<key>``). The parameters are set after the
    ``parameters`` cell, as papermill's injected cell does. ``tests/test_build.py`` checks that
    it exports exactly the numbers papermill's run exports, for every exhibit of two editions.
    Its key takes the notebook's code (:func:`code_of`), not its bytes: a comment or a
    Markdown edit runs the page again with papermill, not the previous edition's numbers.

:func:`execute_editions` runs both: with the build's kernels, this edition's notebooks first,
then the previous edition's light runs in the same warm kernels (no second set of imports),
while the build stages this edition's pages; without them, both at once, the light run in one
worker process at lower priority.
"""

from __future__ import annotations

import ast
import concurrent.futures as futures
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

import nbformat

from .contents import toc, toc_files
from .datasets import previous_year
from .errors import BuildError, cell_name
from .in_kernel import code_cells, run_code_cells, warm_imports
from .kernels import KernelPool
from .memo import package_digest, write_whole
from .paths import REPO_ROOT, data_dir as default_data_dir


# -- what to execute, and the cache key --------------------------------------------------
def toc_notebooks(root: Path = REPO_ROOT) -> list[Path]:
    """Notebooks named in ``_toc.yml``, in reading order."""
    names = toc_files(toc(root))
    return [root / f"{name}.ipynb" for name in names if (root / f"{name}.ipynb").exists()]


def hash_files(digest, paths, base: Path) -> None:
    """Feed files (their path relative to ``base`` and their bytes) into a hash, in order."""
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())


def inputs_digest(data_dir: Path) -> str:
    """Hash of what every notebook depends on besides itself: data, package, requirements.
    (``data/raw/`` and ``data/incoming/`` are make data's, not the book's.)"""
    digest = hashlib.sha256()
    hash_files(digest, [p for p in data_dir.rglob("*") if p.is_file()
                        and p.relative_to(data_dir).parts[0] not in ("raw", "incoming")], data_dir)
    digest.update(package_digest().encode())
    return digest.hexdigest()


def code_of(notebook: Path) -> bytes:
    """What the light run of a notebook depends on in the notebook itself: its code cells as
    Python's syntax tree (a comment, a blank line or a Markdown cell changes nothing the light
    run exports), and which cell is the ``parameters`` cell. A cell that does not parse counts
    as its text."""
    parts = []
    for source, is_parameters in code_cells(notebook):
        try:
            code = ast.dump(ast.parse(source))
        except SyntaxError:
            code = source
        parts.append((is_parameters, code))
    return json.dumps(parts).encode()


def cache_key(notebook: Path, parameters: dict, data_dir: Path, inputs: str | None = None, *,
              code_only: bool = False) -> str:
    """Hash of everything a notebook's output depends on (for the light run, ``code_only``:
    the notebook's code, :func:`code_of`, rather than its bytes)."""
    digest = hashlib.sha256()
    digest.update(code_of(notebook) if code_only else notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    digest.update((inputs or inputs_digest(data_dir)).encode())
    return digest.hexdigest()[:20]


# -- the workers ------------------------------------------------------------------------------
def _papermill_in(kernels: KernelPool) -> Callable:
    """The papermill worker, run in a thread of the build: one notebook executed in a kernel
    of ``kernels`` into ``output``, its exhibit CSVs to ``export_dir``."""
    def worker(notebook: str, output: str, export_dir: str, parameters: dict, data_dir: str) -> float:
        try:
            return kernels.run(Path(notebook), Path(output), parameters,
                               {"LMB_EXPORT_DIR": export_dir, "LMB_DATA_DIR": data_dir})
        except Exception as exc:
            Path(output).with_name("error.log").write_text(str(exc), encoding="utf-8")
            raise RuntimeError(failure_line(exc, code_cell_of(output, exc))) from None
    return worker


def code_cell_of(executed: str, exc: BaseException) -> int | None:
    """The failing cell's index among the notebook's own code cells (papermill's injected
    parameters and error notes not counted): the number nbval gives it."""
    index = getattr(exc, "cell_index", None)
    if index is None or not Path(executed).exists():
        return None
    cells = [c for c in nbformat.read(executed, as_version=4).cells   # papermill's error notes out
             if "papermill-error-cell-tag" not in c.metadata.get("tags", [])][:index]
    return sum(c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
               for c in cells)


def failure_line(exc: BaseException, cell: int | None = None) -> str:
    """One line for a notebook that failed: the cell (as nbval numbers it,
    :func:`labour_market_book.errors.cell_name`), the start of its code and the exception,
    without the traceback."""
    if cell is None:
        text = " ".join(str(exc).split())
        return text[:300] or type(exc).__name__
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = source[0][:60] + ("…" if source and len(source[0]) > 60 else "") if source else ""
    ename, evalue = getattr(exc, "ename", "Error"), " ".join(str(getattr(exc, "evalue", "")).split())
    return f"{cell_name(cell)}{f' ({first})' if first else ''} raised {ename}: {evalue[:200]}"


def _light_worker(notebook: str, output: str, export_dir: str, parameters: dict,
                  data_dir: str) -> float:
    """Run a notebook's code cells in this worker process, without a kernel, for the exhibit
    CSVs it writes (the light run): figures are not drawn and no output is kept. Workers are
    reused, so the imports are paid once per worker, not once per notebook."""
    os.environ["LMB_EXPORT_DIR"] = export_dir
    os.environ["LMB_DATA_DIR"] = data_dir
    if not os.environ.get("LMB_EXPORTS_ONLY"):
        os.environ["LMB_EXPORTS_ONLY"] = "1"
        os.nice(5)   # this edition's pages come first: yield the cores to their kernels
    import matplotlib  # deferred: the worker picks its backend before pyplot is imported
    matplotlib.use("Agg")
    start = time.perf_counter()
    run_code_cells(Path(notebook), parameters)
    return time.perf_counter() - start


def _light_in(kernels: KernelPool) -> Callable:
    """The light run in a kernel of the build's pool (warm: no imports to make), run in a
    thread of the build once this edition's notebooks have run."""
    def worker(notebook: str, output: str, export_dir: str, parameters: dict, data_dir: str) -> float:
        return kernels.run_light(Path(notebook), parameters,
                                 {"LMB_EXPORT_DIR": export_dir, "LMB_DATA_DIR": data_dir})
    return worker


# -- one pool for both ---------------------------------------------------------------------
def pending(notebooks: list[Path], parameters: dict, cache_dir: Path, data_dir: Path | None = None,
            *, kind: str = "", force: bool = False, say: bool = False) -> tuple[dict[Path, Path], list]:
    """Each notebook's cache entry, and which of them must run (their entry is missing, or
    all: ``force``) as ``(position, notebook, entry)``; ``say``: print the ones taken."""
    data_dir = data_dir or default_data_dir()
    inputs = inputs_digest(data_dir)
    entries, todo = {}, []
    total = len(notebooks)
    for i, nb in enumerate(notebooks, start=1):
        key = cache_key(nb, parameters, data_dir, inputs, code_only=kind == "exports")
        entry = cache_dir / f"{nb.stem}-{kind + '-' if kind else ''}{key}"
        entries[nb] = entry
        if entry.exists() and not force:
            if say:
                print(f"[{i}/{total}] {nb.stem}: unchanged, taken from the cache", flush=True)
        else:
            todo.append((i, nb, entry))
    return entries, todo


def _run(worker: Callable, notebooks: list[Path], parameters: dict, cache_dir: Path, *,
         kind: str, jobs: int | None, force: bool, data_dir: Path | None,
         on_work: Callable[[], None] | None, report: Callable[[int, int, Path, float], str],
         failed_copy: bool, executor: Callable[[int], futures.Executor]) -> dict[Path, Path]:
    """Run ``worker`` for every notebook whose cache entry is missing (or all, ``force``),
    ``jobs`` at a time in ``executor(jobs)``; a finished run's folder becomes its entry.
    Returns notebook -> cache entry; raises :class:`BuildError` naming every failure."""
    data_dir = data_dir or default_data_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    entries, todo = pending(notebooks, parameters, cache_dir, data_dir, kind=kind, force=force,
                            say=not kind)
    total = len(notebooks)
    if not todo:
        return entries
    if on_work:
        on_work()
    # Longest first: on two cores the last notebook to start decides when the execution
    # ends. The last run's times, else the committed notebook's size (its outputs are
    # mostly figures, which take the time): about 30 kB a second.
    timings_file = cache_dir / f"timings{'-' + kind if kind else ''}.json"
    try:
        timings = json.loads(timings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):       # none yet
        timings = {}
    todo.sort(key=lambda t: -timings.get(t[1].stem, t[1].stat().st_size / 30_000))
    failures = []
    with executor(min(jobs or os.cpu_count() or 1, len(todo))) as pool:
        running = {}
        for i, nb, entry in todo:
            tmp = Path(tempfile.mkdtemp(prefix=f"{nb.stem}-{kind + '-' if kind else ''}", dir=cache_dir))
            (tmp / "exports").mkdir()
            fut = pool.submit(worker, str(nb), str(tmp / "notebook.ipynb"), str(tmp / "exports"),
                              parameters, str(data_dir))
            running[fut] = (i, nb, entry, tmp)
        for fut in futures.as_completed(running):
            i, nb, entry, tmp = running[fut]
            try:
                seconds = fut.result()
            except Exception as exc:  # one line: the notebook, the cell, the exception
                message = " ".join(str(exc).split()) or type(exc).__name__
                log = ""
                if failed_copy:
                    failed = cache_dir.parent / "failed" / f"{nb.stem}.ipynb"
                    failed.parent.mkdir(parents=True, exist_ok=True)
                    copy = ""     # papermill writes it when a cell fails, not when the kernel dies
                    if (tmp / "notebook.ipynb").exists():
                        shutil.copyfile(tmp / "notebook.ipynb", failed)
                        copy = f" (executed copy: {failed})"
                    if (tmp / "error.log").exists():
                        shutil.copyfile(tmp / "error.log", failed.with_suffix(".log"))
                        log = f"; traceback in {failed.with_suffix('.log')}"
                    print(f"[{i}/{total}] {nb.stem}: FAILED{copy}", flush=True)
                shutil.rmtree(tmp, ignore_errors=True)
                failures.append(f"{nb.name} ({parameters['reference_year']}) {message}{log}")
                continue
            if entry.exists() and force:
                shutil.rmtree(entry)
            try:
                tmp.rename(entry)
            except OSError:    # made meanwhile by another run of the same inputs (make plan's
                shutil.rmtree(tmp, ignore_errors=True)    # two editions, a parallel test)
            timings[nb.stem] = round(seconds, 2)
            print(report(i, total, nb, seconds), flush=True)
    write_whole(timings_file, json.dumps(timings, sort_keys=True).encode())
    if failures:
        raise BuildError(f"{'a notebook' if len(failures) == 1 else f'{len(failures)} notebooks'} "
                         "failed: " + "; ".join(failures))
    return entries


def execute_notebooks(notebooks: list[Path], parameters: dict, cache_dir: Path, *,
                      jobs: int | None = None, force: bool = False, data_dir: Path | None = None,
                      on_work: Callable[[], None] | None = None,
                      kernels: KernelPool | None = None) -> dict[Path, Path]:
    """Execute (or take from the cache) every notebook with papermill, ``jobs`` at a time in
    threads, each in a kernel of ``kernels`` (the build's, started early; else a pool of this
    call's, in ``<cache_dir>/../kernels``); return notebook -> cache entry (``notebook.ipynb``
    and ``exports/``). ``on_work`` is called once before anything runs (the build imports its
    renderer meanwhile). A failed notebook's executed copy is kept in ``_build/failed/``."""
    own = kernels is None
    if own:
        kernels = KernelPool(cache_dir.parent / "kernels", Path(notebooks[0]).parent if notebooks
                             else REPO_ROOT, warm_imports(notebooks))
    try:
        return _run(_papermill_in(kernels), notebooks, parameters, cache_dir, kind="", jobs=jobs,
                    force=force, data_dir=data_dir, on_work=on_work, failed_copy=True,
                    report=lambda i, n, nb, s: f"[{i}/{n}] {nb.stem}: executed in {s:.1f} s",
                    executor=lambda n: futures.ThreadPoolExecutor(n, thread_name_prefix="papermill"))
    finally:
        if own:
            kernels.close()


def execute_for_exports(notebooks: list[Path], parameters: dict, cache_dir: Path, *,
                        jobs: int | None = None, force: bool = False,
                        data_dir: Path | None = None,
                        on_work: Callable[[], None] | None = None,
                        kernels: KernelPool | None = None) -> dict[Path, Path]:
    """The light run (see the module's opening comment): every notebook's exhibit CSVs for
    these parameters (``<entry>/exports``), cached apart from papermill's entries; in the
    kernels of ``kernels`` (threads), else in spawned worker processes."""
    year = parameters["reference_year"]
    if kernels is not None:
        worker, executor = _light_in(kernels), lambda n: futures.ThreadPoolExecutor(n)
    else:
        worker, executor = _light_worker, lambda n: futures.ProcessPoolExecutor(
            n, mp_context=multiprocessing.get_context("spawn"))
    return _run(worker, notebooks, parameters, cache_dir, kind="exports", jobs=jobs,
                force=force, data_dir=data_dir, on_work=on_work, failed_copy=False,
                report=lambda i, n, nb, s: f"[{year}] {nb.stem}: numbers for 'Hvad er ændret' in {s:.1f} s",
                executor=executor)


def execute_editions(notebooks: list[Path], parameters: dict, datasets: dict, cache_dir: Path, *,
                     jobs: int | None = None, force: bool = False, data_dir: Path | None = None,
                     on_work: Callable[[], None] | None = None, kernels: KernelPool | None = None,
                     meanwhile: Callable[[dict[Path, Path]], None] | None = None):
    """Execute the notebooks for this edition with papermill and run them for the previous
    edition (the latest earlier reference year with data) with the light run: with the
    build's ``kernels``, this edition's first, then the light runs in the same kernels;
    without them, both at once, the light run in one worker process. Both are cached, so a
    rebuild with nothing changed runs nothing. ``meanwhile`` is called with this edition's
    entries as soon as they are there, while the light run goes on (the build stages the
    pages then). Returns this edition's ``{notebook: cache entry}`` and ``(previous year, its
    entries)``, or None when no earlier edition has data."""
    year = previous_year(parameters["reference_year"], datasets)
    if year is None:
        now = execute_notebooks(notebooks, parameters, cache_dir, jobs=jobs, force=force,
                                data_dir=data_dir, on_work=on_work, kernels=kernels)
        if meanwhile:
            meanwhile(now)
        return now, None
    before = dict(parameters, reference_year=year)
    print(f"previous edition for 'Hvad er ændret': {year}", flush=True)
    with futures.ThreadPoolExecutor(max_workers=2) as threads:
        if kernels is not None:    # the build's warm kernels run both, this edition first
            now = execute_notebooks(notebooks, parameters, cache_dir, jobs=jobs, force=force,
                                    data_dir=data_dir, on_work=on_work, kernels=kernels)
            then = threads.submit(execute_for_exports, notebooks, before, cache_dir,
                                  jobs=jobs or os.cpu_count(), force=force, data_dir=data_dir,
                                  kernels=kernels)
        else:
            running = threads.submit(execute_notebooks, notebooks, parameters, cache_dir,
                                     jobs=jobs or os.cpu_count() or 1, force=force,
                                     data_dir=data_dir, on_work=on_work, kernels=kernels)
            then = threads.submit(execute_for_exports, notebooks, before, cache_dir, jobs=1,
                                  force=force, data_dir=data_dir)
            now = running.result()
        if meanwhile:
            meanwhile(now)
        return now, (year, then.result())
