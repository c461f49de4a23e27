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


def test_quarters_parse_label_and_follow_the_reference_year():
    from labour_market_book.periods import Period, resolve
    q = Period.parse("2016-Q1")
    assert (q.year, q.quarter, str(q), q.label_da()) == (2016, 1, "2016-Q1", "1. kvartal 2016")
    assert str(resolve({"year_offset": 0, "quarter": 4}, 2024)) == "2024-Q4"
    assert Period.parse("2016-Q1") < Period.parse("2016-Q2")
    import pytest
    with pytest.raises(ValueError):
        Period.parse("2016-Q5")


def test_ranges_in_reader_text_use_an_en_dash():
    from labour_market_book.periods import span_da, year_ranges_da
    assert span_da("2016-Q1", "2024-Q4") == "1. kvartal 2016\u20134. kvartal 2024"
    assert span_da(2015, 2024) == "2015\u20132024"
    assert span_da("2023-11", "2023-11") == "november 2023"
    assert span_da("2013-11", "2023-11", short=True) == "nov. 2013\u2013nov. 2023"
    assert year_ranges_da([2024, 2015, 2016, 2017]) == "2015\u20132017 og 2024"
    assert year_ranges_da([2019, 2021, 2023]) == "2019, 2021 og 2023"
    assert year_ranges_da([]) == ""
