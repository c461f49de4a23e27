"""Every number transcribed from the report is printed in the report's own text.

For every row of every dataset in ``data/`` whose provenance entry has the method
``transcribed``, the value formatted the Danish way with its printed decimals
(``1691`` -> ``1.691``, ``3.0`` with one decimal -> ``3,0``) must occur as a whole
number in the text of the section the entry names, in the text extracted from the
report's PDF. Changes that the report prints as "3.381 færre" are stored as negative
numbers, so the absolute value is compared.

The extracted text is not part of the repository: name its file in ``LMB_REPORT_TEXT``
(``.ci/run`` does where it is available); without it this module is skipped, saying how.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import pytest

from labour_market_book.datasets import load_all
from labour_market_book.formatting import format_number
from helpers import all_datasets, report_text


REPORT_TEXT = report_text(module_level=True)

_HEADING = re.compile(r"^\s*\d+\.\d+\s+[A-ZÆØÅ]")
"""A subsection heading of the extracted text, e.g. ``8.2 Ledigheden i Randers Kommune``."""


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return re.sub(r"\s+", " ", text).strip()


def section_text(lines: list[str], section: str) -> str:
    """The text from the heading line ``section`` to the next subsection heading."""
    starts = [i for i, line in enumerate(lines) if normalise(line) == normalise(section)]
    if len(starts) != 1:
        raise LookupError(f"section '{section}' is a heading {len(starts)} times in the report's text")
    start = starts[0]
    end = next((i for i in range(start + 1, len(lines)) if _HEADING.match(lines[i])), len(lines))
    return normalise("\n".join(lines[start:end]))


@functools.lru_cache(maxsize=None)   # the same numbers are looked up in the same sections again
def times_printed(number: str, text: str) -> int:
    """How often ``number`` occurs in ``text`` as a whole number (not inside 13,1 or 1.6910)."""
    return len(re.findall(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", text))


def printed(number: str, text: str) -> bool:
    """Whether ``number`` occurs in ``text`` as a whole number."""
    return times_printed(number, text) > 0


def transcribed_rows(datasets) -> list[tuple[str, int, str, str]]:
    """``(csv file, line, number as printed, section)`` for every transcribed row with a value."""
    out = []
    for ds in datasets.values():
        entries = ds.meta["provenance"]
        for index, row in ds.frame.reset_index(drop=True).iterrows():
            entry = entries[row["provenance"]]
            if entry["method"] != "transcribed" or row["value"] != row["value"]:  # NaN: suppressed
                continue
            number = format_number(abs(row["value"]), int(row["decimals"]))
            out.append((ds.csv_path.name, index + 2, number, entry.get("section", "")))
    return out


def not_in_the_report(datasets, lines: list[str]) -> list[str]:
    """One message per transcribed row whose number is not printed in its section."""
    sections: dict[str, str] = {}
    missing = []
    for name, line, number, section in transcribed_rows(datasets):
        if section not in sections:
            sections[section] = section_text(lines, section) if section else normalise("\n".join(lines))
        if not printed(number, sections[section]):
            missing.append(f"{name} line {line}: {number} is not printed in "
                           f"'{section or 'the report'}'")
    return missing


SHARED = {("8.1 Borgere uden for arbejdsstyrken", "56"): 2}
"""Numbers printed once that hold for several rows: (section, number) -> rows.

"over 56 pct." in the text to Figur 8.4 is said of Vejle and Silkeborg together.
"""


def printed_too_rarely(datasets, lines: list[str]) -> list[str]:
    """Numbers that more rows hold than the section prints them (outside ``SHARED``).

    A mistyped value that happens to equal another number of the same section passes
    the check of each row alone; it is caught here, because one more row holds it than
    the report prints it.
    """
    counts = Counter((section, number) for _, _, number, section in transcribed_rows(datasets))
    out, texts = [], {}
    for (section, number), rows in sorted(counts.items()):
        if section not in texts:
            texts[section] = section_text(lines, section) if section else normalise("\n".join(lines))
        text = texts[section]
        allowed = max(times_printed(number, text), SHARED.get((section, number), 0))
        if rows > allowed:
            out.append(f"{number}: {rows} rows, printed {allowed} times in '{section}'")
    return out


LINES = REPORT_TEXT.splitlines()
ROWS = transcribed_rows(all_datasets())


@functools.cache
def report_text(section: str) -> str:
    """The report's text of one section (all of it for no section), normalised once."""
    return section_text(LINES, section) if section else normalise("\n".join(LINES))


def test_there_are_transcribed_rows_to_check():
    assert len(ROWS) > 0


@pytest.mark.parametrize("name, line, number, section", ROWS,
                         ids=[f"{name}:{line}:{number}" for name, line, number, _ in ROWS])
def test_transcribed_number_is_printed_in_its_section(name, line, number, section):
    text = report_text(section)
    found = printed(number, text)
    assert found, f"{name} line {line}: {number} is not printed in '{section}'"


def test_every_transcribed_section_is_a_heading_of_the_report():
    for section in {section for *_, section in ROWS if section}:
        assert section_text(LINES, section)


def test_whole_numbers_only():
    text = "mellem 13,1 og 1.6910 pct., i alt 3,4 pct. (2,5 pct.) og 1.691."
    assert printed("3,4", text) and printed("2,5", text) and printed("1.691", text)
    assert not printed("3,1", text) and not printed("1.69", text) and not printed("3", text)
    assert not printed("13", text) and not printed("2", text)


def edit_row(folder, name: str, row: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the one line of ``name`` that contains ``row``."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(row) == 1
    path.write_text(text.replace(row, row.replace(old, new)), encoding="utf-8")


def test_a_mistyped_value_is_caught(data_copy):
    edit_row(data_copy, "unemployment_aus08.csv", "730,Randers,2025-03,persons_actual,1691,", "1691", "1619")
    problems = not_in_the_report(load_all(data_copy, check_checksum=False), LINES)
    assert len(problems) == 1 and "unemployment_aus08.csv" in problems[0] and "1.619" in problems[0]


def test_a_wrong_number_of_decimals_is_caught(data_copy):
    edit_row(data_copy, "outside_labour_force.csv",
             "730,Randers,2023-11,,16-66,i alt,i alt,share_of_population,22.8,pct,1,",
             "22.8,pct,1,", "22.80,pct,2,")
    problems = not_in_the_report(load_all(data_copy, check_checksum=False), LINES)
    assert problems == ["outside_labour_force.csv line 3: 22,80 is not printed in "
                        "'8.1 Borgere uden for arbejdsstyrken'"]


def test_bundled_data_are_all_printed_in_the_report():
    assert not_in_the_report(load_all(), LINES) == []


def test_no_number_is_held_by_more_rows_than_the_report_prints_it():
    assert printed_too_rarely(load_all(), LINES) == []


def test_a_mistyped_value_equal_to_another_printed_number_is_caught(data_copy):
    edit_row(data_copy, "unemployment_by_education.csv",
             "730,Randers,2023,gymnasial uddannelse,share_of_labour_force,2.5,", "2.5", "2.6")
    datasets = load_all(data_copy, check_checksum=False)
    assert not_in_the_report(datasets, LINES) == []  # 2,6 is printed elsewhere in 8.2
    assert printed_too_rarely(datasets, LINES) == [
        "2,6: 6 rows, printed 5 times in '8.2 Ledigheden i Randers Kommune'"]
