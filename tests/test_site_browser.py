"""The published site in a real browser: headless Chromium driven by Playwright.

The default edition is built once per test session (``book_2024`` in conftest.py, the
build the build tests check), served by a local static server, and every page is opened
at a desktop width (1280 px) and at a phone width (400 px). Each page is loaded once per
width; the tests below assert on what those visits recorded, plus the search page and
the downloads, which they open themselves.

Needs Playwright for Python and axe-playwright-python (pinned in requirements.txt) and a
Chromium: Debian's package (``apt-get install -y chromium``), because Playwright's own
browser download cannot reach its hosts here (``LMB_CHROMIUM`` names another executable). Without them the tests are skipped with
the install command, unless ``CI=true``: then a missing browser fails the run.
"""

from __future__ import annotations

import base64
import functools
import http.server
import os
import re
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import REPO

_PINS = [line for line in (REPO / "requirements.txt")
         .read_text(encoding="utf-8").splitlines()
         if line.split("==")[0] in ("playwright", "axe-playwright-python")]
INSTALL = (f"apt-get install -y chromium (as root), and .venv/bin/pip install {' '.join(_PINS)} "
           "(pinned in requirements.txt; make test installs them)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP, PHONE = 1280, 400
MIN_FIGURE_TEXT_PX = 9.0
"""Smallest figure text, in CSS px, at the phone width."""

# The types a host must serve the downloads with. A static server guesses types from file
# extensions; Python's table (like many hosts') knows neither .yaml nor .xlsx everywhere,
# so they are given here: CSV is text/csv (RFC 4180), YAML application/yaml (RFC 9512;
# application/x-yaml and text/yaml are the older names and accepted too).
SERVED_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".yaml": "application/yaml; charset=utf-8",
    ".yml": "application/yaml; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".svg": "image/svg+xml",
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".woff2": "font/woff2",
}
DOWNLOAD_TYPES = {
    ".csv": {"text/csv"},
    ".yaml": {"application/yaml", "application/x-yaml", "text/yaml"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

# In the rendered page: figures' images, and where on a phone nothing may be cut off.
FIGURE_IMAGES = "figure img, .cell_output img, .output img"
NOT_CUT_OFF = ("figure, figcaption, table, img, .admonition, .pst-scrollable-table-container, "
               "h1, h2, h3, p, .prev-next-title")
# Containers meant to scroll sideways: the theme's wrapper of wide tables (exhibits.py puts
# every exhibit table in one) and code blocks. Anything else wider than the screen is a fault.
SCROLLERS = ".pst-scrollable-table-container, .highlight, pre"


# -- browser and site ----------------------------------------------------------------------------
def _chromium() -> str | None:
    """The Chromium to drive: ``$LMB_CHROMIUM`` if set, else ``chromium`` on the PATH."""
    wanted = os.environ.get("LMB_CHROMIUM")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium; skipped (failed under CI=true) when it or Playwright is missing."""
    missing = []
    try:
        from playwright.sync_api import sync_playwright
        import axe_playwright_python  # noqa: F401
    except ImportError as error:
        missing.append(f"Python package {error.name}")
    executable = _chromium()
    if executable is None:
        missing.append("chromium")
    if missing:
        message = f"browser tests need {' and '.join(missing)}; install: {INSTALL}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: a missing browser is a failure)")
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **SERVED_TYPES}

    def log_message(self, *args):  # keep pytest's output clean
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A request the browser gave up on (it navigated on) is no error of the site's;
        anything else is printed, as the standard server does."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site(browser, book_2024):
    """``(html folder, base URL)`` of the built book behind a local static server."""
    html, _ = book_2024
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def _pages(html: Path) -> list[str]:
    """Every page of the site (the theme's template fragments under _static are no pages)."""
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).parts[0].startswith("_"))


# -- one visit per page and width ------------------------------------------------------------------
_COLLECT = """(sel) => {
  const links = Array.from(document.querySelectorAll('a[href]'), a => ({
    href: a.href, raw: a.getAttribute('href'), download: a.hasAttribute('download'),
    text: a.textContent.trim().slice(0, 60)}));
  const ids = Array.from(document.querySelectorAll('[id]'), e => e.id);
  const images = Array.from(document.querySelectorAll(sel.figures), i => ({
    alt: i.getAttribute('alt'), src: i.getAttribute('src'),
    width: i.getBoundingClientRect().width, cls: i.className}));
  return {links, ids, images};
}"""

_CUT_OFF = """(sel) => {
  const vw = document.documentElement.clientWidth;
  const article = document.querySelector('.bd-article-container') || document.body;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const bad = [];
  for (const el of article.querySelectorAll(sel.check)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let box = r, why = null;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      const ar = a.getBoundingClientRect();
      if (a.matches(sel.scrollers) && (ox === 'auto' || ox === 'scroll')) { box = ar; break; }
      if ((ox === 'hidden' || ox === 'clip') && (r.right > ar.right + 1 || r.left < ar.left - 1)) {
        why = 'clipped by ' + name(a); break;
      }
    }
    if (!why && (box.left < -1 || box.right > vw + 1))
      why = `right edge at ${Math.round(box.right)} px of ${vw}`;
    if (why) bad.push(`${name(el)} "${el.textContent.trim().slice(0, 40)}": ${why}`);
  }
  return {scrollWidth: document.scrollingElement.scrollWidth,
          clientWidth: document.scrollingElement.clientWidth, cutOff: bad.slice(0, 10)};
}"""


def _visit(context, base: str, rel: str, axe) -> dict:
    page = context.new_page()
    errors: list[str] = []

    def on_response(response):
        if response.url.startswith(base) and response.status >= 400:
            errors.append(f"HTTP {response.status} {response.url}")

    def on_failed(request):
        if request.url.startswith(base):
            errors.append(f"request failed: {request.url} ({request.failure})")

    listeners = {"console": lambda m: m.type == "error" and errors.append(f"console: {m.text}"),
                 "pageerror": lambda e: errors.append(f"page error: {e}"),
                 "response": on_response, "requestfailed": on_failed}
    for event, listener in listeners.items():
        page.on(event, listener)
    page.goto(base + rel, wait_until="networkidle")
    # Only the page's own loading counts: axe-core, injected below, fetches stylesheets itself.
    for event, listener in listeners.items():
        page.remove_listener(event, listener)
    visit = {"url": page.url, "errors": errors, "redirected": page.url != base + rel}
    if not visit["redirected"]:  # index.html sends the reader on to the first page
        visit.update(page.evaluate(_COLLECT, {"figures": FIGURE_IMAGES}))
        visit.update(page.evaluate(_CUT_OFF, {"check": NOT_CUT_OFF, "scrollers": SCROLLERS}))
        violations = axe.run(page).response["violations"]
        visit["violations"] = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
            for v in violations if v["impact"] in ("serious", "critical")]
    page.close()
    return visit


