"""What changed since the previous edition: the appendix page "Hvad er ændret siden sidste udgave".

The build executes the notebooks twice, at the same time and through the same cache
(:func:`labour_market_book.execution.execute_editions`): for the edition being built and for
the previous edition, the latest earlier reference year that has data, with the same focus
and comparison areas and from the same data. This module only compares what they exported
and writes the page: every number each exhibit exports (``<exhibit>.csv``) and every number in
a page's prose (``<page>-tekst.csv``, such as the 14.494 persons in the text before Tabel 8.1)
is compared (:func:`compare`):

1. rows are matched by exhibit and all columns that say *which* number a row is (area,
   dimensions, period, base period, measure, unit; for the prose, the number's place in it);
   the columns that say what the number is and where it comes from (value, flag, basis,
   dataset, provenance, its printed text) are compared, the value as a number;
2. of the rows left over, a row of this edition and one of the previous edition that
   differ only in their period (Tabel 8.1 in november 2023 against november 2022) are
   paired when each is the only one of its kind, so an exhibit that moved on by a year
   reads as moved, not as all new; a pair with the same value is no change;
3. what is left is new or has disappeared; a number that disappeared because the data do not
   have its dataset's measure for the new edition's period yet is *not yet updated*
   (:func:`not_yet_updated`): in a partly updated edition those are most numbers, and the
   page sums them up in one line per dataset instead of listing them.

:func:`changes_markdown` writes the page in Danish: one line that counts what changed, what is
new and what is not yet updated; a summary (one row per exhibit with changes, exhibits with
changed numbers first); a section per exhibit with a row per number, each linked to the
exhibit on its page (an exhibit with no numbers in one of the two editions is one line in a
list instead); and the datasets not yet updated, a line each. :func:`write_changes_page` puts
it, and every change as CSV, into the staged book. Without an earlier edition with data the
page says so in one sentence.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .areas import CODES, display_name
from .edition import join_da
from .exports import EXHIBIT_ID, PAGE_TABLE
from .formatting import MINUS, UNIT_SUFFIX, format_number, format_value
from .paths import REPO_ROOT
from .datasets import edition_rules
from .periods import EN_DASH, Period, resolve, span_da

PAGE = "appendix/aendringer.md"
MARKER = re.compile(r"^% changes-list.*$", re.MULTILINE)
CSV_NAME = "aendringer.csv"

VALUE_COLUMNS = ("value", "flag", "basis", "dataset", "provenance", "text", "row_key")
"""Columns that describe a number rather than say which number it is (a text number's
printed ``text`` and its dataset ``row_key`` hold its value and its period)."""

PERIOD_COLUMNS = ("period", "base_period")

TEXT_SUFFIX = "-tekst"
"""A page's prose numbers: ``<page>-tekst.csv``, compared as the page's own "exhibit"."""

KIND_DA = {"moved": "ændret", "new": "nyt", "gone": "forsvundet", "pending": "endnu ikke opdateret"}


# -- comparing ------------------------------------------------------------------------------
def read_exports(executed: dict[Path, Path], *, text: bool = True) -> dict[str, tuple[str, pd.DataFrame]]:
    """Exhibit id -> (page's document name, its exported rows as text), for every exhibit
    and page table with numbers (not charts of units) and, with ``text``, every page's prose
    numbers (``<page>-tekst``)."""
    out = {}
    for nb, entry in executed.items():
        doc = _doc(nb)
        for csv in sorted((Path(entry) / "exports").glob("*.csv")):
            prose = csv.stem.endswith(TEXT_SUFFIX)
            if prose and not text or not (prose or EXHIBIT_ID.match(csv.stem) or PAGE_TABLE.match(csv.stem)):
                continue
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            if "value" in frame and "unit" in frame:
                out[csv.stem] = (doc, with_dimensions(frame) if prose else frame)
    return out


_ROW_KEY_SAID = ("area_code", "area", "period", "base_period", "measure")


def with_dimensions(frame: pd.DataFrame) -> pd.DataFrame:
    """A page's prose numbers with their dataset row's dimensions (age group, school district
    ...) as columns of their own, from the ``row_key``: they say which number a row is, in the
    comparison and in the row's label, as an exhibit's dimension columns do."""
    if "row_key" not in frame or frame.empty:
        return frame
    parsed = [dict(part.split("=", 1) for part in str(key).split(";") if "=" in part)
              for key in frame["row_key"]]
    columns = [c for c in dict.fromkeys(k for row in parsed for k in row)
               if c not in _ROW_KEY_SAID and c not in frame]
    out = frame.copy()
    for column in columns:
        out.insert(list(out.columns).index("period"), column, [row.get(column, "") for row in parsed])
    return out


def _doc(notebook: Path) -> str:
    """A notebook's document name in the book: ``notebooks/ledigheden``."""
    path = Path(notebook).resolve()
    return path.relative_to(REPO_ROOT).with_suffix("").as_posix() \
        if path.is_relative_to(REPO_ROOT) else path.stem


def page_title(notebook: Path) -> str | None:
    """A notebook's title: its first level-one heading (``Ledigheden``)."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


@dataclass
class Change:
    """One number that moved, is new, has disappeared or is not yet updated."""

    exhibit: str
    kind: str                      # "moved", "new", "gone" or "pending"
    row: dict                      # the columns that say which number it is
    before: dict | None = None     # the previous edition's row
    after: dict | None = None      # this edition's row


def _key_columns(*frames: pd.DataFrame) -> list[str]:
    columns: list[str] = []
    for frame in frames:
        columns += [c for c in frame.columns if c not in VALUE_COLUMNS and c not in columns]
    return columns


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{c: (r.get(c, "") if isinstance(r.get(c, ""), str) else "") for c in
             dict.fromkeys([*columns, *VALUE_COLUMNS])} for r in frame.to_dict("records")]


def _differs(a: dict, b: dict) -> bool:
    """Whether two rows hold different numbers: their flags, or their values as numbers
    (``7`` and ``7.0`` are the same number; a period or basis alone is no change)."""
    if a["flag"] != b["flag"]:
        return True
    try:
        return float(a["value"]) != float(b["value"])
    except ValueError:                      # a suppressed (empty) value
        return a["value"] != b["value"]


def compare(current: dict[str, pd.DataFrame], previous: dict[str, pd.DataFrame], *,
            order=None) -> list[Change]:
    """The changes between two editions' exports (exhibit id -> rows), exhibit by exhibit
    (in the order of the key function ``order``; by default :func:`exhibit_order`)."""
    changes: list[Change] = []
    for exhibit in sorted(set(current) | set(previous), key=order or exhibit_order):
        now = current.get(exhibit, pd.DataFrame(columns=["value"]))
        then = previous.get(exhibit, pd.DataFrame(columns=["value"]))
        columns = _key_columns(now, then)
        new_rows, old_rows = _rows(now, columns), _rows(then, columns)

        def key(row, cols):
            return tuple(row[c] for c in cols)

        # 1. the same number: every column that says which number it is.
        remaining_old: dict[tuple, list[dict]] = {}
        for row in old_rows:
            remaining_old.setdefault(key(row, columns), []).append(row)
        unmatched_new = []
        for row in new_rows:
            match = remaining_old.get(key(row, columns))
            if match:
                old = match.pop(0)
                if _differs(old, row):
                    changes.append(Change(exhibit, "moved", {c: row[c] for c in columns}, old, row))
            else:
                unmatched_new.append(row)
        unmatched_old = [r for rows in remaining_old.values() for r in rows]
        # 2. the same place in the exhibit, a period later: pair one-to-one only.
        others = [c for c in columns if c not in PERIOD_COLUMNS]
        by_place_new: dict[tuple, list[dict]] = {}
        by_place_old: dict[tuple, list[dict]] = {}
        for row in unmatched_new:
            by_place_new.setdefault(key(row, others), []).append(row)
        for row in unmatched_old:
            by_place_old.setdefault(key(row, others), []).append(row)
        paired_new, paired_old = set(), set()
        for place, rows in by_place_new.items():
            olds = by_place_old.get(place, [])
            if len(rows) == 1 and len(olds) == 1:
                paired_new.add(id(rows[0]))
                paired_old.add(id(olds[0]))  # its period moved on: a change if its value did
                if _differs(olds[0], rows[0]):
                    changes.append(Change(exhibit, "moved", {c: rows[0][c] for c in others},
                                          olds[0], rows[0]))
        # 3. new and gone.
        changes += [Change(exhibit, "new", {c: r[c] for c in columns}, None, r)
                    for r in unmatched_new if id(r) not in paired_new]
        changes += [Change(exhibit, "gone", {c: r[c] for c in columns}, r, None)
                    for r in unmatched_old if id(r) not in paired_old]
    return changes


def moved_on(text: str, years: int) -> str:
    """A period ``years`` years later: what every period rule gives an edition that much later."""
    if not text:
        return ""
    p = Period.parse(text)
    return str(Period(p.year + years, p.month, p.quarter))


def not_yet_updated(changes: list[Change], datasets: dict, year: int) -> list[Change]:
    """The changes with every disappeared number marked ``pending`` whose dataset is not yet
    updated for the edition ``year``: the data lack its measure in a period that one of the
    dataset's period rules gives that edition (the analyst has not added those rows yet). A
    number that disappeared from an updated dataset (a window that moved on, an area no
    longer published) stays ``gone``."""
    updated: dict[tuple[str, str], bool] = {}

    def is_updated(name: str, measure: str) -> bool:
        if (name, measure) not in updated:
            ds = datasets[name]
            have = set(ds.frame.loc[ds.frame["measure"] == measure, "period"])
            rules = [r for r in edition_rules(ds.meta).values()
                     if not r.get("measures") or measure in r["measures"]]
            updated[(name, measure)] = all(str(resolve(r, year)) in have for r in rules)
        return updated[(name, measure)]

    out = []
    for change in changes:
        row = change.before
        if change.kind == "gone" and row.get("dataset") in datasets \
                and not is_updated(row["dataset"], row.get("measure", "")):
            change = Change(change.exhibit, "pending", change.row, change.before, None)
        out.append(change)
    return out


_KIND_ORDER = {"tabel": 0, "figur": 1, "kort": 2}


def exhibit_order(exhibit: str) -> tuple:
    """Report order: by number, a table before a figure of the same number; page tables, then
    pages' prose last."""
    match = EXHIBIT_ID.match(exhibit)
    if match:
        return (0, int(match.group(2)), _KIND_ORDER[match.group(1)], exhibit)
    return (2 if exhibit.endswith(TEXT_SUFFIX) else 1, 0, 0, exhibit)


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
                                page_titles={_doc(nb): page_title(nb) for nb in
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
