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

import pandas as pd

from .periods import MONTHS_DA

METHOD_DA = {
    "transcribed": "afskrevet fra rapporten",
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
    prose: ``afskrevet fra rapporten``, ``hentet fra kilden 3. december 2026``, ``hentet fra
    kilden af Randers Kommune og offentliggjort 15. august 2023``, ``tilføjet i hånden 2. maj
    2026 af NN``. The "Kilde:" lines (:func:`entry_clause`) and the data appendix
    (:func:`entry_markdown`) say the same at more length."""
    method = entry["method"]
    if method == "fetched":
        return f"{METHOD_DA[method]} {fetched_da(entry).removeprefix('hentet ')}"
    if method == "manual":
        return f"{METHOD_DA[method]} {date_da(entry['added_on'])} af {entry['added_by']}"
    return METHOD_DA[method]


def _table(meta: dict) -> str:
    return f"{meta['publisher']}, {meta['source']['table_id']} {{cite:p}}`{meta['citation_key']}`"


def entry_clause(meta: dict, entry_id: str) -> str:
    """How one provenance entry is credited in a "Kilde:" line (MyST Markdown)."""
    entry = meta["provenance"][entry_id]
    method = entry["method"]
    if method == "transcribed":
        return f"{_table(meta)}, som gengivet i {{cite:t}}`{entry['document']}`"
    if method == "fetched":
        recording = entry.get("recording") or {}
        cite = f" {{cite:p}}`{recording['citation_key']}`" if recording.get("citation_key") else ""
        return f"{_table(meta)}, {fetched_da(entry)}{cite}"
    return (f"{_table(meta)}, tilføjet i hånden {date_da(entry['added_on'])} af "
            f"{entry['added_by']} efter {entry['source']}")


def source_line(frame: pd.DataFrame, datasets: dict, fallback: list[str]) -> str:
    """The "Kilde:" line (without the word) for the rows of ``frame``, in MyST Markdown.

    ``frame`` needs the columns ``dataset`` and ``provenance`` (and optionally
    ``basis``); ``datasets`` maps dataset id -> :class:`~.datasets.Dataset`. With no
    rows, the line names the tables of the datasets in ``fallback``, which is where the
    missing numbers would come from.
    """
    clauses: list[str] = []
    if frame.empty:
        clauses = [_table(datasets[name].meta) for name in fallback]
    else:
        for name, entry_id in dict.fromkeys(zip(frame["dataset"], frame["provenance"])):
            clause = entry_clause(datasets[name].meta, entry_id)
            if clause not in clauses:
                clauses.append(clause)
    line = "; ".join(clauses)
    if not frame.empty and "basis" in frame and (frame["basis"] == "derived").any():
        line += "; afledte tal: egne beregninger"
    return line


# -- the data appendix ------------------------------------------------------------------
def entry_markdown(meta: dict, entry_id: str, n_rows: int) -> list[str]:
    """Markdown lines describing one provenance entry and how many rows it holds."""
    entry = meta["provenance"][entry_id]
    method = entry["method"]
    rows = f"{n_rows} {'række' if n_rows == 1 else 'rækker'}"
    if method == "transcribed":
        lines = [f"**{METHOD_DA[method].capitalize()}** ({rows}, kilde-id `{entry_id}`): "
                 f"{{cite:t}}`{entry['document']}`"
                 + (f", afsnit {entry['section']}" if entry.get("section") else "")
                 + f", afskrevet {date_da(entry['transcribed_on'])}"
                 + (f" fra {entry['transcribed_from']}" if entry.get("transcribed_from") else "")
                 + "."]
        lines += [f"  - {loc}" for loc in entry["locations"]]
        if entry.get("pages"):
            lines.append(f"  - Sider: {entry['pages']}")
        return lines
    if method == "fetched":
        request = entry["request"]
        recording = entry.get("recording") or {}
        lines = [f"**{METHOD_DA[method].capitalize()}** ({rows}, kilde-id `{entry_id}`): "
                 f"{entry['api']}{entry.get('endpoint', '')}, {fetched_da(entry)}"
                 + (f" med {entry['client']}" if entry.get("client") and not entry.get("fetched_by") else "")
                 + ".", f"  - Forespørgsel: `{request}`"]
        if recording:
            lines.append(f"  - Offentliggjort af {entry.get('fetched_by', 'den, der hentede tallene')} "
                         f"{date_da(recording['published_on'])}"
                         + (f" {{cite:p}}`{recording['citation_key']}`" if recording.get("citation_key") else "")
                         + f": {recording['repository']}, {recording['path']}, version "
                         f"{recording['commit'][:7]}"
                         + (f". {recording['note']}" if recording.get("note") else "") + ".")
        return lines
    return [f"**{METHOD_DA[method].capitalize()}** ({rows}, kilde-id `{entry_id}`) "
            f"{date_da(entry['added_on'])} af {entry['added_by']} efter {entry['source']}"
            + (f" ({entry['url']})" if entry.get("url") else "") + "."
            + (f" {entry['note']}" if entry.get("note") else "")]