@pytest.fixture(scope="session")
def visits(browser, site) -> dict[int, dict[str, dict]]:
    """What each page showed at each width: errors, links, ids, images, overflow, axe."""
    from axe_playwright_python.sync_playwright import Axe
    html, base = site
    axe = Axe()
    result = {}
    for width in (DESKTOP, PHONE):
        context = browser.new_context(viewport={"width": width, "height": 900})
        result[width] = {rel: _visit(context, base, rel, axe) for rel in _pages(html)}
        context.close()
    return result


# -- tests ---------------------------------------------------------------------------------------
def test_the_site_has_its_pages(visits):
    pages = visits[DESKTOP]
    assert len(pages) >= 17 and "search.html" in pages and "intro.html" in pages, sorted(pages)
    assert pages["index.html"]["redirected"] and pages["index.html"]["url"].endswith("/intro.html")


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_every_page_loads_without_console_errors_or_failed_requests(visits, width):
    errors = {rel: v["errors"] for rel, v in visits[width].items() if v["errors"]}
    assert errors == {}


def test_every_internal_link_and_anchor_resolves(visits, site):
    html, base = site
    pages = visits[DESKTOP]
    broken, checked = [], 0
    for rel, visit in pages.items():
        for link in visit.get("links", []):
            url = urlsplit(link["href"])
            if not link["href"].startswith(base) or link["raw"] in ("#", ""):
                continue
            path = unquote(url.path[len(urlsplit(base).path):]) or "index.html"
            if path.endswith("/"):
                path += "index.html"
            checked += 1
            if not (html / path).is_file():
                broken.append(f"{rel}: {link['raw']} (no file {path})")
                continue
            fragment = unquote(url.fragment)
            if fragment and path.endswith(".html"):
                target = pages.get(path)
                ids = target.get("ids") if target else None
                if ids is None:  # a page not visited (none so far): read its ids from the file
                    ids = re.findall(r'\bid="([^"]+)"', (html / path).read_text(encoding="utf-8"))
                if fragment not in ids:
                    broken.append(f"{rel}: {link['raw']} (no id {fragment!r} on {path})")
    assert checked > 500, checked  # the book links every exhibit's CSV and many sources
    assert broken == []


def test_every_figure_image_has_alt_text(visits):
    images = [(rel, image) for rel, visit in visits[DESKTOP].items() for image in visit.get("images", [])]
    assert len(images) >= 20, len(images)  # the chapter draws 23 figures; the rest are notices
    assert [rel for rel, image in images if not (image["alt"] or "").strip()] == []


