"""Helpers shared by the arithmetic tests: stored values as the report prints them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def exact(row) -> Decimal:
    """A stored value as the decimal number printed in the report (7.0 with 1 decimal: 7.0)."""
    return Decimal(f"{row['value']:.{int(row['decimals'])}f}")


def printed(row) -> str:
    """A stored value the Danish way, as printed: 3.5 with 1 decimal -> '3,5'."""
    return f"{row['value']:.{int(row['decimals'])}f}".replace(".", ",")


def half_unit(row) -> Decimal:
    """Half a unit of the last printed decimal: how far the rounded value may be off."""
    return Decimal(1).scaleb(-int(row["decimals"])) / 2


def rounded(value: Decimal, decimals: int) -> Decimal:
    """Round half away from zero, as the report does."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def one(frame, **where):
    """The single row of ``frame`` matching ``where`` (column=value)."""
    mask = True
    for column, value in where.items():
        mask = mask & (frame[column] == value)
    rows = frame[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]
