"""``make plan YEAR=2025``: what an edition needs, what ``data/`` has of it, and what it will show.

For every dataset: the period each of its rules gives the edition, as the code to write in the
CSV's ``period`` column beside its Danish label (``2024-11 (november 2024)``), whether ``data/``
has rows for it, where the numbers come from (for a dataset with a query both ways, equally
good: ``make data``, or the rows typed in by hand with a ``manual`` provenance entry), and which
exhibits it feeds. Then, per dataset and exhibit, the rows to add: the measures, areas and
dimensions the previous edition shows, moved on to this edition's periods (:func:`rows_to_add`,
from the notebooks' own exports, not from a list kept by hand). At the end: how many of the
book's tables and figures the edition would show in full, in part, or not at all (left out,
one sentence on the page says so), found by running the notebooks' code without a kernel
(the light run, cached in ``_build/cache/`` as a build's). The output is plain text (no MyST).
Nothing tracked is written.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from .build import edition_parameters, validate_data
from .changes import TEXT_SUFFIX, exhibit_order, moved_on, page_title, read_exports
from .changes_page import exhibit_title
from .datasets import previous_year
from .edition import coverage_da
from .execution import execute_for_exports, toc_notebooks
from .exports import read_gaps, read_statuses
from .fetch.run import incoming_name
from .paths import BUILD_DIR, REPO_ROOT
from .periods import Period

STATUS = {"full": "in full", "partial": "in part", "notice": "not at all"}


def _has(ds, period: str, base: bool) -> int:
    """How many rows the dataset has in ``period`` (as a base period of a change when ``base``)."""
    frame = ds.frame
    if base and "base_period" in frame:
        return int(((frame["period"] == period) | (frame["base_period"] == period)).sum())
    return int((frame["period"] == period).sum())


def source_of(ds, year: int) -> list[str]:
    """Where an edition's numbers of a dataset come from, a line per way. A dataset with a
    query can be fetched or typed in by hand: both are said, as equally good."""
    meta = ds.meta
    source = meta["source"]
    where = f" ({source['url']})" if source.get("url") else ""
    by_hand = (f"type the rows into data/{ds.id}.csv by hand from {meta['publisher']}: "
               f"{source['table_id']}{where}, with a 'manual' provenance entry "
               "(docs/adding-a-year.md)")
    query = meta.get("query")
    if not query:
        return [f"from: {by_hand}"]
    api = "Statistikbanken" if query["api"] == "statbank" else "Jobindsats (key needed)"
    return ["from, either way (the two are equally good):",
            f"  - `make data YEAR={year}` asks {api} table {query['table']} (without network, "
            f"`make data YEAR={year} DRY_RUN=1` prints the request: save the answer as "
            f"data/incoming/{incoming_name(ds, year)})",
            f"  - or {by_hand}"]


# -- the rows to add, from what the previous edition shows ----------------------------------
def _full_keys(ds, export: pd.DataFrame) -> list[dict]:
    """The dataset rows (their key columns) behind an exhibit's exported rows: matched on the
    columns the export has and on the value; a number the book computed matches none."""
    frame, key = ds.frame, ds.meta["key"]
    columns = [c for c in ("area", "period", "base_period", "measure", *[c for c in export.columns if c in key])
               if c in frame]
    strings = [frame[c].astype(str).tolist() for c in columns]   # each column as text, once
    rows_of: dict[tuple, list[int]] = {}
    for position, values in enumerate(zip(*strings)):
        rows_of.setdefault(values, []).append(position)
    out = []
    for row in export.to_dict("records"):
        if row.get("dataset") != ds.id:
            continue
        found = rows_of.get(tuple(str(row.get(c, "") or "") for c in columns), []) if columns \
            else list(range(len(frame)))
        if len(found) > 1 and row.get("value"):
            found = [i for i in found if frame["value"].iat[i] == float(row["value"])]
        if found:
            first = frame.iloc[found[0]]
            out.append({k: str(first[k]) if pd.notna(first[k]) else "" for k in key})
    return out


def _text_keys(ds, text: pd.DataFrame) -> list[dict]:
    """The dataset rows (key columns) behind a page's text numbers (their ``row_key``); a
    number the book computes (``basis`` derived) is typed by nobody."""
    out = []
    for row in text.to_dict("records"):
        if row.get("dataset") == ds.id and row.get("row_key") and row.get("basis") != "derived":
            out.append(dict(part.split("=", 1) for part in str(row["row_key"]).split(";")))
    return out


def rows_to_add(datasets: dict, previous: dict[str, tuple[str, pd.DataFrame]],
                texts: dict[str, tuple[str, pd.DataFrame]], years: int) -> dict[str, dict[str, list[dict]]]:
    """Dataset -> {exhibit -> the key of each row to add}: every row behind a number of the
    previous edition (its exhibits, ``previous``, and its pages' text, ``texts``: page ->
    rows), moved on by ``years`` years, that the dataset does not have yet. A text number
    goes with the page's first exhibit of the same dataset and period (typed from the same
    table), else with the page's text."""
    have = {name: set(map(tuple, ds.frame[ds.meta["key"]].astype(str).replace("nan", "").values))
            for name, ds in datasets.items()}
    out: dict[str, dict[str, list[dict]]] = {}

    listed: dict[str, set[tuple]] = {}          # dataset -> the keys already listed

    def need(name, exhibit, keys, text=False):
        ds = datasets[name]
        for old in keys:
            new = dict(old, period=moved_on(old["period"], years))
            if "base_period" in new:
                new["base_period"] = moved_on(old.get("base_period", ""), years)
            key = tuple(new.get(k, "") for k in ds.meta["key"])
            if key in have[name] or key in listed.setdefault(name, set()):
                continue                 # in data/ already, or listed under an exhibit
            listed[name].add(key)
            out.setdefault(name, {}).setdefault(exhibit, []).append(dict(new, _text=text))

    first_of: dict[tuple, str] = {}      # (page, dataset, period) -> the page's first exhibit
    for exhibit, (page, frame) in sorted(previous.items(), key=lambda i: exhibit_order(i[0])):
        for name in dict.fromkeys(frame.get("dataset", [])):
            if name in datasets:
                keys = _full_keys(datasets[name], frame)
                for period in {k["period"] for k in keys}:
                    first_of.setdefault((page, name, period), exhibit)
                need(name, exhibit, keys)
    for page, (doc, frame) in texts.items():
        for name in dict.fromkeys(frame.get("dataset", [])):
            if name in datasets:
                for old in _text_keys(datasets[name], frame):
                    exhibit = first_of.get((doc, name, old["period"]))
                    need(name, exhibit or f"text:{page}", [old], text=exhibit is not None)
    return out


