"""Loading and validation: good data load, bad data is refused with file, line and column.

The machinery is tested on the frozen data folder (``tests/frozen_data``, or a copy of it:
``data_copy``), so adding a year to ``data/`` cannot change these tests."""

import pytest
from helpers import DATA, FROZEN, add_rows, sidecar

from labour_market_book.datasets import (check_reference_year, edition_coverage, load_all,
                                         load_dataset, year_ranges)
from labour_market_book.errors import DataValidationError, ReferenceYearError
from labour_market_book.metadata import replace_block

DATASET = "outside_labour_force"


def edit_line(folder, line_no, old, new, name=f"{DATASET}.csv"):
    path = folder / name
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def refused(folder):
    with pytest.raises(DataValidationError) as info:
        load_dataset(DATASET, folder)
    return str(info.value), info.value


def test_bundled_data_are_valid():
    datasets = load_all(DATA)
    assert DATASET in datasets
    for ds in datasets.values():  # every row names a declared origin and its dataset
        assert set(ds.frame["provenance"]) <= set(ds.meta["provenance"])
        assert set(ds.frame["dataset"]) <= {ds.id}


def test_text_in_a_number_column_names_file_line_and_column(data_copy):
    edit_line(data_copy, 3, ",22.8,", ",abc,")
    message, error = refused(data_copy)
    assert f"{DATASET}.csv" in message and "line 3" in message and "column 'value'" in message
    assert "'abc' is not a number" in message
    assert (error.row, error.column) == (3, "value")


def test_missing_column_is_named(data_copy):
    path = data_copy / f"{DATASET}.csv"
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").strip().split("\n")]
    unit = rows[0].index("unit")
    path.write_text("\n".join(",".join(r[:unit] + r[unit + 1:]) for r in rows) + "\n", encoding="utf-8")
    message, error = refused(data_copy)
    assert "line 1" in message and "column 'unit'" in message and "missing from the header" in message


def test_duplicated_key_names_both_lines(data_copy):
    path = data_copy / f"{DATASET}.csv"
    lines = path.read_text(encoding="utf-8").strip().split("\n")
    path.write_text("\n".join(lines + [lines[2]]) + "\n", encoding="utf-8")
    message, error = refused(data_copy)
    assert f"line {len(lines) + 1}" in message and "duplicate key" in message
    assert "first on line 3" in message


def test_share_above_100_is_refused(data_copy):
    edit_line(data_copy, 3, ",22.8,", ",122.8,")
    message, _ = refused(data_copy)
    assert "line 3" in message and "column 'value'" in message
    assert "above the maximum 100" in message


def test_empty_value_must_be_flagged_suppressed(data_copy):
    edit_line(data_copy, 3, ",22.8,", ",,")
    message, _ = refused(data_copy)
    assert "line 3" in message and "not flagged 'suppressed'" in message


def test_suppressed_value_must_be_empty_not_zero(data_copy):
    edit_line(data_copy, 3, ",22.8,pct,1,", ",0,pct,1,suppressed")
    message, _ = refused(data_copy)
    assert "line 3" in message and "must be left empty" in message


def test_suppressed_empty_value_is_accepted_and_kept_missing(data_copy):
    edit_line(data_copy, 3, ",22.8,pct,1,", ",,pct,1,suppressed")
    ds = load_dataset(DATASET, data_copy, check_checksum=False)
    row = ds.frame[(ds.frame["area"] == "Randers") & (ds.frame["measure"] == "share_of_population")
                   & (ds.frame["period"] == "2023-11")]
    assert len(row) == 1 and row["value"].isna().all() and (row["flag"] == "suppressed").all()


def test_unknown_area_code_and_mismatched_name(data_copy):
    edit_line(data_copy, 3, "730,Randers", "731,Randers")
    message, _ = refused(data_copy)
    assert "column 'area_code'" in message and "unknown area code '731'" in message


