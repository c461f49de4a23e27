"""The appendix page "Hvad er ændret siden sidste udgave", in Danish, from the changes
:mod:`.changes` finds.

:func:`changes_markdown` writes the page: one line that counts what changed, what is new and
what is not yet updated; a summary (one row per exhibit with changes, exhibits with changed
numbers first); a section per exhibit with a row per number, each linked to the exhibit on its
page (an exhibit with no numbers in one of the two editions is one line in a list instead);
and the datasets not yet updated, a line each. :func:`write_changes_page` puts it, and every
change as CSV, into the staged book. Without an earlier edition with data the page says so in
one sentence.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd

from .areas import CODES, display_name
from .changes import (KIND_DA, PERIOD_COLUMNS, TEXT_SUFFIX, Change, compare, doc_of, exhibit_order,
                      not_yet_updated, page_title, read_exports)
from .edition import join_da
from .exports import EXHIBIT_ID
from .formatting import MINUS, UNIT_SUFFIX, format_number, format_value
from .paths import REPO_ROOT
from .periods import EN_DASH, Period, span_da

PAGE = "appendix/aendringer.md"
MARKER = re.compile(r"^% changes-list.*$", re.MULTILINE)
CSV_NAME = "aendringer.csv"

# -- Danish text ----------------------------------------------------------------------------
def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def value_da(row: dict) -> str:
    """A row's value as the book shows it, with its period: ``"22,8 pct. (november 2023)"``."""
    if row["flag"] == "suppressed" or row["value"] == "":
        shown = "."
    else:
        shown = format_value(float(row["value"]), row.get("unit", ""), _decimals(row["value"]),
                             row["flag"])
    return f"{shown} ({period_da(row)})"


def period_da(row: dict) -> str:
    """``"november 2023"``, or ``"november 2013–november 2023"`` for a change."""
    try:
        base = row.get("base_period", "")
        return span_da(base, row["period"]) if base else Period.parse(row["period"]).label_da()
    except ValueError:
        return row["period"]


def difference_da(before: dict, after: dict) -> str:
    """The change from ``before`` to ``after`` in Danish: ``"+0,9 procentpoint"``,
    ``"−3.381"``; empty when it cannot be computed (a suppressed cell, a lower bound,
    another unit)."""
    flags = {before["flag"], after["flag"]}
    if "" in (before["value"], after["value"]) or flags - {"", "approximate"} \
            or before.get("unit") != after.get("unit"):
        return ""
    decimals = max(_decimals(before["value"]), _decimals(after["value"]))
    delta = round(float(after["value"]) - float(before["value"]), decimals)
    unit = after.get("unit", "")
    suffix = " procentpoint" if unit in ("pct", "pct_points") else UNIT_SUFFIX.get(unit, "")
    text = format_number(delta, decimals)
    if not text.startswith(MINUS) and delta != 0:
        text = "+" + text
    if delta == 0:
        text = format_number(0, decimals)
    return ("~" if "approximate" in flags else "") + text + suffix


def row_label(row: dict, measures: dict[str, str]) -> str:
    """Which number a row is, in Danish: area, dimensions and measure."""
    parts = []
    area = row.get("area", "")
    if area:
        parts.append(display_name(area) if area in CODES else area)
    for column, value in row.items():   # a text number's place ('key') is code, not words
        if column in ("area", "measure", "unit", "key", *PERIOD_COLUMNS) or not value:
            continue
        parts.append(value)
    measure = row.get("measure", "")
    if measure:      # a measure the book computes (declared by no sidecar) has no label of its own
        label = measures.get(measure, "tal beregnet af bogen")
        if len(label) > 1 and label[1].islower():  # "Andel af ..." inside the list: "andel af ..."
            label = label[0].lower() + label[1:]
        parts.append(label)
    return ", ".join(parts)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~])")


