"""The whole pipeline: validate, execute with papermill, build with Jupyter Book.

Builds go to temporary folders; the repository is never written to.
"""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from labour_market_book.build import build_book
from labour_market_book.errors import DataValidationError, ReferenceYearError

REPO = Path(__file__).resolve().parent.parent
PAGE = "notebooks/borgere_uden_for_arbejdsstyrken.html"
EXHIBITS = ["tabel-8-1"] + [f"figur-8-{i}" for i in range(1, 8)]


@pytest.fixture(scope="module")
def book_2024(tmp_path_factory):
    out = tmp_path_factory.mktemp("book2024")
    return build_book(2024, out_root=out), out


def test_book_2024_shows_the_report_numbers(book_2024):
    html, _ = book_2024
    page = (html / PAGE).read_text(encoding="utf-8")
    for text in ["Tabel 8.1.", "22,8 pct.", "14.494", "3.381", "2.253", "84,9 pct.",
                 "Figur 8.7.", "Data mangler", "Kilde:"]:
        assert text in page, text
    assert 'id="figur-8-5"' in page and 'id="tabel-8-1"' in page  # cross-reference targets
    assert "<svg" in page or ".svg" in page


def test_book_2024_publishes_every_exhibit_csv(book_2024):
    html, _ = book_2024
    page = (html / PAGE).read_text(encoding="utf-8")
    for exhibit in EXHIBITS:
        assert (html / "data" / f"{exhibit}.csv").exists(), exhibit
        assert f'href="../data/{exhibit}.csv"' in page, exhibit
    rows = list(csv.DictReader((html / "data" / "tabel-8-1.csv").open(encoding="utf-8")))
    assert [(r["area"], r["value"]) for r in rows] == [
        ("Hele landet", "21.7"), ("Randers", "22.8"), ("Horsens", "20.6"),
        ("Silkeborg", "18.9"), ("Vejle", "19.9")]


def test_book_2024_is_citable(book_2024):
    html, _ = book_2024
    intro = (html / "intro.html").read_text(encoding="utf-8")
    assert "Sådan citerer du bogen" in intro
    sources = (html / "appendix" / "kilder.html").read_text(encoding="utf-8")
    assert "RAS201" in sources and "Hvidbog" in sources
    appendix = (html / "appendix" / "datasaet.html").read_text(encoding="utf-8")
    assert "outside_labour_force.csv" in appendix and "Afskrevet fra rapporten" in appendix


def test_rebuild_with_no_change_executes_nothing(book_2024, capsys):
    _, out = book_2024
    capsys.readouterr()
    build_book(2024, out_root=out)
    printed = capsys.readouterr().out
    assert "unchanged, taken from the cache" in printed and "executed in" not in printed


def test_book_2023_says_what_is_missing_and_shows_no_2024_numbers(tmp_path):
    html = build_book(2023, out_root=tmp_path)
    page = (html / PAGE).read_text(encoding="utf-8")
    assert "november 2022" in page and "Data mangler" in page
    assert "Udgaven for referenceåret 2023" in page  # one notice at the top says what is missing
    for number in ["22,8 pct.", "14.494", "3.381", "84,9 pct."]:
        assert number not in page, number
    assert (html / "data" / "tabel-8-1.csv").read_text(encoding="utf-8").count("\n") == 1  # header only


def test_year_without_data_fails_before_any_notebook(tmp_path):
    with pytest.raises(ReferenceYearError, match="1990.*2014-2024"):
        build_book(1990, out_root=tmp_path)
    assert not (tmp_path / "_build").exists()


def test_command_line_exit_status_and_message_for_a_year_without_data():
    result = subprocess.run([sys.executable, "-m", "labour_market_book", "build", "--year", "1990"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert "Reference year 1990" in result.stderr and "executed" not in result.stdout


def test_corrupted_data_stops_the_build_and_keeps_the_published_book(tmp_path, data_copy):
    published = tmp_path / "_build" / "html"
    published.mkdir(parents=True)
    (published / "index.html").write_text("previous good build", encoding="utf-8")
    csv_path = data_copy / "outside_labour_force.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(",22.8,", ",abc,"), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"outside_labour_force.csv, line 3, column 'value'"):
        build_book(2024, out_root=tmp_path, data_dir=data_copy)
    assert (published / "index.html").read_text(encoding="utf-8") == "previous good build"
    assert sorted(p.name for p in (tmp_path / "_build").iterdir()) == ["html"]


def _notebook(path, source):
    import nbformat
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("reference_year = 2024")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_stops_the_build_and_keeps_its_executed_copy(tmp_path, capsys):
    from labour_market_book.build import BuildError, execute_notebooks
    good = _notebook(tmp_path / "good.ipynb", "x = reference_year + 1")
    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('boom in the notebook')")
    with pytest.raises(BuildError, match="bad.ipynb.*boom in the notebook"):
        execute_notebooks([good, bad], {"reference_year": 2024}, tmp_path / "_build" / "cache", jobs=2)
    assert (tmp_path / "_build" / "failed" / "bad.ipynb").exists()
    printed = capsys.readouterr().out
    assert "bad: FAILED" in printed and "good: executed in" in printed


def test_changing_one_notebook_re_executes_only_that_one(tmp_path, capsys):
    from labour_market_book.build import execute_notebooks
    first = _notebook(tmp_path / "first.ipynb", "a = 1")
    second = _notebook(tmp_path / "second.ipynb", "b = 2")
    cache = tmp_path / "cache"
    execute_notebooks([first, second], {"reference_year": 2024}, cache)
    _notebook(second, "b = 3")
    capsys.readouterr()
    execute_notebooks([first, second], {"reference_year": 2024}, cache)
    printed = capsys.readouterr().out
    assert "first: unchanged" in printed and "second: executed in" in printed
    capsys.readouterr()
    execute_notebooks([first, second], {"reference_year": 2023}, cache)  # new parameters: both run
    assert capsys.readouterr().out.count("executed in") == 2