def test_unit_must_match_the_measure(data_copy):
    edit_line(data_copy, 3, ",22.8,pct,", ",22.8,persons,")
    message, _ = refused(data_copy)
    assert "column 'unit'" in message


def test_checksum_mismatch_after_a_valid_edit(data_copy):
    edit_line(data_copy, 3, ",22.8,", ",22.9,")
    message, _ = refused(data_copy)
    assert f"{DATASET}.yaml" in message and "checksum" in message and "make checksums" in message


def test_sidecar_schema_violation_names_the_field(data_copy):
    path = data_copy / f"{DATASET}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("publisher: Danmarks Statistik\n", ""),
                    encoding="utf-8")
    message, _ = refused(data_copy)
    assert f"{DATASET}.yaml" in message and "publisher" in message


def test_declared_coverage_must_match_the_rows(data_copy):
    path = data_copy / f"{DATASET}.yaml"
    original = path.read_text(encoding="utf-8")
    coverage = sidecar(data_copy, DATASET)["coverage"]
    earlier = str(int(coverage["first_period"][:4]) - 1) + coverage["first_period"][4:]
    path.write_text(replace_block(original, "coverage", dict(coverage, first_period=earlier)),
                    encoding="utf-8")
    message, _ = refused(data_copy)      # a coverage edited by hand: a sealed part changed
    assert "metadata field 'coverage' changed since it was sealed" in message
    path.write_text(original, encoding="utf-8")
    row = load_dataset(DATASET, data_copy).frame.iloc[0].to_dict()   # MADE UP: a row for 2030
    add_rows(data_copy, DATASET, [dict(row, period="2030-11", decimals=str(row["decimals"]))])
    message, _ = refused(data_copy)      # rows added, `make checksums` not run yet
    assert (f"metadata field 'coverage' says {coverage}, but {DATASET}.csv covers "
            f"{dict(coverage, last_period='2030-11', editions=coverage['editions'] + ', 2031')}"
            " (make checksums writes it") in message


def test_csv_without_sidecar_is_refused(data_copy):
    (data_copy / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="stray.csv.*without a metadata sidecar"):
        load_all(data_copy)


def test_loading_never_writes(data_copy):
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    load_all(data_copy)
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before


def test_editions_with_data_come_from_the_rows_not_from_base_periods():
    datasets = load_all(FROZEN)
    assert 2024 in edition_coverage(datasets)  # the report's own edition
    for ds in datasets.values():
        served = {p for periods in ds.editions().values() for p in periods}
        assert served <= set(ds.frame["period"]), ds.id
        # A period that is only the start of a change (base_period) serves no edition.
        if "base_period" in ds.frame:
            base_only = {p for p in ds.frame["base_period"] if p} - set(ds.frame["period"])
            assert not (base_only & served), ds.id


def test_an_edition_no_exhibit_has_data_for_is_refused_naming_those_that_have(data_copy):
    datasets = load_all(data_copy)
    check_reference_year(2024, datasets)
    coverage = edition_coverage(datasets)
    absent = next(y for y in range(1990, 2100) if y not in coverage)
    with pytest.raises(ReferenceYearError) as info:
        check_reference_year(absent, datasets)
    message = str(info.value)
    assert f"Reference year {absent}: no table or figure has data" in message
    assert f"Editions with data: {year_ranges(list(coverage))} (nearest: " in message
    assert year_ranges([2015, 2016, 2017, 2024]) == "2015-2017, 2024"


