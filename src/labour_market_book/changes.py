"""What changed since the previous edition: the appendix page "Hvad er ændret siden sidste udgave".

The build executes the notebooks twice, at the same time and through the same cache
(:func:`labour_market_book.execution.execute_editions`): for the edition being built and for
the previous edition, the latest earlier reference year that has data, with the same focus
and comparison areas and from the same data. This module only compares what they exported
and writes the page: every number each exhibit exports (``<exhibit>.csv``) is compared
(:func:`compare`):

1. rows are matched by exhibit and all columns that say *which* number a row is (area,
   dimensions, period, base period, measure, unit); the columns that say what the number
   is and where it comes from (value, flag, basis, dataset, provenance) are compared;
2. of the rows left over, a row of this edition and one of the previous edition that
   differ only in their period (Tabel 8.1 in november 2023 against november 2022) are
   paired when each is the only one of its kind, so an exhibit that moved on by a year
   reads as moved, not as all new;
3. what is left is new or has disappeared.

:func:`changes_markdown` writes the page in Danish: a summary first (one row per exhibit
with changes, counted as changed, new and gone; exhibits with changed numbers first), then a
section per exhibit with a row per number, each linked to the exhibit on its page; an
exhibit with no numbers in one of the two editions is one line in a list at the end rather
than a row per number. :func:`write_changes_page` puts it, and every change as CSV, into the
staged book. Without an earlier edition with data the page says so in one sentence.
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
from .exports import EXHIBIT_ID, PAGE_TABLE
from .formatting import MINUS, UNIT_SUFFIX, format_number, format_value
from .paths import REPO_ROOT
from .periods import Period

PAGE = "appendix/aendringer.md"
MARKER = re.compile(r"^% changes-list.*$", re.MULTILINE)
CSV_NAME = "aendringer.csv"

VALUE_COLUMNS = ("value", "flag", "basis", "dataset", "provenance")
"""Columns that describe a number rather than say which number it is."""

PERIOD_COLUMNS = ("period", "base_period")

KIND_DA = {"moved": "ændret", "new": "nyt", "gone": "forsvundet"}


# -- comparing ------------------------------------------------------------------------------
def read_exports(executed: dict[Path, Path]) -> dict[str, tuple[str, pd.DataFrame]]:
    """Exhibit id -> (page's document name, its exported rows as text), for every exhibit
    and page table with numbers (not the prose's ``-tekst.csv``, nor charts of units)."""
    out = {}
    for nb, entry in executed.items():
        doc = nb.resolve().relative_to(REPO_ROOT).with_suffix("").as_posix() \
            if nb.resolve().is_relative_to(REPO_ROOT) else nb.stem
        for csv in sorted((Path(entry) / "exports").glob("*.csv")):
            if not (EXHIBIT_ID.match(csv.stem) or PAGE_TABLE.match(csv.stem)) \
                    or csv.stem.endswith("-tekst"):
                continue
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
            if "value" in frame and "unit" in frame:
                out[csv.stem] = (doc, frame)
    return out


@dataclass
class Change:
    """One number that moved, is new or has disappeared."""

    exhibit: str
    kind: str                      # "moved", "new" or "gone"
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
    return (a["value"], a["flag"]) != (b["value"], b["flag"])


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
                paired_old.add(id(olds[0]))  # its period moved on: worth saying, same value or not
                changes.append(Change(exhibit, "moved", {c: rows[0][c] for c in others},
                                      olds[0], rows[0]))
        # 3. new and gone.
        changes += [Change(exhibit, "new", {c: r[c] for c in columns}, None, r)
                    for r in unmatched_new if id(r) not in paired_new]
        changes += [Change(exhibit, "gone", {c: r[c] for c in columns}, r, None)
                    for r in unmatched_old if id(r) not in paired_old]
    return changes


_KIND_ORDER = {"tabel": 0, "figur": 1, "kort": 2}


def exhibit_order(exhibit: str) -> tuple:
    """Report order: by number, a table before a figure of the same number; page tables last."""
    match = EXHIBIT_ID.match(exhibit)
    if match:
        return (0, int(match.group(2)), _KIND_ORDER[match.group(1)], exhibit)
    return (1, 0, 0, exhibit)


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
    """``"november 2023"``, or ``"november 2013 til november 2023"`` for a change."""
    try:
        period = Period.parse(row["period"]).label_da()
        base = row.get("base_period", "")
        return f"{Period.parse(base).label_da()} til {period}" if base else period
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
    for column, value in row.items():
        if column in ("area", "measure", "unit", *PERIOD_COLUMNS) or not value:
            continue
        parts.append(value)
    measure = row.get("measure", "")
    if measure:
        label = measures.get(measure, measure)
        if len(label) > 1 and label[1].islower():  # "Andel af ..." inside the list: "andel af ..."
            label = label[0].lower() + label[1:]
        parts.append(label)
    return ", ".join(parts)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~])")


