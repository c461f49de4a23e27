"""Danish number formatting, independent of the operating system's locale.

Thousands are separated by ``.``, decimals by ``,``; percentages carry the suffix
``pct.``. Rounding is half away from zero on the decimal value (``2,25`` → ``2,3``), as
in the report, not Python's round-half-to-even. Negative numbers use the true minus
sign (U+2212), as Danish typography does: it is the right glyph, screen readers read
it as "minus", and a negative number cannot be mistaken for the report's ``-`` mark of
a suppressed cell (which the book shows as ``.``).

The marks for statistical disclosure control follow the report: a suppressed value is
shown as ``.``, an approximate one is prefixed with ``~`` and a lower bound ("over 56
pct.") with ``over``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
SUPPRESSED_MARK = "."
NO_DATA_TEXT = "(ingen data)"

FLAGS = ("", "suppressed", "approximate", "lower_bound")
"""Allowed values of the ``flag`` column in the data files."""



def format_number(value: float | int, decimals: int = 0) -> str:
    """Format a number the Danish way: ``14494`` → ``"14.494"``, ``22.8`` → ``"22,8"``.

    >>> format_number(-3381)
    '−3.381'
    >>> format_number(2.25, 1)
    '2,3'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("cannot format a missing value as a number")
    if decimals < 0:
        raise ValueError("decimals must be zero or positive")
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = MINUS if rounded < 0 else ""
    text = f"{abs(rounded):,.{decimals}f}"  # 14,494.5 in the C convention
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return sign + text


def format_percent(value: float, decimals: int = 1) -> str:
    """``22.8`` → ``"22,8 pct."``."""
    return f"{format_number(value, decimals)} pct."


UNIT_SUFFIX = {"pct": " pct.", "pct_points": " procentpoint", "dkk": " kr.",
               "dkk_bn": " mia. kr.", "dkk_mn": " mio. kr."}
"""Units written after the number; the others (persons, full-time persons, jobs, ranks,
indices) are plain numbers whose meaning the sentence or the column header gives."""


def format_value(value: float | None, unit: str, decimals: int = 0, flag: str = "") -> str:
    """Format one observation with its unit and disclosure flag.

    ``"pct"`` adds ``pct.``, ``"pct_points"`` ``procentpoint``, ``"dkk_bn"`` ``mia. kr.``
    and ``"dkk_mn"`` ``mio. kr.``; any other unit gives the number only.
    """
    if flag not in FLAGS:
        raise ValueError(f"unknown flag '{flag}' (allowed: {', '.join(repr(f) for f in FLAGS)})")
    if flag == "suppressed":
        return SUPPRESSED_MARK
    text = format_number(value, decimals) + UNIT_SUFFIX.get(unit, "")
    if flag == "approximate":
        return "~" + text
    if flag == "lower_bound":
        return "over " + text
    return text
