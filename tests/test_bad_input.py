"""The bad-input matrix: each way a data file goes wrong in practice, and what the loader says.

Every broken file is made at test time from a copy of the real data (no content, header
or column count is written down here), so the matrix keeps working when columns or rows
change. For each case the error must name the file, the line and the column where they
exist and the real cause, and the build must stop with the same message before it
writes anything.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from labour_market_book.build import build_book
from labour_market_book.datasets import load_dataset
from labour_market_book.errors import DataValidationError
from labour_market_book.paths import using_data_dir
from helpers import FROZEN, add_tabel_8_1, sidecar

DATASET = "outside_labour_force"
REPO_DATA = FROZEN
"""The machinery's own frozen data folder, of which ``data_copy`` is a copy."""
AT = object()
"""Expected line or column: where the breaker says it broke the file."""
SEAL = (r"metadata field 'checksum\.value' does not match outside_labour_force\.csv "
        r"\(sha256 [0-9a-f]+\)")
"""Start of the message when only the sealed checksum is broken: the file itself loads."""


@dataclass
class Where:
    """Where a breaker broke the file; the fields fill AT and the message's {placeholders}."""
    line: int | None = None
    column: str | None = None
    char: int | None = None
    byte: str | None = None
    glyph: str | None = None


# -- breakers: each edits the copy in ``folder`` and says where --------------------------
def _csv(folder: Path) -> Path:
    return folder / f"{DATASET}.csv"


def _yaml(folder: Path) -> Path:
    return folder / f"{DATASET}.yaml"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines), encoding="utf-8")


