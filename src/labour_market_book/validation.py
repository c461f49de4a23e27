"""Reading a dataset's rows and checking them against its sidecar.

Every CSV is read as text and checked before anything uses it: declared columns, types,
allowed categories, known areas, units matching the measure, value ranges, the disclosure
flags, whole numbers for counts (a Danish thousands separator named as such), unique keys,
a period some rule takes, and the declared coverage. The first problem in a file stops the
load with a :class:`DataValidationError` that names the file, the line and the column.
Nothing is written here.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from . import areas as area_registry
from .edition import default_parameters
from .errors import DataValidationError, shown_path
from .formatting import FLAGS
from .memo import remembered
from .metadata import sealed_changed
from .periods import Period
from .reading import read_rows
from .rules import (edition_rules, editions_of, parse_year_ranges, rule_words, takes,
                    year_ranges)


DIMENSIONS_DA = {"age_group": "alder", "sex": "køn", "origin": "herkomst", "education": "uddannelse"}
"""Danish names of dimension columns, for messages in the book."""


_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")


_INTEGER_RE = re.compile(r"^-?\d+$")


_THOUSANDS_RE = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


COUNT_UNITS = ("persons", "count", "jobs")
"""Units of measures that count (persons, things, job postings): their values are whole
numbers, written without decimals; a count typed with a Danish thousands separator
(``14.310``) is refused as such."""


def refuse_untaken(path: Path, meta: dict, line: int, column: str, text: str, measure: str) -> None:
    """Refuse a row whose ``column`` (period or base period) no rule of its dataset takes for
    any edition: no edition would ever show it. The advice depends on what changed: a new
    row (the rules are as sealed) is most likely mistyped; old rows that the rules no longer
    take mean that the rules changed, and undoing that comes first."""
    rules = {role: rule for role, rule in meta["periods"]["rules"].items()
             if not rule.get("measures") or measure in rule["measures"]}
    period = Period.parse(text)
    listed = "; ".join(rule_words(role, rule) for role, rule in rules.items())
    sidecar = path.with_suffix(".yaml")
    as_what = " as a base period" if column == "base_period" else ""
    if sealed_changed(meta, "periods"):
        raise DataValidationError(
            path, f"no period rule of {meta['id']} takes {text}{as_what} any more: the period "
                  f"rules in {sidecar.name} changed since they were sealed, and now take {listed}. "
                  f"Undo the change to the rules (`git diff {shown_path(sidecar)}` shows it); only if "
                  "it is intended, delete the rows that no edition can show any more",
            row=line, column=column)
    meant = list(dict.fromkeys(str(Period(period.year, rule.get("month"), rule.get("quarter")))
                               for rule in rules.values()))
    raise DataValidationError(
        path, f"no period rule of {meta['id']} takes {text}{as_what}, so no edition would show "
              f"this row. Did you mean {' or '.join(meant)}? The rules take {listed}. If the "
              f"source now publishes another {meta['periods']['frequency']}, change the rule in "
              f"{sidecar.name} and run `make checksums`", row=line, column=column)


def read_dataset_rows(path: Path, columns: list[dict]) -> list[dict]:
    """Read a CSV as text, checking the encoding, separator, header and fields per line.

    The checks and their messages live in :mod:`labour_market_book.reading`.
    """
    return read_rows(path, columns)


def check_cell(path: Path, line: int, spec: dict, raw: str):
    name = spec["name"]
    text = raw.strip()
    if text != raw:
        raise DataValidationError(path, f"'{raw}' has leading or trailing spaces", row=line, column=name)
    if not text:
        if spec["required"]:
            raise DataValidationError(path, "this column must not be empty", row=line, column=name)
        return None
    kind = spec["type"]
    if kind == "number" and not _NUMBER_RE.match(text):
        if _THOUSANDS_RE.match(text):
            raise DataValidationError(path, f"{text} looks like a number with Danish thousands "
                                      f"separators: write {text.replace('.', '')}", row=line, column=name)
        hint = " (use a dot as decimal mark and no thousands separator)" if re.match(r"^-?[\d.,]+$", text) else ""
        raise DataValidationError(path, f"'{text}' is not a number{hint}", row=line, column=name)
    if kind == "integer" and not _INTEGER_RE.match(text):
        raise DataValidationError(path, f"'{text}' is not a whole number", row=line, column=name)
    if kind == "period":
        try:
            Period.parse(text)
        except ValueError as exc:
            raise DataValidationError(path, str(exc), row=line, column=name) from None
    if "allowed" in spec and text not in spec["allowed"]:
        raise DataValidationError(path, f"'{text}' is not one of the allowed values: "
                                  f"{', '.join(repr(v) for v in spec['allowed'])}", row=line, column=name)
    if "pattern" in spec and not re.match(spec["pattern"], text):
        raise DataValidationError(path, f"'{text}' does not match the pattern {spec['pattern']}",
                                  row=line, column=name)
    if kind == "number":
        return float(text)
    if kind == "integer":
        return int(text)
    return text


def check_count(path: Path, line: int, rec: dict, text: str) -> None:
    """A count (a measure in :data:`COUNT_UNITS`) is a whole number printed without decimals.
    A value with exactly three decimals is refused as a Danish thousands separator first:
    ``14.310`` is 14310 persons, and setting 'decimals' to 3 would print 14,310."""
    measure, unit = rec["measure"], rec["unit"]
    fraction = text.partition(".")[2]
    if fraction and len(fraction) == 3:
        raise DataValidationError(
            path, f"{text} looks like a Danish thousands separator: write {text.replace('.', '')} "
                  f"(the measure '{measure}' counts {unit}, a whole number, and the data files have "
                  "no thousands separator)", row=line, column="value")
    if fraction:
        raise DataValidationError(
            path, f"'{text}' is not a whole number, but the measure '{measure}' counts {unit}: "
                  "write the whole number the source prints", row=line, column="value")
    if rec.get("decimals"):
        raise DataValidationError(
            path, f"the measure '{measure}' counts {unit}, a whole number printed without "
                  f"decimals, but 'decimals' says {rec['decimals']}: set it to 0", row=line,
            column="decimals")


_VALIDATED: dict[str, pd.DataFrame] = {}
"""Frames of rows already validated in this process, by a digest of the file name, the
metadata and the rows as read: what the checks see depends on nothing else, so the same rows
in a copy of the data folder (the tests make hundreds) are not checked again."""


def validate_rows(path: Path, meta: dict, rows: list[dict], *, check_coverage: bool = True) -> pd.DataFrame:
    """Check every row against the metadata; return a typed DataFrame."""
    key = hashlib.sha256(repr((Path(path).name, check_coverage, meta, rows)).encode()).hexdigest()
    frame = _VALIDATED.get(key)
    if frame is None:               # checked here before, or in an earlier build (memo.py)
        frame = remembered("rows", (key,), lambda: _validate_rows(path, meta, rows,
                                                                 check_coverage=check_coverage))
        if len(_VALIDATED) >= 512:
            _VALIDATED.clear()
        _VALIDATED[key] = frame
    return frame.copy()


def _validate_rows(path: Path, meta: dict, rows: list[dict], *, check_coverage: bool) -> pd.DataFrame:
    specs = meta["columns"]
    measures = meta["measures"]
    frequency = meta["periods"]["frequency"]
    seen: dict[tuple, int] = {}
    records = []
    for row in rows:
        line = row["_line"]
        rec = {spec["name"]: check_cell(path, line, spec, row[spec["name"]]) for spec in specs}
        counted = measures.get(rec["measure"], {}).get("unit") in COUNT_UNITS
        if counted:     # before 'decimals': 14.310 with decimals 3 is a thousands separator
            check_count(path, line, rec, row["value"])
        if rec["value"] is not None and rec.get("decimals") is not None:
            # Checked on the text as written: 22.85 with decimals 1 would print as 22,9.
            places = len(row["value"].partition(".")[2])
            if places > max(rec["decimals"], 0):
                raise DataValidationError(
                    path, f"'{row['value']}' has {places} decimal{'s' if places != 1 else ''} but "
                          f"the column 'decimals' says {rec['decimals']}, so the book would print it "
                          "rounded: write the value as the source prints it, and 'decimals' as the "
                          "number of decimals the source prints", row=line, column="value")
        for col in ("period", "base_period"):
            if rec.get(col) and Period.parse(rec[col]).frequency != frequency:
                raise DataValidationError(path, f"'{rec[col]}' does not fit the declared frequency "
                                          f"'{meta['periods']['frequency']}'", row=line, column=col)
        code, area = rec.get("area_code"), rec["area"]
        if code is not None:
            if code not in area_registry.AREAS:
                raise DataValidationError(path, f"unknown area code '{code}' (add it to "
                                          "labour_market_book/areas.py)", row=line, column="area_code")
            if area_registry.AREAS[code] != area:
                raise DataValidationError(path, f"area '{area}' does not match code {code} "
                                          f"('{area_registry.AREAS[code]}')", row=line, column="area")
        measure = rec["measure"]
        if measure not in measures:
            raise DataValidationError(path, f"unknown measure '{measure}' (declared: "
                                      f"{', '.join(measures)})", row=line, column="measure")
        spec = measures[measure]
        if rec["unit"] != spec["unit"]:
            raise DataValidationError(path, f"unit '{rec['unit']}' does not match measure "
                                      f"'{measure}' (unit '{spec['unit']}')", row=line, column="unit")
        for col in ("period", "base_period"):
            if rec.get(col) and not any(takes(rule, Period.parse(rec[col]), measure)
                                        for rule in meta["periods"]["rules"].values()):
                refuse_untaken(path, meta, line, col, rec[col], measure)
        flag = rec["flag"] or ""
        if flag not in FLAGS:
            raise DataValidationError(path, f"unknown flag '{flag}'", row=line, column="flag")
        value = rec["value"]
        if value is None and flag != "suppressed":
            raise DataValidationError(path, "the value is empty but the row is not flagged "
                                      "'suppressed'", row=line, column="value")
        if value is not None and flag == "suppressed":
            raise DataValidationError(path, "a suppressed value must be left empty (never 0)",
                                      row=line, column="value")
        if value is not None:
            if "min" in spec and value < spec["min"]:
                raise DataValidationError(path, f"{value:g} is below the minimum {spec['min']:g} "
                                          f"for measure '{measure}'", row=line, column="value")
            if "max" in spec and value > spec["max"]:
                raise DataValidationError(path, f"{value:g} is above the maximum {spec['max']:g} "
                                          f"for measure '{measure}'", row=line, column="value")
        if rec["provenance"] not in meta["provenance"]:
            raise DataValidationError(path, f"'{rec['provenance']}' is not an entry of the sidecar's "
                                      f"'provenance' (declared: {', '.join(meta['provenance'])}); "
                                      "declare where the row comes from in "
                                      f"{path.with_suffix('.yaml').name}", row=line, column="provenance")
        key = tuple(rec[k] for k in meta["key"])
        if key in seen:
            raise DataValidationError(path, f"duplicate key {dict(zip(meta['key'], key))} "
                                      f"(first on line {seen[key]})", row=line, column=meta["key"][0])
        seen[key] = line
        rec["flag"] = flag
        records.append(rec)
    columns = [s["name"] for s in specs]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for spec in specs:  # text columns: empty string, never NaN; whole numbers stay whole
        if spec["type"] in ("string", "period"):
            frame[spec["name"]] = frame[spec["name"]].fillna("").astype(str)
        elif spec["type"] == "integer":
            frame[spec["name"]] = frame[spec["name"]].astype("Int64")
    frame["value"] = frame["value"].astype(float)
    if check_coverage:
        check_declared_coverage(path, meta, frame)
    return frame


def coverage_of(frame: pd.DataFrame, meta: dict) -> dict | None:
    """What a dataset's rows cover, as its sidecar's ``coverage`` says it: the first and last
    period (base periods included) and the editions the rows serve under the sidecar's
    period rules (``"2014-2024"``, ``"none"``); None without rows."""
    if frame.empty:
        return None
    periods = list(frame["period"]) + ([p for p in frame["base_period"] if isinstance(p, str) and p]
                                       if "base_period" in frame else [])
    parsed = sorted(Period.parse(p) for p in periods)
    editions = year_ranges(list(editions_of(frame, edition_rules(meta))))
    return {"first_period": str(parsed[0]), "last_period": str(parsed[-1]),
            "editions": editions or "none"}


def declared_editions(meta: dict) -> set[int] | None:
    """The editions a sidecar's ``coverage`` says its rows serve (as last sealed), or None
    when it does not say (no rows, or a sidecar from before coverage named editions)."""
    coverage = meta.get("coverage") or {}
    return None if "editions" not in coverage else parse_year_ranges(coverage["editions"])


def editions_phrase(years, default: int | None = None) -> str:
    """``"the edition 2024"``, ``"the editions 2014-2024"``; with the ``default`` edition among
    them, ``"the editions 2014-2024, among them 2024, the default edition (edition.yml)"``."""
    years = sorted(years)
    text = f"the edition{'s' if len(years) > 1 else ''} {year_ranges(years)}"
    if default in years:
        text += (", the default edition (edition.yml)" if len(years) == 1
                 else f", among them {default}, the default edition (edition.yml)")
    return text


def check_declared_coverage(path: Path, meta: dict, frame: pd.DataFrame) -> None:
    sidecar = path.with_suffix(".yaml")
    declared = meta["coverage"]
    if frame.empty:
        if declared is not None:
            raise DataValidationError(sidecar, "metadata field 'coverage' must be null: "
                                      f"{path.name} has no rows (make checksums writes it)")
        return
    actual = coverage_of(frame, meta)
    if declared != actual:
        raise DataValidationError(sidecar, f"metadata field 'coverage' says {declared}, but "
                                  f"{path.name} covers {actual} (make checksums writes it from "
                                  "the rows, then seals the file)")


def lost_periods_advice(meta: dict, frame: pd.DataFrame, sidecar: Path):
    """For :func:`check_sealed`: what a change to the period rules would lose, and then that
    undoing it comes first when it loses the default edition's rows."""
    def consequence(changed):
        before = declared_editions(meta)
        if "periods" not in changed or before is None:
            return None
        lost = before - set(editions_of(frame, edition_rules(meta)))
        if not lost:
            return None
        default = default_parameters()["reference_year"]
        sentence = (f", and with the rules as they now are {meta['id']} would no longer serve "
                    f"{editions_phrase(lost, default)}")
        if default not in lost:
            return sentence, ("If you changed it on purpose, run `make checksums` (it says what is "
                              "lost); if not, undo the change")
        return sentence, (f"Undo the change (`git diff {shown_path(sidecar)}` shows it); only if "
                          "the loss is intended, run `make checksums ALLOW_LOSS=1`")
    return consequence
