"""The rows and tables behind ``notebooks/indsats_paa_tvaers.ipynb`` (Tabel 8.8-8.11, Kort
8.2-8.3 and the numbers of the prose), on the bundled data: the 2024 edition shows the
report's numbers (January 2025); 2016 has none."""

from __future__ import annotations

import pytest

from labour_market_book.datasets import load_dataset
from labour_market_book.exhibits import NOT_IN_DATA
from labour_market_book.formatting import SUPPRESSED_MARK
from labour_market_book.pages.indsats_paa_tvaers import (
    NOT_DISTRICTS, TOTAL, approximate_years, district_rows, district_shares, effort_rows,
    highest_share, lost_cells, table_8_10, table_8_11, trend_rows)

EDITION, EMPTY_EDITION = 2024, 2016
DISTRICTS = 14                       # 12 school districts, protected addresses and the total


@pytest.fixture(scope="module")
def health():
    return load_dataset("shared_citizens_health")


@pytest.fixture(scope="module")
def social():
    return load_dataset("shared_citizens_social")


@pytest.fixture(scope="module")
def effort():
    return load_dataset("shared_citizens_social_effort")


# -- Tabel 8.8 and 8.9 ----------------------------------------------------------------------
def test_tabel_8_8_rows_are_number_then_share_district_by_district(health):
    rows = district_rows(health, EDITION, contact="i alt")
    assert len(rows) == 2 * DISTRICTS
    assert list(rows["measure"]) == ["citizens", "share_of_adults"] * DISTRICTS
    assert rows.loc[0, "school_district"] == "Assentoftskolen" == rows.loc[1, "school_district"]
    assert set(rows["period"]) == {"2025-01"} and set(rows["contact"]) == {"i alt"}
    total = rows[rows["school_district"] == TOTAL]
    assert list(total["value"]) == [2341.0, 2.9]
    # the order of the data file, which the exported CSV keeps
    frame = health.frame
    expected = frame[(frame["period"] == "2025-01") & (frame["contact"] == "i alt")]
    assert list(zip(rows["school_district"], rows["measure"], rows["value"])) == \
        list(zip(expected["school_district"], expected["measure"], expected["value"]))


def test_tabel_8_9_rows_and_its_total(social):
    rows = district_rows(social, EDITION)
    assert len(rows) == 2 * DISTRICTS
    assert list(rows["school_district"])[-2:] == [TOTAL, TOTAL]
    assert list(rows["value"])[-2:] == [735.0, 0.9]
    assert rows.attrs["dataset"] == "shared_citizens_social"


def test_tables_8_8_and_8_9_have_no_rows_in_2016(health, social):
    for rows in (district_rows(health, EMPTY_EDITION, contact="i alt"),
                 district_rows(social, EMPTY_EDITION)):
        assert rows.empty and "2017" in rows.attrs["missing"]   # January after the reference year


# -- Kort 8.2 and 8.3 -----------------------------------------------------------------------
def test_the_maps_show_the_school_districts_largest_share_first(health, social):
    shares = district_shares(health, EDITION, contact="i alt")
    assert len(shares) == 12
    assert not set(shares["school_district"]) & set(NOT_DISTRICTS)
    assert list(shares["value"]) == sorted(shares["value"], reverse=True)
    assert list(shares["school_district"][:2]) == ["Nørrevangsskolen", "Vestervangsskolen"]
    # equal shares keep the order of the data
    assert list(shares.loc[shares["value"] == 2.8, "school_district"]) == ["Blicherskolen", "Fårup Skole"]
    assert len(district_shares(social, EDITION)) == 12


def test_the_highest_share_is_named_with_its_share(health, social):
    text, rows = highest_share(district_shares(health, EDITION, contact="i alt"))
    assert text == "Nørrevangsskolen (6,1 pct.)" and len(rows) == 1
    text, rows = highest_share(district_shares(social, EDITION))
    assert text == "Rismølleskolen (1,48 pct.)" and list(rows["value"]) == [1.48]


def test_no_highest_share_without_districts(health):
    shares = district_shares(health, EMPTY_EDITION, contact="i alt")
    assert shares.empty
    text, rows = highest_share(shares)
    assert text is None and rows.empty


