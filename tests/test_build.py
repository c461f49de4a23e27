"""The whole pipeline: validate, execute with papermill, build with Jupyter Book.

Builds go to temporary folders; the repository is never written to.
"""

import csv
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import FROZEN, REPO, add_provenance_entry, add_rows, make_notebook, private_copy

from labour_market_book.build import build_book
from labour_market_book.errors import DataValidationError, ReferenceYearError
from labour_market_book.trace import plain_text

PAGE = "notebooks/borgere_uden_for_arbejdsstyrken.html"
PAGE_8_2 = "notebooks/ledigheden.html"
PAGE_8_3 = "notebooks/indkomstoverfoersler.html"
EXHIBITS = {PAGE: ["tabel-8-1"] + [f"figur-8-{i}" for i in range(1, 8)],
            PAGE_8_2: ["tabel-8-2", "tabel-8-3"] + [f"figur-8-{i}" for i in range(8, 13)],
            PAGE_8_3: ["tabel-8-4", "tabel-8-5"] + [f"figur-8-{i}" for i in range(13, 26)],
            "notebooks/indsats_organisering.html": ["figur-8-26", "kort-8-1", "figur-8-28", "figur-8-29"],
            "notebooks/indsats_loentimer.html": [f"figur-8-{i}" for i in range(30, 38)],
            "notebooks/indsats_virksomheder.html": ["figur-8-38", "figur-8-39", "tabel-8-6", "tabel-8-7"],
            "notebooks/indsats_paa_tvaers.html": ["tabel-8-8", "kort-8-2", "tabel-8-9", "kort-8-3",
                                                 "tabel-8-10", "tabel-8-11"],
            "notebooks/indsats_borgertilfredshed.html": ["figur-8-40", "figur-8-41", "figur-8-42",
                                                        "tabel-8-12"]}


# book_2024 (the default edition, built once per test run) is in conftest.py: the browser
# tests (test_site_browser.py) check the same build. A test that builds on in it (a rebuild,
# a changed page) does so in its own copy, so that the shared build stays as every other
# test (and pytest-xdist worker) reads it.


def test_book_2024_shows_the_report_numbers(book_2024):
    html, _ = book_2024
    page = (html / PAGE).read_text(encoding="utf-8")
    for text in ["Tabel 8.1.", "22,8 pct.", "14.494", "3.381", "2.253", "84,9 pct.",
                 "Hvidbogens figur 8.2 og 8.7 gengives ikke, fordi tallene bag dem ikke er "
                 "offentliggjort.", "Kilde:"]:
        assert text in plain_text(page), text
    assert 'id="figur-8-5"' in page and 'id="tabel-8-1"' in page  # cross-reference targets
    assert "Figur 8.7." not in page               # not placed: no caption without its figure
    sentence = page.split('class="udeladte', 1)[1].split("</div>", 1)[0]
    assert 'id="figur-8-7"' in sentence and 'id="figur-8-2"' in sentence  # links land on it
    assert 'class="exhibit-figure" alt="Vandret søjlediagram' in page
    assert 'src="data:image/svg+xml;base64,' in page


def test_book_2024_publishes_every_exhibit_csv(book_2024):
    html, _ = book_2024
    downloads = 0
    for name, exhibits in EXHIBITS.items():
        page = (html / name).read_text(encoding="utf-8")
        for exhibit in exhibits:
            number = exhibit.split("-", 1)[1].replace("-", ".")
            csv = html / "data" / f"{exhibit}.csv"
            assert csv.exists(), exhibit
            # a download only where the edition has numbers (a header-only CSV is a notice)
            with_rows = len(csv.read_text(encoding="utf-8").splitlines()) > 1
            assert (f'href="../data/{exhibit}.csv"' in page) == with_rows, exhibit
            downloads += with_rows
            assert f'id="{exhibit}"' in page, exhibit
            if not with_rows:       # not placed: its label stands on the page's sentence
                assert f'<figure class="align-default" id="{exhibit}">' not in page, exhibit
                continue
            caption = page.split(f'id="{exhibit}"', 1)[1].split("</figcaption>", 1)[0]
            assert f"{exhibit.split('-')[0].capitalize()} {number}." in caption, exhibit
            assert "Kilde:" in caption and 'class="reference internal" href="../appendix/kilder.html' in caption, exhibit
    assert downloads >= 30  # 36 of the 56 exhibits have numbers in the 2024 edition
    chapter = (html / "chapters" / "beskaeftigelsesindsatsen.html").read_text(encoding="utf-8")
    for page in ("indsats_organisering", "indsats_loentimer", "indsats_virksomheder",
                 "indsats_paa_tvaers", "indsats_borgertilfredshed", "indsats_sammenfatning"):
        assert f"{page}.html" in chapter, page


