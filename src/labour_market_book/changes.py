"""What changed since the previous edition: comparing the numbers of two editions.

The build executes the notebooks twice, at the same time and through the same cache
(:func:`labour_market_book.execution.execute_editions`): for the edition being built and for
the previous edition, the latest earlier reference year that has data, with the same focus
and comparison areas and from the same data. This module compares what they exported (it
is pure: frames in, :class:`Change` records out; :mod:`.changes_page` writes the page): every
number each exhibit exports (``<exhibit>.csv``) and every number in a page's prose
(``<page>-tekst.csv``, such as the 14.494 persons in the text before Tabel 8.1) is compared
(:func:`compare`):

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
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .exports import EXHIBIT_ID, PAGE_TABLE
from .memo import remembered
from .paths import REPO_ROOT
from .periods import Period, resolve
from .rules import edition_rules


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
        doc = doc_of(nb)
        # parsed once, also for the next build (memo.py), by the files' bytes
        files = tuple((p.name, p.read_bytes()) for p in sorted((Path(entry) / "exports").glob("*.csv")))
        for stem, frame in remembered("exports", (files, text),
                                      lambda: _entry_exports(Path(entry), text)):
            out[stem] = (doc, frame)
    return out


def _entry_exports(entry: Path, text: bool) -> list[tuple[str, pd.DataFrame]]:
    out = []
    for csv in sorted((entry / "exports").glob("*.csv")):
        prose = csv.stem.endswith(TEXT_SUFFIX)
        if prose and not text or not (prose or EXHIBIT_ID.match(csv.stem) or PAGE_TABLE.match(csv.stem)):
            continue
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        if "value" in frame and "unit" in frame:
            out.append((csv.stem, with_dimensions(frame) if prose else frame))
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


def doc_of(notebook: Path) -> str:
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
    """The frame's rows as dicts of text over ``columns`` and the value columns; a missing
    column or a cell that is not text is ``""``."""
    names = list(dict.fromkeys([*columns, *VALUE_COLUMNS]))
    table = frame.reindex(columns=names, fill_value="")
    cells = [[v if isinstance(v, str) else "" for v in table[name].tolist()] for name in names]
    return [dict(zip(names, row)) for row in zip(*cells)]


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
