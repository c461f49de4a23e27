import pytest

from labour_market_book.formatting import (MINUS, format_number,
                                           format_percent, format_value)


@pytest.mark.parametrize("value, decimals, expected", [
    (14494, 0, "14.494"),
    (22.8, 1, "22,8"),
    (87918, 0, "87.918"),
    (1234567.891, 2, "1.234.567,89"),
    (0, 0, "0"),
    (999.95, 1, "1.000,0"),   # rounding carries into the thousands
    (2.25, 1, "2,3"),         # half away from zero, not half to even
    (2.35, 1, "2,4"),
    (-3381, 0, f"{MINUS}3.381"),
    (-0.04, 1, "0,0"),        # rounds to zero: no minus sign on zero
])
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_refuses_missing_values():
    with pytest.raises(ValueError):
        format_number(float("nan"))


def test_format_percent_has_danish_suffix():
    assert format_percent(22.8) == "22,8 pct."
    assert format_percent(83, 0) == "83 pct."


@pytest.mark.parametrize("flag, expected", [
    ("", "21,7 pct."),
    ("approximate", "~21,7 pct."),
    ("lower_bound", "over 21,7 pct."),
    ("suppressed", "."),
])
def test_format_value_keeps_disclosure_marks(flag, expected):
    assert format_value(21.7, "pct", 1, flag) == expected


def test_suppressed_is_never_shown_as_zero():
    assert format_value(float("nan"), "persons", 0, "suppressed") == "."
    with pytest.raises(ValueError):
        format_value(float("nan"), "persons", 0, "")


def test_unknown_flag_is_refused():
    with pytest.raises(ValueError, match="unknown flag"):
        format_value(1, "persons", 0, "~")


def test_no_locale_dependence(monkeypatch):
    import locale
    monkeypatch.setattr(locale, "localeconv", lambda: {"decimal_point": "?", "thousands_sep": "?"})
    assert format_number(14494.5, 1) == "14.494,5"
