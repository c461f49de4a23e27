"""From a source's answer to the book's measures: the transforms a sidecar's query names.

Every answer is first brought to one long shape, :func:`long_answer`: a row per source cell
with ``area_code``, ``period`` (the book's ``2023-11``, ``2024-Q1`` or ``2024``), one column
per source variable (its codes, as text) and ``value`` (a float, or None where the source
suppresses the cell). The transforms then derive the dataset's tidy rows from it:

``declared``
    A cell becomes a measure as it is: ``measures: [{where: {SAESONFAK: "9"}, measure: …}]``.
``counts``
    Counts are summed over code groups and turned into persons, shares, changes since a
    base period and shares of the national level (e.g. RAS201's persons by socioeconomic
    status -> the share of 16-66-year-olds outside the labour force).

Both map source variables to the dataset's own columns with ``dimensions`` (``{ALDER:
{column: age_group, values: {code: category}}}`` or ``sum: {category: [codes]}`` to add
codes up) and fill fixed columns with ``constants``. A sum or ratio that touches a
suppressed cell is suppressed, never 0: the disclosure control of the source is kept.
"""

from __future__ import annotations

import math
import re
from typing import Callable

import pandas as pd

from .. import areas as area_registry
from ..periods import Period
from .http import FetchError
from .statbank import SUPPRESSED, number

NATIONAL_CODE = "000"


def book_period(code: str) -> str:
    """A source's time code as the book's period.

    ``2023M11`` -> ``2023-11``; ``2024K1``/``2024Q1``/``2024Q01`` (Jobindsats) -> ``2024-Q1``;
    ``2024QMAT04`` (a moving
    annual total ending in the 4th quarter, Jobindsats) -> ``2024``; ``2024`` -> ``2024``.
    A query with a ``period_code`` template maps its own codes back through the periods it
    asked for (e.g. RAS201's yearly ``2023`` -> the book's ``2023-11``).
    """
    code = str(code).strip()
    for pattern, out in ((r"^(\d{4})M(\d{2})$", "{0}-{1}"), (r"^(\d{4})(?:[KQ]|Q0)([1-4])$", "{0}-Q{1}"),
                         (r"^(\d{4})QMAT04$", "{0}"), (r"^(\d{4})$", "{0}")):
        m = re.match(pattern, code)
        if m:
            return out.format(*m.groups())
    raise FetchError(f"the time code '{code}' is not one the book knows (2023M11, 2024K1, "
                     "2024QMAT04, 2024); the bundled data are unchanged")


def source_period(period: Period, template: str | None = None) -> str:
    """The book's period as the source's time code; ``template`` (e.g. ``{year}QMAT04``)
    overrides the Statistikbanken default (``2023M11``, ``2024K1``, ``2024``)."""
    if template:
        return template.format(year=period.year, month=f"{period.month or 0:02d}",
                               quarter=period.quarter or 0)
    if period.month:
        return f"{period.year}M{period.month:02d}"
    if period.quarter:
        return f"{period.year}K{period.quarter}"
    return str(period.year)


def area_code(cell: str, where: str) -> str | None:
    """An area cell (a DST code, a name, or a source's alias such as Jobindsats'
    ``Vesthimmerlands``) as the book's area code; None for an area the book does not use (a
    region, Christiansø). Anything else stops the read: a typo must not become an area."""
    try:
        return area_registry.source_area_code(cell)
    except KeyError:
        raise FetchError(f"{where}: the area '{str(cell).strip()}' is not in "
                         "labour_market_book/areas.py (AREAS, ALIASES or OTHER_AREAS); the bundled "
                         "data are unchanged") from None