def test_no_suppressed_cell_is_exported_as_a_number(book_2024):
    html, _ = book_2024
    checked = 0
    for path in (html / "data").glob("*.csv"):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            if row.get("flag") == "suppressed":
                assert row["value"] == "", (path.name, row)
                checked += 1
    assert checked > 0  # the book does publish suppressed cells (Tabel 8.5, 8.10, 8.11)


def test_the_summary_shows_the_same_rows_as_the_earlier_pages(book_2024):
    html, _ = book_2024
    summary = reader_text(html / "notebooks/indsats_sammenfatning.html")
    for text in ["22,8 pct. af de 16-66-årige i Randers Kommune", "nr. 97 ud af 98",
                 "fra omkring 1,4 mia. kr. i 2015 til omkring 2,2 mia. kr. i 2024",
                 "fra 1,95 pct. til 2,13 pct.", "1,68 pct.", "224 ledige", "kun 4 stillingsopslag",
                 "Beskæftigelsesfrekvensen i Randers Kommune var 75,1 pct."]:
        assert text in summary, text
    assert "(ingen data)" not in summary and "None" not in summary and "$" not in summary
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
    # Only the sources cited somewhere are listed, not all of references.bib.
    import re

    import yaml
    texts = [p.read_text(encoding="utf-8") for p in [*(REPO / "notebooks").glob("*.ipynb"),
                                                     REPO / "intro.md", *(REPO / "appendix").glob("*.md")]]
    cited = {k.strip() for text in texts for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text)
             for k in group.split(",")}
    for sidecar in (REPO / "data").glob("*.yaml"):
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        cited.add(meta["citation_key"])
        cited |= {e["document"] for e in meta["provenance"].values() if e.get("document")}
        cited |= {e["recording"]["citation_key"] for e in meta["provenance"].values()
                  if (e.get("recording") or {}).get("citation_key")}
    bib = set(re.findall(r"@\w+\{([^,]+),", (REPO / "references.bib").read_text(encoding="utf-8")))
    # docutils writes role="doc-biblioentry"; labour_market_book.sphinx_ext makes it listitem.
    assert sources.count('<div class="citation" ') == sources.count('role="listitem"') == len(cited & bib) < len(bib)
    appendix = (html / "appendix" / "datasaet.html").read_text(encoding="utf-8")
    assert "outside_labour_force.csv" in appendix and "Afskrevet fra hvidbogen" in appendix
    assert "Sådan tilføjes nye data" in appendix and 'id="bilag-nye-data"' in appendix
    assert "current:" not in appendix and "-3381" not in appendix


def test_book_2024_publishes_the_datasets_and_the_numbers_in_its_text(book_2024):
    html, _ = book_2024
    appendix = (html / "appendix" / "datasaet.html").read_text(encoding="utf-8")
    for stem in ("outside_labour_force", "outside_labour_force_by_education"):
        for suffix in (".csv", ".yaml"):
            assert (html / "data" / f"{stem}{suffix}").read_bytes() == (REPO / "data" / f"{stem}{suffix}").read_bytes()
            assert f'href="../data/{stem}{suffix}"' in appendix
    page = (html / PAGE).read_text(encoding="utf-8")
    assert 'href="../data/borgere_uden_for_arbejdsstyrken-tekst.csv"' in page
    rows = list(csv.DictReader((html / "data" / "borgere_uden_for_arbejdsstyrken-tekst.csv").open(encoding="utf-8")))
    count = next(r for r in rows if r["key"] == "t81_antal_fokus")  # 14.494 is in no exhibit
    assert (count["text"], count["value"], count["dataset"], count["provenance"]) == (
        "14.494", "14494", "outside_labour_force", "report")


