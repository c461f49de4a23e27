"""``make book``: one edition of the book, from validated data to a published site.

:func:`build_book` only orchestrates, in this order:

0. ask for the kernels the notebooks will run in, so that they start meanwhile
   (:mod:`.kernels`);
1. validate every dataset and structure file (a bad file stops the build before anything
   is written) and check that the edition has data (:mod:`.datasets`);
2. execute the notebooks for the edition with papermill, and the previous edition's for
   its numbers, cached (:mod:`.execution`);
3. stage the book (:mod:`.staging`; while the previous edition's numbers are worked out)
   and the page "Hvad er ændret" (:mod:`.changes`);
4. render it with Jupyter Book, warnings as errors (:mod:`.rendering`), unless the published
   site already shows this very stage;
5. and only when that succeeded, replace ``_build/html`` with the new site.

No tracked file is modified; all output lives under ``_build/``. ``make book`` then leaves
warm kernels for the next build in ``_build/kernels/`` (:mod:`.kernels`).
"""

from __future__ import annotations

import difflib
import os
import time
from pathlib import Path

from .areas import CODES, NATIONAL
from .changes_page import write_changes_page
from .datasets import check_reference_year, edition_areas, load_all
from .rules import year_ranges
from .edition import default_parameters
from .errors import ParameterError
from .contents import left_out
from .execution import execute_editions, toc_notebooks
from .kernels import KernelPool, book_pool
from .geo import load_districts
from .paths import REPO_ROOT
from .references import check_references
from .rendering import publish, published_digest, run_jupyter_book, warm_renderer
from .staging import book_digest, stage_book
from .structures import load_structures


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
                "(see docs/adding-a-year.md)")
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


def validate_data(data_dir: Path | None = None) -> dict:
    """Everything validation can know before a notebook runs: every dataset and its sealed
    sidecar, every rule and measure the notebooks ask for, the structure files and the
    optional district geometry. Returns the datasets."""
    datasets = load_all(data_dir)
    check_references(datasets)
    load_structures(data_dir)
    load_districts(data_dir)                 # optional district geometry for Kort 8.2-8.3
    return datasets


def validated_edition(year, focus, comparison, data_dir: Path | None) -> tuple[dict, dict]:
    """The validated datasets and the edition's parameters, said in one line."""
    datasets = validate_data(data_dir)
    parameters = edition_parameters(year, focus, comparison, datasets)
    check_reference_year(parameters["reference_year"], datasets)
    print(f"data valid: {len(datasets)} datasets; building the edition for reference year "
          f"{parameters['reference_year']}, focus {parameters['focus_municipality']}, compared "
          f"with {', '.join(parameters['comparison_areas'])}", flush=True)
    return datasets, parameters


def build_book(year: int | None = None, *, focus: str | None = None,
               comparison: list[str] | None = None, jobs: int | None = None,
               force: bool = False, out_root: Path = REPO_ROOT,
               data_dir: Path | None = None, keep_kernels: float = 0,
               kernels: KernelPool | None = None) -> Path:
    """Validate, execute, stage and render one edition of the book; return the published
    html folder (``<out_root>/_build/html``). ``year``, ``focus`` and ``comparison`` default
    to ``edition.yml``. ``keep_kernels``: leave warm kernels for the next build, waiting
    that many minutes; ``kernels``: the pool to run the notebooks in, already started
    (``make book``; :mod:`.kernels`)."""
    clock = Phases()
    build = Path(out_root) / "_build"
    notebooks = toc_notebooks()
    jobs = jobs or os.cpu_count() or 1
    # make book brings kernels asked for before anything else (cli.py); otherwise one starts
    # only when a notebook is to run (the tests build hundreds of refused data folders)
    with kernels or book_pool(build / "kernels", keep_kernels) as kernels:
        datasets, parameters = validated_edition(year, focus, comparison, data_dir)  # 1.
        clock.done("validate")
        leave_out = left_out(notebooks, parameters["focus_municipality"])
        stage = build / "stage" / _stage_name(parameters)  # 2., 3.: staged during the light run
        executed, before = execute_editions(
            [nb for nb in notebooks if nb not in leave_out], parameters, datasets, build / "cache",
            jobs=jobs, force=force, data_dir=data_dir, on_work=warm_renderer, kernels=kernels,
            meanwhile=lambda done: stage_book(stage, done, parameters, data_dir, datasets,
                                              leave_out))
    clock.done("execute")
    write_changes_page(stage, executed, before, parameters, datasets)
    digest = book_digest(stage)
    clock.done("stage")
    if not force and published_digest(build) == digest:                   # 4.
        published = build / "html"
        print(f"book unchanged since the last build ({clock.total():.1f} s): "
              f"{published / 'index.html'}", flush=True)
    else:
        html = run_jupyter_book(stage, build / "work" / _stage_name(parameters), data_dir)
        clock.done("render")
        published = publish(html, build, digest)                          # 5.
        clock.done("publish")
        print(f"book for reference year {parameters['reference_year']} built in {clock}: "
              f"{published / 'index.html'}", flush=True)
    kernels.keep_for_next_build(jobs)
    return published


class Phases:
    """How long each phase of a build took, for its last line."""

    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.phases: dict[str, float] = {}

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name], self.last = now - self.last, now

    def total(self) -> float:
        return time.perf_counter() - self.start

    def __str__(self) -> str:
        return (f"{self.total():.1f} s ("
                + ", ".join(f"{k} {v:.1f} s" for k, v in self.phases.items()) + ")")
