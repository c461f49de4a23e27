"""Periods and the rules that tie a dataset's periods to the book's reference year.

The *reference year* is the year an edition reports on: the report of May 2025 is the
edition for reference year 2024. Each source publishes on its own calendar, so each
dataset's metadata declares, once, how its periods follow from the reference year::

    periods:
      frequency: month
      rules:
        current: {year_offset: -1, month: 11}   # RAS: November of the year before
        base:    {year_offset: -11, month: 11}  # start of the ten-year comparison

A period is written ``YYYY`` (annual), ``YYYY-MM`` (monthly) or ``YYYY-Qn`` (quarterly) in
the data files; a quarterly rule says ``quarter: n`` where a monthly one says ``month``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
             "september", "oktober", "november", "december")

EN_DASH = "\u2013"
"""The dash of a range in Danish reader text: ``2015–2024``, ``1. kvartal 2016–4. kvartal
2024`` (a hyphen stays a hyphen in compounds: ``16-66-årige``)."""

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A year, a month of a year or a quarter of a year."""

    year: int
    month: int | None = None
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse ``"2023"``, ``"2023-11"`` or ``"2023-Q4"``; raise ``ValueError`` otherwise."""
        match = PERIOD_PATTERN.match(str(text).strip())
        if not match:
            raise ValueError(f"'{text}' is not a period (expected YYYY, YYYY-MM or YYYY-Qn)")
        year, month, quarter = int(match.group(1)), match.group(2), match.group(3)
        if quarter is not None:
            return cls(year, quarter=int(quarter))
        if month is None:
            return cls(year)
        if not 1 <= int(month) <= 12:
            raise ValueError(f"'{text}' has no month {month}")
        return cls(year, int(month))

    @property
    def frequency(self) -> str:
        return "month" if self.month else "quarter" if self.quarter else "year"

    def __str__(self) -> str:
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    def label_da(self) -> str:
        """Danish label: ``"november 2023"``, ``"1. kvartal 2016"`` or ``"2023"``."""
        if self.quarter:
            return f"{self.quarter}. kvartal {self.year}"
        return str(self.year) if self.month is None else f"{MONTHS_DA[self.month - 1]} {self.year}"

    def label_da_short(self) -> str:
        """Short Danish label for table headers: ``"nov. 2023"``, ``"marts 2025"``, ``"1. kvt. 2016"``."""
        if self.quarter:
            return f"{self.quarter}. kvt. {self.year}"
        if self.month is None:
            return str(self.year)
        name = MONTHS_DA[self.month - 1]
        return f"{name if len(name) <= 5 else name[:3] + '.'} {self.year}"


def span_da(first: "Period | str | int", last: "Period | str | int", *, short: bool = False) -> str:
    """A range of periods in Danish reader text, with an en dash: ``"2015–2024"``,
    ``"1. kvartal 2016–4. kvartal 2024"``, ``"november 2013–november 2023"``; one period
    when both ends are the same. ``short`` uses the table headers' short labels.

    >>> span_da("2016-Q1", "2024-Q4")
    '1. kvartal 2016–4. kvartal 2024'
    """
    a, b = (p if isinstance(p, Period) else Period.parse(str(p)) for p in (first, last))
    label = Period.label_da_short if short else Period.label_da
    return label(a) if a == b else f"{label(a)}{EN_DASH}{label(b)}"


def year_ranges_da(years) -> str:
    """Years as Danish reader text, runs joined by an en dash: ``[2015, 2016, 2017, 2024]``
    -> ``"2015–2017 og 2024"``; empty for no years."""
    years = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    parts = [str(a) if a == b else f"{a}{EN_DASH}{b}" for a, b in runs]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} og {parts[-1]}" if parts else ""


def resolve(rule: dict, reference_year: int) -> Period:
    """The period a rule gives for a reference year.

    >>> str(resolve({"year_offset": -1, "month": 11}, 2024))
    '2023-11'
    """
    return Period(int(reference_year) + int(rule["year_offset"]), rule.get("month"),
                  rule.get("quarter"))


def reference_year_of(rule: dict, period: Period) -> int:
    """Inverse of :func:`resolve`: the reference year whose rule gives ``period``'s year."""
    return period.year - int(rule["year_offset"])