def test_book_2024_has_the_8_2_page_after_8_1_with_the_report_s_tables(book_2024):
    html, _ = book_2024
    first = (html / PAGE).read_text(encoding="utf-8")
    assert 'href="ledigheden.html"' in first  # "next" link: 8.2 follows 8.1
    page = reader_text(html / PAGE_8_2)
    for text in ["I marts 2025 var der 1.691 fuldtidsledige i Randers Kommune", "86.554", "93.559",
                 "Lager- og logistikmedarbejder", "Social- og sundhedshjælper", "4,4 pct.",
                 "Figuren viser kun", "Hvidbogens figur 8.9 og 8.11 gengives ikke, fordi",
                 "højere end landsgennemsnittet (3,1 pct.)"]:
        assert text in page, text
    assert "(ingen data)" not in page and "None" not in page and "$" not in page


def test_book_2024_has_the_8_3_page_with_its_excerpt_and_both_early_retirement_sources(book_2024):
    html, _ = book_2024
    assert 'href="indkomstoverfoersler.html"' in (html / PAGE_8_2).read_text(encoding="utf-8")
    page = reader_text(html / PAGE_8_3)
    for text in ["(placering 6–89 er ikke gengivet i hvidbogen)", "landets næstvanskeligste",
                 "nr. 97 ud af 98", "en forskel på 0,45 procentpoint", "0,24 procentpoint",
                 "CEPOS (maj 2025)", "8,4 pct.", "Sygedagpenge*", "omkring 2,2 mia. kr.",
                 "Hvidbogens figur 8.17–8.23 og 8.25 gengives ikke", "Vejle Kommune"]:
        assert text in page, text
    assert "(ingen data)" not in page and "None" not in page and "$" not in page
    assert (html / "data" / "indkomstoverfoersler-foertidspension.csv").exists()
    between = re.sub(r"<[^>]+>", " ", page.split("Tabel 8.5.")[0].split("Figur 8.24.")[-1])
    assert "mangler" not in between  # no lost cell


def test_book_2024_reads_as_the_report_edition(book_2024):
    html, _ = book_2024
    page = (html / PAGE).read_text(encoding="utf-8")
    assert "(ingen data)" not in page and "Pladsholder" not in page
    assert "gengivet i hvidbogen" in page and 'class="delvis"' in page
    assert page.count('class="exhibit-figure"') == 5  # 8.1, 8.3-8.6 drawn; 8.2 and 8.7 not placed
    assert 'alt=""' not in page


def test_rebuild_with_no_change_executes_nothing(book_2024, capsys, tmp_path):
    out = private_copy(book_2024[1], tmp_path / "out")
    capsys.readouterr()
    build_book(2024, out_root=out)
    printed = capsys.readouterr().out
    assert "unchanged, taken from the cache" in printed and "executed in" not in printed
    # and the site is not rendered again: the staged book's digest is the published one's
    assert "book unchanged since the last build" in printed


def test_a_changed_page_renders_the_book_again(book_2024, capsys, monkeypatch, tmp_path):
    from labour_market_book import build
    out = private_copy(book_2024[1], tmp_path / "out")
    stage = out / "_build" / "stage"
    real = build.book_digest
    monkeypatch.setattr(build, "book_digest", lambda path: real(path) + "-changed")
    calls = []
    monkeypatch.setattr(build, "run_jupyter_book", lambda *a, **k: calls.append(a) or
                        (out / "_build" / "html"))
    html = build_book(2024, out_root=out)   # the stub "renders" the published site itself
    assert len(calls) == 1 and stage.exists() and (html / "index.html").exists()
    assert (out / "_build" / "html.digest").read_text(encoding="utf-8").endswith("-changed")


def traced_numbers(path: Path) -> dict[str, str]:
    """Each traced number of a page's prose -> the text of the element describing it
    (the page must have exactly one description per link, and each link its own)."""
    html = path.read_text(encoding="utf-8")
    links = re.findall(r'<a class="tal" href="([^"]+)" aria-describedby="([^"]+)">(.*?)</a>', html)
    out = {}
    for href, element, text in links:
        found = re.findall(rf'<span class="tal-kilde" id="{element}" hidden>(.*?)</span></span>', html)
        assert len(found) == 1, (path.name, element)
        out[text] = re.sub(r"<[^>]+>", "", found[0]) + f" [{href}]"
    assert len({e for _, e, _ in links}) == len(links), f"{path.name}: an id is used twice"
    return out