def _dims(row: dict, ds) -> dict[str, str]:
    return {k: v for k, v in row.items() if k in ds.meta["key"] and v
            and k not in ("area_code", "area", "period", "base_period", "measure")}


def period_code(period: Period) -> str:
    """A period as the code to write in the CSV beside its Danish name: ``2024-11 (november
    2024)``; a year is its own name (``2025``)."""
    return str(period) if period.label_da() == str(period) else f"{period} ({period.label_da()})"


def _measure_words(measure: str, areas: list[str], qualifiers: list[str], combos: list[dict],
                   in_text: bool) -> str:
    """``share_of_population for 000, 730 (sex mænd)``; with several dimension values, ``one
    row per benefit ("A-dagpenge", "Fleksjob")`` (per area) when the rows are every
    combination of them, else each combination."""
    values = {k: list(dict.fromkeys(c[k] for c in combos)) for k in (combos[0] if combos else {})}
    fixed = [f"{k} {vs[0]}" for k, vs in values.items() if len(vs) == 1]
    varying = {k: vs for k, vs in values.items() if len(vs) > 1}
    size = 1
    for vs in varying.values():
        size *= len(vs)
    said = fixed
    if varying and size == len(combos):
        said += ["one row per " + " and ".join(
            f"{k} (" + ", ".join(f'"{v}"' for v in vs) + ")" for k, vs in varying.items())]
    elif varying:
        said += ["rows for " + "; ".join(", ".join(f"{k} {c[k]}" for k in varying) for c in combos)]
    said += qualifiers
    return (f"{measure} for {', '.join(areas)}" + (f" ({', '.join(said)})" if said else "")
            + (" (in the text)" if in_text else ""))


