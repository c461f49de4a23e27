import pytest

from labour_market_book.periods import Period, reference_year_of, resolve


def test_parse_and_print():
    assert str(Period.parse("2023-11")) == "2023-11"
    assert str(Period.parse("2024")) == "2024"
    assert Period.parse("2013-11") < Period.parse("2023-11")


@pytest.mark.parametrize("text", ["2023-13", "23-11", "2023/11", "nov 2023", ""])
def test_parse_rejects_bad_periods(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_danish_labels():
    assert Period(2023, 11).label_da() == "november 2023"
    assert Period(2025, 3).label_da() == "marts 2025"
    assert Period(2024).label_da() == "2024"
    assert Period(2024, 3).label_da_short() == "marts 2024"
    assert Period(2025, 2).label_da_short() == "feb. 2025"


def test_rules_follow_the_reference_year():
    ras = {"year_offset": -1, "month": 11}
    aus = {"year_offset": 1, "month": 3}
    assert str(resolve(ras, 2024)) == "2023-11"
    assert str(resolve(ras, 2025)) == "2024-11"
    assert str(resolve(aus, 2024)) == "2025-03"
    assert reference_year_of(ras, Period(2023, 11)) == 2024