def test_book_2024_traces_every_number_in_its_prose(book_2024):
    html, _ = book_2024
    appendix = (html / "appendix" / "datasaet.html").read_text(encoding="utf-8")
    for path in sorted((html / "notebooks").glob("*.html")):
        page = path.read_text(encoding="utf-8")
        assert 'src="../_static/tal.js' in page and "_static/tal.css" in page, path.name
        traced = traced_numbers(path)
        assert traced, f"{path.name}: no traced number"
        for text, trace in traced.items():
            assert any(c.isdigit() for c in text), (path.name, text)
            for part in ("Datasæt: ", "Kilde: ", "Periode: "):
                assert part in trace, (path.name, text, part)
            anchor = trace.rsplit("[", 1)[1].rstrip("]").split("#", 1)
            assert anchor[0] == "../appendix/datasaet.html" and f'id="{anchor[1]}"' in appendix
    trace = traced_numbers(html / PAGE)
    rows = {r["key"]: r["text"] for r in
            csv.DictReader((html / "data" / f"{Path(PAGE).stem}-tekst.csv").open(encoding="utf-8"))}
    for key in ("t81_andel_fokus", "t81_antal_fokus", "t81_andel_land", "f85_fokus", "f86_fokus"):
        assert rows[key] in trace, key  # the prose's numbers are the traced ones
    assert trace["22,8 pct."] == (
        "Datasæt: Borgere uden for arbejdsstyrken, 16-66 år. Kilde: Danmarks Statistik, "
        "RAS201, gengivet i hvidbogen. Periode: november 2023. "
        "[../appendix/datasaet.html#datasaet-outside-labour-force]")
    assert (html / "_static" / "tal.js").exists() and (html / "_static" / "tal.css").exists()


def test_book_2024_lists_what_changed_since_the_2023_edition(book_2024):
    html, _ = book_2024
    page = (html / "appendix" / "aendringer.html").read_text(encoding="utf-8")
    assert "Udgaven for 2024 er sammenlignet med udgaven for 2023" in page
    section = page.split('<section id="tabel-8-9">')[1].split("</section>")[0]
    assert 'href="../notebooks/indsats_paa_tvaers.html#tabel-8-9"' in section
    row = section.split("Rismølleskolen")[1].split("</tr>")[0]
    assert re.findall(r"<p>(.*?)</p>", row) == ["201 (januar 2024)", "213 (januar 2025)", "+12"]


def reader_text(path: Path) -> str:
    """A page's HTML without its (folded) code cells and the numbers' trace (links and
    their hidden descriptions): what a reader reads."""
    import re
    html = path.read_text(encoding="utf-8")
    return plain_text(re.sub(r'<div class="cell_input.*?</details>', "", html, flags=re.S))


def _add_rows_by_hand(data_dir: Path, rows: dict[str, dict[str, str]]) -> None:
    """Follow the README's "Adding a new year": rows, a manual provenance entry, checksums.

    ``rows`` maps a period to {area: value} of Tabel 8.1's share (made-up numbers)."""
    import os

    from labour_market_book.cli import main
    from labour_market_book.datasets import load_dataset
    frame = load_dataset("outside_labour_force", data_dir).frame
    everyone = frame[(frame["measure"] == "share_of_population") & (frame["age_group"] == "16-66")
                     & (frame["sex"] == "i alt") & (frame["origin"] == "i alt")].drop_duplicates("area")
    new = [dict(row, period=period, value=values[row["area"]], provenance="hand_2022")
           for period, values in rows.items() for row in everyone.to_dict("records")
           if row["area"] in values]
    add_rows(data_dir, "outside_labour_force", new)
    add_provenance_entry(data_dir, "outside_labour_force", "hand_2022", {
        "method": "manual", "added_by": "Testanalytiker", "added_on": "2026-11-29",
        "source": "opdigtede testtal, ikke offentliggjorte"})
    old = os.environ.get("LMB_DATA_DIR")
    os.environ["LMB_DATA_DIR"] = str(data_dir)
    try:
        assert main(["checksums"]) == 0
    finally:
        if old is None:
            os.environ.pop("LMB_DATA_DIR")
        else:
            os.environ["LMB_DATA_DIR"] = old


