"""``make plan YEAR=2025``: what an edition needs, what ``data/`` has of it, and what it will show.

For every dataset: the period each of its rules gives the edition (the periods to add), whether
``data/`` has rows for it, where the numbers come from (the API request ``make data`` makes, or
the publication to type them from by hand), and which exhibits the dataset feeds. At the end:
how many of the book's tables and figures the edition would show in full, in part, or as a
notice, found by running the notebooks' code for the edition without a kernel (the light run,
into a temporary folder). Nothing is written to the repository.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from .build import edition_parameters, validate_data
from .edition import coverage_da
from .execution import execute_for_exports, toc_notebooks
from .exports import read_gaps, read_statuses
from .fetch.run import incoming_name

STATUS = {"full": "in full", "partial": "in part", "notice": "as a notice"}


def _has(ds, period: str, base: bool) -> int:
    """How many rows the dataset has in ``period`` (as a base period of a change when ``base``)."""
    frame = ds.frame
    if base and "base_period" in frame:
        return int(((frame["period"] == period) | (frame["base_period"] == period)).sum())
    return int((frame["period"] == period).sum())


def source_of(ds, year: int) -> str:
    """Where an edition's numbers of a dataset come from, in one line."""
    meta = ds.meta
    query = meta.get("query")
    if query:
        api = "Statistikbanken" if query["api"] == "statbank" else "Jobindsats (key needed)"
        return (f"`make data YEAR={year}` asks {api} table {query['table']}; by hand: "
                f"`make data YEAR={year} DRY_RUN=1` prints the request, save the answer as "
                f"data/incoming/{incoming_name(ds, year)}")
    source = meta["source"]
    where = f" ({source['url']})" if source.get("url") else ""
    return (f"by hand from {meta['publisher']}: {source['table_id']}{where}; add rows to "
            f"data/{ds.id}.csv with a 'manual' provenance entry (README, 'Adding a new year')")


def plan(year: int, *, focus: str | None = None, comparison: list[str] | None = None,
         say=print) -> dict[str, str]:
    """Print the edition's plan; return each exhibit's status (full, partial, notice)."""
    datasets = validate_data()
    parameters = edition_parameters(year, focus, comparison)
    say(f"Plan for the edition {year} (focus {parameters['focus_municipality']}, compared with "
        f"{', '.join(parameters['comparison_areas'])}); nothing is written.\n")
    missing = 0
    for name, ds in sorted(datasets.items()):
        rules = ds.meta["periods"]["rules"]
        lines = []
        for role, rule in rules.items():
            period = ds.period(year, role)
            base = rule.get("purpose") == "base"
            count = _has(ds, str(period), base)
            missing += count == 0 and not base
            lines.append(f"    {role:<16} {period.label_da():<18} "
                         + (f"{count} rows in data/" if count else "MISSING") + (" (a base period)" if base else ""))
        say(f"{name}: {ds.meta['title']}")
        say("\n".join(lines))
        say(f"    from: {source_of(ds, year)}")
        say(f"    feeds: {', '.join(ds.meta.get('feeds') or []) or '(no exhibit: the prose)'}")
    with tempfile.TemporaryDirectory(prefix="lmb-plan-") as tmp:
        entries = execute_for_exports(toc_notebooks(), parameters, Path(tmp) / "cache", jobs=1)
        statuses = read_statuses(entry / "exports" for entry in entries.values())
        gaps = {e: g for page in read_gaps(entry / "exports" for entry in entries.values()).values()
                for e, g in page.items()}
    counts = Counter(statuses.values())
    say(f"\n{missing} edition periods are missing from data/ (MISSING above; base periods only "
        "matter for changes). The edition would show:")
    for status in ("full", "partial", "notice"):
        exhibits = sorted((e for e, s in statuses.items() if s == status), key=_exhibit_order)
        say(f"  {STATUS[status]:<12} {counts[status]:>3}: {', '.join(exhibits) or '-'}")
    needs = [(e, g["needs"]) for e, g in sorted(gaps.items(), key=lambda i: _exhibit_order(i[0]))
             if g.get("needs")]
    if needs:
        say("\nWhat the exhibits not shown in full need (the appendix 'Manglende tal' says the same):")
        for exhibit, need in needs:
            say(f"  {exhibit}: {need}")
    say(f"\nThe front page will say: {coverage_da(statuses)}")
    return statuses


def _exhibit_order(exhibit: str) -> tuple:
    kind, _, number = exhibit.partition("-8-")
    return (kind, int(number) if number.isdigit() else 0)