def md(text: str) -> str:
    """Text for a Markdown table cell: MyST's markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_DANISH_LETTERS = (("oe", "ø"), ("aa", "å"), ("ae", "æ"))


def exhibit_title(exhibit: str) -> str:
    """``"tabel-8-1"`` -> ``"Tabel 8.1"``; a page table without a number is named by what
    its name says, in Danish letters, never by its file (``"indkomstoverfoersler-
    foertidspension"`` -> ``"Tabel om førtidspension"``)."""
    match = EXHIBIT_ID.match(exhibit)
    if match:
        return f"{match.group(1).capitalize()} 8.{match.group(2)}"
    topic = exhibit.split("-", 1)[-1].replace("_", " ").replace("-", " ")
    for ascii_, letter in _DANISH_LETTERS:
        topic = topic.replace(ascii_, letter)
    return f"Tabel om {topic}"


def changes_markdown(changes: list[Change], *, year: int, previous: int | None,
                     pages: dict[str, str], measures: dict[str, dict[str, str]],
                     unchanged: int = 0, csv_link: str | None = None,
                     sizes: dict[str, tuple[int, int]] | None = None) -> str:
    """The page's generated part, in Danish MyST Markdown.

    ``pages`` maps exhibit id -> the document of its page (``notebooks/ledigheden``);
    ``measures`` maps dataset id -> {measure: Danish label}; ``sizes`` maps exhibit id ->
    how many numbers it has in (the previous edition, this edition).

    The page leads with a summary: one row per exhibit with changes, those with changed
    numbers first, then those with new numbers, then those whose numbers only disappeared
    (each group in the order of ``changes``). An exhibit with changed numbers, or with new
    or disappeared numbers beside numbers of the other edition, has a section with a row
    per number; one that has no numbers in one of the two editions (``sizes``) is a single
    line in a list at the end ("Nye i denne udgave", "Uden tal i denne udgave").
    """
    if previous is None:
        return (f"Der er ingen tidligere udgave med data før udgaven for {year}, så der er "
                "intet at sammenligne med.\n")
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in KIND_DA}
    lines = [f"Udgaven for {year} er sammenlignet med udgaven for {previous}, den seneste "
             "tidligere udgave med data, bygget af de samme data for de samme områder. "
             f"{_count(counts['moved'], 'tal er ændret', 'tal er ændret')}, "
             f"{_count(counts['new'], 'tal er nyt', 'tal er nye')} og "
             f"{_count(counts['gone'], 'tal er forsvundet', 'tal er forsvundet')}; "
             f"{_count(unchanged, 'tal er uændret', 'tal er uændrede')}.", ""]
    if csv_link:
        lines += [f'<a class="exhibit-download" href="{csv_link}" download>Hent ændringerne '
                  "(CSV)</a>", ""]
    if not changes:
        lines.append(f"Ingen af tabellernes og figurernes tal er ændret siden udgaven for {previous}.")
        return "\n".join(lines) + "\n"

    by_exhibit: dict[str, list[Change]] = {}
    for change in changes:
        by_exhibit.setdefault(change.exhibit, []).append(change)
    tally = {e: {k: sum(1 for c in mine if c.kind == k) for k in KIND_DA}
             for e, mine in by_exhibit.items()}

    def group(exhibit: str) -> int:
        return 0 if tally[exhibit]["moved"] else 1 if tally[exhibit]["new"] else 2

    summary = sorted(by_exhibit, key=group)   # stable: each group keeps the order of changes
    sizes = sizes or {}
    all_new = [e for e in summary if e in sizes and sizes[e][0] == 0]
    all_gone = [e for e in summary if e in sizes and sizes[e][1] == 0]
    listed = {e: NEW_ANCHOR for e in all_new} | {e: GONE_ANCHOR for e in all_gone}
    sectioned = [e for e in summary if e not in listed]

    groups = [GROUP_DA[g] for g in sorted({group(e) for e in summary})]
    in_order = (f": først {groups[0]}, så {groups[1]} og til sidst {groups[2]}" if len(groups) == 3
                else f": først {groups[0]} og så {groups[1]}" if len(groups) == 2 else "")
    lines += [f"Oversigten har en linje pr. tabel, figur og kort med ændringer{in_order}. "
              "Titlen fører til detaljerne længere nede på siden.", "",
              "| Tabel, figur eller kort | Ændret | Nye | Forsvundet |", "|---|--:|--:|--:|"]
    for exhibit in summary:
        anchor = listed.get(exhibit) or section_label(exhibit)
        n = tally[exhibit]
        lines.append(f"| {{ref}}`{_role_text(exhibit_title(exhibit))} <{anchor}>` | "
                     f"{format_number(n['moved'])} | {format_number(n['new'])} | "
                     f"{format_number(n['gone'])} |")
    lines.append("")

    if sectioned:
        lines += ["Et tal, der står i begge udgaver for samme område, opdeling og periode, er "
                  "*ændret*, hvis værdien er en anden. Et tal, der i denne udgave gælder en "
                  "senere periode end det tilsvarende tal i den forrige udgave, vises med begge "
                  "perioder. *Nyt* er et tal, den forrige udgave ikke havde, *forsvundet* et tal, "
                  "den ikke længere har.", ""]
    order = {"moved": 0, "new": 1, "gone": 2}
    for exhibit in sectioned:
        mine = sorted(by_exhibit[exhibit], key=lambda c: order[c.kind])
        title = exhibit_title(exhibit)
        page = pages.get(exhibit)
        lines += [f"({section_label(exhibit)})=", f"## {title}", ""]
        where = f" på siden {{doc}}`/{page}`" if page else ""
        if EXHIBIT_ID.match(exhibit):
            lines.append(f"Se {{ref}}`{title.lower()} <{exhibit}>`{where}.")
        else:
            lines.append(f"Tabellen står{where}.")
        lines += ["", f"| Tal | Udgaven for {previous} | Udgaven for {year} | Ændring |",
                  "|---|---|---|---|"]
        for change in mine:
            row = change.after or change.before
            label = row_label(change.row, measures.get(row["dataset"], {}))
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
            lines.append(f"- {_exhibit_link(exhibit, pages.get(exhibit))}: {numbers}.")
        lines.append("")
    return "\n".join(lines) + "\n"


