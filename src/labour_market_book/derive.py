"""Numbers derived in code from published ones. Every derived row is marked ``basis = derived``."""

from __future__ import annotations

import pandas as pd


def complement_share(frame: pd.DataFrame, *, column: str, value: str) -> pd.DataFrame:
    """``100 - share`` for each row, e.g. non-Danish origin from the Danish-origin share.

    Only exact values are complemented: a suppressed, approximate or lower-bound share
    has no exact complement, so such rows are left out. The derived value keeps the
    printed precision of the share it comes from. ``column`` is the dimension that
    changes and ``value`` its new category.
    """
    exact = frame[frame["flag"] == ""].copy()
    exact["value"] = 100.0 - exact["value"]
    exact[column] = value
    exact["basis"] = "derived"
    return exact.reset_index(drop=True)


def difference(first: pd.DataFrame, second: pd.DataFrame, *, measure: str, unit: str) -> pd.DataFrame:
    """``first - second`` for one row each (e.g. expenditure share minus population share),
    as a derived row with the larger of the two printed precisions; empty unless both
    are exact values."""
    if len(first) != 1 or len(second) != 1 or (first["flag"] != "").any() \
            or (second["flag"] != "").any() or first["value"].isna().any() or second["value"].isna().any():
        return first.iloc[0:0].assign(basis=pd.Series(dtype=str))
    out = first.copy()
    decimals = max(int(first.iloc[0]["decimals"]), int(second.iloc[0]["decimals"]))
    out["value"] = round(float(first.iloc[0]["value"]) - float(second.iloc[0]["value"]), decimals)
    out["decimals"] = decimals
    out["measure"] = measure
    out["unit"] = unit
    out["basis"] = "derived"
    return out.reset_index(drop=True)

