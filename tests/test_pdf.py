"""The print edition (``make pdf``), read back with pypdf.

The 2024 edition is printed once from a copy of the run's build (``book_2024`` in conftest.py,
so ``build_book`` finds it unchanged and only the printing is added); one test prints a second
edition (2023) from a copy of the run's 2023 build, which the publication tests read too.
Each needs Chromium as the browser tests do (Debian's package, ``apt-get install -y
chromium``; ``LMB_CHROMIUM`` names another): without it they are skipped, unless ``CI=true``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from helpers import private_copy
from pypdf import PdfReader

from labour_market_book.errors import BuildError
from labour_market_book.print_edition import (HYPHENATOR, SOFT_HYPHEN, build_pdf, find_chromium,
                                              hyphenate_headers, pdf_file_name, print_single_page)
from labour_market_book.staging import book_citation

A4_PT = (595.3, 841.9)
KEY_NUMBERS_2024 = ["22,8 pct.", "14.494", "\u22123.381"]
"""Numbers of the 2024 edition (the report's), in the book's Danish format."""
CAPTION = re.compile(r"<strong>((?:Tabel|Figur|Kort) 8\.\d+)\.</strong>")


def _chromium_or_skip() -> str:
    try:
        return find_chromium()
    except BuildError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{error} (CI=true: a missing browser is a failure)")
        pytest.skip(str(error))


def _text(page) -> str:
    # NFKC: Chromium's fonts set ligatures ("ﬂeksjob"); the minus sign U+2212 stays as it is
    return unicodedata.normalize("NFKC", page.extract_text() or "")


class Edition:
    """A printed edition: its PDF, the text of every page, and the site it was printed from."""

    def __init__(self, pdf: Path, html: Path):
        self.pdf, self.html = pdf, html
        self.reader = PdfReader(pdf)
        self.pages = [_text(p) for p in self.reader.pages]
        self.text = "\n".join(self.pages)
        self.flat = " ".join(self.text.split())

    def site_captions(self) -> list[str]:
        """Every "Tabel 8.x"/"Figur 8.x"/"Kort 8.x" caption on the edition's site."""
        found = []
        for page in sorted(self.html.rglob("*.html")):
            found += CAPTION.findall(page.read_text(encoding="utf-8"))
        return sorted(set(found))


@pytest.fixture(scope="module")
def edition_2024(book_2024, tmp_path_factory) -> Edition:
    _chromium_or_skip()
    out = private_copy(book_2024[1], tmp_path_factory.mktemp("pdf2024") / "out")
    return Edition(build_pdf(2024, out_root=out), out / "_build" / "html")


def test_the_pdf_is_named_after_the_title_and_year(edition_2024):
    assert edition_2024.pdf.name == "borgere-uden-for-arbejdsmarkedet-i-randers-kommune-2024.pdf"
    assert edition_2024.pdf.parent.name == "pdf"
    assert pdf_file_name("Borgere uden for arbejdsmarkedet i Høje-Taastrup Kommune", 2025) == \
        "borgere-uden-for-arbejdsmarkedet-i-hoeje-taastrup-kommune-2025.pdf"


def test_every_page_is_a4_and_numbered_n_af_m(edition_2024):
    sizes = {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
             for p in edition_2024.reader.pages}
    assert all(abs(w - A4_PT[0]) < 1 and abs(h - A4_PT[1]) < 1 for w, h in sizes), sizes
    total = len(edition_2024.pages)
    assert total > 20
    unnumbered = [n for n, text in enumerate(edition_2024.pages[1:], start=2)
                  if f"{n} af {total}" not in text]
    assert unnumbered == []                  # the title page (1) carries no number
    assert "Udgaven for referenceåret 2024" in edition_2024.pages[0]


def test_every_caption_of_the_edition_is_in_the_pdf(edition_2024):
    captions = edition_2024.site_captions()
    assert "Tabel 8.1" in captions and len(captions) > 20
    assert [c for c in captions if f"{c}." not in edition_2024.flat] == []


def test_the_edition_s_numbers_are_printed_in_danish_format(edition_2024):
    assert [n for n in KEY_NUMBERS_2024 if n not in edition_2024.flat] == []


def test_no_code_no_python_reprs_no_downloads_and_no_file_links(edition_2024):
    for text in ("IPython", "Vis koden", "Skjul koden", "Hent tallene:", "Excel (xlsx)", "Hent bogen som PDF",
                 "notesbog", "Kontrolsum", "SHA-256"):
        assert text not in edition_2024.text
    uris = [str(a.get_object()["/A"].get("/URI", "")) for p in edition_2024.reader.pages
            for a in p.get("/Annots", []) or [] if "/A" in a.get_object()]
    assert uris and all(u.startswith(("https://", "http://", "mailto:")) for u in uris), \
        [u for u in uris if not u.startswith(("https://", "http://", "mailto:"))]


def test_links_inside_the_book_lead_to_pages_of_the_pdf(edition_2024):
    reader = edition_2024.reader
    names = {n.lstrip("/") for n in reader.named_destinations}
    internal = [str(a.get_object()["/Dest"]).lstrip("/") for p in reader.pages
                for a in p.get("/Annots", []) or [] if "/Dest" in a.get_object()]
    assert len(internal) > 100                   # contents, cross references, citations
    assert sorted({d for d in internal if d not in names}) == []


def _contents(edition: Edition) -> list[tuple[str, int]]:
    """The contents page's entries: (title, page)."""
    assert "Indhold" in edition.pages[1]
    entries = re.findall(r"^(.+?) (\d+)$", edition.pages[1], re.M)
    return [(title, int(n)) for title, n in entries if not re.fullmatch(r"\d+ af", title)]


def test_the_contents_page_numbers_are_where_the_chapters_start(edition_2024):
    entries = _contents(edition_2024)
    titles = [t for t, _ in entries]
    assert {"Om bogen", "Ledigheden", "Beskæftigelsesindsatsen", "Kilder"} <= set(titles)
    assert not {"Datasæt", "Manglende tal", "Hvad er ændret siden sidste udgave", "Beregningerne"} & set(titles)
    numbers = [n for _, n in entries]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    wrong = []
    for title, number in entries:
        # in reading order (layout mode): the page opens with the chapter's title, perhaps
        # over two lines
        text = unicodedata.normalize(
            "NFKC", edition_2024.reader.pages[number - 1].extract_text(extraction_mode="layout"))
        lines = [" ".join(line.split()) for line in text.splitlines()
                 if line.strip() and not re.fullmatch(r"\d+ af \d+", line.strip())]
        if not " ".join(lines[:2]).startswith(title):
            wrong.append(f"{title}: page {number} starts {lines[:2]}")
    assert wrong == []


def test_figures_stay_vector(edition_2024):
    site_figures = [m for page in edition_2024.html.rglob("*.html")
                    for m in re.findall(r'<img[^>]+src="data:image/([a-z+]+)', page.read_text(encoding="utf-8"))]
    assert site_figures and set(site_figures) == {"svg+xml"}      # the site draws SVG only

    def images(resources, seen):
        xobjects = (resources or {}).get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.get("/Subtype") == "/Image":
                yield obj
            elif obj.get("/Subtype") == "/Form":
                yield from images(obj.get("/Resources"), seen)

    seen: set = set()
    rasters = [n for n, page in enumerate(edition_2024.reader.pages, start=1)
               for _ in images(page.get("/Resources"), seen)]
    assert rasters == [], f"raster images on pages {sorted(set(rasters))}"


def test_the_metadata_come_from_the_same_place_as_the_site_s(edition_2024):
    reader = edition_2024.reader
    meta = reader.metadata
    assert meta.title.startswith("Borgere uden for arbejdsmarkedet i Randers Kommune")
    assert "2024" in meta.title and "2024" in meta.subject
    assert meta.author == book_citation()["author"]
    assert str(reader.trailer["/Root"]["/Lang"]) == "da"


def test_the_site_offers_the_same_pdf_from_its_front_page(edition_2024):
    front = (edition_2024.html / "intro.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="print-edition-download" href="([^"]+)" download>Hent bogen som PDF</a>', front)
    assert link and link.group(1) == edition_2024.pdf.name
    assert (edition_2024.html / link.group(1)).read_bytes() == edition_2024.pdf.read_bytes()


def test_an_exhibit_wider_than_the_column_stops_the_print_naming_it(tmp_path):
    chromium = _chromium_or_skip()
    page = tmp_path / "intro.html"
    page.write_text(
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>T</title></head><body>'
        '<article class="bd-article"><section id="bog"><h1>Bog</h1><p>Tekst.</p>'
        '<div class="toctree-wrapper"><span id="document-kapitel"></span><section id="kapitel">'
        '<h2>Kapitel</h2><figure id="tabel-8-99"><table><tr><td style="min-width:1200px">x</td></tr>'
        '</table><figcaption><p><strong>Tabel 8.99.</strong> For bred.</p></figcaption></figure>'
        '</section></div></section></article></body></html>', encoding="utf-8")
    facts = {"title": "Bog", "author": "A", "year": "2024", "focus": "Randers Kommune",
             "comparison": "hele landet", "version": "0"}
    entries = [{"doc": "intro", "level": 0, "part": None}, {"doc": "kapitel", "level": 0, "part": None}]
    with pytest.raises(BuildError, match=r"Tabel 8\.99 is \d+ px wide, wider than the A4 text column"):
        print_single_page(page, chromium, facts, entries)


def test_another_edition_prints_its_own_numbers(tmp_path, edition_2024, edition_out):
    out = private_copy(edition_out("2023"), tmp_path / "out")
    pdf = build_pdf(2023, out_root=out)
    edition = Edition(pdf, out / "_build" / "html")
    assert pdf.name.endswith("-2023.pdf")
    assert "Udgaven for referenceåret 2023" in edition.pages[0]
    # the chapters (not the front page's format examples, nor the appendix quoting the report)
    starts = dict(_contents(edition))
    chapters = " ".join(" ".join(edition.pages[starts["Borgere uden for arbejdsstyrken"] - 1:
                                              starts["Kilder"] - 1]).split())
    assert [n for n in KEY_NUMBERS_2024 if n in chapters] == []
    assert [n for n in KEY_NUMBERS_2024 if n in edition_2024.flat] == KEY_NUMBERS_2024
    # the numbers the 2023 site prints in its prose are the ones the 2023 PDF prints
    numbers = set()
    for page in (edition.html / "notebooks").glob("*.html"):
        numbers |= set(re.findall(r'<a [^>]*class="tal"[^>]*>([^<]+)</a>', page.read_text(encoding="utf-8")))
    assert len(numbers) >= 3
    assert sorted(n for n in numbers if " ".join(n.split()) not in edition.flat) == []
    assert set(edition.site_captions()) <= {c for c in edition.site_captions() if f"{c}." in edition.flat}


# -- the print holds up (issue: blank pages, lists cut off, words broken, web wording) ---------
def test_no_page_after_the_title_page_is_blank_or_nearly_so(edition_2024):
    words = {n: len([w for w in text.split() if not re.fullmatch(r"\d+|af", w)])
             for n, text in enumerate(edition_2024.pages, start=1)}
    assert {n: w for n, w in words.items() if n > 1 and w < 12} == {}


def test_the_print_is_the_chapter_and_kilder_with_a_colophon(edition_2024):
    starts = dict(_contents(edition_2024))
    total = len(edition_2024.pages)
    after_chapter = total - starts["Kilder"] + 1          # Kilder and the colophon
    assert after_chapter <= total / 5
    last = " ".join(edition_2024.pages[-1].split())
    assert "Kolofon" in last and "udgaven for referenceåret 2024" in last and "Om tallene" in last
    for workbench in ("Kontrolsum", "Frictionless", "Hvad er ændret siden sidste udgave",
                      "vilkår ikke efterprøvet"):
        assert workbench not in edition_2024.text


def test_every_list_is_printed_with_its_items(edition_2024):
    """A line that announces a list (ends with a colon) is followed by it on the same page,
    and the chapter »Beskæftigelsesindsatsen« prints its sections as a list."""
    cut = []
    for n, text in enumerate(edition_2024.pages, start=1):
        lines = [line.strip() for line in text.splitlines()
                 if line.strip() and not re.fullmatch(r"\d+ af \d+", line.strip())]
        if lines and lines[-1].endswith(":"):
            cut.append(f"page {n}: {lines[-1]}")
    assert cut == []
    starts = dict(_contents(edition_2024))
    page = " ".join(edition_2024.pages[starts["Beskæftigelsesindsatsen"] - 1].split())
    sections = [t for t, _ in _contents(edition_2024)
                if starts[t] > starts["Beskæftigelsesindsatsen"] and starts[t] < starts["Kilder"]]
    assert sections and [s for s in sections if s not in page] == []


def test_no_web_wording_in_print(edition_2024):
    for words in ("Hent ", "klik", "Klik", "nederst på siden", "som CSV", "download"):
        assert words not in edition_2024.text, words


def _printed_whole_or_at_hyphenation_points(word: str, text: str) -> bool:
    """Whether ``word`` is in ``text`` whole or broken only at Danish hyphenation points.
    pypdf reads a soft hyphen that did not break as a space and one that did as »‐« and a
    line break; a break anywhere else (»Bostøtt|e«) has neither, so the word is not found."""
    points = set(HYPHENATOR.positions(word))
    pattern = "".join(re.escape(c) + (r"(?:\s*[‐-]?\s*)" if i + 1 in points else "")
                      for i, c in enumerate(word))
    return re.search(pattern, text) is not None


def test_a_table_header_word_breaks_only_at_a_danish_hyphenation_point(edition_2024):
    """Tabel 8.10, the widest table, read back: each header word is whole, or in pieces
    broken where Danish allows (»Bo-støtte«, never »Bostøtt|e«)."""
    page = next(t for t in edition_2024.pages if "Tabel 8.10." in t)
    site = (edition_2024.html / "notebooks" / "indsats_paa_tvaers.html").read_text(encoding="utf-8")
    table = re.search(r'<table[^>]*id="T_tabel_8_10"[^>]*>.*?</thead>', site, re.S).group(0)
    headers = [re.sub(r"<[^>]+>", " ", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    words = {w for h in headers for w in re.findall(r"[^\W\d_]{7,}", h)}
    assert len(words) >= 5
    assert sorted(w for w in words if not _printed_whole_or_at_hyphenation_points(w, page)) == []
    # and the check can fail: a break inside a syllable is not a hyphenation point
    assert not _printed_whole_or_at_hyphenation_points("Bostøtte", "Bostøtt\ne")
    assert _printed_whole_or_at_hyphenation_points("Bostøtte", "Bo ‐\nstøt te")


def test_header_words_get_soft_hyphens_only_in_the_print_s_copy():
    html = '<table><tr><th class="x">Bostøtte (§ 85)</th><td>Bostøtte</td></tr></table>'
    out = hyphenate_headers(html)
    assert f"Bo{SOFT_HYPHEN}støt{SOFT_HYPHEN}te" in out or f"Bo{SOFT_HYPHEN}støtte" in out
    assert "<td>Bostøtte</td>" in out and 'class="x"' in out      # cells and markup untouched
    assert hyphenate_headers("<th>§ 96</th>") == "<th>§ 96</th>"
