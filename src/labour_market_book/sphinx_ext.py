"""Sphinx extension: the data appendix, generated from the metadata sidecars at build time.

The page ``appendix/datasaet.md`` holds the line ``% dataset-catalogue``; on reading
the page, this extension replaces it with a description of every dataset, written
from the sidecars, so that the published provenance cannot drift from the data.
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

    from .areas import AREAS
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
        detail = [part.split("=", 1)[1] for part in r.get("row", "").split(", ") if "=" in part]
        if detail:
            label += f" ({', '.join(detail)})"
        area = AREAS.get(r["area_code"], r["area_code"])
        lines.append(f"| {r['udgave']} | {r['dataset']} | {area} | {r['period']} | {label} | "
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


def setup(app):
    app.connect("source-read", _source_read)
    app.connect("env-get-outdated", _always_outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
