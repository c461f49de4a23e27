"""The analyst's year, as the README walks it: plan, add rows by hand, seal, build.

Every number added here is MADE UP for the test (the KL survey: the 2024 rows with 0.01 added;
Tabel 8.1: the previous edition's less a little, ``helpers.add_tabel_8_1``); they are written
into temporary copies only."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest
from data_checks import changed_2024_numbers, untaken_rows, valid_and_sealed
from helpers import REPO, add_provenance_entry, add_tabel_8_1, sidecar

from labour_market_book.build import build_book, validate_data
from labour_market_book.changes_page import write_changes_page
from labour_market_book.cli import main
from labour_market_book.datasets import check_reference_year, load_dataset
from labour_market_book.edition import default_parameters
from labour_market_book.errors import DataValidationError
from labour_market_book.execution import execute_for_exports, toc_notebooks
from labour_market_book.formatting import format_number
from labour_market_book.paths import using_data_dir
from labour_market_book.plan import plan
from labour_market_book.trace import plain_text

KL_2025 = {"method": "manual", "added_by": "Testanalytiker, Beskæftigelsesforvaltningen",
           "added_on": "2026-04-15",
           "source": "MADE UP for the test: KL's borgertilfredshedsundersøgelse, efteråret 2025"}


def add_2025_by_hand(data):
    """Step 2: the 2024 rows copied as 2025 rows (made-up values), and their provenance."""
    path = data / "citizen_survey_kl.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    new = []
    for row in rows:
        row = dict(row, period="2025", provenance="kl_2025")
        if row["base_period"]:
            row["base_period"] = "2025"
        row["value"] = f"{float(row['value']) + 0.01:.{int(row['decimals'])}f}"
        new.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))) + new)
    path.write_text(out.getvalue(), encoding="utf-8")
    add_provenance_entry(data, "citizen_survey_kl", "kl_2025", KL_2025)


def test_a_year_added_by_hand_in_four_steps(data_copy, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LMB_DATA_DIR", str(data_copy))
    lines: list[str] = []
    plan(2025, say=lines.append, shows=False)                          # 1. the plan
    survey = "\n".join(lines).split("citizen_survey_kl:")[1].split("feeds:")[0]
    assert "current          2025                       MISSING" in survey
    add_2025_by_hand(data_copy)                                        # 2. rows and provenance
    with pytest.raises(DataValidationError, match="covers .*make checksums writes it"):
        validate_data(data_copy)              # not sealed yet: refused, nothing built
    assert main(["checksums"]) == 0                                    # 3. seal
    said = capsys.readouterr().out
    assert ("citizen_survey_kl.yaml: coverage is now rows 2024 to 2025 (editions: 2024-2025); check "
            "that its 'description' and 'source' still say which periods it holds") in said
    datasets = validate_data(data_copy)
    assert sidecar(data_copy, "citizen_survey_kl")["coverage"] == {
        "first_period": "2024", "last_period": "2025", "editions": "2024-2025"}
    assert datasets["citizen_survey_kl"].meta["coverage"]["last_period"] == "2025"
    lines.clear()
    plan(2025, say=lines.append, shows=False)
    survey = "\n".join(lines).split("citizen_survey_kl:")[1].split("feeds:")[0]
    assert "current          2025                       24 rows in data/" in survey


def test_make_checksums_writes_yaml_the_same_way_every_time(data_copy):
    """A sidecar's coverage and checksum, written from scratch, come back byte for byte as
    committed (double quotes around periods and years), and a second run changes nothing."""
    committed = {p.name: p.read_bytes() for p in data_copy.glob("*.yaml")}
    from labour_market_book.metadata import replace_block
    for path in data_copy.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(replace_block(replace_block(text, "coverage", None), "checksum",
                                      {"algorithm": "sha256", "value": "0" * 64}), encoding="utf-8")
    with using_data_dir(data_copy):
        assert main(["checksums"]) == 0
        assert {p.name: p.read_bytes() for p in data_copy.glob("*.yaml")} == committed
        assert main(["checksums"]) == 0
    assert {p.name: p.read_bytes() for p in data_copy.glob("*.yaml")} == committed
    assert b'  first_period: "2013-11"\n  last_period: "2023-11"\n  editions: "2024"\n' in \
        committed["outside_labour_force.yaml"]


def walk_the_readme(data) -> int:
    """The README's "Adding a new year" for the next edition's Tabel 8.1 of ``data`` (the
    2025 edition for the data as published in 2024): rows by hand with a ``manual`` entry,
    then `make checksums` (as ``main(["checksums"])`` with ``LMB_DATA_DIR``). Returns the
    edition's year."""
    year = max(load_dataset("outside_labour_force", data).editions()) + 1
    add_tabel_8_1(data, year)
    with pytest.raises(DataValidationError, match=r"outside_labour_force\.yaml: metadata field "
                                                  r"'coverage' says .*make checksums writes it"):
        validate_data(data)
    with using_data_dir(data):
        assert main(["checksums"]) == 0
    return year


