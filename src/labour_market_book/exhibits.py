"""A page of the book: glued words, numbers, paragraphs and exhibits, all following the data.

A notebook makes one :class:`Page` and hands it what it computed::

    page = Page("borgere_uden_for_arbejdsstyrken", edition, [ras, by_education])
    page.value("t81_andel_fokus", shares, edition.focus)
    page.paragraph("p_andel", "I $periode stod $t81_andel_fokus af ...", about="tabel-8-1")
    page.table("tabel-8-1", shares, value_header="...", needs="...")
    page.finish()

Markdown cells place what was glued::

    ```{glue:md} p_andel
    :format: myst
    ```

    ```{glue:figure} tabel-8-1
    :name: tabel-8-1

    **Tabel 8.1.** Title ({glue:text}`periode`). {glue:md}`tabel-8-1-note:myst`
    Kilde: {glue:md}`tabel-8-1-kilde:myst`.
    ```

The page has three rooms, one job each: :mod:`.prose` fills sentences (words, numbers,
paragraphs, the report's claims), :mod:`.placement` places exhibits (captions, sources,
what a partial exhibit shows, which exhibits are not placed and why), and :mod:`.tables`
shapes text tables. This module joins them and finishes the page: it writes what the build
needs to lay the page out for the reader (:mod:`.layout`), the page's one sentence on the
report's exhibits it does not show (:mod:`.omissions`), and the page's numbers in the prose
(``<page>-tekst.csv``).
"""

from __future__ import annotations

from .edition import Edition
from .exports import write_gaps, write_layout, write_statuses, write_text_numbers
from .omissions import omitted_sentence
from .placement import ABSENT_HTML, About, Placement, omission, partial_note
from .prose import Prose, glue_markdown, glue_text, judgement_da, prose_name, tidy
from .tables import (NOT_IN_DATA, area_table, formatted, grouped_table, pivot_text, rank_positions,
                     ranked_table, ranking_size, ranking_table, row_labels, spans_da, stack, styled)

__all__ = ["Page", "About", "ABSENT_HTML", "NOT_IN_DATA", "area_table", "formatted",
           "glue_markdown", "glue_text", "grouped_table", "judgement_da", "omission",
           "partial_note", "pivot_text", "prose_name", "rank_positions", "ranked_table",
           "ranking_size", "ranking_table", "row_labels", "spans_da", "stack", "styled", "tidy"]

OMITTED_KEY = "udeladte"
"""The glue key of a page's one sentence on the report's exhibits it does not show."""


class Page(Prose, Placement):
    """One page (notebook) of the book for one edition."""

    def __init__(self, name: str, edition: Edition, datasets: list):
        self.name = name
        self.edition = edition
        self.datasets = {ds.id: ds for ds in datasets}
        self.values: dict[str, str | None] = {}
        self.records: list[dict] = []
        self.traced: dict[str, list[dict]] = {}  # value key -> its rows, for the prose's trace
        self.described: dict[str, tuple] = {}   # paragraph -> (text, its exhibits, values said)
        self.said: set[str] = set()              # values a paragraph on the page says
        self.unsaid: set[str] = set()            # values paragraphs would say, said or not
        self.claims: dict[str, str] = {}         # claim's key -> its topic
        self.statuses: dict[str, str] = {}       # exhibit -> "full", "partial" or "notice"
        self.notes: dict[str, str] = {}          # exhibit -> its caption's note (glued at the end)
        self.omitted: dict = {}                  # exhibit not placed -> why (an Omission)
        self.sides: set[str] = set()             # the page's supplementary tables
        self.gaps: dict[str, dict] = {}          # exhibit -> what it lacks, for the appendix

    def placed(self, exhibit: str) -> bool:
        """Whether an exhibit of this page is placed (it has numbers in this edition)."""
        return exhibit not in self.omitted

    def compares(self, sentence: str) -> None:
        """Glue ``sentence`` (the page's "Afsnittet sammenligner …", a template) as the word
        ``sammenligning_saetning`` if the page places an exhibit, else nothing: a page that
        draws no exhibit in an edition does not announce a comparison."""
        shown = any(self.placed(e) for e in self.statuses)
        self.word("sammenligning_saetning", (self._fill("sammenligning_saetning", sentence) or "")
                  if shown else "")

    def finish(self) -> None:
        """Glue what waited for the whole page (caption notes, the paragraphs that describe
        exhibits, the sentence on the exhibits not placed) and write the page's exports: the
        numbers in its prose (``<page>-tekst.csv``), each exhibit's status, what each lacks
        (``<page>-gaps.json``) and the page's layout for the build (``<page>-layout.json``)."""
        for exhibit, note in self.notes.items():
            glue_markdown(f"{exhibit}-note", note)
        for key, (text, exhibits, said_values) in self.described.items():
            unknown = [e for e in exhibits
                       if e not in self.statuses and e not in self.omitted and e not in self.sides]
            if unknown:
                raise KeyError(f"{key}: describes {', '.join(unknown)}, which the page does not place")
            said = any(self.placed(e) for e in exhibits)
            glue_markdown(key, text if said else "")
            if said:
                self.said |= said_values
        sentence = omitted_sentence(self.omitted)
        glue_markdown(OMITTED_KEY, sentence)
        # the numbers in the prose: those a paragraph says (and those shown outside paragraphs,
        # e.g. in a caption), never one of a sentence that was left out
        dropped = self.unsaid - self.said
        write_text_numbers(self.name, [r for r in self.records if r["key"] not in dropped])
        write_statuses(self.name, self.statuses)
        write_gaps(self.name, self.gaps)
        write_layout(self.name, {
            "omitted": list(self.omitted),
            "sentence_at": next((e for e, why in self.omitted.items() if why.kind != "slot"), None)
            if sentence else None,
            "sentence_key": OMITTED_KEY,
        })
