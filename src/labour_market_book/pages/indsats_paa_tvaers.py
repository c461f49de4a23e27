"""Subsection 8.4.4, "Borgere med sager på tværs af forvaltninger": the rows behind Tabel
8.8-8.11 and Kort 8.2-8.3 and the numbers their prose derives, so that
``notebooks/indsats_paa_tvaers.ipynb`` only narrates.

Each function takes the page's datasets (Randers Kommune's school districts) and the
edition's reference year and returns the rows an exhibit shows, in the order the report
shows them, or a text table or value built from such rows. An edition without rows gets an
empty selection, never another edition's numbers.
"""

from __future__ import annotations

import re

import pandas as pd

from ..datasets import Dataset
from ..exhibits import pivot_text
from ..formatting import format_value
from ..periods import Period

TOTAL = "I alt"
"""The row of a table that totals the school districts."""

NOT_DISTRICTS = (TOTAL, "Beskyttet adresse")
"""Rows of the tables that are not places on a map (the total, protected addresses)."""

DISTRICT_MEASURES = ("citizens", "share_of_adults")
"""The two columns of Tabel 8.8 and 8.9: the number of citizens and their share of the adults."""


def by_district(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Selections in one frame, district by district (in the order the districts first
    appear), the order of ``parts`` kept within a district, with the ``attrs`` (dataset,
    what is missing) of the first selection that has rows; the first selection itself when
    none has."""
    found = [part for part in parts if not part.empty]
    if len(found) <= 1:
        return found[0] if found else parts[0]
    out = pd.concat(found, ignore_index=True)
    order = {district: i for i, district in enumerate(dict.fromkeys(out["school_district"]))}
    out = out.sort_values("school_district", key=lambda s: s.map(order), kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update(found[0].attrs)
    return out


def district_rows(dataset: Dataset, reference_year: int, **dimensions: str) -> pd.DataFrame:
    """Tabel 8.8's or 8.9's rows: each school district's number of citizens and share of the
    adults (:data:`DISTRICT_MEASURES`) in the edition's month, district by district, the
    number before the share; ``dimensions`` narrow them (``contact="i alt"``)."""
    return by_district([dataset.select(measure, reference_year, **dimensions)
                        for measure in DISTRICT_MEASURES])


def district_shares(dataset: Dataset, reference_year: int, **dimensions: str) -> pd.DataFrame:
    """Kort 8.2's or 8.3's rows: each school district's share of the adults (the total and
    protected addresses left out, :data:`NOT_DISTRICTS`), largest first, districts with the
    same share in the order of the data."""
    shares = dataset.select("share_of_adults", reference_year, **dimensions)
    rows = shares[~shares["school_district"].isin(NOT_DISTRICTS)]
    rows = rows.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    rows.attrs.update(shares.attrs)
    return rows


def highest_share(shares: pd.DataFrame) -> tuple[str | None, pd.DataFrame]:
    """The district with the largest share of :func:`district_shares` as the prose names it,
    ``"Nørrevangsskolen (6,1 pct.)"``, and the row it comes from; ``None`` and no rows when
    there are no districts."""
    top = shares.head(1)
    if top.empty:
        return None, top
    row = top.iloc[0]
    return f"{row['school_district']} ({format_value(row['value'], 'pct', int(row['decimals']))})", top


def effort_rows(effort: Dataset, reference_year: int) -> pd.DataFrame:
    """Tabel 8.10's rows: the number of citizens per school district and effort of the social
    services, in the order of the data."""
    return effort.select("citizens", reference_year)


def paragraphs_da(label: str) -> str:
    """An effort's label with its paragraph signs as the style guide writes them: a space
    after § and §§, and the last of several paragraphs joined by "og" (``"Dagtilbud (§§103,
    104)"`` -> ``"Dagtilbud (§§ 103 og 104)"``); the data keep the report's own spelling."""
    def tidy(match: re.Match) -> str:
        sign, numbers = match.group(1), [n.strip() for n in match.group(2).split(",")]
        return f"{sign}\u00a0" + (", ".join(numbers[:-1]) + " og " + numbers[-1] if len(numbers) > 1
                                  else numbers[0])
    return re.sub(r"(§§?)\s*(\d+(?:\s*,\s*\d+)*)", tidy, label)


def table_8_10(rows: pd.DataFrame, *, row_header: str) -> pd.DataFrame:
    """Tabel 8.10 as shown: one row per school district, one column per effort (both in the
    order they first appear in ``rows``, headed as :func:`paragraphs_da` writes them); a cell
    the data lack reads ``mangler``."""
    efforts = list(dict.fromkeys(rows["effort"]))
    return pivot_text(rows, rows="school_district", columns="effort", row_header=row_header,
                      column_headers=[(name, paragraphs_da(name)) for name in efforts])


def lost_cells(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """The ``(district, effort)`` cells of Tabel 8.10 that have no row at all (lost in the
    report's text, not suppressed), in the table's order."""
    have = set(zip(rows["school_district"], rows["effort"]))
    return [(district, name) for district in dict.fromkeys(rows["school_district"])
            for name in dict.fromkeys(rows["effort"]) if (district, name) not in have]


def trend_rows(social: Dataset, reference_year: int) -> pd.DataFrame:
    """Tabel 8.11's rows: the number of citizens per school district in January of every year
    from rule ``series_start`` to the edition's month (only the years the data have), the
    latest January first, districts in the order of the data."""
    series = social.series("citizens", reference_year, first="series_start", last="current")
    rows = series.sort_values("period", ascending=False, kind="stable").reset_index(drop=True)
    rows.attrs.update(series.attrs)
    return rows


def table_8_11(rows: pd.DataFrame, *, row_header: str) -> pd.DataFrame:
    """Tabel 8.11 as shown: one row per school district, one column per January of
    :func:`trend_rows` (latest first), headed by its year."""
    periods = sorted(set(rows["period"]), reverse=True)
    return pivot_text(rows, rows="school_district", columns="period", row_header=row_header,
                      column_headers=[(p, str(Period.parse(p).year)) for p in periods])


def approximate_years(rows: pd.DataFrame) -> list[str]:
    """The years of :func:`trend_rows` with an approximate number (``~``: a total without
    the suppressed cells), in order."""
    return sorted({str(Period.parse(p).year) for p in rows.loc[rows["flag"] == "approximate", "period"]})
