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
