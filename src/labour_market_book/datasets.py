"""The datasets in ``data/``: loading them, sealing them, and selecting their rows.

:func:`load_dataset` reads a CSV and its sidecar, checks the sidecar's seals and the rows
(:mod:`.validation`) and returns a :class:`Dataset`, whose methods select what an edition
shows by the period rules (:mod:`.rules`). :func:`seal_datasets` is ``make checksums``. The
first problem in a file stops the load with a :class:`DataValidationError` that names the
file, the line and the column. Nothing is written while loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import areas as area_registry
from .edition import default_parameters
from .errors import DataValidationError, ReferenceYearError, shown_path
from .metadata import (SEALED, check_sealed, file_checksum, line_of, load_sidecar, replace_block,
                       sealed_changed, sidecar_paths, write_checksum)
from .paths import data_dir
from .periods import EN_DASH, Period, resolve
from .reading import checksum_mismatch_cause, read_text
from .rules import edition_rules, editions_of, year_ranges
from .validation import (DIMENSIONS_DA, check_declared_coverage, coverage_of, declared_editions,
                         editions_phrase, lost_periods_advice, read_dataset_rows, validate_rows)


def absence(period: Period, of_measure: pd.Series, in_period: pd.Series,
            areas: list[str] | None) -> dict:
    """Why a selection has no rows, as ``attrs["absent"]`` (read by
    :func:`.placement.omission`): the edition's period, whether the data have the measure at
    all, whether they have it in that period, and the areas asked for."""
    return {"period": period.label_da(), "has_measure": bool(of_measure.any()),
            "has_period": bool(in_period.any()), "areas": list(areas or [])}


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
            out.attrs["absent"] = absence(self.period(reference_year, role), of_measure,
                                          in_period, areas)
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
    frame = validate_rows(csv_path, meta, read_dataset_rows(csv_path, meta["columns"]), check_coverage=False)
    if check_checksum:
        check_sealed(sidecar, text, meta, consequence=lost_periods_advice(meta, frame, sidecar))
        check_declared_coverage(csv_path, meta, frame)
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
        f"for {year} to data/ (docs/adding-a-year.md).")