@pytest.fixture(scope="module")
def book_2023_by_hand(tmp_path_factory):
    """The 2023 edition built from a scratch copy of the frozen data folder with made-up rows
    added by hand for two editions: 2023 (november 2022) and the one before it, 2022
    (november 2021). Never committed, never the report's numbers."""
    import shutil
    root = tmp_path_factory.mktemp("by_hand")
    data = root / "data"
    shutil.copytree(FROZEN, data)
    _add_rows_by_hand(data, {"2022-11": {"Randers": "12.3", "Vejle": "45.6"},
                             "2021-11": {"Randers": "11.1", "Horsens": "33.3"}})
    return build_book(2023, out_root=root, data_dir=data)


def test_an_edition_with_some_rows_added_by_hand_reads_as_danish_and_credits_them(book_2023_by_hand):
    html = book_2023_by_hand
    page = reader_text(html / PAGE)
    assert "(ingen data)" not in page and "None" not in page and "$" not in page
    assert "I november 2022 stod 12,3 pct. af de 16-66-årige i Randers Kommune" in page
    assert "Det svarer til" not in page         # the count is not in the data: left out, no hole
    assert "tilføjet i hånden 29. november 2026 af Testanalytiker" in page
    caption_8_1 = page.split("Tabel 8.1.")[1].split("Hent tallene")[0]
    assert "gengivet i" not in caption_8_1 and "tilføjet i hånden" in caption_8_1
    html_page = (html / PAGE).read_text(encoding="utf-8")
    assert 'class="delvis"' in html_page and "gengives ikke, fordi" in page
    for number in ["22,8 pct.", "14.494", "3.381", "84,9 pct."]:  # never another edition's numbers
        assert number not in page, number
    rows = list(csv.DictReader((html / "data" / "tabel-8-1.csv").open(encoding="utf-8")))
    assert [(r["area"], r["value"], r["provenance"]) for r in rows] == [
        ("Randers", "12.3", "hand_2022"), ("Vejle", "45.6", "hand_2022")]
    appendix = (html / "appendix" / "datasaet.html").read_text(encoding="utf-8")
    assert "Tilføjet i hånden" in appendix and "opdigtede testtal" in appendix
    # The number in the text says it was added by hand, not transcribed from the report.
    trace = traced_numbers(html / PAGE)
    assert "tilføjet i hånden 29. november 2026 af Testanalytiker." in trace["12,3 pct."]
    assert "gengivet i hvidbogen" not in trace["12,3 pct."]


def test_the_changes_page_lists_what_moved_is_new_and_disappeared(book_2023_by_hand):
    html = book_2023_by_hand
    page = (html / "appendix" / "aendringer.html").read_text(encoding="utf-8")
    assert "Udgaven for 2023 er sammenlignet med udgaven for 2022" in page
    section = page.split('<section id="tabel-8-1">')[1].split("</section>")[0]
    assert 'href="../notebooks/borgere_uden_for_arbejdsstyrken.html#tabel-8-1"' in section
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
             for r in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)]
    label = "{} Kommune, andel af de 16-66-årige uden for arbejdsstyrken"
    assert [label.format("Randers"), "11,1 pct. (november 2021)", "12,3 pct. (november 2022)",
            "+1,2 procentpoint"] in cells
    assert [label.format("Vejle"), "ikke med", "45,6 pct. (november 2022)", "nyt"] in cells
    assert [label.format("Horsens"), "33,3 pct. (november 2021)", "ikke med", "forsvundet"] in cells
    rows = list(csv.DictReader((html / "data" / "aendringer.csv").open(encoding="utf-8")))
    moved = [r for r in rows if r["exhibit"] == "tabel-8-1" and r["change"] == "ændret"]
    assert [(r["value_2022"], r["value_2023"]) for r in moved] == [("11.1", "12.3")]
    index = (html / "appendix" / "datasaet.html").read_text(encoding="utf-8")
    assert 'href="aendringer.html"' in index  # in the book's navigation


