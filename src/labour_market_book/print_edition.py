"""``make pdf``: the print edition, one edition of the book as an A4 PDF.

:func:`build_pdf` builds the edition as ``make book`` does (cached, :func:`.build.build_book`),
then prints the staged book that the site shows:

1. Sphinx's ``singlehtml`` builder renders the stage as one page, with the site's own
   configuration and warnings as errors (:func:`.rendering.run_jupyter_book`);
2. Chromium (Debian's, driven by Playwright as in the browser tests; ``LMB_CHROMIUM`` names
   another) opens that page and :data:`PREPARE_JS` reduces it to the book: a title page, a
   contents page, and each chapter on a new page, without code, download links or the site's
   navigation; links between pages become links inside the document, links out stay;
3. every exhibit is measured at the width of the A4 text column: a table, figure or note
   wider than the column (which the printer would cut off) stops the build, naming it;
4. the page is printed twice with ``theme_da/print.css`` (A4, "N af M" in the footer):
   once to learn from the PDF on which page each chapter starts, then with those numbers
   in the contents;
5. pypdf writes the metadata (title, author, subject, language ``da``) from the staged
   ``_config.yml``, which the build writes from ``CITATION.cff`` and the edition, as it
   does for the site.

The PDF is written to ``_build/pdf/<title>-<year>.pdf`` and published beside the site it was
printed from (``_build/html``), whose front page then offers it ("Hent bogen som PDF", at
the marker ``<!-- print-edition -->`` in ``intro.md``). A PDF printed from the same stage
(the stage's digest covers the package, so also this module and the stylesheet) is reused.
"""

from __future__ import annotations

import datetime
import html as html_lib
import io
import os
import re
import shutil
import time
import unicodedata
from pathlib import Path

import pyphen
import yaml
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from .build import build_book
from .contents import WORKBENCH_CAPTION
from .errors import BuildError
from .paths import PACKAGE_DIR, REPO_ROOT
from .rendering import published_digest, run_jupyter_book
from .staging import book_digest

PRINT_CSS = PACKAGE_DIR / "theme_da" / "print.css"


def _browser_function(name: str) -> str:
    """A function expression from ``theme_da/<name>``, without its opening comment (Playwright
    calls an expression that reads as a function)."""
    lines = (PACKAGE_DIR / "theme_da" / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for i, line in enumerate(lines)
                     if not (line.startswith("//") and all(l.startswith("//") for l in lines[:i + 1])))


PREPARE_JS, FILL_PAGES_JS, CHECK_JS = (_browser_function(name) for name in
                                       ("print_prepare.js", "print_fill_pages.js", "print_check.js"))
