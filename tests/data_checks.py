"""What must hold for any state of a data folder, however many years analysts have added.

The data tests (``tests/test_data_state.py``) run these checks on ``data/``; the walk through
the README's yearly update (``tests/test_yearly_update.py``) runs them on a copy of ``data/``
after a year was added. Each returns what it checked, and fails naming the file, the line or
the row.
"""

from __future__ import annotations

import math
from pathlib import Path

from labour_market_book.build import validate_data
from labour_market_book.datasets import load_all
from labour_market_book.rules import takes
from labour_market_book.periods import Period

from helpers import FROZEN


def valid_and_sealed(folder: Path) -> dict:
    """Every data and structure file valid, every sidecar sealed and its checksum matching
    (``make validate``, which the build runs first); the datasets."""
    return validate_data(folder)


def untaken_rows(datasets: dict) -> list[str]:
    """Rows whose period (or base period) no period rule of their dataset takes for any
    edition: no edition would show them. Validation refuses them; listed here for a data
    folder that was sealed before it did."""
    found = []
    for name, ds in datasets.items():
        rules = ds.meta["periods"]["rules"].values()
        for i, row in ds.frame.iterrows():
            for column in ("period", "base_period"):
                text = row.get(column)
                if isinstance(text, str) and text and not any(
                        takes(rule, Period.parse(text), row["measure"]) for rule in rules):
                    found.append(f"{name}.csv, row {i + 1}: {column} {text}")
    return found


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def changed_2024_numbers(datasets: dict, frozen: Path = FROZEN) -> tuple[int, list[str]]:
    """Every number of the data the 2024 edition was built from (``tests/frozen_data``) must
    still be there, by its key, with the same value, flag, decimals and unit: adding a year
    never changes a published number. A row that ``make data`` replaced by a fetched one
    (provenance ``fetched``) is the fetch's to explain, on the page "Afvigelser fra
    hvidbogen". Returns how many numbers were compared and what differs."""
    compared, differs = 0, []
    for name, was in load_all(frozen).items():
        if name not in datasets:
            differs.append(f"{name}: the dataset is gone")
            continue
        now = datasets[name]
        key = now.meta["key"]
        rows = {tuple(r[k] for k in key): r for r in now.frame.to_dict("records")}
        methods = {k: e["method"] for k, e in now.meta["provenance"].items()}
        for old in was.frame.to_dict("records"):
            compared += 1
            which = dict(zip(key, (old[k] for k in key)))
            new = rows.get(tuple(old[k] for k in key))
            if new is None:
                differs.append(f"{name}: {which} is gone")
            elif new["provenance"] != old["provenance"] and methods.get(new["provenance"]) == "fetched":
                continue
            elif not all(_same(old[c], new[c]) for c in ("value", "flag", "decimals", "unit")):
                differs.append(f"{name}: {which} was {old['value']} {old['unit']} "
                               f"({old['flag'] or 'no flag'}), is {new['value']} {new['unit']} "
                               f"({new['flag'] or 'no flag'})")
    return compared, differs
