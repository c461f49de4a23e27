"""Sphinx extension: the data appendix, generated from the metadata sidecars at build time.

The page ``appendix/datasaet.md`` holds the line ``% dataset-catalogue``; on reading
the page, this extension replaces it with a description of every dataset, written
from the sidecars, so that the published provenance cannot drift from the data.
"""

from __future__ import annotations

import re

from .catalogue import catalogue_markdown

MARKER = re.compile(r"^% dataset-catalogue.*$", re.MULTILINE)
DOCNAME = "appendix/datasaet"


def _source_read(app, docname, source):
    if docname == DOCNAME:
        # The staged _config.yml carries the edition's reference year as a substitution.
        year = (getattr(app.config, "myst_substitutions", None) or {}).get("referenceaar")
        markdown = catalogue_markdown(int(year) if year else None)
        source[0] = MARKER.sub(lambda _m: markdown, source[0], count=1)


def _always_outdated(app, env, added, changed, removed):
    # The page depends on data/*.yaml, which Sphinx does not track: reread it every build.
    return [DOCNAME] if DOCNAME in env.found_docs else []


def setup(app):
    app.connect("source-read", _source_read)
    app.connect("env-get-outdated", _always_outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