# -- Tabel 8.10 -----------------------------------------------------------------------------
def test_tabel_8_10_one_row_per_district_one_column_per_effort(effort):
    rows = effort_rows(effort, EDITION)
    assert len(rows) == DISTRICTS * 8 - 1                   # one cell lost in the report's text
    shown = table_8_10(rows, row_header="Skoledistrikt")
    assert shown.shape == (DISTRICTS, 9)
    assert list(shown.columns[:2]) == ["Skoledistrikt", "Bostøtte (§\u00a085)"]
    first = shown.iloc[0]
    assert (first["Skoledistrikt"], first["Bostøtte (§\u00a085)"], first["BPA handicaphjælpere (§\u00a096)"]) == \
        ("Assentoftskolen", "8", SUPPRESSED_MARK)
    lost = shown.set_index("Skoledistrikt").loc["Tirsdalens Skole", "BPA handicaphjælpere (§\u00a096)"]
    assert lost == NOT_IN_DATA


def test_the_lost_cell_of_tabel_8_10(effort):
    assert lost_cells(effort_rows(effort, EDITION)) == [("Tirsdalens Skole", "BPA handicaphjælpere (§ 96)")]
    assert lost_cells(effort_rows(effort, EMPTY_EDITION)) == []


def test_tabel_8_10_has_no_rows_in_2016(effort):
    rows = effort_rows(effort, EMPTY_EDITION)
    assert rows.empty
    assert table_8_10(rows, row_header="Skoledistrikt").empty


# -- Tabel 8.11 -----------------------------------------------------------------------------
def test_tabel_8_11_rows_are_every_january_latest_first(social):
    rows = trend_rows(social, EDITION)
    assert len(rows) == 4 * DISTRICTS
    assert list(rows["period"]) == [p for p in ("2025-01", "2024-01", "2023-01", "2022-01")
                                    for _ in range(DISTRICTS)]
    assert set(rows["measure"]) == {"citizens"}
    # the order of the data file, which the exported CSV keeps
    frame = social.frame
    expected = frame[frame["measure"] == "citizens"]
    assert list(zip(rows["period"], rows["school_district"])) == \
        list(zip(expected["period"], expected["school_district"]))


def test_tabel_8_11_as_shown(social):
    shown = table_8_11(trend_rows(social, EDITION), row_header="Skoledistrikt")
    assert list(shown.columns) == ["Skoledistrikt", "2025", "2024", "2023", "2022"]
    assert len(shown) == DISTRICTS
    assert list(shown.iloc[-1]) == [TOTAL, "735", "~702", "~719", "~648"]
    by_district = shown.set_index("Skoledistrikt")
    assert by_district.loc["Fårup Skole", "2024"] == SUPPRESSED_MARK
    assert by_district.loc["Rismølleskolen", "2022"] == "186"


def test_the_approximate_years_of_tabel_8_11(social):
    assert approximate_years(trend_rows(social, EDITION)) == ["2022", "2023", "2024"]


def test_tabel_8_11_keeps_only_the_years_the_data_have(social):
    later = trend_rows(social, 2025)                        # January 2023-2026: 2026 is not there
    assert sorted(set(later["period"]), reverse=True) == ["2025-01", "2024-01", "2023-01"]
    assert list(table_8_11(later, row_header="S").columns) == ["S", "2025", "2024", "2023"]


def test_tabel_8_11_has_no_rows_in_2016(social):
    rows = trend_rows(social, EMPTY_EDITION)
    assert rows.empty
    assert table_8_11(rows, row_header="Skoledistrikt").empty
    assert approximate_years(rows) == []


def test_paragraph_signs_are_written_as_the_style_guide_says():
    from labour_market_book.pages.indsats_paa_tvaers import paragraphs_da
    assert paragraphs_da("Dagtilbud (§§103, 104)") == "Dagtilbud (§§\u00a0103 og 104)"
    assert paragraphs_da("Botilbud (§§ 52, 66, 84, 107, 108)") == "Botilbud (§§\u00a052, 66, 84, 107 og 108)"
    assert paragraphs_da("Forsorgstilbud (§110)") == "Forsorgstilbud (§\u00a0110)"