def test_book_for_another_focus(edition_out):
    html = edition_out("horsens-2024") / "_build" / "html"   # built once per run (conftest.py)
    page = reader_text(html / PAGE)
    assert "20,6 pct. af de 16-66-årige i Horsens Kommune" in page
    intro = (html / "intro.html").read_text(encoding="utf-8")
    assert "Borgere uden for arbejdsmarkedet i Horsens Kommune" in intro
    # Randers Kommune's own material is left out, never shown under Horsens' title
    organisation = reader_text(html / "notebooks/indsats_organisering.html")
    assert "Figur 8.26." not in organisation and "Kort 8.1." not in organisation
    assert "figur 8.26" in organisation and "kun handler om Randers Kommune" in organisation
    companies = reader_text(html / "notebooks/indsats_virksomheder.html")
    assert "Figur 8.38." not in companies and "Tabel 8.6." in companies
    assert not (html / "notebooks/indsats_paa_tvaers.html").exists()
    assert not (html / "notebooks/indsats_borgertilfredshed.html").exists()
    left_out = ("Siderne »Borgere med sager på tværs af forvaltninger«, »Borgertilfredshed« og "
                "»Sammenfatning« handler om Randers Kommunes egne forhold og indgår kun i udgaven "
                "om Randers Kommune.")
    assert left_out in reader_text(html / "intro.html")
    assert left_out in reader_text(html / "chapters/beskaeftigelsesindsatsen.html")
    unemployment = reader_text(html / PAGE_8_2)
    assert "Hvidbogens tabel 8.3 og figur 8.12 gengives ikke, fordi der ikke er tal for Horsens " \
           "Kommune" in unemployment
    assert "Lager- og logistikmedarbejder" not in unemployment
    assert "I marts 2025 var der 1.447 fuldtidsledige i Horsens Kommune" in unemployment


def test_year_without_data_fails_before_anymake_notebook(tmp_path):
    with pytest.raises(ReferenceYearError, match=r"1990: no table or figure has data for this "
                                                 r"edition. Editions with data: [0-9, -]*\(nearest: "):
        build_book(1990, out_root=tmp_path)
    assert not (tmp_path / "_build").exists()


