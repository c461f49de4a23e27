"""Periods and the rules that tie a dataset's periods to the book's reference year.

The *reference year* is the year an edition reports on: the report of May 2025 is the
edition for reference year 2024. Each source publishes on its own calendar, so each
dataset's metadata declares, once, how its periods follow from the reference year::

    periods:
      frequency: month
      rules:
        current: {year_offset: -1, month: 11}   # RAS: November of the year before
        base:    {year_offset: -11, month: 11}  # start of the ten-year comparison

A period is written ``YYYY`` (annual) or ``YYYY-MM`` (monthly) in the data files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
             "september", "oktober", "november", "december")

_PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A year, or a month of a year."""

    year: int
    month: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse ``"2023"`` or ``"2023-11"``; raise ``ValueError`` on anything else."""
        match = _PERIOD_RE.match(str(text).strip())
        if not match:
            raise ValueError(f"'{text}' is not a period (expected YYYY or YYYY-MM)")
        year, month = int(match.group(1)), match.group(2)
        if month is None:
            return cls(year)
        if not 1 <= int(month) <= 12:
            raise ValueError(f"'{text}' has no month {month}")
        return cls(year, int(month))

    def __str__(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"

    def label_da(self) -> str:
        """Danish label: ``"november 2023"`` or ``"2023"``."""
        return str(self.year) if self.month is None else f"{MONTHS_DA[self.month - 1]} {self.year}"

    def label_da_short(self) -> str:
        """Short Danish label for table headers: ``"nov. 2023"``, ``"marts 2025"``."""
        if self.month is None:
            return str(self.year)
        name = MONTHS_DA[self.month - 1]
        return f"{name if len(name) <= 5 else name[:3] + '.'} {self.year}"


def resolve(rule: dict, reference_year: int) -> Period:
    """The period a rule gives for a reference year.

    >>> str(resolve({"year_offset": -1, "month": 11}, 2024))
    '2023-11'
    """
    return Period(int(reference_year) + int(rule["year_offset"]), rule.get("month"))


def reference_year_of(rule: dict, period: Period) -> int:
    """Inverse of :func:`resolve`: the reference year whose rule gives ``period``'s year."""
    return period.year - int(rule["year_offset"])
