"""The data tests: what must hold for any state of ``data/`` (or ``$LMB_DATA_DIR``).

They never assume which years ``data/`` holds: an analyst adds a year every spring (README,
"Adding a new year"), and that must leave them green. The book's machinery is tested on a
frozen data folder of its own (``tests/frozen_data``)."""

from data_checks import changed_2024_numbers, untaken_rows, valid_and_sealed
from helpers import DATA, FROZEN

from labour_market_book.datasets import load_all


def test_every_file_is_valid_and_every_sidecar_sealed():
    datasets = valid_and_sealed(DATA)
    assert len(datasets) >= len(load_all(FROZEN))


def test_every_row_is_taken_by_a_period_rule_of_its_dataset():
    assert untaken_rows(load_all(DATA)) == []


def test_every_number_the_2024_edition_was_built_from_stays_exact():
    compared, differs = changed_2024_numbers(load_all(DATA))
    assert compared > 1000 and differs == []


def test_the_checks_see_a_changed_2024_number_and_a_row_no_rule_takes(data_copy):
    """The checks above can fail: a 2024 number edited in place, and a row in a month no rule
    takes (written past validation, as a folder sealed before validation refused it)."""
    from labour_market_book.datasets import load_dataset
    datasets = load_all(data_copy)
    assert changed_2024_numbers(datasets, data_copy) == (changed_2024_numbers(datasets)[0], [])
    ras = load_dataset("outside_labour_force", data_copy)
    ras.frame.loc[ras.frame["value"] == 14494, "value"] = 14310.0      # MADE UP: a typo in place
    ras.frame.loc[ras.frame["value"] == 22.8, "period"] = "2023-12"     # MADE UP: a wrong month
    compared, differs = changed_2024_numbers({**datasets, "outside_labour_force": ras}, data_copy)
    assert len(differs) == 2 and any("was 14494.0 persons" in d and "is 14310.0" in d for d in differs)
    assert any("'period': '2023-11'" in d and "is gone" in d for d in differs)
    assert untaken_rows({"outside_labour_force": ras}) == ["outside_labour_force.csv, row 2: period 2023-12"]