def md(text: str) -> str:
    """Text for a Markdown table cell: MyST's markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_DANISH_LETTERS = (("oe", "ø"), ("aa", "å"), ("ae", "æ"))


def exhibit_title(exhibit: str, page_title: str | None = None) -> str:
    """``"tabel-8-1"`` -> ``"Tabel 8.1"``; a page table without a number is named by what
    its name says, in Danish letters, never by its file (``"indkomstoverfoersler-
    foertidspension"`` -> ``"Tabel om førtidspension"``); a page's prose numbers by the page
    (``"Tallene i teksten på siden »Ledigheden«"``)."""
    match = EXHIBIT_ID.match(exhibit)
    if match:
        return f"{match.group(1).capitalize()} 8.{match.group(2)}"
    if exhibit.endswith(TEXT_SUFFIX):
        return f"Tallene i teksten på siden »{page_title}«" if page_title else "Tallene i sidens tekst"
    topic = exhibit.split("-", 1)[-1].replace("_", " ").replace("-", " ")
    for ascii_, letter in _DANISH_LETTERS:
        topic = topic.replace(ascii_, letter)
    return f"Tabel om {topic}"


def changes_markdown(changes: list[Change], *, year: int, previous: int | None,
                     pages: dict[str, str], measures: dict[str, dict[str, str]],
                     unchanged: int = 0, csv_link: str | None = None,
                     sizes: dict[str, tuple[int, int]] | None = None,
                     titles: dict[str, str] | None = None,
                     page_titles: dict[str, str] | None = None) -> str:
    """The page's generated part, in Danish MyST Markdown.

    ``pages`` maps exhibit id -> the document of its page (``notebooks/ledigheden``);
    ``measures`` maps dataset id -> {measure: Danish label}; ``sizes`` maps exhibit id ->
    how many numbers it has in (the previous edition, this edition); ``titles`` maps dataset
    id -> its Danish title, ``page_titles`` a page's document -> its title.

    The page leads with one line that counts the numbers changed, new and not yet updated
    ("I alt: 5 tal ændret, 0 nye, 570 endnu ikke opdateret."), then a summary: one row per
    exhibit with changes, those with changed numbers first, then those with new numbers, then
    those whose numbers only disappeared (each group in the order of ``changes``). An exhibit
    with changed numbers, or with new or disappeared numbers beside numbers of the other
    edition, has a section with a row per number; one that has no numbers in one of the two
    editions (``sizes``) is a single line in a list ("Nye i denne udgave", "Uden tal i denne
    udgave"). Numbers not yet updated (:func:`not_yet_updated`) are never listed one by one:
    the page ends with one line per dataset that says how many and where.
    """
    if previous is None:
        return (f"Der er ingen tidligere udgave med data før udgaven for {year}, så der er "
                "intet at sammenligne med.\n")
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in KIND_DA}
    page_titles = page_titles or {}
    lead = (f"**I alt: {format_number(counts['moved'])} tal ændret, {format_number(counts['new'])} "
            f"{'nyt' if counts['new'] == 1 else 'nye'}, {format_number(counts['pending'])} endnu ikke "
            "opdateret" + (f", {format_number(counts['gone'])} forsvundet" if counts["gone"] else "")
            + ".**")
    lines = [lead, "",
             f"Udgaven for {year} er sammenlignet med udgaven for {previous}, den seneste "
             "tidligere udgave med data, bygget af de samme data for de samme områder."
             + (f" Yderligere {_count(unchanged, 'tal er uændret', 'tal er uændrede')}." if unchanged else "")
             + (f" Hvilke datasæt der endnu ikke er opdateret til udgaven for {year}, står "
                f"{{ref}}`sidst på siden <{PENDING_ANCHOR}>`." if counts["pending"] else ""), ""]
    if csv_link:
        lines += [f'<a class="exhibit-download" href="{csv_link}" download>Hent ændringerne '
                  "(CSV)</a>", ""]
    listed_changes = [c for c in changes if c.kind != "pending"]
    if not listed_changes:
        lines.append(f"Ingen af de tal, der findes i begge udgaver, er ændret siden udgaven for "
                     f"{previous}." if counts["pending"] else
                     f"Ingen af tabellernes og figurernes tal er ændret siden udgaven for {previous}.")
        lines.append("")
        lines += _pending_lines(changes, year, previous, pages, titles or {}, page_titles)
        return "\n".join(lines).rstrip("\n") + "\n"

    by_exhibit: dict[str, list[Change]] = {}
    for change in listed_changes:
        by_exhibit.setdefault(change.exhibit, []).append(change)
    tally = {e: {k: sum(1 for c in mine if c.kind == k) for k in KIND_DA}
             for e, mine in by_exhibit.items()}

    def group(exhibit: str) -> int:
        return 0 if tally[exhibit]["moved"] else 1 if tally[exhibit]["new"] else 2

    def title(exhibit: str) -> str:
        return exhibit_title(exhibit, page_titles.get(pages.get(exhibit, "")))

    summary = sorted(by_exhibit, key=group)   # stable: each group keeps the order of changes
    sizes = sizes or {}
    all_new = [e for e in summary if e in sizes and sizes[e][0] == 0]
    all_gone = [e for e in summary if e in sizes and sizes[e][1] == 0]
    listed = {e: NEW_ANCHOR for e in all_new} | {e: GONE_ANCHOR for e in all_gone}
    sectioned = [e for e in summary if e not in listed]

    groups = [GROUP_DA[g] for g in sorted({group(e) for e in summary})]
    in_order = (f": først {groups[0]}, så {groups[1]} og til sidst {groups[2]}" if len(groups) == 3
                else f": først {groups[0]} og så {groups[1]}" if len(groups) == 2 else "")
    lines += [f"Oversigten har en linje pr. tabel, figur, kort og tekst med ændringer{in_order}. "
              "Titlen fører til detaljerne længere nede på siden.", "",
              "| Tabel, figur, kort eller tekst | Ændret | Nye | Forsvundet |", "|---|--:|--:|--:|"]
    for exhibit in summary:
        anchor = listed.get(exhibit) or section_label(exhibit)
        n = tally[exhibit]
        lines.append(f"| {{ref}}`{_role_text(title(exhibit))} <{anchor}>` | "
                     f"{format_number(n['moved'])} | {format_number(n['new'])} | "
                     f"{format_number(n['gone'])} |")
    lines.append("")

    if sectioned:
        lines += ["Et tal, der står i begge udgaver for samme område, opdeling og periode, er "
                  "*ændret*, hvis værdien er en anden. Et tal, der i denne udgave gælder en "
                  "senere periode end det tilsvarende tal i den forrige udgave, vises med begge "
                  "perioder, hvis værdien er en anden. *Nyt* er et tal, den forrige udgave ikke "
                  "havde, *forsvundet* et tal, den ikke længere har, selv om bogens data har "
                  "tallene for den nye udgave.", ""]
    order = {"moved": 0, "new": 1, "gone": 2}
    for exhibit in sectioned:
        mine = sorted(by_exhibit[exhibit], key=lambda c: order[c.kind])
        page = pages.get(exhibit)
        lines += [f"({section_label(exhibit)})=", f"## {title(exhibit)}", ""]
        where = f" på siden {{doc}}`/{page}`" if page else ""
        if EXHIBIT_ID.match(exhibit):
            lines.append(f"Se {{ref}}`{title(exhibit).lower()} <{exhibit}>`{where}.")
        elif exhibit.endswith(TEXT_SUFFIX):
            lines.append(f"Teksten står{where}.")
        else:
            lines.append(f"Tabellen står{where}.")
        lines += ["", f"| Tal | Udgaven for {previous} | Udgaven for {year} | Ændring |",
                  "|---|---|---|---|"]
        same = _same_for_each_measure(mine) if exhibit.endswith(TEXT_SUFFIX) else set()
        for change in mine:
            row = change.after or change.before
            label = row_label({c: v for c, v in change.row.items() if (row.get("measure"), c) not in same},
                              measures.get(row["dataset"], {}))
            before = value_da(change.before) if change.before else "ikke med"
            after = value_da(change.after) if change.after else "ikke med"
            diff = ((difference_da(change.before, change.after) or "ændret")
                    if change.kind == "moved" else KIND_DA[change.kind])
            lines.append(f"| {md(label)} | {md(before)} | {md(after)} | {md(diff)} |")
        lines.append("")

    for anchor, heading, exhibits in ((NEW_ANCHOR, "Nye i denne udgave", all_new),
                                      (GONE_ANCHOR, "Uden tal i denne udgave", all_gone)):
        if not exhibits:
            continue
        lines += [f"({anchor})=", f"## {heading}", ""]
        for exhibit in exhibits:
            n = format_number(tally[exhibit]["new" if anchor == NEW_ANCHOR else "gone"])
            numbers = (f"{n} tal i udgaven for {year} (ingen i udgaven for {previous})"
                       if anchor == NEW_ANCHOR else
                       f"ingen tal i udgaven for {year} ({n} tal i udgaven for {previous})")
            lines.append(f"- {_exhibit_link(exhibit, pages.get(exhibit), title(exhibit))}: {numbers}.")
        lines.append("")
    lines += _pending_lines(changes, year, previous, pages, titles or {}, page_titles)
    return "\n".join(lines).rstrip("\n") + "\n"


def _same_for_each_measure(changes: list[Change]) -> set[tuple[str, str]]:
    """(measure, column) of the columns that do not tell a text's numbers of a measure apart
    (all 16-66-årige, both sexes): left out of their labels, which the dimensions from the
    dataset's row would otherwise crowd."""
    values: dict[tuple[str, str], set[str]] = {}
    for change in changes:
        for column, value in change.row.items():
            if column not in ("area", "measure", "unit", "key", *PERIOD_COLUMNS):
                values.setdefault((change.row.get("measure", ""), column), set()).add(value)
    return {key for key, seen in values.items() if len(seen) == 1}


GROUP_DA = {0: "dem med ændrede tal", 1: "dem med nye tal",
            2: "dem, hvor tal kun er forsvundet"}
NEW_ANCHOR = "aendring-nye"
GONE_ANCHOR = "aendring-uden-tal"
PENDING_ANCHOR = "aendring-endnu-ikke-opdateret"


def _pending_lines(changes: list[Change], year: int, previous: int, pages: dict[str, str],
                   titles: dict[str, str], page_titles: dict[str, str]) -> list[str]:
    """The section on numbers not yet updated: one line per dataset, never one per number."""
    by_dataset: dict[str, list[Change]] = {}
    for change in changes:
        if change.kind == "pending":
            by_dataset.setdefault(change.before["dataset"], []).append(change)
    if not by_dataset:
        return []
    total = sum(len(c) for c in by_dataset.values())
    lines = [f"({PENDING_ANCHOR})=", "## Endnu ikke opdateret", "",
             f"Bogens data har endnu ikke tal til udgaven for {year} fra "
             f"{_count(len(by_dataset), 'datasæt', 'datasæt')}. "
             + (f"De {format_number(total)} tal fra udgaven for {previous}, det drejer sig om, står"
                if total > 1 else f"Det ene tal fra udgaven for {previous}, det drejer sig om, står")
             + f" ikke enkeltvis her (ændringerne som CSV har {'dem' if total > 1 else 'det'}), men samlet for "
             + ("hvert datasæt:" if len(by_dataset) > 1 else "datasættet:"), ""]
    for dataset, mine in sorted(by_dataset.items(), key=lambda i: -len(i[1])):
        where = exhibits_da(dict.fromkeys(c.exhibit for c in mine), pages, page_titles)
        lines.append(f"- {md(titles.get(dataset, 'Et datasæt'))}: "
                     f"{_count(len(mine), 'tal', 'tal')} i {where}.")
    lines.append("")
    return lines


def exhibits_da(exhibits, pages: dict[str, str], page_titles: dict[str, str]) -> str:
    """Exhibits as reader text, runs of the same kind as ranges with an en dash:
    ``"tabel 8.2, figur 8.8–8.10 og teksten på siden »Ledigheden«"``."""
    numbered: list[list] = []
    others = []
    for exhibit in sorted(exhibits, key=exhibit_order):
        match = EXHIBIT_ID.match(exhibit)
        if not match:
            others.append(exhibit_title(exhibit, page_titles.get(pages.get(exhibit, ""))))
            continue
        kind, number = match.group(1), int(match.group(2))
        if numbered and numbered[-1][0] == kind and numbered[-1][2] == number - 1:
            numbered[-1][2] = number
        else:
            numbered.append([kind, number, number])
    parts = [f"{kind} 8.{a}" if a == b else f"{kind} 8.{a}{EN_DASH}8.{b}" for kind, a, b in numbered]
    parts += [o.replace("Tallene i teksten", "teksten").replace("Tallene i sidens", "sidens")
              .replace("Tabel om", "tabellen om") for o in others]
    return join_da(parts)


def section_label(exhibit: str) -> str:
    """The MyST label of an exhibit's section on the page: ``"aendring-tabel-8-1"``."""
    return "aendring-" + re.sub(r"[^a-z0-9]+", "-", exhibit.lower()).strip("-")


def _role_text(text: str) -> str:
    """A link text inside a role: no backquote, and no ``<`` to be taken for the target."""
    return text.replace("`", "'").replace("<", "(").replace(">", ")")


def _exhibit_link(exhibit: str, page: str | None, title: str | None = None) -> str:
    """``Tabel 8.4 på siden Indkomstoverførsler``, linked to the exhibit and its page; a
    page's prose numbers are ``Tallene i teksten på siden …``."""
    title = title or exhibit_title(exhibit)
    where = f" på siden {{doc}}`/{page}`" if page else ""
    if EXHIBIT_ID.match(exhibit):
        return f"{{ref}}`{title} <{exhibit}>`{where}"
    if exhibit.endswith(TEXT_SUFFIX) and page:
        return f"Tallene i teksten{where}"
    return f"{md(title)}{where}"


def _count(n: int, one: str, many: str) -> str:
    return f"{format_number(n)} {one if n == 1 else many}"


def changes_frame(changes: list[Change], *, year: int, previous: int) -> pd.DataFrame:
    """The changes as a table for download (plain numbers, as the exhibits' CSVs), every
    number, the ones not yet updated included."""
    records = []
    for c in changes:
        records.append({
            "exhibit": c.exhibit, "change": KIND_DA[c.kind],
            "row": ";".join(f"{k}={v}" for k, v in c.row.items() if v),
            f"period_{previous}": c.before["period"] if c.before else "",
            f"value_{previous}": c.before["value"] if c.before else "",
            f"flag_{previous}": c.before["flag"] if c.before else "",
            f"period_{year}": c.after["period"] if c.after else "",
            f"value_{year}": c.after["value"] if c.after else "",
            f"flag_{year}": c.after["flag"] if c.after else "",
        })
    return pd.DataFrame(records, columns=["exhibit", "change", "row", f"period_{previous}",
                                          f"value_{previous}", f"flag_{previous}",
                                          f"period_{year}", f"value_{year}", f"flag_{year}"])


# -- into the staged book ---------------------------------------------------------------------
def write_changes_page(stage: Path, executed: dict[Path, Path], before, parameters: dict,
                       datasets: dict) -> str:
    """Fill the staged ``appendix/aendringer.md`` (and ``data/aendringer.csv``) for this
    edition; ``before`` is ``(previous year, entries)`` from
    :func:`labour_market_book.execution.execute_editions`, or None.
    Returns the generated Markdown."""
    year = parameters["reference_year"]
    # The comparison follows from the two editions' cache entries (named by the hash of all
    # they depend on), the page's own source and this module: the same entries give the
    # same page.
    key = hashlib.sha256(json.dumps([
        year, sorted(e.name for e in executed.values()),
        None if before is None else [before[0], sorted(e.name for e in before[1].values())],
        (REPO_ROOT / PAGE).read_text(encoding="utf-8"),
        Path(__file__).read_text(encoding="utf-8"),    # and this module, which writes it
    ]).encode()).hexdigest()[:20]
    cached = (next(iter(executed.values())).parent / f"changes-{key}") if executed else None
    if cached is not None and (cached / "page.md").exists():
        _stage_changes(stage, (cached / "page.md").read_text(encoding="utf-8"),
                       cached / CSV_NAME if (cached / CSV_NAME).exists() else None)
        return (cached / "text.md").read_text(encoding="utf-8")
    measures = {name: {m: spec["label_da"] for m, spec in ds.meta["measures"].items()}
                for name, ds in datasets.items()}
    now = read_exports(executed)
    csv_link = None
    if before is None:
        text = changes_markdown([], year=year, previous=None, pages={}, measures=measures)
    else:
        previous, entries = before
        then = read_exports(entries)
        pages = {k: doc for k, (doc, _) in {**then, **now}.items()}
        reading = {doc: i for i, doc in enumerate(dict.fromkeys(
            doc for doc, _ in [*now.values(), *then.values()]))}
        changes = compare({k: f for k, (_, f) in now.items()}, {k: f for k, (_, f) in then.items()},
                          order=lambda e: (reading[pages[e]], exhibit_order(e)))
        changes = not_yet_updated(changes, datasets, year)
        total = sum(len(f) for _, f in now.values())
        unchanged = total - sum(1 for c in changes if c.after is not None)
        target = stage / "_exports" / "data" / CSV_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        changes_frame(changes, year=year, previous=previous).to_csv(
            target, index=False, encoding="utf-8", lineterminator="\n")
        csv_link = f"../data/{CSV_NAME}"
        sizes = {k: (len(then[k][1]) if k in then else 0, len(now[k][1]) if k in now else 0)
                 for k in {*now, *then}}
        text = changes_markdown(changes, year=year, previous=previous, pages=pages,
                                measures=measures, unchanged=unchanged, csv_link=csv_link,
                                sizes=sizes, titles={n: ds.meta["title"] for n, ds in datasets.items()},
                                page_titles={doc_of(nb): page_title(nb) for nb in
                                             [*executed, *entries] if page_title(nb)})
    source = (REPO_ROOT / PAGE).read_text(encoding="utf-8")
    if not MARKER.search(source):
        raise ValueError(f"{PAGE} has no '% changes-list' line to replace")
    filled = MARKER.sub(lambda _m: text, source, count=1)
    csv_file = stage / "_exports" / "data" / CSV_NAME
    _stage_changes(stage, filled, None)
    if cached is not None:
        cached.mkdir(parents=True, exist_ok=True)
        if csv_link:
            shutil.copyfile(csv_file, cached / CSV_NAME)
        (cached / "text.md").write_text(text, encoding="utf-8")
        (cached / "page.md").write_text(filled, encoding="utf-8")   # last: marks the entry whole
    return text


def _stage_changes(stage: Path, filled: str, csv_file: Path | None) -> None:
    """Write the page into the stage only when its text changed (Sphinx rereads it only
    then), and the CSV of changes beside the data."""
    page = stage / PAGE
    if not page.exists() or page.read_text(encoding="utf-8") != filled:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(filled, encoding="utf-8")
    if csv_file is not None:
        target = stage / "_exports" / "data" / CSV_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(csv_file, target)
