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