def _dimension_rows(frame: pd.DataFrame, dimensions: dict) -> pd.DataFrame:
    """Map source codes to the dataset's categories; a ``sum`` group repeats the rows it adds
    up under its category (summed later), a ``values`` map renames and drops the rest."""
    for variable, spec in (dimensions or {}).items():
        column = spec["column"]
        if variable not in frame:
            raise FetchError(f"the answer has no variable {variable} (it has "
                             f"{', '.join(c for c in frame.columns if c not in ('value',))}); "
                             "fix the sidecar's query; the bundled data are unchanged")
        parts = []
        if "values" in spec:
            mapping = {str(k): v for k, v in spec["values"].items()}
            hit = frame[frame[variable].isin(mapping)]
            parts.append(hit.assign(**{column: hit[variable].map(mapping)}))
        for category, codes in (spec.get("sum") or {}).items():
            hit = frame[frame[variable].isin([str(c) for c in codes])]
            parts.append(hit.assign(**{column: category}))
        frame = pd.concat(parts, ignore_index=True).drop(columns=[variable]) if parts else frame.iloc[0:0]
    return frame


def _sum(values: pd.Series) -> float | None:
    """A sum that is suppressed when any of its cells is (and None when there are none)."""
    if values.empty or values.isna().any():
        return None
    return float(values.sum())


def _row(ds, area: str, period: str, measure: str, value, decimals: int, keys: dict) -> dict:
    unit = ds.meta["measures"][measure]["unit"]
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return {"area_code": area, "area": area_registry.AREAS[area], "period": period,
            "measure": measure, "value": None if missing else round(float(value), decimals),
            "unit": unit, "decimals": decimals, "flag": "suppressed" if missing else "", **keys}


def declared(ds, answer: pd.DataFrame, query: dict, periods: dict[str, str]) -> pd.DataFrame:
    """Each declared cell becomes a measure, with the dataset's dimension columns."""
    frame = _dimension_rows(answer, query.get("dimensions"))
    columns = [s["column"] for s in (query.get("dimensions") or {}).values()]
    records = []
    for spec in query["measures"]:
        hit = frame
        for code, value in spec.get("where", {}).items():
            if code not in hit:
                raise FetchError(f"{ds.meta['id']}: the answer has no variable {code}; fix the "
                                 "sidecar's query; the bundled data are unchanged")
            hit = hit[hit[code] == str(value)]
        grouped = hit.groupby(["area_code", "period", *columns], dropna=False, sort=True)["value"]
        for key, values in grouped:
            if len(values) > 1:
                raise FetchError(f"{ds.meta['id']}: the answer has {len(values)} cells for "
                                 f"{spec['measure']} in {dict(zip(['area_code', 'period', *columns], key))}; "
                                 "a declared measure takes one cell: narrow the query's 'where' or "
                                 "'variables'; the bundled data are unchanged")
            area, period, *dims = key if isinstance(key, tuple) else (key,)
            records.append(_row(ds, area, period, spec["measure"], _sum(values),
                                int(spec.get("decimals", 0)),
                                {**dict(zip(columns, dims)), **(query.get("constants") or {})}))
    return pd.DataFrame.from_records(records)


