"""Loading and validating the datasets in ``data/``.

Every CSV is read as text and checked against its sidecar before anything uses it:
declared columns, types, allowed categories, known areas, units matching the measure,
value ranges, the disclosure flags, unique keys and the declared period coverage. The
first problem in a file stops the load with a :class:`DataValidationError` that names
the file, the line and the column. Nothing is written while loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import areas as area_registry
from .edition import default_parameters
from .errors import DataValidationError, ReferenceYearError, shown_path
from .formatting import FLAGS
from .metadata import (SEALED, check_sealed, file_checksum, line_of, load_sidecar, replace_block,
                       sealed_changed, sidecar_paths, write_checksum)
from .paths import data_dir
from .periods import EN_DASH, Period, reference_year_of, resolve
from .reading import checksum_mismatch_cause, read_rows, read_text

DIMENSIONS_DA = {"age_group": "alder", "sex": "køn", "origin": "herkomst", "education": "uddannelse"}
"""Danish names of dimension columns, for messages in the book."""

_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
_INTEGER_RE = re.compile(r"^-?\d+$")
_THOUSANDS_RE = re.compile(r"^-?\d{1,3}(\.\d{3})+$")

COUNT_UNITS = ("persons", "count", "jobs")
"""Units of measures that count (persons, things, job postings): their values are whole
numbers, written without decimals; a count typed with a Danish thousands separator
(``14.310``) is refused as such."""


@dataclass
class Dataset:
    """One validated dataset: its typed rows and its metadata."""

    id: str
    csv_path: Path
    meta: dict
    frame: pd.DataFrame = field(repr=False)

    # -- periods ---------------------------------------------------------------------
    def rule(self, role: str = "current") -> dict:
        rules = self.meta["periods"]["rules"]
        if role not in rules:
            raise KeyError(f"{self.id}: no period rule '{role}' (has: {', '.join(rules)})")
        return rules[role]

    def period(self, reference_year: int, role: str = "current") -> Period:
        """The period this dataset reports for ``reference_year`` under rule ``role``."""
        return resolve(self.rule(role), reference_year)

    # -- selection -------------------------------------------------------------------
    def select(self, measure: str, reference_year: int, *, role: str = "current",
               base_role: str | None = None, areas: list[str] | None = None,
               **dimensions: str) -> pd.DataFrame:
        """Rows of ``measure`` for the period that ``role`` gives for ``reference_year``.

        ``base_role`` selects changes measured from the period of that rule; without it
        only levels (rows with no base period) are returned. ``areas`` filters and orders
        the areas; the other keyword arguments filter dimension columns exactly.
        """
        if measure not in self.meta["measures"]:
            raise KeyError(f"{self.id}: unknown measure '{measure}'")
        df = self.frame
        mask = (df["measure"] == measure) & (df["period"] == str(self.period(reference_year, role)))
        if "base_period" in df:
            base = str(self.period(reference_year, base_role)) if base_role else ""
            mask &= df["base_period"] == base
        elif base_role:
            raise KeyError(f"{self.id}: has no base_period column")
        for column, value in dimensions.items():
            if column not in df:
                raise KeyError(f"{self.id}: no column '{column}'")
            mask &= df[column] == value
        out = df[mask]
        if areas is not None:
            for area in areas:
                area_registry.check_area(area)
            out = out[out["area"].isin(areas)].copy()
            out["_order"] = out["area"].map({a: i for i, a in enumerate(areas)})
            out = out.sort_values("_order").drop(columns="_order")
        out = out.reset_index(drop=True)
        out.attrs["dataset"] = self.id
        out.attrs["missing"] = self.describe_need(measure, reference_year, role=role,
                                                  base_role=base_role, **dimensions)
        if out.empty:  # why: the caption's one sentence (Page) says which of three it is
            of_measure = df["measure"] == measure
            for column, value in dimensions.items():
                of_measure &= df[column] == value
            in_period = of_measure & (df["period"] == str(self.period(reference_year, role)))
            out.attrs["absent"] = {
                "period": self.period(reference_year, role).label_da(),
                "has_measure": bool(of_measure.any()),
                "has_period": bool(in_period.any()),
                "areas": list(areas or []),
            }
        return out

    def series(self, measure: str, reference_year: int, *, first: str, last: str,
               areas: list[str] | None = None, **dimensions: str) -> pd.DataFrame:
        """Rows of ``measure`` for the same month (or quarter) of every year from the period
        of rule ``first`` to that of rule ``last`` (e.g. every February 2014-2025), in
        period order within each area; only the periods the data have."""
        start, end = self.period(reference_year, first), self.period(reference_year, last)
        wanted = {str(type(start)(y, start.month, quarter=start.quarter))
                  for y in range(start.year, end.year + 1)}
        parts = [self.select(measure, reference_year, role=last, areas=areas, **dimensions)]
        df = self.frame
        rows = df[(df["measure"] == measure) & df["period"].isin(wanted)]
        if "base_period" in df:
            rows = rows[rows["base_period"] == ""]
        for column, value in dimensions.items():
            rows = rows[rows[column] == value]
        if areas is not None:
            rows = rows[rows["area"].isin(areas)]
        order = {a: i for i, a in enumerate(areas or sorted(set(rows["area"])))}
        out = pd.concat([parts[0], rows], ignore_index=True).drop_duplicates(
            subset=[c for c in self.meta["key"] if c in df])
        out = out.assign(_o=out["area"].map(order)).sort_values(["_o", "period"]).drop(columns="_o")
        out = out.reset_index(drop=True)
        out.attrs.update(parts[0].attrs)
        return out

    def places(self, reference_year: int, *, role: str = "current", areas: list[str] | None = None,
               measure: str = "rank", column: str = "rank") -> pd.DataFrame:
        """Each area's place in a ranking in the period of ``role``, as rows of ``measure``.

        A place is either a number of its own (a row of ``measure``, such as Randers' place
        in 2015 that the report's text gives) or the ``column`` of the ranked rows of that
        period (Tabel 8.4's rows: printed by the report, or computed by ``make data`` from a
        fetched ranking, :func:`labour_market_book.fetch.transforms.rank`). The second kind
        comes back as a row of ``measure`` with the ranked row's provenance, marked
        ``basis = derived`` when the place was computed rather than printed."""
        own = self.select(measure, reference_year, role=role, areas=areas)
        df = self.frame
        period = str(self.period(reference_year, role))
        ranked = df[(df["period"] == period) & df[column].notna()] if column in df else df.iloc[0:0]
        if areas is not None:
            ranked = ranked[ranked["area"].isin(areas)]
        ranked = ranked[~ranked["area"].isin(set(own["area"]))].drop_duplicates("area")
        methods = {k: e["method"] for k, e in self.meta["provenance"].items()}
        extra = ranked.assign(
            measure=measure, value=ranked[column].astype(float), unit=self.meta["measures"][measure]["unit"],
            decimals=0, flag="", basis=["derived" if methods[p] == "fetched" else "published"
                                        for p in ranked["provenance"]])
        out = pd.concat([own, extra], ignore_index=True) if not extra.empty else own
        if areas is not None and not out.empty:
            out = out.assign(_o=out["area"].map({a: i for i, a in enumerate(areas)}))
            out = out.sort_values("_o").drop(columns="_o").reset_index(drop=True)
        out.attrs.update(own.attrs)
        return out

    def describe_need(self, measure: str, reference_year: int, *, role: str = "current",
                      base_role: str | None = None, **dimensions: str) -> str:
        """Danish sentence saying what is missing and where it comes from."""
        period = self.period(reference_year, role).label_da()
        when = (f"fra {self.period(reference_year, base_role).label_da()} til {period}"
                if base_role else f"for {period}")
        dims = " og ".join(f"{DIMENSIONS_DA.get(k, k)} {v}" for k, v in dimensions.items()
                           if str(v).lower() != "i alt")
        source = self.meta["source"]
        where = (f"i tabel {source['table_id']} ({source['url']})" if source.get("url")
                 else f"som {source['table_id']}, der ikke er en offentlig tabel")
        return (f"Bogens data har ikke {self.meta['measures'][measure]['label_da'].lower()} "
                f"{when}{' (' + dims + ')' if dims else ''}. "
                f"Tallene findes hos {self.meta['publisher']} {where}.")

    def breakdown(self, measure: str, reference_year: int, *, by: str, total: str,
                  **kwargs) -> pd.DataFrame:
        """:meth:`select` for every category of ``by`` except its ``total`` category.

        ``select("share", 2024, sex="i alt", origin="i alt")`` returns the rows of all age
        groups; ``breakdown(..., by="age_group", total="16-66")`` drops the 16-66 total.
        """
        out = self.select(measure, reference_year, **kwargs)
        attrs = dict(out.attrs)
        out = out[out[by] != total].reset_index(drop=True)
        out.attrs.update(attrs)
        return out

    def span_label(self, reference_year: int, first: str = "base", last: str = "current") -> str:
        """Years from rule ``first`` to rule ``last`` for an edition: ``"2013–2023"`` (en dash)."""
        return f"{self.period(reference_year, first).year}{EN_DASH}{self.period(reference_year, last).year}"

    def unpublished_notice(self, exhibit: str, need: str, reference_year: int) -> str:
        """Danish notice for an exhibit of which the report publishes no numbers.

        ``need`` says in words what the figure shows; the period, publisher, table and
        file come from the metadata.
        """
        return (f"Hvidbogen offentliggør ingen tal fra {exhibit}, og bogens data har dem ikke. "
                f"Figuren kræver {need} i {self.period(reference_year).label_da()} fra tabel "
                f"{self.meta['source']['table_id']} hos {self.meta['publisher']}.")

    # -- editions --------------------------------------------------------------------
    def edition_rules(self) -> dict[str, dict]:
        """The period rules that make an edition (all but base periods of changes)."""
        return edition_rules(self.meta)

    def editions(self) -> dict[int, list[str]]:
        """Reference year -> the periods of its rows, for every edition the rows serve.

        A row serves the edition whose rule gives the row's ``period``; a base period
        (the start of a change) alone serves none.
        """
        return editions_of(self.frame, self.edition_rules())


# -- period rules: which periods they take, which editions rows serve ----------------------
def edition_rules(meta: dict) -> dict[str, dict]:
    """A sidecar's period rules that make an edition (all but base periods of changes)."""
    return {role: rule for role, rule in meta["periods"]["rules"].items()
            if rule.get("purpose", "edition") == "edition"}


def takes(rule: dict, period: Period, measure: str | None = None) -> bool:
    """Whether a rule takes ``period`` for some edition (its month or quarter; a rule that
    names its measures takes only theirs)."""
    if measure is not None and rule.get("measures") and measure not in rule["measures"]:
        return False
    return rule.get("month") == period.month and rule.get("quarter") == period.quarter


def editions_of(frame: pd.DataFrame, rules: dict[str, dict]) -> dict[int, list[str]]:
    """Reference year -> the periods of ``frame``'s rows that ``rules`` give that edition."""
    out: dict[int, set[str]] = {}
    for text, measure in set(zip(frame["period"], frame["measure"])):
        period = Period.parse(text)
        for rule in rules.values():
            if takes(rule, period, measure):
                out.setdefault(reference_year_of(rule, period), set()).add(text)
    return {year: sorted(periods) for year, periods in sorted(out.items())}


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def rule_words(role: str, rule: dict) -> str:
    """A rule in words: ``"current: November of the year before the edition"``."""
    offset = int(rule["year_offset"])
    year = ("of the edition's year" if offset == 0 else "of the year before the edition"
            if offset == -1 else "of the year after the edition" if offset == 1
            else f"{abs(offset)} years {'before' if offset < 0 else 'after'} the edition")
    which = (_MONTHS_EN[rule["month"] - 1] if rule.get("month")
             else f"quarter {rule['quarter']}" if rule.get("quarter") else "the year")
    if which == "the year":
        year = year.removeprefix("of ")
        which = ""
    only = f" (for {', '.join(rule['measures'])} only)" if rule.get("measures") else ""
    return f"{role}: {which + ' ' if which else ''}{year}{only}"


def _untaken(path: Path, meta: dict, line: int, column: str, text: str, measure: str) -> None:
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


# -- reading and validation -------------------------------------------------------------
def _read_rows(path: Path, columns: list[dict]) -> list[dict]:
    """Read a CSV as text, checking the encoding, separator, header and fields per line.

    The checks and their messages live in :mod:`labour_market_book.reading`.
    """
    return read_rows(path, columns)


def _check_cell(path: Path, line: int, spec: dict, raw: str):
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


def _check_count(path: Path, line: int, rec: dict, text: str) -> None:
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


def validate_rows(path: Path, meta: dict, rows: list[dict], *, check_coverage: bool = True) -> pd.DataFrame:
    """Check every row against the metadata; return a typed DataFrame."""
    specs = meta["columns"]
    measures = meta["measures"]
    frequency = meta["periods"]["frequency"]
    seen: dict[tuple, int] = {}
    records = []
    for row in rows:
        line = row["_line"]
        rec = {spec["name"]: _check_cell(path, line, spec, row[spec["name"]]) for spec in specs}
        counted = measures.get(rec["measure"], {}).get("unit") in COUNT_UNITS
        if counted:     # before 'decimals': 14.310 with decimals 3 is a thousands separator
            _check_count(path, line, rec, row["value"])
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
                _untaken(path, meta, line, col, rec[col], measure)
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
        _check_coverage(path, meta, frame)
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


def _check_coverage(path: Path, meta: dict, frame: pd.DataFrame) -> None:
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


def _lost_periods_advice(meta: dict, frame: pd.DataFrame, sidecar: Path):
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


def load_dataset(dataset_id: str, directory: Path | None = None, *,
                 check_checksum: bool = True) -> Dataset:
    """Load and validate one dataset by id (the file stem). Without ``check_checksum`` only
    the content is checked (``make checksums`` writes the coverage and seals the rest)."""
    directory = Path(directory) if directory else data_dir()
    sidecar = directory / f"{dataset_id}.yaml"
    csv_path = directory / f"{dataset_id}.csv"
    if not sidecar.exists():
        raise DataValidationError(sidecar, "metadata sidecar not found")
    if not csv_path.exists():
        raise DataValidationError(csv_path, "data file not found (its sidecar exists)")
    meta = load_sidecar(sidecar, check_seal=False)
    text = read_text(sidecar)
    if check_checksum:      # the period rules last: what a change to them loses needs the rows
        check_sealed(sidecar, text, meta, parts=[p for p in SEALED if p != "periods"])
    frame = validate_rows(csv_path, meta, _read_rows(csv_path, meta["columns"]), check_coverage=False)
    if check_checksum:
        check_sealed(sidecar, text, meta, consequence=_lost_periods_advice(meta, frame, sidecar))
        _check_coverage(csv_path, meta, frame)
        actual = file_checksum(csv_path)
        if actual != meta["checksum"]["value"]:
            raise DataValidationError(sidecar, f"metadata field 'checksum.value' does not match "
                                      f"{csv_path.name} (sha256 {actual})"
                                      + checksum_mismatch_cause(csv_path, meta["checksum"]["value"]))
    frame.insert(0, "dataset", dataset_id)  # every row knows its dataset (for sources)
    return Dataset(dataset_id, csv_path, meta, frame)


def seal_datasets(directory: Path | None = None, *, allow_lost_editions: bool = False,
                  say=print) -> dict[str, Dataset]:
    """``make checksums`` for the datasets: validate their content, write each sidecar's
    ``coverage`` from its rows and seal it. What each dataset serves is compared before (the
    coverage as last sealed) and after: a lost edition is said, and losing the default
    edition (``edition.yml``) is refused, before anything is written, unless
    ``allow_lost_editions``."""
    datasets = load_all(directory, check_checksum=False)  # content must be valid before sealing it
    default = default_parameters()["reference_year"]
    plans = []
    for ds in datasets.values():
        coverage = coverage_of(ds.frame, ds.meta)
        before = declared_editions(ds.meta)
        lost = sorted(before - set(ds.editions())) if before is not None else []
        if default in lost and not allow_lost_editions:
            sidecar = ds.csv_path.with_suffix(".yaml")
            text = read_text(sidecar)
            where = "periods" if sealed_changed(ds.meta, "periods") else "coverage"
            raise DataValidationError(
                sidecar, f"{ds.id} would no longer serve {editions_phrase(lost, default)}: "
                         "its tables, figures and sentences from this dataset would become notices "
                         "there. Undo the change to its period "
                         f"rules or rows (`git diff {shown_path(sidecar)} {shown_path(ds.csv_path)}` "
                         "shows it); only if the loss is intended, run `make checksums ALLOW_LOSS=1`."
                         " Nothing was written", row=line_of(text, [where]))
        plans.append((ds, coverage, lost))
    for ds, coverage, lost in plans:                    # nothing is refused: now write
        sidecar = ds.csv_path.with_suffix(".yaml")
        if coverage != ds.meta["coverage"]:
            sidecar.write_text(replace_block(sidecar.read_text(encoding="utf-8"), "coverage", coverage),
                               encoding="utf-8")
            ds.meta["coverage"] = coverage
            span = ("no rows" if coverage is None else f"rows {coverage['first_period']} to "
                    f"{coverage['last_period']} (editions: {coverage['editions']})")
            say(f"note       {sidecar.name}: coverage is now {span}; check that its 'description' "
                "and 'source' still say which periods it holds")
        if lost:
            say(f"note       {ds.id} no longer serves {editions_phrase(lost, default)}")
        changed = write_checksum(sidecar, ds.meta, file_checksum(ds.csv_path))
        say(f"{'updated' if changed else 'unchanged'}  {sidecar.name}")
    return datasets


def load_all(directory: Path | None = None, *, check_checksum: bool = True) -> dict[str, Dataset]:
    """Validate every dataset in the data folder. Every file must have a sidecar."""
    directory = Path(directory) if directory else data_dir()
    for csv_path in sorted(directory.glob("*.csv")):
        if not csv_path.with_suffix(".yaml").exists():
            raise DataValidationError(csv_path, "data file without a metadata sidecar "
                                      f"({csv_path.with_suffix('.yaml').name})")
    return {p.stem: load_dataset(p.stem, directory, check_checksum=check_checksum)
            for p in sidecar_paths(directory)}


def edition_coverage(datasets: dict[str, Dataset]) -> dict[int, dict[str, list[str]]]:
    """Reference year -> {dataset id: periods} for every edition some dataset has rows for."""
    out: dict[int, dict[str, list[str]]] = {}
    for name, ds in datasets.items():
        for year, periods in ds.editions().items():
            out.setdefault(year, {})[name] = periods
    return dict(sorted(out.items()))


def where(frame: pd.DataFrame, **columns) -> pd.DataFrame:
    """The rows of a selection whose columns equal the given values, its ``attrs`` (dataset,
    what is missing) kept: ``where(rows, measure="expected_share")``."""
    mask = pd.Series(True, index=frame.index)
    for column, value in columns.items():
        mask &= frame[column] == value
    out = frame[mask]
    out.attrs.update(frame.attrs)
    return out


def stack(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Selections in one frame, in the order given, with the ``attrs`` (dataset, what is
    missing) of the first; the first selection itself when none has rows."""
    found = [part for part in parts if not part.empty]
    if not found:
        return parts[0]
    out = pd.concat(found, ignore_index=True)
    out.attrs.update(parts[0].attrs)
    return out


def edition_areas(datasets: dict[str, Dataset]) -> dict[str, set[int]]:
    """Area -> the editions (reference years) some dataset has rows of it for."""
    out: dict[str, set[int]] = {}
    for ds in datasets.values():
        for year, periods in ds.editions().items():
            for area in set(ds.frame.loc[ds.frame["period"].isin(periods), "area"]):
                out.setdefault(area, set()).add(year)
    return out


def previous_year(year: int, datasets: dict[str, Dataset]) -> int | None:
    """The latest reference year before ``year`` that some dataset has rows for, or None."""
    earlier = [y for y in edition_coverage(datasets) if y < year]
    return max(earlier) if earlier else None


def describe_coverage(coverage: dict[int, dict[str, list[str]]]) -> str:
    """``"2024 (outside_labour_force: november 2023)"``, one entry per edition."""
    return "; ".join(
        f"{year} (" + ", ".join(f"{name}: {', '.join(Period.parse(p).label_da() for p in periods)}"
                               for name, periods in sorted(found.items())) + ")"
        for year, found in coverage.items())


def check_reference_year(year: int, datasets: dict[str, Dataset]) -> None:
    """Raise :class:`ReferenceYearError` unless some dataset has rows for the edition ``year``."""
    coverage = edition_coverage(datasets)
    if year in coverage:
        return
    if not coverage:
        raise ReferenceYearError(f"Reference year {year}: no dataset in data/ holds rows for "
                                 "any edition.")
    years = year_ranges(list(coverage))
    nearest = min(coverage, key=lambda y: (abs(y - year), -y))
    raise ReferenceYearError(
        f"Reference year {year}: no table or figure has data for this edition. Editions with "
        f"data: {years} (nearest: {nearest}, from {', '.join(sorted(coverage[nearest]))}; "
        "`make validate` lists what each dataset reaches). Build one of those, or add data "
        f"for {year} to data/ (README, 'Adding a new year').")


def year_ranges(years: list[int]) -> str:
    """``[2015, 2016, 2017, 2024]`` -> ``"2015-2017, 2024"``."""
    years = sorted(set(years))
    parts, start = [], None
    for i, y in enumerate(years):
        start = y if start is None else start
        if i == len(years) - 1 or years[i + 1] != y + 1:
            parts.append(f"{start}-{y}" if y != start else str(y))
            start = None
    return ", ".join(parts)


def parse_year_ranges(text: str) -> set[int]:
    """The years of :func:`year_ranges`' text: ``"2009, 2015-2017"`` -> {2009, 2015, 2016, 2017};
    ``"none"`` or ``""`` -> none."""
    years: set[int] = set()
    for part in str(text).split(","):
        part = part.strip()
        if part and part != "none":
            first, _, last = part.partition("-")
            years.update(range(int(first), int(last or first) + 1))
    return years
