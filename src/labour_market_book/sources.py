"""Where numbers come from, in Danish: the "Kilde:" line of an exhibit and the appendix.

Every row of a dataset names, in its ``provenance`` column, one entry of its sidecar's
``provenance`` mapping. An entry is one of three kinds:

``transcribed``
    typed from the report (``document`` is its citation key), with the locations;
``fetched``
    fetched from the source's API (``api``, ``endpoint``, ``request``, ``retrieved_at``);
``manual``
    added by hand (``added_by``, ``added_on`` and ``source``: where the numbers were
    taken from).

The "Kilde:" line under a table or figure is written from the rows actually shown, so
rows added by hand next spring are never credited to the report.
"""

from __future__ import annotations

import re

import pandas as pd

from .periods import MONTHS_DA

METHOD_DA = {
    "transcribed": "afskrevet fra hvidbogen",
    "fetched": "hentet fra kilden",
    "manual": "tilføjet i hånden",
}


def date_da(iso: str) -> str:
    """``"2026-11-28"`` -> ``"28. november 2026"`` (a timestamp keeps only its date)."""
    year, month, day = (int(part) for part in str(iso)[:10].split("-"))
    return f"{day}. {MONTHS_DA[month - 1]} {year}"


def fetched_da(entry: dict) -> str:
    """How a ``fetched`` entry was fetched, in Danish plain text: ``hentet 3. december 2026``,
    or, for an answer fetched by someone else and published by them (``fetched_by``,
    ``recording``), ``hentet af Randers Kommune og offentliggjort 15. august 2023``."""
    recording = entry.get("recording") or {}
    if entry.get("fetched_by"):
        when = (f" og offentliggjort {date_da(recording['published_on'])}" if recording
                else f" {date_da(entry['retrieved_at'])}")
        return f"hentet af {entry['fetched_by']}{when}"
    return f"hentet {date_da(entry['retrieved_at'])}"


def provenance_da(entry: dict) -> str:
    """A provenance entry as a short Danish phrase, for the description of a number in the
    prose: ``afskrevet fra hvidbogen``, ``hentet fra kilden 3. december 2026``, ``hentet fra
    kilden af Randers Kommune og offentliggjort 15. august 2023``, ``tilføjet i hånden 2. maj
    2026 af NN``. The "Kilde:" lines (:func:`entry_clause`) and the data appendix
    (:func:`entry_markdown`) say the same at more length."""
    method = entry["method"]
    if method == "fetched":
        return f"{METHOD_DA[method]} {fetched_da(entry).removeprefix('hentet ')}"
    if method == "manual":
        return f"{METHOD_DA[method]} {date_da(entry['added_on'])} af {entry['added_by']}"
    return METHOD_DA[method]


REPORT_KEY = "randers2025"
"""The citation key of the report this book reproduces (Randers Kommune's white paper)."""
REPORT_AUTHOR = "Randers Kommune"
"""The report's author: a source of that name is the report itself."""
REPORT_DA = "hvidbogen"
"""What the reader text calls the report: never the author-year rendering of its citation."""
REPORT_OWN_WORDS = ("Hvidbogens ", "Rapportens ")
"""How a sidecar's ``table_id`` starts when its numbers are the report's own words (its
summary, its text): they are cited, not "gengivet i hvidbogen"."""


def document_da(key: str) -> str:
    """The document rows were typed from, in MyST Markdown: ``hvidbogen {cite:p}`randers2025```
    for the report, the author's name and year (``{cite:t}``) for any other document."""
    return f"{REPORT_DA} {{cite:p}}`{key}`" if key == REPORT_KEY else f"{{cite:t}}`{key}`"


def is_own_table(meta: dict) -> bool:
    """Whether a dataset's source table is the report itself: numbers the report's author
    (Randers Kommune) publishes from its own records, cited to the report."""
    return meta.get("citation_key") == REPORT_KEY


_TRAILING_REMARK = re.compile(r"\s*\([^()]*\)$")