def test_command_line_exit_status_and_message_for_a_year_without_data():
    result = subprocess.run([sys.executable, "-m", "labour_market_book", "build", "--year", "1990"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert "Reference year 1990" in result.stderr and "executed" not in result.stdout


def test_command_line_refuses_an_unknown_focus():
    result = subprocess.run([sys.executable, "-m", "labour_market_book", "build", "--focus", "Aarhuus"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert "error: unknown area 'Aarhuus'" in result.stderr and "executed" not in result.stdout


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


def test_a_failing_notebook_stops_the_build_and_keeps_its_executed_copy(tmp_path, capsys):
    from labour_market_book.errors import BuildError
    from labour_market_book.execution import execute_notebooks
    good = make_notebook(tmp_path / "good.ipynb", "x = reference_year + 1")
    bad = make_notebook(tmp_path / "bad.ipynb", "raise ValueError('boom in the notebook')")
    with pytest.raises(BuildError) as failed:
        execute_notebooks([good, bad], {"reference_year": 2024}, tmp_path / "_build" / "cache", jobs=2)
    log = tmp_path / "_build" / "failed" / "bad.log"
    # one line: the notebook, the cell, the start of its code, the cause, where the traceback is
    assert str(failed.value) == ("a notebook failed: bad.ipynb (2024) Cell 1 (raise ValueError('boom in "
                                 f"the notebook')) raised ValueError: boom in the notebook; traceback in {log}")
    assert "Traceback" in log.read_text(encoding="utf-8") or "ValueError" in log.read_text(encoding="utf-8")
    assert (tmp_path / "_build" / "failed" / "bad.ipynb").exists()
    printed = capsys.readouterr().out
    assert "bad: FAILED" in printed and "good: executed in" in printed


def test_a_kernel_that_dies_mid_notebook_is_named_and_no_copy_is_promised(tmp_path, capsys):
    # papermill writes the executed notebook when done or when a cell fails, not after every
    # cell; a kernel that dies leaves none, and the build must not point to one
    from labour_market_book.errors import BuildError
    from labour_market_book.execution import execute_notebooks
    dies = make_notebook(tmp_path / "dies.ipynb", "import os\nos._exit(3)")
    outcome: list[BaseException] = []

    def run():
        try:
            execute_notebooks([dies], {"reference_year": 2024}, tmp_path / "_build" / "cache", jobs=1)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            outcome.append(exc)
    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(300)     # not a speed bound: without it a regression would hang the suite
    assert not runner.is_alive(), "the build waits for ever on a kernel that died"
    assert isinstance(outcome[0], BuildError)
    assert str(outcome[0]).startswith("a notebook failed: dies.ipynb (2024) Kernel died")
    printed = capsys.readouterr().out
    assert "dies: FAILED" in printed and "executed copy" not in printed
    assert not (tmp_path / "_build" / "failed" / "dies.ipynb").exists()


def test_changing_one_notebook_re_executes_only_that_one(tmp_path, capsys):
    from labour_market_book.execution import execute_notebooks
    first = make_notebook(tmp_path / "first.ipynb", "a = 1")
    second = make_notebook(tmp_path / "second.ipynb", "b = 2")
    cache = tmp_path / "cache"
    execute_notebooks([first, second], {"reference_year": 2024}, cache)
    make_notebook(second, "b = 3")
    capsys.readouterr()
    execute_notebooks([first, second], {"reference_year": 2024}, cache)
    printed = capsys.readouterr().out
    assert "first: unchanged" in printed and "second: executed in" in printed
    capsys.readouterr()
    execute_notebooks([first, second], {"reference_year": 2023}, cache)  # new parameters: both run
    assert capsys.readouterr().out.count("executed in") == 2


def test_the_light_run_runs_again_for_a_change_of_code_not_for_a_comment(tmp_path, capsys):
    """The previous edition's numbers depend on the notebook's code only: a comment or a
    Markdown cell added leaves them cached, a changed statement runs them again."""
    import nbformat

    from labour_market_book.execution import execute_for_exports
    notebook = make_notebook(tmp_path / "one.ipynb", WRITE_YEAR)
    cache = tmp_path / "cache"
    first = execute_for_exports([notebook], {"reference_year": 2023}, cache)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].source += "\n# a comment"
    nb.cells.append(nbformat.v4.new_markdown_cell("Ny tekst."))
    nbformat.write(nb, notebook)
    capsys.readouterr()
    assert execute_for_exports([notebook], {"reference_year": 2023}, cache) == first
    assert "numbers for" not in capsys.readouterr().out
    nb.cells[1].source = nb.cells[1].source.replace("str(reference_year)", "str(reference_year + 1)")
    nbformat.write(nb, notebook)
    again = execute_for_exports([notebook], {"reference_year": 2023}, cache)
    assert again != first and "numbers for" in capsys.readouterr().out
    assert (again[notebook] / "exports" / "one.txt").read_text() == "2024"


WRITE_YEAR = ("import os, pathlib\n"
              "folder = pathlib.Path(os.environ['LMB_EXPORT_DIR'])\n"
              "folder.mkdir(parents=True, exist_ok=True)\n"
              "(folder / 'one.txt').write_text(str(reference_year))")


def test_only_a_kernel_that_never_started_is_tried_again():
    from labour_market_book.kernels import kernel_did_not_start
    assert kernel_did_not_start(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not kernel_did_not_start(RuntimeError("ValueError: boom in the notebook"))


def test_the_light_run_exports_exactly_the_numbers_papermill_exports(book_2024, edition_out, tmp_path):
    """The previous edition's numbers ('Hvad er ændret') come from the light run: for two
    editions, every exhibit CSV it writes is byte for byte papermill's (it writes no
    workbooks: the comparison reads CSVs). Papermill's runs are the shared builds' own (the
    2024 edition's cache also holds its light run of 2023, the 2023 edition's its papermill
    run), taken from copies of their caches: what is not there is executed here. The 2024
    build made its light run of 2023 in its kernels; the light run of 2024 here runs in a worker
    process: both ways are compared."""
    from labour_market_book.edition import default_parameters
    from labour_market_book.execution import execute_for_exports, execute_notebooks, toc_notebooks
    from labour_market_book.exports import STATUS_SUFFIX
    cache = private_copy(book_2024[1] / "_build" / "cache", tmp_path / "cache")
    cache_2023 = private_copy(edition_out("2023") / "_build" / "cache", tmp_path / "papermill")
    notebooks = toc_notebooks()
    this = default_parameters()
    before = dict(this, reference_year=2023)
    pairs = [  # (papermill's entries, the light run's entries) for each edition
        (execute_notebooks(notebooks, this, cache), execute_for_exports(notebooks, this, tmp_path / "light")),
        (execute_notebooks(notebooks, before, cache_2023), execute_for_exports(notebooks, before, cache)),
    ]
    compared = 0
    for papermill, light in pairs:
        for nb in notebooks:
            ours = {p.name: p.read_bytes() for p in (papermill[nb] / "exports").glob("*.csv")}
            # the page's exhibit status (full, partial, notice) is the same in both runs
            assert ((papermill[nb] / "exports" / f"{nb.stem}{STATUS_SUFFIX}").read_bytes()
                    == (light[nb] / "exports" / f"{nb.stem}{STATUS_SUFFIX}").read_bytes()), nb.stem
            theirs = {p.name: p.read_bytes() for p in (light[nb] / "exports").iterdir()
                      if p.suffix == ".csv"}
            assert sorted(ours) == sorted(theirs), nb.stem
            assert [n for n in ours if ours[n] != theirs[n]] == [], nb.stem
            compared += len(ours)
    assert compared > 80


def test_no_traceback_reaches_the_terminal(monkeypatch, capsys, tmp_path):
    """Whatever goes wrong, the command line says it in one line (a bug's traceback goes to a
    log file that it names)."""
    from labour_market_book import cli

    def broken(*args, **kwargs):
        raise KeyError("something nobody foresaw")
    monkeypatch.setattr(cli, "BUILD_DIR", tmp_path)
    monkeypatch.setattr("labour_market_book.build.build_book", broken)
    assert cli.main(["build", "--year", "2024"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("error: KeyError: 'something nobody foresaw' (an unexpected error: the traceback is in")
    assert "Traceback" in (tmp_path / "error.log").read_text(encoding="utf-8")


def test_the_front_page_states_the_edition_s_coverage(book_2024):
    """How many of the 56 tables and figures the edition shows, from the notebooks' own run."""
    from labour_market_book.trace import plain_text
    html, _ = book_2024
    intro = " ".join(re.sub(r"<[^>]+>", "", plain_text((html / "intro.html").read_text(encoding="utf-8")))
                     .split())
    assert ("Udgaven gengiver 36 af hvidbogens 56 tabeller og figurer, heraf 25 delvist; ved hver "
            "af dem står, hvad den viser.") in intro


def test_the_builds_notebooks_have_the_committed_outputs(book_2024):
    """The build runs several notebooks in one kernel, one after the other (kernels.py,
    in_kernel.py); each must come out as it does alone in a fresh kernel, which is how ``make
    notebooks`` made the committed outputs (same parameters and data): every glued value,
    table and figure alike."""
    import nbformat

    from conftest import EDITIONS

    from labour_market_book.devtools import differences
    from labour_market_book.edition import default_parameters
    from labour_market_book.execution import toc_notebooks
    _, out = book_2024
    if EDITIONS["2024"][0] != default_parameters()["reference_year"]:
        pytest.skip("edition.yml's default edition is not the shared 2024 build")
    compared = 0
    for notebook in toc_notebooks():
        (entry,) = [p for p in (out / "_build" / "cache").glob(f"{notebook.stem}-*")
                    if p.is_dir() and "-exports-" not in p.name]
        executed = nbformat.read(entry / "notebook.ipynb", as_version=4)
        executed.cells = [c for c in executed.cells
                          if "injected-parameters" not in c.metadata.get("tags", [])]
        assert differences(nbformat.read(notebook, as_version=4), executed) == [], notebook.name
        compared += 1
    assert compared == 9