GROUP_DA = {0: "dem med ændrede tal", 1: "dem med nye tal",
            2: "dem, hvor tal kun er forsvundet"}
NEW_ANCHOR = "aendring-nye"
GONE_ANCHOR = "aendring-uden-tal"


def section_label(exhibit: str) -> str:
    """The MyST label of an exhibit's section on the page: ``"aendring-tabel-8-1"``."""
    return "aendring-" + re.sub(r"[^a-z0-9]+", "-", exhibit.lower()).strip("-")


def _role_text(text: str) -> str:
    """A link text inside a role: no backquote, and no ``<`` to be taken for the target."""
    return text.replace("`", "'").replace("<", "(").replace(">", ")")


def _exhibit_link(exhibit: str, page: str | None) -> str:
    """``Tabel 8.4 på siden Indkomstoverførsler``, linked to the exhibit and its page."""
    title = exhibit_title(exhibit)
    where = f" på siden {{doc}}`/{page}`" if page else ""
    if EXHIBIT_ID.match(exhibit):
        return f"{{ref}}`{title} <{exhibit}>`{where}"
    return f"{md(title)}{where}"


def _count(n: int, one: str, many: str) -> str:
    return f"{format_number(n)} {one if n == 1 else many}"


def changes_frame(changes: list[Change], *, year: int, previous: int) -> pd.DataFrame:
    """The changes as a table for download (plain numbers, as the exhibits' CSVs)."""
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
                                sizes=sizes)
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