def _join(fields: list[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(fields)
    return out.getvalue()


def replace_first(old: str, new: str):
    """On the first CSV line containing ``old`` (such as ',22.8,'), write ``new`` instead."""
    def breaker(folder):
        path = _csv(folder)
        lines = _lines(path)
        i = next(i for i, line in enumerate(lines) if old in line)
        lines[i] = lines[i].replace(old, new, 1)
        _write(path, lines)
        return Where(line=i + 1)
    return breaker


def set_decimals(decimals: int, value: str = "22.8"):
    """Set the 'decimals' field of the first row whose value is ``value``."""
    def breaker(folder):
        path = _csv(folder)
        lines = _lines(path)
        header = next(csv.reader([lines[0]]))
        for i, line in enumerate(lines[1:], start=1):
            fields = next(csv.reader([line]), [])
            if fields and fields[header.index("value")] == value:
                fields[header.index("decimals")] = str(decimals)
                lines[i] = _join(fields)
                _write(path, lines)
                return Where(line=i + 1)
        raise AssertionError(f"no row with value {value}")
    return breaker


def drop_column(name: str):
    def breaker(folder):
        path = _csv(folder)
        rows = list(csv.reader(_lines(path)))
        index = rows[0].index(name)
        _write(path, [_join(r[:index] + r[index + 1:]) if r else "" for r in rows])
    return breaker


def semicolon_separated(folder):
    path = _csv(folder)
    _write(path, [_join(r, ";") if r else "" for r in csv.reader(_lines(path))])


def byte_order_mark(folder):
    path = _csv(folder)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def crlf_line_endings(folder):
    path = _csv(folder)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def encoded_as(encoding: str):
    """Re-encode the whole CSV; say where its first non-ASCII character is."""
    def breaker(folder):
        path = _csv(folder)
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.encode(encoding))
        lines = text.split("\n")
        header = next(csv.reader([lines[0]]))
        for i, line in enumerate(lines):
            j = next((j for j, ch in enumerate(line) if ord(ch) > 127), None)
            if j is not None:
                fields = next(csv.reader([line]))
                column = next(h for h, f in zip(header, fields) if any(ord(c) > 127 for c in f))
                return Where(line=i + 1, column=column, char=j + 1,
                             byte=f"{line[j].encode(encoding)[0]:02X}", glyph=line[j])
        raise AssertionError("the CSV has no non-ASCII character to mis-encode")
    return breaker


def sidecar_line(key: str, edit):
    """Apply ``edit`` to the sidecar line that starts with ``key``; say which line and where."""
    def breaker(folder):
        path = _yaml(folder)
        lines = _lines(path)
        i = next(i for i, line in enumerate(lines) if line.startswith(key))
        lines[i], char = edit(lines[i])
        _write(path, lines)
        return Where(line=i + 1, char=char)
    return breaker


def _open_quote(line):  # publisher: Danmarks Statistik -> publisher: "Danmarks Statistik
    key, _, value = line.partition(": ")
    return f'{key}: "{value}', len(key) + 3


def _drop_colon(line):  # publisher: Danmarks Statistik -> publisher Danmarks Statistik
    return line.replace(": ", " ", 1), len(line) - len(line.lstrip()) + 1


def _indent_more(line):  # "  table_title: ..." -> "    table_title: ..."
    return "  " + line, line.index(":") + 3


# -- the matrix ---------------------------------------------------------------------------
CASES = [
    # id, breaker, file named, message (regex; {placeholders} from Where), line, column
    ("text_in_the_value_column", replace_first(",22.8,", ",abc,"), "csv",
     r"'abc' is not a number$", AT, "value"),
    ("declared_column_missing", drop_column("unit"), "csv",
     r"this declared column is missing from the header$", 1, "unit"),
    ("semicolon_separated", semicolon_separated, "csv",
     r"the file is separated by ';', but the book's data files are comma-separated", 1, None),
    ("unquoted_decimal_comma", replace_first(",22.8,", ",22,8,"), "csv",
     r"a decimal comma \(22,8\) seems to have split the row \(expected \d+ fields, found \d+\): "
     r"use a dot as decimal mark \(22\.8\)$", AT, "value"),
    ("latin1_encoded", encoded_as("latin-1"), "csv",
     r"the file must be UTF-8, but byte 0x{byte} at character {char} is not UTF-8 .*'{glyph}'.*"
     r"save the file as UTF-8", AT, AT),
    ("cp1252_encoded", encoded_as("cp1252"), "csv",
     r"the file must be UTF-8, but byte 0x{byte} at character {char} is not UTF-8", AT, AT),
    ("excel_byte_order_mark", byte_order_mark, "yaml",
     SEAL + r"; the file starts with a UTF-8 byte-order mark \(as Excel writes\): save it without "
            r"one \(the data are otherwise unchanged", None, None),
    ("crlf_line_endings", crlf_line_endings, "yaml",
     SEAL + r"; the file has Windows \(CRLF\) line endings: convert it to LF \(the data are "
            r"otherwise unchanged", None, None),
    ("more_decimals_than_declared", replace_first(",22.8,", ",22.85,"), "csv",
     r"'22\.85' has 2 decimals but the column 'decimals' says 1", AT, "value"),
    ("decimals_0_for_a_value_with_1", set_decimals(0), "csv",
     r"'22\.8' has 1 decimal but the column 'decimals' says 0", AT, "value"),
    ("fewer_decimals_than_declared_only_breaks_the_seal", set_decimals(2), "yaml",
     SEAL + r"\. If you changed the data on purpose, run `make checksums`\.$", None, None),
    ("sidecar_unclosed_quote", sidecar_line("publisher:", _open_quote), "yaml",
     r'not valid YAML: the value opened with " at character {char} is not closed on this line',
     AT, None),
    ("sidecar_key_without_colon", sidecar_line("publisher:", _drop_colon), "yaml",
     r"not valid YAML: the key at character {char} has no ':' after it", AT, None),
    ("sidecar_bad_indentation", sidecar_line("  table_title:", _indent_more), "yaml",
     r"not valid YAML: mapping values are not allowed here at character {char}", AT, None),
]


@pytest.mark.parametrize("breaker, file, message, line, column",
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_bad_input_is_refused_with_its_real_cause(breaker, file, message, line, column,
                                                  data_copy, tmp_path):
    where = breaker(data_copy) or Where()
    line = where.line if line is AT else line
    column = where.column if column is AT else column
    pattern = message.format(**{k: re.escape(str(v)) for k, v in vars(where).items()})

    with pytest.raises(DataValidationError) as refused:
        load_dataset(DATASET, data_copy)
    error, text = refused.value, str(refused.value)
    assert error.path == data_copy / f"{DATASET}.{file}"
    assert (error.row, error.column) == (line, column), text
    named = [str(error.path)] + [f"line {line}"] * (line is not None) \
        + [f"column '{column}'"] * (column is not None)
    assert text.startswith(", ".join(named) + ": "), text
    assert re.search(pattern, text), f"{text!r} does not match {pattern!r}"
    if message.startswith(SEAL):  # only the checksum differs: unsealed, the file loads
        loaded = load_dataset(DATASET, data_copy, check_checksum=False).frame
        original = load_dataset(DATASET, REPO_DATA, check_checksum=False).frame
        assert list(loaded.columns) == list(original.columns) and len(loaded) == len(original)

    published = tmp_path / "_build" / "html"
    published.mkdir(parents=True)
    (published / "index.html").write_text("previous good build", encoding="utf-8")
    with pytest.raises(DataValidationError) as stopped:
        build_book(2024, out_root=tmp_path, data_dir=data_copy)
    assert str(stopped.value) == text
    assert (published / "index.html").read_text(encoding="utf-8") == "previous good build"
    assert sorted(p.name for p in (tmp_path / "_build").iterdir()) == ["html"]


# -- sidecars and structure files: every edit that changes the book ----------------------------
def edit_text(relative: str, old: str, new: str, *, count: int = 1):
    """Replace the first ``old`` in a data file (a sidecar, a structure file) by ``new`` and
    say on which line it was."""
    def breaker(folder):
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        at = text.index(old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return Where(line=text.count("\n", 0, at) + 1 + old[:len(old) - len(old.lstrip("\n"))].count("\n"))
    return breaker


def line_of_text(relative: str, needle: str):
    """The line of the first ``needle`` in the repository's copy of a data file."""
    text = (REPO_DATA / relative).read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


OLF = "outside_labour_force.yaml"
ORG = "structures/organisation.yaml"
SIDECAR_CASES = [
    # id, breaker, file, message (regex), line (AT: where the edit is; an int; None)
    ("period_rule_renamed", edit_text(OLF, "\n    base:\n", "\n    basis:\n"), OLF,
     r"metadata field 'periods' changed since it was sealed \(the period rules decide which rows "
     r"each edition shows\)\. If you changed it on purpose, run `make checksums`",
     line_of_text(OLF, "periods:")),
    ("month_deleted_from_a_monthly_rule", edit_text(OLF, "      month: 11\n", "", count=1), OLF,
     r"metadata field 'periods\.rules\.current': a rule of a monthly dataset needs 'month'",
     line_of_text(OLF, "    current:")),
    ("survey_year_offset_changed", edit_text("citizen_survey_kl.yaml", "year_offset: 0", "year_offset: 1"),
     "citizen_survey_kl.yaml", r"metadata field 'periods' changed since it was sealed",
     line_of_text("citizen_survey_kl.yaml", "periods:")),
    ("bound_not_a_number", edit_text(OLF, "    max: 100\n", "    max: .nan\n"), OLF,
     r"metadata field 'measures\.share_of_population\.max': the bound must be a number, not nan", AT),
    ("bound_deleted", edit_text(OLF, "    min: 0\n", ""), OLF,
     r"metadata field 'measures' changed since it was sealed \(the measures, their units and bounds",
     line_of_text(OLF, "measures:")),
    ("flag_vocabulary_changed", edit_text(OLF, '"approximate", "lower_bound"]}', '"lower_bound"]}'), OLF,
     r"metadata field 'columns' changed since it was sealed", line_of_text(OLF, "columns:")),
    ("unknown_flag_declared", edit_text(OLF, '"approximate", "lower_bound"]}', '"approximate", "maybe"]}'),
     OLF, r"'maybe' is not a flag the book knows", AT),
    ("column_declared_twice", edit_text(OLF, "  - {name: unit,", "  - {name: unit, type: string, required: true}\n  - {name: unit,"),
     OLF, r"metadata field 'columns\.\d+\.name': the column 'unit' is declared twice",
     line_of_text(OLF, "  - {name: unit,") + 1),   # the second declaration
    ("nul_byte", edit_text(OLF, "publisher: Danmarks", "publisher: Dan\x00marks"), OLF,
     r"a control character \(\\x00\) at character 15: delete it", AT),
    ("provenance_key_renamed", edit_text(OLF, "    transcribed_on:", "    transcribd_on:"), OLF,
     r"metadata field 'provenance\.report\.transcribd_on': 'transcribd_on' is not a field of a "
     r"'transcribed' entry \(its fields: method, ", AT),
    ("measure_unit_not_text", edit_text(OLF, "    unit: pct\n", "    unit: [pct]\n"), OLF,
     r"metadata field 'measures\.share_of_population\.unit': \['pct'\] is not one of \['pct', ", AT),
    ("organisation_fact_value_changed", edit_text(ORG, "value: 2000", "value: 3000"), ORG,
     r"field 'centres\.1\.facts\.0\.value': 3000 does not agree with the printed text 'mere end 2\.000'",
     AT),
    ("organisation_unit_renamed", edit_text(ORG, "name: Kompetenceudviklingscenter", "name: Kompetencecenter"),
     ORG, r"the facts changed since the file was sealed \(names, units, numbers: what the book shows\)",
     line_of_text(ORG, "seal:")),
    ("key_over_indented_in_a_block", edit_text(OLF, "\n  share_of_population:\n", "\n    share_of_population:\n"),
     OLF, r"not valid YAML: this line is indented further than the lines beside it \(the block's next "
          r"line, \d+, has the indentation it expects\)", line_of_text(OLF, "  share_of_population:")),
    ("key_over_indented_into_the_value_above", edit_text(OLF, "\npublisher:", "\n  publisher:"), OLF,
     r"metadata field '\(top level\)': 'publisher' is missing here, but line \d+ has it indented "
     r"further \(into the value above it\?\)", line_of_text(OLF, "publisher:")),
    ("header_cell_with_a_space", replace_first(",unit,", ", unit,"), "outside_labour_force.csv",
     r"the header cell ' unit' has a stray space: write 'unit'", 1),
    # dates and periods in words, never as a regular expression or a Python type
    ("manual_entry_with_a_day_first_date",
     edit_text(OLF, "\nprovenance:\n", "\nprovenance:\n  hand:\n    method: manual\n    added_by: X\n"
                    "    added_on: \"07-12-2026\"\n    source: Y\n"), OLF,
     r"metadata field 'provenance\.hand\.added_on': '07-12-2026' is not a date in the form YYYY-MM-DD, "
     r"e\.g\. 2026-12-07$", line_of_text(OLF, "\nprovenance:\n") + 5),
    ("date_without_quotes", edit_text(OLF, 'transcribed_on: "2026-11-28"', "transcribed_on: 2026-11-28"), OLF,
     r"metadata field 'provenance\.report\.transcribed_on': 2026-11-28 must be in quotes "
     r"\(\"2026-11-28\"\): without them YAML reads it as a date, not as text$", AT),
    ("coverage_period_mistyped", edit_text(OLF, 'first_period: "2013-11"', 'first_period: "2013-13-01"'), OLF,
     r"metadata field 'coverage\.first_period': '2013-13-01' is not a period in the form YYYY, YYYY-MM "
     r"or YYYY-Qn", AT),
]


@pytest.mark.parametrize("breaker, file, message, line",
                         [pytest.param(*case[1:], id=case[0]) for case in SIDECAR_CASES])
def test_a_bad_sidecar_or_structure_file_is_refused_before_any_notebook(breaker, file, message, line,
                                                                      data_copy, tmp_path):
    from labour_market_book.build import validate_data
    where = breaker(data_copy) or Where()
    line = where.line if line is AT else line
    with pytest.raises(DataValidationError) as refused:
        validate_data(data_copy)
    error, text = refused.value, str(refused.value)
    assert error.path == data_copy / file, text
    assert error.row == line, text
    assert re.search(message, text), f"{text!r} does not match {message!r}"
    assert "\n" not in text and "\x00" not in text
    published = tmp_path / "_build" / "html"
    published.mkdir(parents=True)
    (published / "index.html").write_text("previous good build", encoding="utf-8")
    with pytest.raises(DataValidationError) as stopped:
        build_book(2024, out_root=tmp_path, data_dir=data_copy)
    assert str(stopped.value) == text
    assert (published / "index.html").read_text(encoding="utf-8") == "previous good build"
    assert sorted(p.name for p in (tmp_path / "_build").iterdir()) == ["html"]   # no notebook ran


def test_an_intended_sidecar_edit_builds_after_make_checksums(data_copy, monkeypatch, capsys):
    """A survey's period moved on purpose (its 2024 rows now serve the edition 2023): `make
    checksums` refuses to drop the default edition until asked explicitly, then seals it and
    says what was lost."""
    from labour_market_book.build import validate_data
    from labour_market_book.cli import main
    edit_text("citizen_survey_kl.yaml", "year_offset: 0", "year_offset: 1")(data_copy)
    with pytest.raises(DataValidationError):
        validate_data(data_copy)
    monkeypatch.setenv("LMB_DATA_DIR", str(data_copy))
    assert main(["checksums", "--allow-lost-editions"]) == 0
    said = capsys.readouterr().out
    assert "note       citizen_survey_kl no longer serves the edition 2024, the default edition" in said
    survey = validate_data(data_copy)["citizen_survey_kl"]
    assert list(survey.editions()) == [2023]


# -- three mistakes of a tired analyst, each stopped before any notebook runs -------------------
def stopped_before_any_notebook(data, tmp_path, capsys) -> str:
    """The message with which validation, `make checksums` and the build refuse ``data``:
    the same each time, nothing written to ``data`` and no notebook run."""
    from labour_market_book.build import validate_data
    from labour_market_book.cli import main
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    with pytest.raises(DataValidationError) as refused:
        validate_data(data)
    message = str(refused.value)
    capsys.readouterr()
    with using_data_dir(data):
        assert main(["checksums"]) == 2
    err = capsys.readouterr().err        # the same refusal, or what sealing would lose
    assert err.startswith("error: ") and (message in err or "Nothing was written" in err), err
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
    published = tmp_path / "_build" / "html"
    published.mkdir(parents=True)
    (published / "index.html").write_text("previous good build", encoding="utf-8")
    with pytest.raises(DataValidationError):
        build_book(2025, out_root=tmp_path, data_dir=data)
    assert sorted(p.name for p in (tmp_path / "_build").iterdir()) == ["html"]   # no notebook ran
    return message


def csv_line(folder, needle: str) -> int:
    """The line of the last row of outside_labour_force.csv that contains ``needle``."""
    lines = (folder / f"{DATASET}.csv").read_text(encoding="utf-8").splitlines()
    return max(i for i, line in enumerate(lines, start=1) if needle in line)


@pytest.mark.parametrize("decimals", ["3", "0"])
def test_a_count_typed_with_a_thousands_separator_is_refused_as_such_first(decimals, data_copy,
                                                                          tmp_path, capsys):
    """14.310 persons (MADE UP), with 'decimals' 3 as the old advice led to, or 0: a count is a
    whole number, and the thousands separator is named before anything about decimals."""
    add_tabel_8_1(data_copy, persons="14.310", persons_decimals=decimals)
    message = stopped_before_any_notebook(data_copy, tmp_path, capsys)
    assert message.startswith(f"{data_copy / 'outside_labour_force.csv'}, line "
                              f"{csv_line(data_copy, ',14.310,')}, column 'value': 14.310 looks like a "
                              "Danish thousands separator: write 14310 ("), message


@pytest.mark.parametrize("persons, decimals, column, message", [
    ("14310", "3", "decimals", "the measure 'persons' counts persons, a whole number printed without "
                               "decimals, but 'decimals' says 3: set it to 0"),
    ("14310.5", "1", "value", "'14310.5' is not a whole number, but the measure 'persons' counts "
                              "persons: write the whole number the source prints"),
])
def test_a_count_is_a_whole_number_without_decimals(persons, decimals, column, message, data_copy):
    add_tabel_8_1(data_copy, persons=persons, persons_decimals=decimals)    # MADE UP
    with pytest.raises(DataValidationError) as refused:
        load_dataset(DATASET, data_copy, check_checksum=False)
    assert str(refused.value).endswith(f"line {csv_line(data_copy, ',' + persons + ',')}, column "
                                       f"'{column}': {message}")


def test_a_row_in_a_month_no_rule_takes_is_refused_with_the_month_it_likely_means(data_copy, tmp_path,
                                                                                 capsys):
    """Vejle's share typed for december 2024 in a november series (MADE UP): no edition would
    show it, so it is refused with the period its rules take first."""
    add_tabel_8_1(data_copy, period={"630": "2024-12"})
    message = stopped_before_any_notebook(data_copy, tmp_path, capsys)
    assert message == (
        f"{data_copy / 'outside_labour_force.csv'}, line {csv_line(data_copy, ',2024-12,')}, column "
        "'period': no period rule of outside_labour_force takes 2024-12, so no edition would show "
        "this row. Did you mean 2024-11? The rules take current: November of the year before the "
        "edition; base: November 11 years before the edition. If the source now publishes another "
        "month, change the rule in outside_labour_force.yaml and run `make checksums`")


def test_a_changed_rule_that_loses_the_default_edition_is_refused_and_undoing_comes_first(
        data_copy, tmp_path, capsys):
    """The rule's month changed 11 -> 12 (by accident): validation says which editions the
    dataset would stop serving and to undo it first; `make checksums` refuses to seal it."""
    from labour_market_book.cli import main
    sidecar_path = data_copy / f"{DATASET}.yaml"
    text = sidecar_path.read_text(encoding="utf-8")
    current = text.index("    current:\n")
    month = text.index("      month: 11\n", current)
    sidecar_path.write_text(text[:month] + "      month: 12\n" + text[month + len("      month: 11\n"):],
                            encoding="utf-8")
    assert sidecar(data_copy, DATASET)["periods"]["rules"]["current"]["month"] == 12
    message = stopped_before_any_notebook(data_copy, tmp_path, capsys)
    assert "changed since it was sealed (the period rules decide which rows each edition shows), and " \
           "with the rules as they now are outside_labour_force would no longer serve the edition " \
           "2024, the default edition (edition.yml). Undo the change (`git diff " in message
    assert message.endswith("only if the loss is intended, run `make checksums ALLOW_LOSS=1`")
    with using_data_dir(data_copy):
        assert main(["checksums"]) == 2
        assert ("outside_labour_force would no longer serve the edition 2024, the default edition "
                "(edition.yml): its tables, figures and sentences from this dataset would become "
                "notices there. Undo the change") in capsys.readouterr().err
        assert main(["checksums", "--allow-lost-editions"]) == 0            # asked for explicitly
        assert "note       outside_labour_force no longer serves the edition 2024" in capsys.readouterr().out


def test_rows_a_changed_rule_no_longer_takes_say_to_undo_the_rule_first(data_copy):
    """Both rules moved to december: the november rows are taken by none, and the message
    says that the rules changed, not that the rows are mistyped."""
    path = data_copy / f"{DATASET}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("      month: 11\n", "      month: 12\n"),
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as refused:
        load_dataset(DATASET, data_copy, check_checksum=False)
    assert str(refused.value).endswith(
        "column 'period': no period rule of outside_labour_force takes 2023-11 any more: the period "
        "rules in outside_labour_force.yaml changed since they were sealed, and now take current: "
        "December of the year before the edition; base: December 11 years before the edition. Undo "
        f"the change to the rules (`git diff {path}` shows it); only if it is intended, delete the "
        "rows that no edition can show any more")
