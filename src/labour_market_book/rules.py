"""Period rules: which periods a dataset's rules take, and which editions its rows serve.

A sidecar's ``periods.rules`` say, per role (``current``, ``base``, ...), which period an
edition with a given reference year uses (November of the year before, March of the year
after, ...). A row serves the edition whose rule gives its period; a rule may name the
measures it applies to. Pure functions of the sidecar and the rows.
"""

from __future__ import annotations

import pandas as pd

from .periods import Period, reference_year_of


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