"""What runs in the browser (``theme_da/print_*.js``): each file is one function expression."""
PDF_MARKER = "<!-- print-edition -->"
"""Where ``intro.md`` wants the link to the print edition; :func:`offer_on_site` puts it there."""
INSTALL_CHROMIUM = "apt-get install -y chromium (as root), or name a Chromium in LMB_CHROMIUM"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
A4_MM = (210, 297)
MARGIN_MM = {"top": 20, "right": 20, "bottom": 22, "left": 20}   # as in print.css
PX_PER_MM = 96 / 25.4
COLUMN_PX = int((A4_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"]) * PX_PER_MM)
MONTHS_DA = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
             "september", "oktober", "november", "december"]


def build_pdf(year: int | None = None, *, focus: str | None = None,
              comparison: list[str] | None = None, jobs: int | None = None,
              force: bool = False, out_root: Path = REPO_ROOT,
              data_dir: Path | None = None, keep_kernels: float = 0, kernels=None) -> Path:
    """Build the edition (as ``make book``, cached) and its print edition; return the PDF
    (``<out_root>/_build/pdf/<title>-<year>.pdf``)."""
    started = time.perf_counter()
    html = build_book(year, focus=focus, comparison=comparison, jobs=jobs, force=force,
                      out_root=out_root, data_dir=data_dir, keep_kernels=keep_kernels,
                      kernels=kernels)
    build = Path(out_root) / "_build"
    stage = published_stage(build)
    pdf = print_stage(stage, build, data_dir=data_dir, force=force)
    offer_on_site(html, pdf)
    pages = len(PdfReader(pdf).pages)
    print(f"print edition ({pages} pages, {pdf.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.1f} s: {pdf}", flush=True)
    return pdf


def published_stage(build: Path) -> Path:
    """The staged book that ``<build>/html`` shows (the stage whose digest it records)."""
    digest = published_digest(build)
    for stage in sorted((build / "stage").glob("*")):
        if digest and stage.is_dir() and book_digest(stage) == digest:
            return stage
    raise BuildError(f"no staged book in {build / 'stage'} matches the published site; run `make book`")


def pdf_file_name(title: str, year: int | str) -> str:
    """``borgere-uden-for-arbejdsmarkedet-i-randers-kommune-2024.pdf``: the title in ASCII."""
    text = title.lower()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return f"{re.sub(r'[^a-z0-9]+', '-', text).strip('-')}-{year}.pdf"


def edition_facts(stage: Path) -> dict:
    """Title, author, year, focus, comparison and version of the staged edition, from its
    ``_config.yml`` (written by the build from ``CITATION.cff`` and the edition)."""
    config = yaml.safe_load((stage / "_config.yml").read_text(encoding="utf-8"))
    subs = config.get("parse", {}).get("myst_substitutions", {})
    return {"title": config["title"], "author": config.get("author", ""),
            "year": str(subs.get("referenceaar", "")), "focus": subs.get("fokus", ""),
            "comparison": subs.get("sammenligning", ""), "version": str(subs.get("version", ""))}


def date_da(day: datetime.date) -> str:
    """``4. december 2026``."""
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def title_page_html(facts: dict, day: datetime.date) -> str:
    """The title page: the book, the edition's year, focus and comparison, and the date."""
    e = {k: html_lib.escape(v) for k, v in facts.items()}
    return (
        '<section class="print-title">'
        '<div><p class="print-kicker">Kapitel 8 i <em>Baggrundsmateriale – Hvidbog, Fremtidens '
        'Randers</em>, genskabt med nye tal</p>'
        f'<h1 class="print-book-title">{e["title"]}</h1>'
        f'<p class="print-edition-line">Udgaven for referenceåret {e["year"]}</p>'
        f'<p class="print-comparison">{e["focus"]} sammenlignet med {e["comparison"]}</p></div>'
        '<div class="print-colophon">'
        f'<p>{e["author"]} · version {e["version"]} · trykt udgave dannet {date_da(day)}</p>'
        '</div></section>')


def colophon_html(facts: dict, day: datetime.date) -> str:
    """The last page's colophon: the edition, its date, and where its data and method are."""
    e = {k: html_lib.escape(v) for k, v in facts.items()}
    return (
        '<section class="print-colophon-page" id="kolofon"><h2>Kolofon</h2>'
        f'<p><em>{e["title"]}</em>, udgaven for referenceåret {e["year"]}, version '
        f'{e["version"]}. {e["author"]}. Den trykte udgave er dannet {date_da(day)}.</p>'
        f'<p>Udgaven sammenligner {e["focus"]} med {e["comparison"]}. Tallene bag hver tabel '
        'og figur, datasættene med deres kilder og oprindelse og beregningerne bag hver side er '
        'offentliggjort på bogens hjemmeside under »Om tallene«. Dér står også, hvilke af '
        'hvidbogens tal udgaven mangler, og hvad der er ændret siden sidste udgave.</p></section>')


HYPHENATOR = pyphen.Pyphen(lang="da_DK")
SOFT_HYPHEN = "\u00ad"
_HEADER_CELL = re.compile(r"(<th\b[^>]*>)(.*?)(</th>)", re.S)
_WORD = re.compile(r"[^\W\d_]{7,}")


def hyphenate_headers(page_html: str) -> str:
    """Table header cells with soft hyphens at Danish hyphenation points (Pyphen's da_DK
    patterns; Chromium has no Danish hyphenation of its own): a header too wide for its
    column breaks only where a Danish word may break (»Bostøt-te«, not »Bostøtt|e«). Only
    the print's copy of the page is changed; the site's text, its search index and the CSV
    downloads keep the plain words."""
    def cell(match):
        parts = re.split(r"(<[^>]+>)", match.group(2))
        text = "".join(p if p.startswith("<") else
                       _WORD.sub(lambda w: HYPHENATOR.inserted(w.group(0), hyphen=SOFT_HYPHEN), p)
                       for p in parts)
        return match.group(1) + text + match.group(3)
    return _HEADER_CELL.sub(cell, page_html)


def contents_entries(stage: Path) -> list[dict]:
    """The documents in reading order, from the staged ``_toc.yml``: the root (as "Om
    bogen"), then each part's chapters (level 0) and their sections (level 1). The workbench
    (the part captioned :data:`.contents.WORKBENCH_CAPTION`) is not printed."""
    toc = yaml.safe_load((stage / "_toc.yml").read_text(encoding="utf-8"))
    entries = [{"doc": Path(toc["root"]).with_suffix("").as_posix(), "level": 0, "part": None}]

    def walk(items, level, part):
        for item in items or []:
            if "file" in item:
                entries.append({"doc": Path(item["file"]).with_suffix("").as_posix(),
                                "level": level, "part": part})
                part = None
            walk(item.get("sections"), level + 1, None)

    for part in toc.get("parts", []):
        if part.get("caption") != WORKBENCH_CAPTION:
            walk(part.get("chapters"), 0, part.get("caption"))
    walk(toc.get("chapters"), 0, None)
    return entries


def find_chromium() -> str:
    """The Chromium to print with: ``$LMB_CHROMIUM``, else ``chromium`` on the PATH."""
    wanted = os.environ.get("LMB_CHROMIUM")
    if wanted:
        if os.access(wanted, os.X_OK):
            return wanted
        raise BuildError(f"LMB_CHROMIUM={wanted} is not an executable: the print edition needs Chromium")
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
    if not found:
        raise BuildError(f"the print edition needs Chromium: {INSTALL_CHROMIUM}")
    return found


def print_stage(stage: Path, build: Path, *, data_dir: Path | None = None,
                force: bool = False) -> Path:
    """Print the staged book to ``<build>/pdf/<title>-<year>.pdf`` (reused when the stage
    is the one it was printed from); return the PDF."""
    facts = edition_facts(stage)
    target = build / "pdf" / pdf_file_name(facts["title"], facts["year"])
    stamp = target.with_name(target.name + ".digest")
    digest = book_digest(stage)
    if not force and target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
        print(f"print edition unchanged since the last build: {target}", flush=True)
        return target
    chromium = find_chromium()
    single = run_jupyter_book(stage, build / "print" / stage.name, data_dir, builder="singlehtml")
    page_file = single / "intro.html"
    page_file.write_text(hyphenate_headers(page_file.read_text(encoding="utf-8")), encoding="utf-8")
    pdf = print_single_page(page_file, chromium, facts, contents_entries(stage))
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(target.name + ".new")
    incoming.write_bytes(pdf)
    stamp.unlink(missing_ok=True)
    incoming.replace(target)
    stamp.write_text(digest, encoding="utf-8")
    return target


def print_single_page(page_file: Path, chromium: str, facts: dict, entries: list[dict],
                      day: datetime.date | None = None) -> bytes:
    """The single page printed to A4: prepared, checked for cut-off exhibits, printed once
    for the chapters' pages and again with them in the contents; with its metadata."""
    day = day or datetime.date.today()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": COLUMN_PX, "height": 1000})
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.add_style_tag(content=PRINT_CSS.read_text(encoding="utf-8"))
            chapters = page.evaluate(PREPARE_JS, {"titlePage": title_page_html(facts, day),
                                                  "colophon": colophon_html(facts, day),
                                                  "entries": entries})
            page.evaluate("document.fonts.ready")
            problems = page.evaluate(CHECK_JS, COLUMN_PX)
            if problems:
                first = problems[0]
                more = f" (and {len(problems) - 1} more: {', '.join(p['name'] for p in problems[1:4])})" \
                    if len(problems) > 1 else ""
                raise BuildError(f"print edition: {first['name']} is {first['width']} px wide, wider "
                                 f"than the A4 text column ({COLUMN_PX} px), and would be cut off"
                                 f"{more}; make it narrower (fewer or shorter columns, a wrapped label)")
            ids = [c["id"] for c in chapters]
            pages: dict[str, int] = {}
            for _attempt in range(3):
                pdf = page.pdf(prefer_css_page_size=True, print_background=True, outline=True,
                               tagged=True)
                found = chapter_pages(pdf, ids)
                if found == pages:
                    break
                pages = found
                page.evaluate(FILL_PAGES_JS, pages)
            else:
                raise BuildError("print edition: the contents' page numbers did not settle")
        finally:
            browser.close()
    missing = [c["title"] for c in chapters if c["id"] not in pages]
    if missing:
        raise BuildError(f"print edition: no page found for the chapter(s) {', '.join(missing)}")
    return with_metadata(pdf, facts)


def chapter_pages(pdf: bytes, ids: list[str]) -> dict[str, int]:
    """On which page (1-based) each chapter starts: the named destinations Chromium writes
    for the targets of the contents' links."""
    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    wanted = set(ids)
    for name, dest in reader.named_destinations.items():
        if name.lstrip("/") in wanted:
            found[name.lstrip("/")] = reader.get_destination_page_number(dest) + 1
    return found


def with_metadata(pdf: bytes, facts: dict) -> bytes:
    """The PDF with its title, author, subject and language (``da``)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_metadata({
        "/Title": f"{facts['title']}, udgaven for referenceåret {facts['year']}",
        "/Author": facts["author"],
        "/Subject": (f"Kapitel 8 i Baggrundsmateriale – Hvidbog, Fremtidens Randers, genskabt for "
                     f"referenceåret {facts['year']}: {facts['focus']} sammenlignet med "
                     f"{facts['comparison']}"),
        "/Keywords": f"arbejdsmarked; {facts['focus']}; {facts['year']}",
    })
    writer.root_object[NameObject("/Lang")] = TextStringObject("da")
    outlines = writer.root_object.get("/Outlines")
    if outlines is not None:
        _repair_outline(outlines.get_object().get("/First"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _repair_outline(item) -> None:
    """Chromium's outline names a heading that opens a page twice ("LedighedenLedigheden")
    and drops the space at a line break: each title once, with its spaces."""
    while item is not None:
        entry = item.get_object()
        title = str(entry.get("/Title", ""))
        half = len(title) // 2
        if title and len(title) % 2 == 0 and title[:half] == title[half:]:
            entry[NameObject("/Title")] = TextStringObject(title[:half])
        _repair_outline(entry.get("/First"))
        item = entry.get("/Next")


def offer_on_site(html: Path, pdf: Path) -> None:
    """Publish the PDF beside the site it was printed from, and put the link to it on the
    front page where ``intro.md`` has its marker."""
    shutil.copyfile(pdf, html / pdf.name)
    front = html / "intro.html"
    text = front.read_text(encoding="utf-8")
    pages = len(PdfReader(pdf).pages)
    size = f"{pdf.stat().st_size / 1e6:.1f}".replace(".", ",")
    link = (f'<p class="print-edition-link"><a class="print-edition-download" '
            f'href="{html_lib.escape(pdf.name, quote=True)}" download>Hent bogen som PDF</a> '
            f'(A4, {pages} sider, {size} MB)</p>')
    replaced = re.sub(r'<p class="print-edition-link">.*?</p>|' + re.escape(PDF_MARKER),
                      lambda _m: link, text, count=1, flags=re.S)
    if replaced == text and link not in text:
        raise BuildError(f"the front page has no {PDF_MARKER} marker for the PDF's link (intro.md)")
    front.write_text(replaced, encoding="utf-8")
