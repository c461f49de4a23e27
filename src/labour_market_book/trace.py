"""Traceable numbers in the prose: where each glued number comes from, on the page itself.

:meth:`.exhibits.Page.paragraph` wraps every number it glues into a sentence in a link to
the dataset's entry in the data appendix, described (``aria-describedby``) by a hidden
element at the end of the paragraph that says, in Danish, which dataset, which source
table (publisher and table id), which period and which provenance (transcribed from the
report, fetched from the source or added by hand) the number comes from::

    I november 2023 stod <a class="tal" href="../appendix/datasaet.html#datasaet-outside-
    labour-force" aria-describedby="tal-p_andel-1">22,8 pct.</a> af de 16-66-årige ...
    <span class="tal-kilde" id="tal-p_andel-1" hidden><span class="tal-linje">Datasæt: ...

- A link is focusable with the keyboard and opens the appendix; screen readers read the
  description when the number gets focus (the WAI-ARIA tooltip pattern). No element is
  nested in another interactive one.
- ``_static/tal.js`` shows the same description as a tooltip on hover and focus, kept
  inside the viewport (a 400 px phone too), dismissed with Escape; ``_static/tal.css``
  styles it. Without JavaScript the link and the description still work.
- The text of the sentence is unchanged: :func:`plain_text` removes the markup again
  (tests compare sentences with it), and ``<page>-tekst.csv`` is written from the rows,
  not from the markup.
"""

from __future__ import annotations

import html
import re

from .edition import join_da
from .periods import Period
from .sources import how_da, source_name

APPENDIX_PAGE = "../appendix/datasaet.html"
"""The data appendix, relative to a notebook page."""

CSS_CLASS = "tal"

# Characters that MyST Markdown would read as markup inside the text of an HTML element
# (emphasis, roles, math, links, substitutions): written as character references.
_MARKDOWN_ACTIVE = {c: f"&#{ord(c)};" for c in "*_`[]\\$~|{}!#"}

_TOKEN = re.compile("\ue000(?P<key>[^\ue001]+)\ue001(?P<text>[^\ue002]*)\ue002(?P<dot>\\.?)")
_ENDS_WITH_ABBREVIATION = re.compile(r"\b(pct|mia|mio|kr|ca|fx|nr)\.$")


def dataset_anchor(dataset_id: str) -> str:
    """The id of a dataset's section in the data appendix (``datasaet-outside-labour-force``)."""
    return "datasaet-" + dataset_id.replace("_", "-")


def escape(text: str) -> str:
    """Text for the inside of an HTML element in MyST Markdown: HTML- and Markdown-safe,
    each character escaped once (``KL's`` stays ``KL's``: an apostrophe needs no escape
    inside an element, and a character reference must not be escaped again)."""
    return "".join(_MARKDOWN_ACTIVE.get(c) or html.escape(c, quote=False) for c in text)


def _period_da(record: dict) -> str:
    period = Period.parse(record["period"]).label_da()
    base = record.get("base_period") or ""
    return f"{Period.parse(base).label_da()} til {period}" if base else period


def describe(records: list[dict], datasets: dict) -> list[str]:
    """Danish sentences saying where a glued number comes from, one block per dataset:
    ``Datasæt: Borgere uden for arbejdsstyrken, 16-66 år.``, ``Kilde: Danmarks Statistik,
    RAS201, gengivet i hvidbogen.``, ``Periode: november 2023.``, and for a number the book
    computed ``Tallet er beregnet ud fra datasættets tal.`` The source is named as in the
    exhibits' "Kilde:" lines (:func:`.sources.source_name`), without code names.

    ``records`` are the page's records of the number (dataset, provenance, period,
    base period, basis); ``datasets`` maps dataset id -> :class:`~.datasets.Dataset`.
    """
    lines: list[str] = []
    for name in dict.fromkeys(r["dataset"] for r in records):
        meta = datasets[name].meta
        mine = [r for r in records if r["dataset"] == name]
        periods = list(dict.fromkeys(_period_da(r) for r in
                                     sorted(mine, key=lambda r: (r["period"], r.get("base_period") or ""))))
        hows = [h for h in dict.fromkeys(how_da(meta, r["provenance"]) for r in mine) if h]
        source = source_name(meta, cite=False) + (f", {join_da(hows)}" if hows else "")
        lines += [f"Datasæt: {_typographic(meta['title'])}.",
                  f"Kilde: {_typographic(source)}.",
                  f"Periode: {join_da(periods)}."]
    if any(r.get("basis") == "derived" for r in records):
        lines.append("Tallet er beregnet ud fra datasættets tal.")
    return lines


def _typographic(text: str) -> str:
    """A typewriter apostrophe as the prose prints it (``KL's`` -> ``KL’s``)."""
    return text.replace("'", "\u2019")


def number_html(text: str, element_id: str, dataset_id: str) -> str:
    """The link around a glued number, described by the element ``element_id``."""
    return (f'<a class="{CSS_CLASS}" href="{APPENDIX_PAGE}#{dataset_anchor(dataset_id)}" '
            f'aria-describedby="{element_id}">{escape(text)}</a>')


def description_html(element_id: str, lines: list[str]) -> str:
    """The hidden element that describes a glued number (read by screen readers, shown
    as a tooltip by ``tal.js``)."""
    inner = " ".join(f'<span class="tal-linje">{escape(line)}</span>' for line in lines)
    return f'<span class="tal-kilde" id="{element_id}" hidden>{inner}</span>'


def token(key: str, text: str) -> str:
    """A page value marked for tracing inside a filled-in template (see :func:`mark_up`)."""
    return f"\ue000{key}\ue001{text}\ue002"


def mark_up(paragraph_key: str, text: str, records: dict[str, list[dict]], datasets: dict) -> str:
    """Replace the :func:`token` marks in ``text`` by traced numbers, and add their
    descriptions at the end of the paragraph.

    ``records`` maps a page value's key to the rows behind it. A full stop that follows a
    number ending in an abbreviation ("22,8 pct.") is dropped, as :func:`.exhibits.tidy`
    does for plain text.
    """
    notes: list[str] = []

    def replace(match: re.Match) -> str:
        key, value, dot = match.group("key"), match.group("text"), match.group("dot")
        if dot and _ENDS_WITH_ABBREVIATION.search(value):
            dot = ""
        element_id = f"tal-{paragraph_key}-{len(notes) + 1}".replace("_", "-")
        rows = records[key]
        notes.append(description_html(element_id, describe(rows, datasets)))
        return number_html(value, element_id, rows[0]["dataset"]) + dot

    body = _TOKEN.sub(replace, text)
    return body + (" " + "".join(notes) if notes else "")


_DESCRIPTION = re.compile(r'\s*<span class="tal-kilde"[^>]*>.*?</span></span>', re.S)
_LINK = re.compile(r'<a class="tal" [^>]*>(.*?)</a>', re.S)


def plain_text(marked: str) -> str:
    """A paragraph (glued Markdown or built HTML) without the trace: the text a reader reads."""
    text = _DESCRIPTION.sub("", marked)
    text = _LINK.sub(lambda m: html.unescape(m.group(1)), text)
    return text