def describe_rows(ds, by_exhibit: dict[str, list[dict]], page_titles: dict[str, str] | None = None
                  ) -> list[str]:
    """The rows to add to one dataset in plain text: a header with the periods and the
    dimensions' usual values, then per exhibit the measures and the areas (codes as in the
    ``area_code`` column, where the dataset has one) and the dimensions where they differ:
    ``Tabel 8.1: share_of_population for 000, 730, 615, 740, 630; persons for 730 (in the text)``."""
    rows = [r for rs in by_exhibit.values() for r in rs]
    usual = {}
    for column in dict.fromkeys(k for r in rows for k in _dims(r, ds)):
        value, count = Counter(_dims(r, ds).get(column) for r in rows).most_common(1)[0]
        if value is not None and count * 2 > len(rows):     # most rows have it: said once
            usual[column] = value
    periods = sorted({r["period"] for r in rows}, key=Period.parse)
    everywhere = all(_dims(r, ds).get(k) == v for r in rows for k, v in usual.items())
    shared = ", ".join(f"{k} {v}" for k, v in usual.items())
    lines = [f"  data/{ds.id}.csv: rows for {', '.join(period_code(Period.parse(p)) for p in periods)}"
             + (f"; each with {shared}{'' if everywhere else ' unless said otherwise'}" if shared else "")]
    area = "area_code" if "area_code" in ds.meta["key"] else "area"
    for exhibit, mine in sorted(by_exhibit.items(), key=lambda i: (i[0].startswith("text:"),
                                                                   exhibit_order(i[0]))):
        by_place: dict[tuple, list[str]] = {}       # the areas of each number's other columns
        for row in mine:
            extra = tuple((k, v) for k, v in _dims(row, ds).items() if usual.get(k) != v)
            qualifiers = tuple(([f"in {row['period']}"] if len(periods) > 1 else [])
                               + ([f"change from {row['base_period']}"] if row.get("base_period") else []))
            by_place.setdefault((row["measure"], qualifiers, extra, row["_text"]), []).append(row[area])
        merged: dict[tuple, list[dict]] = {}         # the same areas: the dimensions that vary
        for (measure, qualifiers, extra, in_text), areas in by_place.items():
            merged.setdefault((measure, qualifiers, tuple(dict.fromkeys(areas)), in_text,
                               tuple(k for k, _ in extra)), []).append(dict(extra))
        parts = [_measure_words(measure, list(areas), list(qualifiers), [c for c in combos if c], in_text)
                 for (measure, qualifiers, areas, in_text, _), combos in merged.items()]
        page = exhibit.removeprefix("text:")
        title = (f"the text of the page {page}" + (f" ({page_titles[page]})" if page in (page_titles or {}) else "")
                 if exhibit.startswith("text:") else exhibit_title(exhibit))
        lines.append(f"    {title}: {'; '.join(parts)}")
    return lines


# -- plain text of MyST ---------------------------------------------------------------------
_ROLE = re.compile(r"\{(\w+)\}`([^`]*)`")
_LABEL = re.compile(r"^\(([^)]+)\)=\s*\n+#+ (.+)$", re.MULTILINE)


def _titles() -> dict[str, str]:
    """MyST label -> the title of the section it labels, in the book's Markdown pages."""
    out = {}
    for path in [REPO_ROOT / "intro.md", *sorted(REPO_ROOT.glob("appendix/*.md")),
                 *sorted(REPO_ROOT.glob("chapters/*.md"))]:
        if path.exists():
            out.update(dict(_LABEL.findall(path.read_text(encoding="utf-8"))))
    return out


def plain(text: str, titles: dict[str, str] | None = None) -> str:
    """Reader text with MyST roles as plain words: ``{ref}`Figur 8.5 <figur-8-5>``` -> ``Figur
    8.5``, ``{ref}`bilag-mangler``` -> ``»Manglende tal«`` (the section's own title)."""
    titles = _titles() if titles is None else titles

    def words(match):
        inner = match.group(2)
        explicit = re.match(r"^(.*?)\s*<([^>]+)>$", inner)
        if explicit:
            return explicit.group(1)
        return f"»{titles[inner]}«" if inner in titles else inner.lstrip("/")
    return _ROLE.sub(words, text)


