"""Command line: ``python -m labour_market_book <command>``.

Commands
--------
``validate``            validate every dataset and sidecar in data/
``checksums [--allow-lost-editions]``
                        after validation, write each sidecar's coverage and checksum and seal its
                        parts; refuses to drop the default edition's rows unless allowed
``build [--year Y] [--focus F] [--compare A B ...]``
                        validate, execute the notebooks with papermill, build the book
``pdf [--year Y] [--focus F] [--compare A B ...]``
                        build the edition as ``build`` does, then its print edition (A4 PDF)
``bench [--year Y]``      time a cold build and a no-change rebuild, print the figures
``plan [--year Y] [--focus F] [--compare ...]``
                        what an edition needs, what data/ has, what it will show (writes nothing)
``execute-committed``   re-execute the committed notebooks in place (default parameters)
``data [--year Y] ...``  fetch the datasets that declare a query (``make data``)
``check-notebook NB``   re-validate one notebook as CI does, saying in words what differs

Each command imports what it needs when it runs (the imports inside the functions below are
deliberate): ``make validate`` need not load papermill, Sphinx or the HTTP stack.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

from .errors import (BuildError, DataValidationError, FetchError, ParameterError, ReferenceYearError,
                     shown_path)
from .paths import BUILD_DIR


def _validate(args) -> int:
    from .build import validate_data
    from .datasets import describe_coverage, edition_coverage
    from .rules import year_ranges
    datasets = validate_data()
    for ds in datasets.values():
        years = year_ranges(list(ds.editions())) or "none"
        print(f"ok  {ds.csv_path.name}: {len(ds.frame)} rows; editions with data: {years}")
    from .structures import load_structures
    for name, meta in load_structures().items():
        print(f"ok  structures/{name}.yaml: {meta['title']} ({meta['as_of']})")
    coverage = edition_coverage(datasets)
    print(f"editions with data: {year_ranges(list(coverage)) or 'none'}")
    for year, found in coverage.items():
        print(f"  {describe_coverage({year: found})}")
    return 0


def _checksums(args) -> int:
    from .datasets import seal_datasets
    from .structures import seal_structures
    seal_datasets(allow_lost_editions=args.allow_lost_editions)
    for name, changed in seal_structures().items():
        print(f"{'updated' if changed else 'unchanged'}  structures/{name}.yaml")
    return 0


def _kernels(args):
    """``make book``'s kernels, asked for before the build's own imports so that they start
    and make theirs meanwhile (none with ``LMB_WARM_KERNELS=0``: the build starts them when a
    notebook is to run)."""
    from .kernels import book_pool, kept_minutes
    keep = kept_minutes()
    if not keep:
        return keep, None
    kernels = book_pool(BUILD_DIR / "kernels", keep)
    kernels.start(args.jobs or os.cpu_count() or 1)   # kept ones of an earlier build first
    return keep, kernels


def _build(args) -> int:
    def command():
        from .build import build_book
        return build_book
    return _with_kernels(args, command)


def _pdf(args) -> int:
    def command():
        from .print_edition import build_pdf
        return build_pdf
    return _with_kernels(args, command)


def _with_kernels(args, command) -> int:
    """``build`` or ``pdf`` in the kernels of :func:`_kernels`: ``command()`` imports the
    build only once they have been asked for, so that they start during its imports."""
    keep, kernels = _kernels(args)
    try:
        command()(args.year, focus=args.focus, comparison=args.compare, jobs=args.jobs,
                  force=args.force, keep_kernels=keep, kernels=kernels)
    finally:
        if kernels is not None:
            kernels.close()
    return 0


def _bench(args) -> int:
    from .devtools import benchmark
    benchmark(args.year, jobs=args.jobs)
    return 0


def _data(args) -> int:
    from .datasets import load_all
    from .edition import default_parameters
    from .fetch.run import run
    year = args.year or default_parameters()["reference_year"]
    if not any(ds.meta.get("query") for ds in load_all().values()):
        print("no dataset in data/ declares a query yet: nothing to fetch. The numbers in data/ "
              "are transcribed from the report (see docs/adding-a-year.md).")
        return 0
    areas = args.areas
    if args.comparison_set:
        edition = default_parameters()
        areas = list(dict.fromkeys([edition["focus_municipality"], *edition["comparison_areas"],
                                    "Hele landet"]))
    deviations = run(year, dataset=args.dataset, areas=areas, dry_run=args.dry_run,
                     incoming_only=args.incoming_only)
    for d in deviations:
        print(f"differs from the report: {d}")
    return 0


def _plan(args) -> int:
    from .plan import plan
    plan(args.year, focus=args.focus, comparison=args.compare)
    return 0


def _check_notebook(args) -> int:
    from .devtools import check_notebook
    return check_notebook(args.notebook)


def _execute_committed(args) -> int:
    from .devtools import execute_committed
    execute_committed(args.notebook)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labour_market_book", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate").set_defaults(func=_validate)
    p = sub.add_parser("checksums", help="seal the data after an intended change")
    p.add_argument("--allow-lost-editions", action="store_true",
                   help="seal even when a dataset stops serving the default edition (edition.yml)")
    p.set_defaults(func=_checksums)
    for name, func in (("build", _build), ("pdf", _pdf), ("bench", _bench), ("plan", _plan)):
        p = sub.add_parser(name)
        p.add_argument("--year", type=int, default=None,
                       help="reference year of the edition (default: edition.yml)")
        p.add_argument("--jobs", type=int, default=None, help="parallel notebook processes "
                       "(default: one per core)")
        if name in ("build", "pdf", "plan"):
            p.add_argument("--focus", default=None, help="focus municipality, e.g. Horsens "
                           "(default: edition.yml)")
            p.add_argument("--compare", nargs="+", default=None, metavar="AREA",
                           help='comparison areas, e.g. Randers Silkeborg Vejle "Hele landet" '
                           "(default: edition.yml)")
        if name in ("build", "pdf"):
            p.add_argument("--force", action="store_true", help="ignore the execution cache")
        p.set_defaults(func=func)
    p = sub.add_parser("check-notebook", help="re-validate one notebook as CI does (nbval)")
    p.add_argument("notebook", help="the notebook's file stem, e.g. ledigheden")
    p.set_defaults(func=_check_notebook)
    p = sub.add_parser("execute-committed")
    p.add_argument("notebook", nargs="*", help="only these notebooks (file stems), e.g. ledigheden")
    p.set_defaults(func=_execute_committed)
    p = sub.add_parser("data", help="fetch the datasets that declare a query from their source")
    p.add_argument("--year", type=int, default=None, help="reference year (default: edition.yml)")
    p.add_argument("--dataset", default=None, help="fetch only this dataset")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--areas", nargs="+", default=None, help="area names, e.g. Randers \"Hele landet\"")
    which.add_argument("--all-municipalities", action="store_true", help="all 98 municipalities and "
                       "Hele landet (the default)")
    which.add_argument("--comparison-set", action="store_true", help="only edition.yml's focus "
                       "and comparison areas (and Hele landet)")
    p.add_argument("--dry-run", action="store_true", help="print the requests, fetch nothing")
    p.add_argument("--incoming-only", action="store_true", help="only read the CSV files saved "
                   "by hand into data/incoming/; ask no source")
    p.set_defaults(func=_data)
    args = parser.parse_args(argv)
    # A refused build or print edition also says what readers still see (one line all the same).
    published = f"; {last_good_build(BUILD_DIR)}" if args.command in ("build", "pdf") else ""
    try:
        return args.func(args)
    except (BuildError, DataValidationError, FetchError, ParameterError, ReferenceYearError) as exc:
        print(f"error: {str(exc).rstrip('.') if published else exc}{published}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: one line here, the traceback in a log
        log = BUILD_DIR / "error.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        print(f"error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} (an unexpected error: "
              f"the traceback is in {log}; please report it){published}", file=sys.stderr)
        return 3


def last_good_build(build_dir: Path) -> str:
    """What a refused build leaves published: the last good build in ``<build_dir>/html`` and
    when it was made (when it was published), or that there is none yet."""
    html = build_dir / "html"
    if not (html / "index.html").exists():
        return f"nothing is published: {shown_path(html)} holds no earlier build"
    stamp = build_dir / "html.digest"                  # written when the site was published
    made = datetime.fromtimestamp((stamp if stamp.exists() else html / "index.html").stat().st_mtime)
    return f"the published site {shown_path(html)} is still the last good build, made {made:%Y-%m-%d %H:%M}"


if __name__ == "__main__":
    sys.exit(main())
