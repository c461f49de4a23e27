"""Sphinx extension: the data appendix, generated from the metadata sidecars at build time,
and four repairs of the theme's, docutils' and sphinx-thebe's markup that the browser tests found.

The page ``appendix/datasaet.md`` holds the line ``% dataset-catalogue``; on reading
the page, this extension replaces it with a description of every dataset, written
from the sidecars, so that the published provenance cannot drift from the data.

The repairs (``tests/test_site_browser.py`` checks the published pages in Chromium):

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

import re

from .catalogue import catalogue_markdown

MARKER = re.compile(r"^% dataset-catalogue.*$", re.MULTILINE)
DEVIATIONS_MARKER = re.compile(r"^% deviations-list.*$", re.MULTILINE)
DOCNAME = "appendix/datasaet"
DEVIATIONS_DOC = "appendix/afvigelser"


def deviations_markdown() -> str:
    """The differences `make data` found between fetched numbers and the report's."""
    import pandas as pd

    from .datasets import load_all
    from .formatting import format_number
    from .paths import data_dir
    files = sorted((data_dir() / "raw").glob("afvigelser-*.csv"))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False).assign(udgave=f.stem.split("-")[1])
              for f in files]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if rows.empty:
        return ("Ingen af bogens tal er hentet fra kilderne og afviger fra rapporten: enten er "
                "intet hentet endnu (`make data`), eller de hentede tal er de samme som de trykte.\n")
    datasets = load_all()
    lines = ["| Udgave | Datasæt | Område | Periode | Mål | Rapporten | Hentet |", "|---|---|---|---|---|---|---|"]
    for _, r in rows.iterrows():
        ds = datasets.get(r["dataset"])
        label = ds.meta["measures"][r["measure"]]["label_da"] if ds and r["measure"] in ds.meta["measures"] else r["measure"]
        def da(v):
            try:
                return format_number(float(v), len(v.split(".")[1]) if "." in v else 0)
            except ValueError:
                return v
        lines.append(f"| {r['udgave']} | {r['dataset']} | {r['area_code']} | {r['period']} | {label} | "
                     f"{da(r['printed'])} | {da(r['fetched'])} |")
    return "\n".join(lines) + "\n"


def _source_read(app, docname, source):
    if docname == DEVIATIONS_DOC:
        source[0] = DEVIATIONS_MARKER.sub(lambda _m: deviations_markdown(), source[0], count=1)
    if docname == DOCNAME:
        # The staged _config.yml carries the edition's reference year as a substitution.
        year = (getattr(app.config, "myst_substitutions", None) or {}).get("referenceaar")
        markdown = catalogue_markdown(int(year) if year else None)
        source[0] = MARKER.sub(lambda _m: markdown, source[0], count=1)


def _always_outdated(app, env, added, changed, removed):
    # The page depends on data/*.yaml, which Sphinx does not track: reread it every build.
    return [d for d in (DOCNAME, DEVIATIONS_DOC) if d in env.found_docs]


def _theme_defaults(app, config):
    config.html_context = {"default_mode": "auto", **(config.html_context or {})}


def _label_nav_toggles(html):
    """``aria-label`` on the sidebar's icon-only ``<summary>`` elements (in place when
    the theme hands over its cached BeautifulSoup tree)."""
    from bs4 import BeautifulSoup
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


def setup(app):
    app.connect("source-read", _source_read)
    app.connect("env-get-outdated", _always_outdated)
    app.connect("config-inited", _theme_defaults)
    # After the theme's own handlers (priority 500), which put generate_toctree_html there.
    app.connect("html-page-context", _repair_page, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