def test_every_download_link_serves_its_file_with_the_right_type(visits, site, browser):
    html, base = site
    downloads = {}
    for rel, visit in visits[DESKTOP].items():
        for link in visit.get("links", []):
            suffix = Path(urlsplit(link["href"]).path).suffix
            if link["href"].startswith(base) and (link["download"] or suffix in DOWNLOAD_TYPES):
                downloads.setdefault(link["href"].split("#")[0], rel)
    names = {Path(urlsplit(url).path).name for url in downloads}
    assert any(re.fullmatch(r"(tabel|figur)-8-\d+\.csv", n) for n in names), names
    assert any(n.endswith("-tekst.csv") for n in names), names
    assert any(n.endswith(".yaml") for n in names), names  # the datasets' sidecars
    context = browser.new_context()
    wrong = []
    try:
        for url, rel in sorted(downloads.items()):
            path = unquote(urlsplit(url).path[len(urlsplit(base).path):])
            response = context.request.get(url)
            suffix = Path(path).suffix
            content_type = response.headers.get("content-type", "").split(";")[0].strip()
            if response.status != 200:
                wrong.append(f"{rel}: {url} answered {response.status}")
            elif content_type not in DOWNLOAD_TYPES.get(suffix, {content_type}):
                wrong.append(f"{rel}: {path} served as {content_type!r}")
            elif response.body() != (html / path).read_bytes():
                wrong.append(f"{rel}: {path} is not the published file")
    finally:
        context.close()
    assert wrong == []


@pytest.mark.parametrize("word, page", [("fuldtidsledige", "notebooks/ledigheden.html"),
                                        ("arbejdsstyrken", "notebooks/borgere_uden_for_arbejdsstyrken.html")])
def test_search_finds_the_book_s_words(browser, site, word, page):
    _, base = site
    tab = browser.new_page()
    try:
        tab.goto(f"{base}search.html?q={word}", wait_until="networkidle")
        tab.wait_for_selector("#search-results ul.search li a", timeout=20_000)
        hits = tab.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    finally:
        tab.close()
    assert any(page in hit for hit in hits), hits


# Everything the theme draws to search with: the search field in the sidebar and in the
# header bar (a button styled as a field), the icon in the article's header, and the field
# itself, which opens in a dialog.
SEARCH_CONTROLS = ".search-button__button, form.bd-search, input[type=search]"


def _visible_search_controls(tab) -> list[str]:
    controls = tab.locator(SEARCH_CONTROLS)
    return [controls.nth(i).evaluate(
                "e => e.tagName.toLowerCase() + '.' + e.className.trim().split(/\\s+/).join('.')"
                " + ' in ' + (e.parentElement.className || e.parentElement.tagName.toLowerCase())")
            for i in range(controls.count()) if controls.nth(i).is_visible()]


@pytest.mark.parametrize("width", [DESKTOP, 992, PHONE, 390])
@pytest.mark.parametrize("rel", ["intro.html", "notebooks/ledigheden.html"])
def test_a_page_shows_one_search_field_which_searches_the_book(browser, site, width, rel):
    """One search control on screen at any width (pydata-sphinx-theme added a header bar
    with a second search field to the book theme's sidebar one), and it works: it opens a
    field that sends the reader to the search page."""
    _, base = site
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(base + rel, wait_until="networkidle")
        visible = _visible_search_controls(tab)
        assert len(visible) == 1, visible
        if width >= 992:  # the sidebar is on screen, and its search field with it
            assert "sidebar-primary-item" in visible[0], visible
        tab.locator(SEARCH_CONTROLS).filter(visible=True).click()
        field = tab.locator("#pst-search-dialog input[type=search]")
        field.wait_for(state="visible", timeout=5_000)
        field.fill("fuldtidsledige")
        field.press("Enter")
        tab.wait_for_url("**/search.html?q=fuldtidsledige*", timeout=10_000)
    finally:
        context.close()


def test_no_page_scrolls_sideways_or_cuts_anything_off_on_a_phone(visits):
    faults = {}
    for rel, visit in visits[PHONE].items():
        if visit["redirected"]:
            continue
        problems = list(visit["cutOff"])
        if visit["scrollWidth"] > visit["clientWidth"]:
            problems.insert(0, f"page is {visit['scrollWidth']} px wide at {visit['clientWidth']} px")
        if problems:
            faults[rel] = problems
    assert faults == {}


def _smallest_text_px(image: dict) -> tuple[float, int]:
    """The smallest font size of an SVG figure as rendered, in CSS px, and its text count:
    font sizes are in the SVG's user units, which the viewBox maps onto the image's width."""
    svg = base64.b64decode(image["src"].split(",", 1)[1]).decode("utf-8")
    view_width = float(re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) [\d.]+"', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    return min(sizes) * image["width"] / view_width, len(sizes)


def test_figure_text_is_readable_on_a_phone(visits):
    measured, small = 0, []
    for rel, visit in visits[PHONE].items():
        for image in visit.get("images", []):
            if "exhibit-figure" not in image["cls"] or not image["src"].startswith("data:image/svg+xml"):
                continue
            px, texts = _smallest_text_px(image)
            assert texts > 0, f"{rel}: a figure without text elements cannot be measured"
            measured += 1
            if px < MIN_FIGURE_TEXT_PX:
                small.append(f"{rel}: {px:.1f} px ({image['alt'][:50]})")
    assert measured >= 20, measured
    assert small == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_no_serious_or_critical_accessibility_violations(visits, width):
    found = {rel: v["violations"] for rel, v in visits[width].items() if v.get("violations")}
    assert found == {}