# -- the plan -------------------------------------------------------------------------------
def plan(year: int, *, focus: str | None = None, comparison: list[str] | None = None,
         say=print, shows: bool = True) -> dict[str, str]:
    """Print the edition's plan; return each exhibit's status (full, partial, notice). Without
    ``shows`` only the datasets' part: no notebook runs, no rows to add, no statuses."""
    datasets = validate_data()
    parameters = edition_parameters(year, focus, comparison)
    year = parameters["reference_year"]
    say(f"Plan for the edition {year} (focus {parameters['focus_municipality']}, compared with "
        f"{', '.join(parameters['comparison_areas'])}); nothing in data/ is changed.\n")
    say("Each period is given as the code to write in the CSV's 'period' column, with its name.")
    missing = 0
    for name, ds in sorted(datasets.items()):
        lines = []
        for role, rule in ds.meta["periods"]["rules"].items():
            period = ds.period(year, role)
            base = rule.get("purpose") == "base"
            count = _has(ds, str(period), base)
            missing += count == 0 and not base
            lines.append(f"    {role:<16} {period_code(period):<26} "
                         + (f"{count} rows in data/" if count else "MISSING") + (" (a base period)" if base else ""))
        say(f"{name}: {ds.meta['title']}")
        say("\n".join(lines))
        say("\n".join(f"    {line}" for line in source_of(ds, year)))
        say(f"    feeds: {', '.join(ds.meta.get('feeds') or []) or '(no exhibit: the prose)'}")
    if not shows:
        return {}
    before = previous_year(year, datasets)
    # both editions' light runs at once, each in its own worker, cached where the build caches
    # them (keyed on the notebook's code, the parameters, the data and the package): a plan run
    # again, or the build of the edition it plans, finds them there
    with ThreadPoolExecutor(2) as threads:
        notebooks = toc_notebooks()
        now = threads.submit(execute_for_exports, notebooks, parameters, BUILD_DIR / "cache", jobs=1)
        if before is not None:
            then = threads.submit(execute_for_exports, notebooks, dict(parameters, reference_year=before),
                                  BUILD_DIR / "cache", jobs=1)
        entries = now.result()
        statuses = read_statuses(entry / "exports" for entry in entries.values())
        gaps = {e: g for page in read_gaps(entry / "exports" for entry in entries.values()).values()
                for e, g in page.items()}
        adding = {}
        if before is not None:
            shown = read_exports(then.result())
            adding = rows_to_add(datasets, {e: s for e, s in shown.items() if not e.endswith(TEXT_SUFFIX)},
                                 {e.removesuffix(TEXT_SUFFIX): s for e, s in shown.items()
                                  if e.endswith(TEXT_SUFFIX)}, year - before)
    titles = _titles()
    titles_of_pages = {nb.stem: page_title(nb) for nb in notebooks if page_title(nb)}
    counts = Counter(statuses.values())
    say(f"\n{missing} edition periods are missing from data/ (MISSING above; base periods only "
        "matter for changes).")
    if adding:
        say(f"\nThe rows to add, per dataset and exhibit: what the edition {before} shows, moved on "
            f"to {year}'s periods (areas by their code):")
        for name, by_exhibit in sorted(adding.items()):
            say("\n".join(describe_rows(datasets[name], by_exhibit, titles_of_pages)))
    say("\nThe edition would show:")
    for status in ("full", "partial", "notice"):
        exhibits = sorted((e for e, s in statuses.items() if s == status), key=exhibit_order)
        say(f"  {STATUS[status]:<12} {counts[status]:>3}: {', '.join(exhibits) or '-'}")
    needs = [(e, g["needs"]) for e, g in sorted(gaps.items(), key=lambda i: exhibit_order(i[0]))
             if g.get("needs")]
    if needs:
        say("\nWhat the exhibits not shown in full need (the appendix 'Manglende tal' says the same):")
        for exhibit, need in needs:
            say(f"  {exhibit}: {plain(need, titles)}")
    say(f"\nThe front page will say: {plain(coverage_da(statuses), titles)}")
    return statuses