def counts(ds, answer: pd.DataFrame, query: dict, periods: dict[str, str]) -> pd.DataFrame:
    """Persons, shares, changes and shares of the national level from counts.

    ``counts: {variable: SOCIO, part: [codes], whole: [codes]}`` names the codes that are
    the group (part) and the population it is a share of (whole). Each ``outputs`` entry
    is one of ``{measure, of: part}``, ``{measure, share: true}`` (part / whole × 100),
    ``{measure, of: part, change_from: <rule>}`` (part now − part in the rule's period,
    with ``base_period``) and ``{measure, of: part, share_of_national: true}`` (the area's
    part / the national part × 100); ``scale`` multiplies (e.g. 1e-9 for bn. kr.).
    """
    spec = query["counts"]
    frame = _dimension_rows(answer, query.get("dimensions"))
    columns = [s["column"] for s in (query.get("dimensions") or {}).values()]
    variable = spec["variable"]
    if variable not in frame:
        raise FetchError(f"{ds.meta['id']}: the answer has no variable {variable}; fix the "
                         "sidecar's query; the bundled data are unchanged")
    groups = {}
    for name in ("part", "whole"):
        codes = [str(c) for c in spec.get(name, [])]
        hit = frame[frame[variable].isin(codes)] if codes else frame.iloc[0:0]
        groups[name] = {k if isinstance(k, tuple) else (k,): _sum(v) for k, v in
                        hit.groupby(["area_code", "period", *columns], sort=True)["value"]}
    constants = query.get("constants") or {}
    current = periods.get("current")
    records = []
    for out in query["outputs"]:
        decimals = int(out.get("decimals", 0))
        scale = float(out.get("scale", 1))
        for key, part in groups["part"].items():
            area, period, *dims = key
            keys = {**dict(zip(columns, dims)), **constants}
            if any(keys.get(c) != v for c, v in (out.get("only") or {}).items()):
                continue
            if "change_from" in out:
                base = periods[out["change_from"]]
                if period != current:
                    continue
                before = groups["part"].get((area, base, *dims), "absent")
                if before == "absent":
                    continue
                value = None if part is None or before is None else (part - before) * scale
                records.append(_row(ds, area, period, out["measure"], value, decimals,
                                    {**keys, "base_period": base}))
                continue
            if out.get("only_current", True) and current and period != current:
                continue
            if "share_within" in out:
                column = out["share_within"]
                if keys[column] == out["total"]:
                    continue                  # a category's share of itself says nothing
                total_key = (area, period, *[out["total"] if c == column else d
                                             for c, d in zip(columns, dims)])
                total = groups["part"].get(total_key)
                value = None if part is None or not total else part / total * 100
            elif out.get("share"):
                whole = groups["whole"].get(key)
                value = None if part is None or not whole else part / whole * 100
            elif out.get("share_of_national"):
                national = groups["part"].get((NATIONAL_CODE, period, *dims))
                value = None if part is None or not national else part / national * 100
            else:
                value = None if part is None else part * scale
            records.append(_row(ds, area, period, out["measure"], value, decimals, keys))
    return pd.DataFrame.from_records(records)


TRANSFORMS: dict[str, Callable] = {"declared": declared, "counts": counts}


def transform(ds, answer: pd.DataFrame, query: dict, periods: dict[str, str]) -> pd.DataFrame:
    """The dataset's tidy rows from one long answer, by the transform the query names."""
    name = query.get("transform", "declared")
    if name not in TRANSFORMS:
        raise FetchError(f"{ds.meta['id']}: unknown transform '{name}' (known: "
                         f"{', '.join(TRANSFORMS)})")
    rows = TRANSFORMS[name](ds, answer, query, periods)
    if rows.empty:
        raise FetchError(f"{ds.meta['id']}: the answer from {query['table']} gave no rows for the "
                         "declared measures (check the codes in the sidecar's query); the bundled "
                         "data are unchanged")
    if query.get("rank"):
        rows = rank(rows, **query["rank"])
    return rows


