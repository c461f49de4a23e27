"""Sphinx extension: the data appendix, download links, and the theme's texts in Danish.

- The page ``appendix/datasaet.md`` holds the line ``% dataset-catalogue``; on reading
  the page, this extension replaces it with a description of every dataset, written
  from the sidecars, so that the published provenance cannot drift from the data.
- An exhibit's download link (``<a class="exhibit-download" href="../data/<id>.csv"
  download>Hent tallene (CSV)</a>`` in the notebooks) becomes "Hent tallene: CSV ·
  Excel (xlsx)" when the build publishes the exhibit's workbook beside its CSV
  (:mod:`.workbook`); without a workbook the link stays as written. An exhibit whose CSV
  holds no numbers in the edition (a notice) offers no download.
- The theme's own texts (sphinx-book-theme, pydata-sphinx-theme, sphinx-copybutton,
  myst-nb's hidden-code toggle) are English where they lack Danish. The translations
  ship with the package: a message catalogue (``locale/da/LC_MESSAGES/sphinx.po``,
  compiled into the build folder at build time and added after Sphinx's own Danish
  catalogue), template overrides for texts the theme writes literally
  (``theme_da/templates``), a small script giving sphinx-copybutton Danish texts
  (``theme_da/static``), the search field's placeholder, and myst-nb's toggle label.
  Installed packages are never edited.

Repairs of the theme's, docutils' and sphinx-thebe's markup that the browser tests found
(``tests/test_site_browser.py`` checks the published pages in Chromium):

- pydata-sphinx-theme (0.17) puts its search field in a header bar unless the theme option
  ``navbar_persistent`` is given (sphinx-book-theme's default of none, in its theme.conf,
  does not count): at a desktop width the page showed that header bar, holding nothing but
  a second search field, above the book theme's sidebar with its own. ``navbar_persistent``
  is set to none, so the header bar is not written; the sidebar's field (wide screens) and
  the search icon in the article's header (narrow screens) remain, and both open the same
  search dialog.
- pydata-sphinx-theme writes ``localStorage.getItem("mode") || "{{ default_mode }}"``
  and has no default for the template variable ``default_mode`` (it is read from
  ``html_context``), so a first visit logs "Got invalid theme mode" as a console error
  before falling back to "auto": ``default_mode`` is set to "auto", the same behaviour.
- The theme's sidebar gives each collapsible entry a ``<summary>`` with only an icon,
  which has no accessible name (axe: summary-name, serious): it gets an ``aria-label``
  naming the page whose subpages it shows.
- docutils' HTML writer gives the bibliography ``role="list"`` with children of the
  deprecated DPUB role ``doc-biblioentry``, which axe does not accept as list items
  (aria-required-children, critical): the children become ``role="listitem"``.
- sphinx-thebe adds its inline configuration script (``const THEBE_JS_URL = ...``) in
  ``env-before-read-docs``, and it reaches every page twice, so the second copy throws
  "Identifier 'THEBE_JS_URL' has already been declared" on load (Sphinx's HTML builder
  holds an inline script added then with the file name None, and adds it again from the
  registry as ''; the two do not compare equal): a page's scripts are deduplicated.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import sphinx
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from docutils import nodes
from jinja2 import FileSystemBytecodeCache
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

from .appendix import DEVIATIONS_DOC, DEVIATIONS_MARKER, DOCNAME, MARKER, deviations_markdown
from .catalogue import catalogue_markdown
from .paths import PACKAGE_DIR

LOCALE_DIR = PACKAGE_DIR / "locale"
THEME_DA = PACKAGE_DIR / "theme_da"
SEARCH_PLACEHOLDER_DA = "Søg i bogen …"
HIDDEN_CODE_LABEL_DA = "Vis eller skjul koden"

_DOWNLOAD_OPEN = re.compile(r'^<a class="exhibit-download" href="(?P<href>[^"]+)\.csv" download>$')
_DOWNLOAD_TEXT = re.compile(r"^(?P<label>Hent [^()]+?) \(CSV\)$")


def _source_read(app, docname, source):
    if docname == DEVIATIONS_DOC:
        source[0] = DEVIATIONS_MARKER.sub(lambda _m: deviations_markdown(), source[0], count=1)
    if docname == DOCNAME:
        # The staged _config.yml carries the edition's reference year as a substitution.
        year = (getattr(app.config, "myst_substitutions", None) or {}).get("referenceaar")
        markdown = catalogue_markdown(int(year) if year else None)
        source[0] = MARKER.sub(lambda _m: markdown, source[0], count=1)


def _always_outdated(app, env, added, changed, removed):
    # A page still holding its marker depends on data/*.yaml, which Sphinx does not track:
    # reread it every build (a build by `make book` stages the pages already generated).
    outdated = []
    for doc, marker in ((DOCNAME, MARKER), (DEVIATIONS_DOC, DEVIATIONS_MARKER)):
        if doc in env.found_docs and marker.search(Path(env.doc2path(doc)).read_text(encoding="utf-8")):
            outdated.append(doc)
    return outdated


def _published_exports(app) -> Path:
    return Path(app.srcdir) / "_exports" / "data"


def download_links_html(href: str, label: str) -> str:
    """``Hent tallene: CSV · Excel (xlsx)`` with both links (``href`` without suffix)."""
    href = html.escape(href, quote=True)
    return (f'<span class="exhibit-downloads">{html.escape(label)}: '
            f'<a class="exhibit-download" href="{href}.csv" download>CSV</a> · '
            f'<a class="exhibit-download" href="{href}.xlsx" download>Excel (xlsx)</a></span>')


def has_rows(csv: Path) -> bool:
    """Whether an exhibit's published CSV holds a number (more than its header); a CSV
    the build did not publish counts as holding some (the link stays as written)."""
    if not csv.exists():
        return True
    with csv.open(encoding="utf-8") as f:
        return sum(1 for line, _ in zip(f, range(2)) if line.strip()) > 1


def _download_links(app, doctree, docname):
    """Offer the workbook beside each exhibit's CSV (see the module's docstring)."""
    if app.builder.format != "html":
        return
    folder = _published_exports(app)
    for opening in list(doctree.findall(nodes.raw)):
        match = _DOWNLOAD_OPEN.match(opening.astext().strip())
        parent = opening.parent
        if not match or parent is None:
            continue
        index = parent.index(opening)
        if index + 2 >= len(parent.children):
            continue
        text, closing = parent[index + 1], parent[index + 2]
        label = _DOWNLOAD_TEXT.match(text.astext().strip()) if isinstance(text, nodes.Text) else None
        if not label or not isinstance(closing, nodes.raw) or closing.astext().strip() != "</a>":
            continue
        href = match.group("href")
        stem = href.rsplit("/", 1)[-1]
        if not has_rows(folder / f"{stem}.csv"):
            # an exhibit without numbers in this edition: nothing to download
            for node in (opening, text, closing):
                parent.remove(node)
            # a sentence that only led to the link ("... kan hentes ...: ") goes with it
            rest = parent.astext().strip().rstrip(".").rstrip() if isinstance(parent, nodes.paragraph) else "x"
            if not rest or rest.endswith(":"):
                parent.parent.remove(parent)
            continue
        if not (folder / f"{stem}.xlsx").exists():
            continue
        parent.replace(opening, nodes.raw("", download_links_html(href, label.group("label")),
                                          format="html"))
        parent.remove(text)
        parent.remove(closing)


# -- the theme's texts in Danish ----------------------------------------------------
def compile_catalogues(target: Path, language: str = "da") -> list[str]:
    """Compile the shipped ``.po`` files for ``language`` into ``target``; return domains."""

    domains = []
    for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            catalog = read_po(f, locale=language, domain=po.stem)
        mo = target / language / "LC_MESSAGES" / f"{po.stem}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as f:
            write_mo(f, catalog)
        domains.append(po.stem)
    return domains


def write_js_catalogue(target: Path, language: str = "da") -> Path | None:
    """Sphinx's JavaScript catalogue for ``language`` (``translations.js`` on the site),
    with the messages it leaves untranslated filled in from the shipped ``sphinx.po``."""
    original = Path(sphinx.__file__).parent / "locale" / language / "LC_MESSAGES" / "sphinx.js"
    po = LOCALE_DIR / language / "LC_MESSAGES" / "sphinx.po"
    if not original.exists() or not po.exists():
        return None
    text = original.read_text(encoding="utf-8")
    catalogue = json.loads(text[text.index("(") + 1:text.rindex(")")])
    with po.open("rb") as f:
        ours = {m.id: m.string for m in read_po(f, locale=language) if m.id and m.string}
    messages = catalogue["messages"]
    for msgid, translated in messages.items():
        if not translated and msgid in ours:
            messages[msgid] = ours[msgid]
    out = target / language / "LC_MESSAGES" / "sphinx.js"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("Documentation.addTranslations("
                   + json.dumps(catalogue, indent=4, sort_keys=True) + ");", encoding="utf-8")
    return out


def _danish_theme_config(app, config):
    if not str(config.language or "").startswith("da"):
        return
    # The HTML builder takes translations.js from the first locale_dirs entry with one.
    if write_js_catalogue(_locale_target(app)):
        config.locale_dirs = [str(_locale_target(app))] + list(config.locale_dirs or [])
    # Before the themes' component folders, which they append to templates_path.
    config.templates_path.insert(0, str(THEME_DA / "templates"))
    config.html_static_path.append(str(THEME_DA / "static"))
    # Jupyter Book sets the placeholder "Search this book..." as a theme option.
    config.html_theme_options = dict(config.html_theme_options or {},
                                     search_bar_text=SEARCH_PLACEHOLDER_DA)


def _visit_hidden_code(self, node):
    """myst-nb's toggle for hidden code cells, with a Danish aria-label."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append(f'<summary aria-label="{HIDDEN_CODE_LABEL_DA}">\n')
    self.body.append(f'<p class="collapsed admonition-title">{html.escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{html.escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _locale_target(app) -> Path:
    """Where the compiled catalogues go: the build folder, never the sources."""
    return Path(app.doctreedir).parent / "lmb-locale"


def _setup_danish_theme(app):
    if not str(app.config.language or "").startswith("da"):
        return
    target = _locale_target(app)
    for domain in compile_catalogues(target):
        app.add_message_catalog(domain, str(target))
    app.connect("config-inited", _danish_theme_config)
    app.add_js_file("copybutton_da.js", priority=501)  # after copybutton.js (500)
    app.add_node(HideCodeCellNode, override=True, html=(_visit_hidden_code, depart_HideCellInput))


def _theme_defaults(app, config):
    config.html_context = {"default_mode": "auto", **(config.html_context or {})}
    # One search field on screen: no header bar with a second one (module docstring); a
    # source's address is printed whole (the theme would shorten a GitHub address to
    # "owner/repo", an address without its scheme in Kilder).
    config.html_theme_options = {"navbar_persistent": [], "shorten_urls": False,
                                 **(config.html_theme_options or {})}


def _label_nav_toggles(html):
    """``aria-label`` on the sidebar's icon-only ``<summary>`` elements (in place when
    the theme hands over its cached BeautifulSoup tree)."""
    soup = html if isinstance(html, BeautifulSoup) else BeautifulSoup(str(html), "html.parser")
    for summary in soup.select("details > summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        link = summary.parent.find_previous_sibling("a")
        name = link.get_text(" ", strip=True) if link else ""
        summary["aria-label"] = (f"Vis eller skjul undersider til {name}" if name
                                 else "Vis eller skjul undersider")
    return html if soup is html else str(soup)


def _repair_page(app, pagename, templatename, context, doctree):
    toctree = context.get("generate_toctree_html")
    if toctree is not None and not getattr(toctree, "labels_nav_toggles", False):
        def generate_toctree_html(kind, *args, **kwargs):
            html = toctree(kind, *args, **kwargs)
            return html if kind == "raw" else _label_nav_toggles(html)
        generate_toctree_html.labels_nav_toggles = True
        context["generate_toctree_html"] = generate_toctree_html
    scripts = context.get("script_files")
    if scripts:
        unique, seen = [], set()
        for script in scripts:  # same file or inline body, same attributes: one copy
            key = (str(getattr(script, "filename", script) or ""), getattr(script, "priority", 0),
                   tuple(sorted((getattr(script, "attributes", None) or {}).items())))
            if key not in seen:
                seen.add(key)
                unique.append(script)
        context["script_files"] = unique
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _template_cache(app) -> None:
    """Keep the HTML templates compiled between builds (Jinja's bytecode cache, keyed on each
    template's source, in the work folder): Sphinx compiles all of them in every process,
    about a fifth of a second of a rebuild that writes a few pages."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None and environment.bytecode_cache is None:
        folder = Path(app.doctreedir).parent / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app):
    # The digest of the package and the pinned requirements (set by the build in the staged
    # _config.yml): when the code that renders the pages changes, every page is read and
    # written again, not only the pages whose sources changed.
    app.add_config_value("lmb_renderer_digest", "", "env")
    app.connect("source-read", _source_read)
    app.connect("env-get-outdated", _always_outdated)
    app.connect("doctree-resolved", _download_links)
    app.connect("builder-inited", _template_cache)
    _setup_danish_theme(app)
    app.connect("config-inited", _theme_defaults)
    # After the theme's own handlers (priority 500), which put generate_toctree_html there.
    app.connect("html-page-context", _repair_page, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
