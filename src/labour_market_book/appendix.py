"""The appendix pages whose text is generated from the data: "Datasæt" (the catalogue of
datasets, :mod:`.catalogue`) and "Afvigelser fra hvidbogen" (what `make data` fetched that
differs from the report's printed numbers, as the sidecars' provenance entries keep it).
Both are reader text: Danish, with datasets named by their titles, no commands or ids.

Each page's source in ``appendix/`` holds a marker line; :func:`generated_pages` replaces it.
The build stages the generated pages (:mod:`.staging`); the Sphinx extension
(:mod:`.sphinx_ext`) fills a page that still holds its marker (a plain ``jupyter-book build``).
"""

from __future__ import annotations

import re

from .areas import AREAS
from .catalogue import catalogue_markdown
from .datasets import load_all
from .formatting import format_number
from .paths import REPO_ROOT
from .periods import Period

MARKER = re.compile(r"^% dataset-catalogue.*$", re.MULTILINE)
NOTEBOOKS_MARKER = re.compile(r"^% notebooks-list.*$", re.MULTILINE)
NOTEBOOKS_DOC = "appendix/beregninger"
NOTEBOOK_DOWNLOADS = "notesboeger"
"""Where the site offers each page's notebook (``/notesboeger/<page>.ipynb``)."""
DEVIATIONS_MARKER = re.compile(r"^% deviations-list.*$", re.MULTILINE)
DOCNAME = "appendix/datasaet"
DEVIATIONS_DOC = "appendix/afvigelser"


def _period_da(text: str) -> str:
    try:
        return Period.parse(str(text)).label_da()
    except ValueError:
        return str(text)


def deviations_markdown(datasets: dict | None = None) -> str:
    """The differences `make data` found between fetched numbers and the report's, as the
    fetched provenance entries of the sidecars keep them (``edition``, ``differences``)."""
    def da(v: str) -> str:
        try:
            return format_number(float(v), len(v.split(".")[1]) if "." in v else 0)
        except ValueError:
            return v

    fixed = {"area_code", "period", "measure", "printed", "fetched"}
    rows = []
    for name, ds in sorted((datasets or load_all()).items()):
        for entry in ds.meta["provenance"].values():
            for d in entry.get("differences") or []:
                label = ds.meta["measures"].get(d["measure"], {}).get("label_da", d["measure"])
                detail = [str(v) for k, v in d.items() if k not in fixed and v]
                if detail:
                    label += f" ({', '.join(detail)})"
                rows.append((entry.get("edition", ""), ds.meta["title"],
                             AREAS.get(d["area_code"], d["area_code"]),
                             str(d["period"]), label, da(str(d["printed"])), da(str(d["fetched"]))))
    if not rows:
        return ("Ingen af bogens hentede tal afviger fra hvidbogens: enten er der ikke hentet "
                "tal fra kilderne endnu, eller de hentede tal er de samme som de trykte.\n")
    lines = ["| Udgave | Datasæt | Område | Periode | Mål | Hvidbogen | Hentet |", "|---|---|---|---|---|---|---|"]
    for row in sorted(rows, key=lambda r: (str(r[0]), r[1:])):
        cells = [*row[:3], _period_da(row[3]), *row[4:]]
        lines.append(f"| {' | '.join(str(c) for c in cells)} |")
    return "\n".join(lines) + "\n"


def calculations_markdown(pages: list[tuple[str, str]]) -> str:
    """The workbench page "Beregningerne": each page of the edition (``(doc, stem)``, e.g.
    ``("notebooks/ledigheden", "ledigheden")``) with its notebook to download."""
    lines = ["| Side | Notesbog |", "|---|---|"]
    for doc, stem in pages:
        lines.append(f"| {{doc}}`/{doc}` | <a class=\"exhibit-download\" "
                     f"href=\"../{NOTEBOOK_DOWNLOADS}/{stem}.ipynb\" download>Hent notesbogen "
                     "(ipynb)</a> |")
    return "\n".join(lines) + "\n"


def calculations_page(pages: list[tuple[str, str]]) -> str:
    """The page's Markdown, from its source in ``appendix/``."""
    text = (REPO_ROOT / f"{NOTEBOOKS_DOC}.md").read_text(encoding="utf-8")
    return NOTEBOOKS_MARKER.sub(lambda _m: calculations_markdown(pages), text, count=1)


def generated_pages(year: int | None, datasets: dict | None = None) -> dict[str, str]:
    """The generated appendix pages' Markdown, from the page sources in the repository:
    ``{docname: text}``. The build writes them into the staged book (only when their text
    changed, so Sphinx rereads them only then); ``datasets`` spares reading data/ again."""
    out = {}
    for doc, marker, make in ((DOCNAME, MARKER, lambda: catalogue_markdown(year, datasets)),
                              (DEVIATIONS_DOC, DEVIATIONS_MARKER, lambda: deviations_markdown(datasets))):
        text = (REPO_ROOT / f"{doc}.md").read_text(encoding="utf-8")
        out[doc] = marker.sub(lambda _m: make(), text, count=1)
    return out