def source_name(meta: dict, *, cite: bool = True) -> str:
    """The source of a dataset, named once (MyST Markdown with ``cite``, plain text without):
    ``Danmarks Statistik, RAS201 {cite:p}`dst_ras201```. A table of the report's own author
    is named by its table alone, without the publisher or its remark in brackets (``Randers
    Kommunes egne data``), and is cited by the clause that says it is reproduced in the report
    (:func:`entry_clause`)."""
    if is_own_table(meta):
        name = _TRAILING_REMARK.sub("", meta["source"]["table_id"])
        if name.startswith("Rapportens "):        # a sidecar written before "hvidbogen"
            name = "Hvidbogens " + name.removeprefix("Rapportens ")
        return name
    text = f"{meta['publisher']}, {meta['source']['table_id']}"
    return f"{text} {{cite:p}}`{meta['citation_key']}`" if cite else text


def _table(meta: dict) -> str:
    """The source named in a "Kilde:" line that has no rows (what the exhibit would need)."""
    name = source_name(meta)
    return f"{name} {{cite:p}}`{meta['citation_key']}`" if is_own_table(meta) else name


def _how(meta: dict, entry_id: str) -> str:
    """How the rows of one provenance entry reached the book, as the clause after the source's
    name: ``gengivet i hvidbogen {cite:p}`randers2025```, ``hentet 3. december 2026``,
    ``tilføjet i hånden 2. maj 2026 af NN efter …``."""
    entry = meta["provenance"][entry_id]
    method = entry["method"]
    if method == "transcribed":
        if entry["document"] == REPORT_KEY and meta["source"]["table_id"].startswith(REPORT_OWN_WORDS):
            return f"{{cite:p}}`{REPORT_KEY}`"  # the report's own words: cited, not "reproduced"
        return f"gengivet i {document_da(entry['document'])}"
    if method == "fetched":
        recording = entry.get("recording") or {}
        cite = f" {{cite:p}}`{recording['citation_key']}`" if recording.get("citation_key") else ""
        return f"{fetched_da(entry)}{cite}"
    return f"tilføjet i hånden {date_da(entry['added_on'])} af {entry['added_by']} efter {entry['source']}"


def _join(name: str, hows: list[str]) -> str:
    if not hows:
        return name
    if hows[0].startswith("{cite:"):
        return f"{name} {hows[0]}" + (f", {' og '.join(hows[1:])}" if hows[1:] else "")
    return f"{name}, {' og '.join(hows)}"


def how_da(meta: dict, entry_id: str) -> str:
    """How the rows of one provenance entry reached the book, in Danish plain text (the
    description of a number in the prose): ``gengivet i hvidbogen``, ``hentet 3. december
    2026``, ``tilføjet i hånden 2. maj 2026 af NN``; empty for the report's own words."""
    entry = meta["provenance"][entry_id]
    method = entry["method"]
    if method == "transcribed":
        if entry["document"] == REPORT_KEY:
            return "" if meta["source"]["table_id"].startswith(REPORT_OWN_WORDS) else f"gengivet i {REPORT_DA}"
        return "afskrevet fra en anden publikation"
    if method == "fetched":
        return fetched_da(entry)
    return f"tilføjet i hånden {date_da(entry['added_on'])} af {entry['added_by']}"


def entry_clause(meta: dict, entry_id: str) -> str:
    """How one provenance entry is credited in a "Kilde:" line (MyST Markdown):
    ``Danmarks Statistik, RAS201 {cite:p}`dst_ras201`, gengivet i hvidbogen
    {cite:p}`randers2025```; ``Randers Kommunes egne data, gengivet i hvidbogen …``."""
    return _join(source_name(meta), [_how(meta, entry_id)])