def rank(rows: pd.DataFrame, *, by: str, column: str = "rank", lowest_first: bool = True,
         national: bool = False) -> pd.DataFrame:
    """Give every row the place of its area when the areas are ordered by the measure ``by``,
    within each period (and each value of the other dimension columns).

    Tabel 8.4's rule: the 98 municipalities ordered by their expected share, lowest first
    (1 = the easiest framework conditions). The order uses the value as stored, at the
    precision the source publishes (two decimals for Y30R21's shares); municipalities with
    the same value share the best of their places and the next place is skipped (standard
    competition ranking, "1, 2, 2, 4"), because the published numbers do not tell them apart.
    An area whose value is suppressed gets no place, and the national level is never ranked.
    """
    out = rows.copy()
    dims = [c for c in out.columns if c not in ("area_code", "area", "period", "measure",
                                                  "value", "unit", "decimals", "flag", column)]
    basis = out[(out["measure"] == by) & out["value"].notna()]
    if not national:
        basis = basis[basis["area_code"] != NATIONAL_CODE]
    places: dict[tuple, int] = {}
    for key, group in basis.groupby(["period", *dims], dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        ordered = group["value"].round(int(group["decimals"].max()))
        for area, place in zip(group["area_code"], ordered.rank(method="min", ascending=lowest_first)):
            places[(area, *key)] = int(place)
    keys = zip(out["area_code"], out["period"], *(out[d] for d in dims))
    out[column] = pd.array([places.get(k) for k in keys], dtype="Int64")
    return out


def _period(code: str, periods_by_code: dict[str, str] | None) -> str:
    code = str(code).strip()
    if periods_by_code and code in periods_by_code:
        return periods_by_code[code]
    return book_period(code)


def _keep_periods(frame: pd.DataFrame, column: str, periods_by_code: dict[str, str] | None,
                  say, where: str) -> pd.DataFrame:
    """Only the periods the query asks for: an answer (or a file saved by hand) may hold more."""
    if not periods_by_code:
        return frame
    codes = frame[column].astype(str).str.strip()
    other = sorted(set(codes[~codes.isin(periods_by_code)]))
    if other and say:
        say(f"    ignored {int((~codes.isin(periods_by_code)).sum())} rows of periods this edition "
            f"does not use ({', '.join(other[:4])}{', …' if len(other) > 4 else ''})")
    absent = [c for c in periods_by_code if c not in set(codes)]
    if len(absent) == len(periods_by_code):
        raise FetchError(f"{where} has no cells for {', '.join(absent)}, the periods this edition "
                         f"needs (it has {', '.join(sorted(set(codes))[:6]) or 'none'}); the bundled "
                         "data are unchanged")
    if absent and say:
        say(f"    note: no cells for {', '.join(absent)}")
    return frame[codes.isin(periods_by_code)]


def _summed(query: dict) -> set[str]:
    """The variables whose codes a transform adds up (a ``counts`` variable, a dimension
    with ``sum`` groups): an answer missing one of their codes would give a wrong sum."""
    out = {query["counts"]["variable"]} if query.get("counts") else set()
    return out | {v for v, spec in (query.get("dimensions") or {}).items() if spec.get("sum")}


def _check_codes(frame: pd.DataFrame, query: dict, where: str, columns: dict[str, str]) -> None:
    """The cells must be the query's codes, and every code that is added up must be there:
    a file saved with labels (Statistikbanken's default) or without some of the codes of
    a sum would otherwise give wrong numbers, or none, without a word."""
    summed = _summed(query)
    for variable, codes in (query.get("variables") or {}).items():
        column = columns.get(variable, variable)
        if column not in frame or "*" in codes:
            continue
        found = set(frame[column].astype(str).str.strip())
        missing = [c for c in codes if c not in found]
        if not missing or (len(missing) < len(codes) and variable not in summed):
            continue
        line = int(frame.index[0]) + 2 if len(frame) else 2
        if len(missing) == len(codes):
            example = sorted(found)[0] if found else ""
            raise FetchError(f"{where}, line {line}, column {column}: '{example}' is not one of the "
                             f"codes the query asks for ({', '.join(codes[:8])}{', …' if len(codes) > 8 else ''}); "
                             "a file saved with labels must be saved with codes "
                             "(valuePresentation=Code, as in the address `make data DRY_RUN=1` "
                             "prints); the bundled data are unchanged")
        raise FetchError(f"{where}, column {column}: no cells for {', '.join(missing)}, which the "
                         "query adds up; save the whole selection; the bundled data are unchanged")


def _areas(frame: pd.DataFrame, column: str, where: str) -> tuple[pd.DataFrame, list[str]]:
    """The rows of the book's areas, with their codes; and the other known areas dropped."""
    codes = [area_code(c, where) for c in frame[column]]
    keep = [c is not None for c in codes]
    dropped = sorted(set(str(c).strip() for c, k in zip(frame[column], keep) if not k))
    out = frame[keep].copy()
    out.insert(0, "area_code", [c for c in codes if c is not None])
    return out, dropped


def long_statbank(rows: pd.DataFrame, query: dict, where: str,
                  periods_by_code: dict[str, str] | None = None, *,
                  suppressed: tuple[str, ...] | None = None, say=None) -> pd.DataFrame:
    """A Statistikbanken CSV answer (``TID``, ``INDHOLD`` and a column per variable) in the
    long shape. Areas may be codes or labels (the real FOLK1AM export has labels, regions
    and Christiansø: those are left out); other variables must hold the query's codes.
    ``suppressed`` is the table's ``suppressedDataValue`` (default: ``..``, ``.``, ``-``)."""
    area_variable = query["area_variable"]
    area_col = next((c for c in (area_variable, area_variable.upper()) if c in rows), None)
    if area_col is None:
        raise FetchError(f"{where}: the answer has no {area_variable} column (it has "
                         f"{', '.join(rows.columns)}); the bundled data are unchanged")
    time_col = "TID" if "TID" in rows else query["time_variable"]
    rows = _keep_periods(rows, time_col, periods_by_code, say, where)
    _check_codes(rows, query, where, {})
    rows, dropped = _areas(rows, area_col, where)
    if dropped and say:
        say(f"    left out {len(dropped)} areas the book does not use ({', '.join(dropped[:3])}"
            f"{', …' if len(dropped) > 3 else ''})")
    out = rows.drop(columns=[area_col, time_col, "INDHOLD"]).astype(str)
    out.insert(1, "period", [_period(c, periods_by_code) for c in rows[time_col]])
    marks = suppressed or SUPPRESSED
    out["value"] = [number(c, marks) for c in rows["INDHOLD"]]
    return out.reset_index(drop=True)


def _numeric(column: pd.Series) -> bool:
    """Whether every cell is a number (decimal comma or point) or a suppression mark."""
    pattern = re.compile(r"^\s*(-?[0-9.]+(,[0-9]+)?|-?[0-9]+(\.[0-9]+)?|\.\.|\.|-|)\s*$")
    return all(pattern.match(str(c)) for c in column)


def long_jobindsats(rows: pd.DataFrame, query: dict, where: str,
                    periods_by_code: dict[str, str] | None = None, *, say=None) -> pd.DataFrame:
    """A Jobindsats JSON answer (one column per label) in the long shape.

    Only the periods and the dimension values the query asks for are kept (the parameter
    ``_ygrp_y30r21`` is the column ``Ydelsesgrupper``: ``parameter_columns``), so an answer
    with more than was asked for cannot add up to wrong numbers. The value columns (those
    whose cells are all numbers, unless ``dimension_columns`` names the others) become rows
    with their label in ``VARIABEL``. Areas are Jobindsats' names (``Vesthimmerlands``, see
    :data:`labour_market_book.areas.ALIASES`); a table without a national row has none."""
    area_col = query.get("area_column", "Område")
    period_col = query.get("period_column", "Periode")
    for col in (area_col, period_col):
        if col not in rows:
            raise FetchError(f"{where}: the answer has no column '{col}' (it has "
                             f"{', '.join(rows.columns)}); the bundled data are unchanged")
    rows = _keep_periods(rows, period_col, periods_by_code, say, where)
    parameters = query.get("parameter_columns") or {}
    for parameter, column in parameters.items():
        if column not in rows:
            raise FetchError(f"{where}: the answer has no column '{column}' for the parameter "
                             f"{parameter} (it has {', '.join(rows.columns)}); the bundled data "
                             "are unchanged")
        wanted = [str(v) for v in (query.get("variables") or {}).get(parameter, [])]
        if wanted and "*" not in wanted:
            missing = [v for v in wanted if v not in set(rows[column])]
            if missing:
                raise FetchError(f"{where}, column '{column}': no rows for {', '.join(missing)}, "
                                 f"which the query asks for ({parameter}); the bundled data are "
                                 "unchanged")
            rows = rows[rows[column].isin(wanted)]
    rows, dropped = _areas(rows, area_col, where)
    declared = query.get("dimension_columns")
    fixed = set(parameters.values()) | {"area_code", area_col, period_col}
    values = [c for c in rows.columns if c not in fixed
              and (c not in declared if declared is not None else _numeric(rows[c]))]
    long = rows.melt(id_vars=[c for c in rows.columns if c not in values], value_vars=values,
                     var_name="VARIABEL", value_name="cell")
    out = long.drop(columns=[area_col, period_col, "cell", *parameters.values()]).astype(str)
    out.insert(1, "period", [_period(c, periods_by_code) for c in long[period_col]])
    out["value"] = [number(str(c)) for c in long["cell"]]
    return out.reset_index(drop=True)