def test_a_new_row_for_the_next_edition_makes_that_edition(data_copy):
    """A row for November 2030 (MADE UP: Randers' 2023 share copied) serves the edition 2031,
    once its coverage says so; the coverage is set as YAML, as `make checksums` writes it."""
    ds = load_dataset(DATASET, data_copy)
    row = ds.frame[(ds.frame["area"] == "Randers") & (ds.frame["measure"] == "share_of_population")
                   & (ds.frame["period"] == "2023-11") & (ds.frame["age_group"] == "16-66")
                   & (ds.frame["sex"] == "i alt") & (ds.frame["origin"] == "i alt")]
    assert len(row) == 1
    new = {k: v for k, v in row.iloc[0].to_dict().items() if k != "dataset"}
    add_rows(data_copy, DATASET, [dict(new, period="2030-11", value="22.8", decimals="1")])
    path = data_copy / f"{DATASET}.yaml"
    coverage = dict(sidecar(data_copy, DATASET)["coverage"], last_period="2030-11",
                    editions=year_ranges([*ds.editions(), 2031]))
    path.write_text(replace_block(path.read_text(encoding="utf-8"), "coverage", coverage),
                    encoding="utf-8")
    datasets = {DATASET: load_dataset(DATASET, data_copy, check_checksum=False)}
    assert 2031 in edition_coverage(datasets)
    check_reference_year(2031, datasets)


def test_selection_follows_the_reference_year():
    ds = load_dataset(DATASET, FROZEN)
    everyone = dict(age_group="16-66", sex="i alt", origin="i alt")
    areas = ["Hele landet", "Randers", "Horsens", "Silkeborg", "Vejle"]
    current = ds.select("share_of_population", 2024, areas=areas, **everyone)
    assert list(current["area"]) == areas
    assert list(current["value"]) == [21.7, 22.8, 20.6, 18.9, 19.9]
    earlier = ds.select("share_of_population", 2023, areas=areas, **everyone)
    assert earlier.empty  # never another edition's numbers
    assert "november 2022" in earlier.attrs["missing"] and "RAS201" in earlier.attrs["missing"]


def test_changes_are_selected_with_their_base_period():
    ds = load_dataset(DATASET, FROZEN)
    change = ds.select("change_in_persons", 2024, base_role="base", areas=["Randers"],
                       age_group="16-66", sex="i alt", origin="i alt")
    assert list(change["value"]) == [-3381]
    levels = ds.select("change_in_persons", 2024, areas=["Randers"], age_group="16-66",
                       sex="i alt", origin="i alt")
    assert levels.empty


def test_breakdown_drops_the_total_and_keeps_the_missing_message():
    ds = load_dataset(DATASET, FROZEN)
    by_sex = ds.breakdown("share_of_outside_labour_force", 2024, by="sex", total="i alt",
                          areas=["Vejle", "Silkeborg"], age_group="16-66", origin="i alt")
    assert list(by_sex["sex"]) == ["mænd", "mænd"]
    by_age = ds.breakdown("share_of_outside_labour_force", 2024, by="age_group", total="16-66",
                          sex="i alt", origin="i alt")
    assert by_age.empty and "RAS201" in by_age.attrs["missing"]


def test_period_span_and_unpublished_notice_come_from_the_metadata():
    ds = load_dataset(DATASET, FROZEN)
    assert ds.span_label(2024) == "2013–2023"
    notice = ds.unpublished_notice("figur 8.2", "fordelingen på alder", 2024)
    assert "figur 8.2" in notice and "november 2023" in notice
    assert "RAS201" in notice and "data/" not in notice  # no file path in reader text


def test_stack_and_where_keep_a_selections_attrs():
    from labour_market_book.datasets import stack, where
    placement = load_dataset("placement_rate", FROZEN)
    first = placement.select("hiring_rate", 2024, areas=["Vejle"])
    second = placement.select("placement_rate", 2024, areas=["Randers"])
    both = stack([first, second])
    assert list(zip(both["area"], both["measure"])) == [("Vejle", "hiring_rate"), ("Randers", "placement_rate")]
    assert both.attrs == first.attrs
    empty = placement.select("hiring_rate", 1990)
    assert stack([empty, empty]) is empty
    assert stack([empty, second]).attrs == empty.attrs          # what would be missing: the first's
    randers = where(both, area="Randers", measure="placement_rate")
    assert len(randers) == 1 and randers.attrs == both.attrs
    assert where(both, area="Aarhus").empty
