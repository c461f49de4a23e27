"""The publication: the reader's pages of several editions read as the municipality's own
chapter (docs/STYLE-da.md, "Publikationen og arbejdsbordet").

Each rule is a class of slip, checked over the built pages of five editions: the report's
own (2024), the one before (2023), an early one with few data (2016), and two under another
focus (Horsens 2024, Silkeborg 2021). The reader's pages are the front page, the chapter's
pages and Kilder; the workbench ("Om tallene") has rules of its own at the end.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from labour_market_book.contents import WORKBENCH_CAPTION

EDITIONS = ["2024", "2023", "2016", "horsens-2024", "silkeborg-2021"]
"""Names of conftest.EDITIONS: the report's own, the one before, an early one with few data,
and two under another focus."""
OTHER_FOCUS = {"horsens-2024": "Horsens Kommune", "silkeborg-2021": "Silkeborg Kommune"}
WORKBENCH = ("appendix/datasaet", "appendix/mangler", "appendix/afvigelser", "appendix/aendringer",
             "appendix/beregninger")


@pytest.fixture(scope="module", params=EDITIONS)
def edition(request, edition_out):
    """(name, html folder) of each edition, built once per test run (conftest.py)."""
    return request.param, edition_out(request.param) / "_build" / "html"


def reader_pages(html: Path) -> list[Path]:
    pages = [html / "intro.html", *sorted((html / "chapters").glob("*.html")),
             *sorted((html / "notebooks").glob("*.html")), html / "appendix" / "kilder.html"]
    return [p for p in pages if p.exists()]


def article(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    root = soup.select_one("article.bd-article")
    for tag in root.select("script, style, noscript, span.tal-kilde, .toctree-wrapper"):
        tag.decompose()
    return root


def body_paragraphs(root) -> list:
    """The running text: paragraphs outside captions, tables and lists."""
    return [p for p in root.find_all("p")
            if not p.find_parent(["figcaption", "table", "li", "blockquote"])]


def text_of(el) -> str:
    return " ".join(el.get_text(" ").split())


MISSING = re.compile(r"gengives ikke|ikke (?:er )?offentliggjort|endnu ikke (?:har|er)|har ikke tal|"
                     r"tallene mangler|mangler tal|Bogens data|indgår kun i udgaven|ingen tal", re.I)
DEVELOPER = re.compile(r"notesbog|Vis koden|Skjul koden|labour[_-]market|CITATION|\.cff\b|\.ipynb|"
                       r"\.csv\b|\.ya?ml\b|papermill|Jupyter|GitHub|kontrolsum|SHA-256|\bmake \w|"
                       r"README|datapakke|Frictionless", re.I)
MENTION = re.compile(r"\b(tabel|figur|kort)\s+8\.(\d+)(?:\s*(?:–|og)\s*8\.(\d+))?", re.I)
SIZE_WORDS = re.compile(r"\b(markant\w*|meget lidt|kraftig\w*|voldsom\w*|betydelig\w*|"
                        r"væsentlig\w*|dramatisk\w*)\b", re.I)
SUPERLATIVE = re.compile(r"\b(største|højeste|laveste|mindste|flest|færrest|højest|lavest)\b")
QUOTED = re.compile(r"»[^«]*«")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ»])", text) if s.strip()]


def placed_exhibits(html: Path) -> set[str]:
    return {f["id"] for page in reader_pages(html) for f in article(page).find_all("figure")
            if f.get("id")}


# -- the publication's pages ---------------------------------------------------------------
def test_no_exhibit_is_placed_without_numbers(edition):
    name, html = edition
    empty = []
    for page in reader_pages(html):
        root = article(page)
        empty += [f"{page.name}: {f.get('id')}" for f in root.find_all("figure")
                  if not f.find(["img", "table", "svg"])]
        empty += [f"{page.name}: exhibit-absent" for _ in root.select(".exhibit-absent")]
    assert empty == []


def test_no_sentence_describes_an_exhibit_that_is_not_drawn(edition):
    name, html = edition
    placed = placed_exhibits(html)
    found = []
    for page in reader_pages(html):
        root = article(page)
        for p in body_paragraphs(root):
            if p.find_parent(class_="udeladte"):
                continue                      # the page's one sentence on what it leaves out
            for s in sentences(QUOTED.sub("", text_of(p))):
                for m in MENTION.finditer(s):
                    first, last = int(m.group(2)), int(m.group(3) or m.group(2))
                    wanted = {f"{m.group(1).lower()}-8-{n}" for n in range(first, last + 1)}
                    if not wanted & placed:
                        found.append(f"{page.name}: {s}")
    assert found == []


def test_no_developer_words_on_the_reader_s_pages(edition):
    name, html = edition
    found = []
    for page in reader_pages(html):
        root = article(page)
        text = text_of(root)
        if page.name == "kilder.html":       # a cited repository's address is a source's
            text = re.sub(r"https?://\S+", "", text)
        hits = [m for m in DEVELOPER.finditer(text)
                if not (page.name == "kilder.html" and m.group(0) == "GitHub")]  # a publisher there
        found += [f"{page.name}: …{text[max(0, m.start() - 40):m.end() + 40]}…" for m in hits]
        found += [f"{page.name}: a code cell" for _ in root.select(".cell_input, details.hide")]
    assert found == []


def test_at_most_one_sentence_per_page_says_what_is_missing(edition):
    name, html = edition
    allowed = 2 if name in OTHER_FOCUS else 1
    found = {}
    for page in reader_pages(html):
        if page.name == "intro.html":
            continue                          # the front page describes the edition as a whole
        said = [s for p in body_paragraphs(article(page)) for s in sentences(text_of(p))
                if MISSING.search(QUOTED.sub("", s))]
        if len(said) > allowed:
            found[page.name] = said
    assert found == {}


def test_under_another_focus_no_exhibit_shows_only_the_report_s_municipality(edition):
    name, html = edition
    if name not in OTHER_FOCUS:
        pytest.skip("the report's own focus")
    focus = OTHER_FOCUS[name].removesuffix(" Kommune")
    found = []
    for exhibit in placed_exhibits(html):
        name = exhibit.removeprefix("supplerende-")      # a supplementary table: <page>-<name>.csv
        path = next(iter((html / "data").glob(f"*-{name}.csv")), None) if name != exhibit \
            else html / "data" / f"{exhibit}.csv"
        rows = list(csv.DictReader(path.open(encoding="utf-8"))) if path.exists() else []
        areas = {r.get("area") for r in rows}
        if not rows or "area" not in rows[0] or focus not in areas:
            found.append(f"{exhibit}: areas {sorted(a for a in areas if a)}")
    assert found == []
    # (Kilder lists every source the book cites, the workbench's datasets' too)
    text = " ".join(text_of(article(p)) for p in reader_pages(html) if p.name != "kilder.html")
    assert "Jobcenter Randers" not in text and "skoledistrikt" not in text.lower()


def test_one_name_for_the_report(edition):
    name, html = edition
    text = " ".join(text_of(article(p)) for p in reader_pages(html))
    unquoted = QUOTED.sub("", text)                 # the report's own words may say »rapporten«
    other = [unquoted[max(0, m.start() - 60):m.end()]
             for m in re.finditer(r"\b[Rr]apport(?:en|ens)\b", unquoted)]
    assert re.search(r"\b[Hh]vidbog(?:en|ens)\b", text) and other == []


def test_no_paragraph_opening_is_used_more_than_four_times(edition):
    name, html = edition
    openings = Counter()
    for page in reader_pages(html):
        if page.name == "kilder.html":
            continue                          # the bibliography's entries begin with their authors
        for p in body_paragraphs(article(page)):
            if p.find("a", attrs={"download": True}):
                continue                      # a download line
            words = text_of(p).split()
            if len(words) >= 6:
                openings[" ".join(words[:3])] += 1
    assert {k: n for k, n in openings.items() if n > 4} == {}


def test_no_verb_of_size_that_the_numbers_do_not_choose(edition):
    """»steg markant«, »svinget meget lidt«: the book computes no such judgement, so none is
    said (the report's own words may be quoted, in »…«)."""
    name, html = edition
    found = [f"{p.name}: {m.group(0)}" for p in reader_pages(html)
             for m in SIZE_WORDS.finditer(QUOTED.sub("", text_of(article(p))))]
    assert found == []


def test_a_superlative_is_said_with_its_number_or_attributed(edition):
    """»den højeste andel havde X (24,1 pct.)«, »højest i X (20,6 pct.)«, »Det er den højeste
    andel« after the number, or the report's assessment, attributed (»viser hvidbogen«)."""
    name, html = edition
    found = []
    for page in reader_pages(html):
        for p in body_paragraphs(article(page)):
            for s in sentences(text_of(p).replace("højest fuldførte", "")):
                if not SUPERLATIVE.search(s) or re.search(r"[Hh]vidbog", s):
                    continue
                numbered = re.search(r"\d", s) or re.match(r"Det er den (højeste|laveste)", s)
                if not numbered:
                    found.append(f"{page.name}: {s}")
    assert found == []


def test_a_lower_bound_reads_over_or_mindst_never_omkring(edition):
    name, html = edition
    found = []
    for path in sorted((html / "data").glob("*-tekst.csv")):
        page = html / "notebooks" / path.name.replace("-tekst.csv", ".html")
        text = text_of(article(page)) if page.exists() else ""
        for row in csv.DictReader(path.open(encoding="utf-8")):
            number = row["text"]
            if not re.search(r"\d", number):
                continue
            if row["flag"] == "lower_bound":
                for m in re.finditer(re.escape(number), text):
                    before = text[max(0, m.start() - 7):m.start()]
                    if not re.search(r"(over|mindst) $", before) and not re.match(r"(over|mindst) ", number):
                        found.append(f"{page.name}: …{before}{number}… ({row['key']}, a lower bound)")
            if row["flag"] == "" and "omkring" in number:
                found.append(f"{path.name}: {row['key']} = {number} (an exact number)")
    assert found == []


def test_a_figure_title_s_unit_is_the_unit_drawn(edition):
    name, html = edition
    found = []
    for page in reader_pages(html):
        for figure in article(page).find_all("figure"):
            img, caption = figure.find("img"), figure.find("figcaption")
            if img is None or caption is None:
                continue
            title = text_of(caption).split(". ", 1)[1].split("(", 1)[0] if ". " in text_of(caption) else ""
            alt = img.get("alt", "")
            if re.search(r"\bpct\.|procent", title) and not re.search(r"pct\.|procent", alt):
                found.append(f"{figure.get('id')}: »{title.strip()}« drawn as »{alt[:80]}«")
    assert found == []


def test_the_front_page_s_counts_agree_with_the_captions_and_the_missing_numbers(edition):
    name, html = edition
    front = text_of(article(html / "intro.html"))
    match = re.search(r"Udgaven gengiver (\d+|én|alle) (?:af )?hvidbogens (\d+) tabeller og figurer"
                      r"(?:, heraf (\d+|én) delvist)?", front)
    numbered = {e for e in placed_exhibits(html) if re.fullmatch(r"(tabel|figur|kort)-8-\d+", e)}
    partial = sum(len(f.select("figcaption .delvis")) for p in reader_pages(html)
                  for f in article(p).find_all("figure")
                  if re.fullmatch(r"(tabel|figur|kort)-8-\d+", f.get("id", "")))
    if not numbered:
        assert "ingen tal" in front
        return
    assert match, front
    shown = {"én": 1, "alle": int(match.group(2))}.get(match.group(1)) or int(match.group(1))
    assert shown == len(numbered)
    assert ({"én": 1}.get(match.group(3)) or int(match.group(3) or 0)) == partial
    missing = text_of(article(html / "appendix" / "mangler.html"))
    assert missing.count("Vises delvist:") == partial


def test_the_workbench_is_a_part_of_its_own_reached_from_every_chapter_page(edition):
    name, html = edition
    for page in reader_pages(html):
        nav = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            "nav.bd-docs-nav, .bd-sidebar-primary")
        links = {a.get("href", "").split("#")[0].rsplit("/", 1)[-1] for a in nav.find_all("a")}
        assert {f"{Path(d).name}.html" for d in WORKBENCH} <= links, page.name
        assert WORKBENCH_CAPTION in text_of(nav)
    for doc in WORKBENCH:
        assert (html / f"{doc}.html").exists(), doc


def test_straight_quotes_and_hyphenated_ranges_are_nowhere(edition):
    """The workbench follows the style guide too: »…« quotes and en dashes in ranges."""
    name, html = edition
    found = []
    for page in [*reader_pages(html), *(html / f"{d}.html" for d in WORKBENCH)]:
        text = text_of(article(page))
        text = re.sub(r"https?://\S+", "", text)
        found += [f"{page.name}: …{text[max(0, m.start() - 30):m.end() + 30]}…"
                  for m in re.finditer(r'"|\b(?:19|20)\d\d-(?:19|20)\d\d\b|kvartal \d{4}-\d', text)]
    assert found == []