def source_line(frame: pd.DataFrame, datasets: dict, fallback: list[str]) -> str:
    """The "Kilde:" line (without the word) for the rows of ``frame``, in MyST Markdown.

    ``frame`` needs the columns ``dataset`` and ``provenance`` (and optionally
    ``basis``); ``datasets`` maps dataset id -> :class:`~.datasets.Dataset`. With no
    rows, the line names the tables of the datasets in ``fallback``, which is where the
    missing numbers would come from.

    Each source is named once, with every way its rows reached the book (``…, gengivet i
    hvidbogen [16] og hentet 3. december 2026``); sources separated by semicolons. When
    every source was reproduced from the report, the report is named once, at the end:
    ``A [17]; B [7] – begge gengivet i hvidbogen [16]``.
    """
    if frame.empty:
        return "; ".join(dict.fromkeys(_table(datasets[name].meta) for name in fallback))
    sources: dict[str, list[str]] = {}
    for name, entry_id in dict.fromkeys(zip(frame["dataset"], frame["provenance"])):
        meta = datasets[name].meta
        hows = sources.setdefault(source_name(meta), [])
        how = _how(meta, entry_id)
        if how not in hows:
            hows.append(how)
    shared = {tuple(h) for h in sources.values()}
    (only,) = shared if len(shared) == 1 else ((),)
    if len(sources) > 1 and len(only) == 1 and only[0].startswith("gengivet i "):
        line = (f"{'; '.join(sources)} – {'begge' if len(sources) == 2 else 'alle'} "
                f"{only[0]}")
    else:
        line = "; ".join(_join(name, hows) for name, hows in sources.items())
    if "basis" in frame and (frame["basis"] == "derived").any():
        line += "; afledte tal: egne beregninger"
    return line


# -- the data appendix ------------------------------------------------------------------
_PATH_REMARK = re.compile(r"\s*\([^()]*?(?:(?:[\w.-]+[/\\])+[\w.-]*\.[A-Za-z]\w*\b|://)[^()]*\)")
"""A remark in brackets that holds a file or repository path (a name with a folder and a
file extension, ``node-red/Y30R21-api.csv``): developer detail. A slash between words
(``og/eller``) is Danish, not a path."""


def without_paths(text: str) -> str:
    """Reader text without remarks in brackets that name a file or repository path:
    ``"Tekst udtrukket af hvidbogens PDF (tekster/hvidbog.txt)"`` -> ``"Tekst udtrukket af
    hvidbogens PDF"``."""
    return _PATH_REMARK.sub("", str(text))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def entry_markdown(meta: dict, entry_id: str, n_rows: int) -> list[str]:
    """Markdown lines describing one provenance entry and how many rows it holds, in Danish
    for the reader of the data appendix: where the numbers were taken from and when, with no
    ids, requests, file or repository paths (the sidecar keeps those for the developer)."""
    entry = meta["provenance"][entry_id]
    method = entry["method"]
    rows = f"{n_rows} {'række' if n_rows == 1 else 'rækker'}"
    if method == "transcribed":
        lines = [f"**{METHOD_DA[method].capitalize()}** ({rows}): "
                 f"{document_da(entry['document'])}"
                 + (f", afsnit {entry['section']}" if entry.get("section") else "")
                 + f", afskrevet {date_da(entry['transcribed_on'])}"
                 + (f" fra {_lower_first(without_paths(entry['transcribed_from']))}"
                    if entry.get("transcribed_from") else "")
                 + "."]
        lines += [f"  - {without_paths(loc)}" for loc in entry["locations"]]
        if entry.get("pages"):
            lines.append(f"  - Sider: {entry['pages']}")
        return lines
    if method == "fetched":
        recording = entry.get("recording") or {}
        cite = f" {{cite:p}}`{recording['citation_key']}`" if recording.get("citation_key") else ""
        return [f"**{METHOD_DA[method].capitalize()}** ({rows}): {source_name(meta, cite=False)}, "
                f"{fetched_da(entry)}{cite}."]
    return [f"**{METHOD_DA[method].capitalize()}** ({rows}) "
            f"{date_da(entry['added_on'])} af {entry['added_by']} efter {entry['source']}"
            + (f" ({entry['url']})" if entry.get("url") else "") + "."
            + (f" {entry['note']}" if entry.get("note") else "")]