@pytest.mark.slow
def test_the_readme_walk_for_the_next_tabel_8_1_keeps_every_check_green(repo_data_copy, tmp_path, capsys):
    """The walk on a copy of data/ as it is; then the data checks (valid, sealed, every row
    taken by a rule, the 2024 numbers exact) and the machinery: the edition has data, the plan
    shows Tabel 8.1 in full and no longer asks for it, and "Hvad er ændret" leads with its
    count and lists the text's number of persons with its new value."""
    year = walk_the_readme(repo_data_copy)
    datasets = valid_and_sealed(repo_data_copy)                    # the data checks
    assert untaken_rows(datasets) == []
    compared, differs = changed_2024_numbers(datasets)
    assert compared > 1000 and differs == []
    check_reference_year(year, datasets)                            # the machinery
    lines: list[str] = []
    with using_data_dir(repo_data_copy):
        statuses = plan(year, say=lines.append)
    text = "\n".join(lines)
    assert statuses["tabel-8-1"] == "full"
    period = load_dataset("outside_labour_force", repo_data_copy).period(year)
    assert f"    current          {period} ({period.label_da()})    6 rows in data/" in text
    assert "    Tabel 8.1:" not in text.split("The rows to add")[-1]
    parameters = dict(default_parameters(), reference_year=year)
    now = execute_for_exports(toc_notebooks(), parameters, tmp_path / "cache", data_dir=repo_data_copy)
    then = execute_for_exports(toc_notebooks(), dict(parameters, reference_year=year - 1),
                               tmp_path / "cache", data_dir=repo_data_copy)
    page = write_changes_page(tmp_path / "stage", now, (year - 1, then), parameters, datasets)
    lead = page.splitlines()[0]              # one line first: changed, new, not yet updated
    assert re.fullmatch(r"\*\*I alt: \d+ tal ændret, \d+ (nyt|nye), \d{1,3}(\.\d{3})* endnu ikke "
                        r"opdateret\.\*\*", lead), lead
    persons = datasets["outside_labour_force"].frame
    period_before = load_dataset("outside_labour_force", repo_data_copy).period(year - 1)
    before = persons[(persons["measure"] == "persons") & (persons["area"] == "Randers")
                     & (persons["period"] == str(period_before))]["value"].iloc[0]
    prose = page.split("## Tallene i teksten på siden »Borgere uden for arbejdsstyrken«")[1].split("## ")[0]
    assert (f"| Randers Kommune, antal borgere uden for arbejdsstyrken | {format_number(before)} "   # 14.494
            f"\\({period_before.label_da()}\\) | {format_number(before - 184)} \\({period.label_da()}\\) "
            "| −184 |") in prose                                                       # 14.310, MADE UP


@pytest.mark.slow
def test_the_quick_tier_stays_green_on_a_walked_data_folder(repo_data_copy):
    """`make check`'s tests, run against a copy of data/ after the walk (``LMB_DATA_DIR``): the
    data tests check the walked copy, the machinery tests their frozen folder; all pass."""
    walk_the_readme(repo_data_copy)
    result = subprocess.run([sys.executable, "-m", "pytest", "tests", "-m", "not slow", "-q", "-x",
                             "-p", "no:cacheprovider"], cwd=REPO, capture_output=True, text=True,
                            env={**__import__("os").environ, "LMB_DATA_DIR": str(repo_data_copy)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_the_hand_added_year_reaches_its_table_credited_as_added_by_hand(data_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("LMB_DATA_DIR", str(data_copy))
    add_2025_by_hand(data_copy)
    assert main(["checksums"]) == 0
    monkeypatch.delenv("LMB_DATA_DIR")
    html = build_book(2025, out_root=tmp_path / "book", data_dir=data_copy)    # 4. the build
    page = plain_text((html / "notebooks" / "indsats_borgertilfredshed.html").read_text(encoding="utf-8"))
    caption = page.split("Tabel 8.12.")[1].split("Hent tallene")[0]
    assert "tilføjet i hånden 15. april 2026 af Testanalytiker" in caption and "gengivet i" not in caption
    # 2025's made-up mean scores (2024's 3,51 and 3,52, each + 0,01) in the page's prose
    assert "tilfredshed med forløbet var 3,52 i Randers Kommune og 3,53 i gennemsnit" in page
