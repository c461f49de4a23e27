"""The analyst's year, as the README walks it: plan, add rows by hand, seal, build.

The survey numbers below are MADE UP for the test (the 2024 rows with 0.01 added); they are
written into a temporary copy of data/ only."""

from __future__ import annotations

import csv
import io

import pytest

from labour_market_book.build import build_book, validate_data
from labour_market_book.cli import main
from labour_market_book.errors import DataValidationError
from labour_market_book.plan import plan
from labour_market_book.trace import plain_text

ENTRY = """  kl_2025:
    method: manual
    added_by: "Testanalytiker, Beskæftigelsesforvaltningen"
    added_on: "2026-04-15"
    source: "MADE UP for the test: KL's borgertilfredshedsundersøgelse, efteråret 2025"
"""


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
    sidecar = data / "citizen_survey_kl.yaml"
    text = sidecar.read_text(encoding="utf-8")
    # the entry goes last in 'provenance:', which 'feeds:' follows in this sidecar
    sidecar.write_text(text.replace("\nfeeds:", "\n" + ENTRY.rstrip("\n") + "\nfeeds:", 1),
                       encoding="utf-8")
    assert "kl_2025:" in sidecar.read_text(encoding="utf-8")


def test_a_year_added_by_hand_in_four_steps(data_copy, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LMB_DATA_DIR", str(data_copy))
    lines: list[str] = []
    plan(2025, say=lines.append)                                       # 1. the plan
    survey = "\n".join(lines).split("citizen_survey_kl:")[1].split("feeds:")[0]
    assert "current          2025               MISSING" in survey
    add_2025_by_hand(data_copy)                                        # 2. rows and provenance
    with pytest.raises(DataValidationError, match="covers .*make checksums writes it"):
        validate_data(data_copy)              # not sealed yet: refused, nothing built
    assert main(["checksums"]) == 0                                    # 3. seal
    said = capsys.readouterr().out
    assert ("citizen_survey_kl.yaml: coverage is now rows 2024 to 2025; check that its "
            "'description' and 'source' still say which periods it holds") in said
    datasets = validate_data(data_copy)
    assert datasets["citizen_survey_kl"].meta["coverage"]["last_period"] == "2025"
    lines.clear()
    plan(2025, say=lines.append)
    survey = "\n".join(lines).split("citizen_survey_kl:")[1].split("feeds:")[0]
    assert "current          2025               24 rows in data/" in survey


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
