"""The published site: workbooks beside the CSVs, Danish theme texts, the data package,
relative links only, and the example publishing workflow.

One book is built into a temporary folder for the module; the repository is never
written to.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from helpers import REPO


ENGLISH = ["Skip to main content", "Back to top", "Search this book", "Search the docs",
           "Toggle primary sidebar", "Toggle secondary sidebar", "Toggle hidden content",
           "Toggle navigation", "Color mode", "System Settings", 'title="Light"', 'title="Dark"',
           "Link to this heading", "Link to this image", "Link to this table",
           "previous page", "next page", "On this page", "Version warning", "Site navigation",
           'aria-label="Main"', 'aria-label="Page"', "Copy to clipboard", "Download this page",
           "Print to PDF", "Fullscreen mode", ">Contents<", "Section Navigation", "Breadcrumb"]
DANISH = ["Gå til hovedindhold", "Tilbage til toppen", 'placeholder="Søg i bogen …"',
          'aria-label="Søg i bogen …"', 'title="Lys"', 'title="Mørk"', 'title="System"',
          'aria-label="Farvetilstand"', 'title="Vis eller skjul menuen"', "Link til denne overskrift",
          "Udskriv til PDF", "Fuldskærmstilstand"]


@pytest.fixture(scope="module")
def site(book_2024):
    """The published default edition: the session's build (the tests here only read it)."""
    return book_2024[0]


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_"))


def test_theme_texts_are_danish_in_every_page(site):
    found = {}
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        for english in ENGLISH:
            if english in text:
                found.setdefault(english, []).append(page.relative_to(site).as_posix())
    assert not found, found
    ledigheden = (site / "notebooks" / "ledigheden.html").read_text(encoding="utf-8")
    for danish in DANISH:
        assert danish in ledigheden, danish
    assert "Vis koden" not in ledigheden and "cell_input" not in ledigheden  # no code for readers
    assert "Af Randers Kommune" in ledigheden                  # not the theme's "Ved"


def test_copy_button_gets_danish_texts(site):
    page = (site / "notebooks" / "ledigheden.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"?]+)', page)
    assert scripts.index("../_static/copybutton_da.js") > scripts.index("../_static/copybutton.js")
    script = (site / "_static" / "copybutton_da.js").read_text(encoding="utf-8")
    assert "Kopiér til udklipsholder" in script and 'locale = "da"' in script


def test_search_messages_are_danish(site):
    # Sphinx's Danish catalogue leaves the result count empty, so it would show in English.
    translations = (site / "_static" / "translations.js").read_text(encoding="utf-8")
    assert "S\\u00f8gningen er f\\u00e6rdig: ${resultCount} side(r)" in translations


def test_every_exhibit_offers_csv_and_excel(site):
    data = site / "data"
    datasets = {p.stem for p in (REPO / "data").glob("*.csv")}
    # every exhibit's and page's numbers; aendringer.csv is the list of changes between two
    # editions (the appendix page's own download), not an exhibit
    exports = sorted(p for p in data.glob("*.csv") if p.stem not in datasets | {"aendringer"})
    assert len(exports) > 60
    linked = "".join(p.read_text(encoding="utf-8") for p in pages(site))
    empty = [csv for csv in exports if len(csv.read_text(encoding="utf-8").splitlines()) == 1]
    assert "figur-8-7" in {csv.stem for csv in empty}   # a notice in 2024: no numbers
    for csv in exports:
        workbook = csv.with_suffix(".xlsx")
        assert workbook.exists(), workbook.name
        offered = f'href="../data/{csv.stem}.xlsx" download>Excel (xlsx)</a>' in linked
        # an exhibit without numbers offers no download (its header-only file is no help)
        assert offered != (csv in empty), csv.stem
        assert f'href="../data/{csv.stem}.csv"' in linked or csv in empty, csv.stem
    page = (site / "notebooks" / "borgere_uden_for_arbejdsstyrken.html").read_text(encoding="utf-8")
    assert ('Hent tallene: <a class="exhibit-download" href="../data/tabel-8-1.csv" download>CSV</a>'
            ' · <a class="exhibit-download" href="../data/tabel-8-1.xlsx" download>Excel (xlsx)</a>') in page
    assert "Hent tallene i teksten: " in page and "(CSV)" not in page
    ws = openpyxl.load_workbook(data / "tabel-8-1.xlsx")["Tal"]
    headers = [c.value for c in ws[1]]
    randers = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Randers")
    value = randers[headers.index("Værdi")]
    assert value.value == pytest.approx(22.8) and value.number_format == "#,##0.0"


def test_data_package_is_valid_and_linked_from_the_appendix(site):
    import frictionless

    path = site / "data" / "datapackage.json"
    report = frictionless.validate(str(path))  # descriptors, hashes and every CSV's content
    assert report.valid, report.flatten(["type", "note"])[:5]
    package = frictionless.Package(str(path))
    names = {r.name for r in package.resources}
    assert names == {p.stem for p in (REPO / "data").glob("*.yaml")}
    ras = package.get_resource("outside_labour_force")
    assert ras.path == "outside_labour_force.csv" and ras.schema.primary_key[0] == "area_code"
    assert ras.schema.get_field("value").type == "number"
    appendix = (site / "appendix" / "datasaet.html").read_text(encoding="utf-8")
    assert 'href="../data/datapackage.json"' in appendix


def test_data_package_catches_a_changed_number(site, tmp_path):
    import frictionless

    copy = tmp_path / "data"
    shutil.copytree(site / "data", copy)
    csv = copy / "outside_labour_force.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",21.7,", ",21.9,", 1), encoding="utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {e[0] for e in report.flatten(["type"])}


ATTRIBUTE = re.compile(r'\b(?:href|src)="([^"]*)"')


def test_site_links_are_relative_so_it_works_from_any_sub_path(site):
    absolute = {}
    for page in pages(site):
        for target in ATTRIBUTE.findall(page.read_text(encoding="utf-8")):
            if target.startswith("/"):  # "/x" and "//host/x" both break under a sub-path
                absolute.setdefault(page.relative_to(site).as_posix(), []).append(target)
    assert not absolute, absolute
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'url=intro.html' in index  # the start page redirects relatively


def test_publishing_workflow_is_valid():
    workflow = REPO / ".github" / "workflows" / "publish.yml"
    text = workflow.read_text(encoding="utf-8")
    for step in ("make test", "make book", "actions/upload-pages-artifact", "actions/deploy-pages",
                 "path: _build/html"):
        assert step in text, step
    linter = Path(sys.executable).parent / "check-jsonschema"
    if not linter.exists():
        pytest.skip("check-jsonschema is not installed")
    result = subprocess.run([str(linter), "--builtin-schema", "vendor.github-workflows",
                             str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_data_package_from_the_sidecars_without_a_build(tmp_path):
    import frictionless

    from labour_market_book.datapackage import write_datapackage

    for csv in (REPO / "data").glob("*.csv"):
        shutil.copyfile(csv, tmp_path / csv.name)
    path = write_datapackage(tmp_path, REPO / "data")
    assert frictionless.validate(str(path)).valid
    first = path.read_bytes()
    assert write_datapackage(tmp_path, REPO / "data").read_bytes() == first  # no build time inside
    package = frictionless.Package(str(path))
    licences = {lic["title"]: lic for r in package.resources for lic in r.licenses}
    assert all("path" in lic or lic.get("name") == "notspecified" for lic in licences.values())
