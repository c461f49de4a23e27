"""How an exhibit is placed: a table, figure or map with its caption parts, source and CSV.

:class:`Placement` is the half of :class:`.exhibits.Page` that places exhibits. A notebook
hands it the rows an exhibit shows (``page.table("tabel-8-1", shares, ...)``); it exports
them, glues the exhibit (an HTML table in the house style, or a figure with alt text written
from the values drawn), its "Kilde:" line (:mod:`.sources`) and its caption note, and
records what the exhibit shows in this edition:

- **full**: every number the report's exhibit has;
- **partial**: some of them; the caption says what it shows in one short sentence
  (``shows=``), marked ``<span class="delvis">`` so that the front page's count, the
  captions and the appendix "Manglende tal" agree;
- **notice**: none. *An exhibit without numbers is not placed*: the build leaves its block
  out of the reader's page (:mod:`.layout`), and the page says once, in one sentence, which
  of the report's exhibits it does not show and why (:mod:`.omissions`). Under another
  focus, an exhibit whose rows do not include the focus municipality is not placed either:
  the chapter is about the focus, and the report's municipality's own material is never
  shown under another municipality's title.

What the full exhibit needs (``needs=``) and where its numbers are (``missing=``) go to the
workbench: the appendix "Manglende tal" (``<page>-gaps.json``, :mod:`.gaps`) and ``make plan``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML

from . import alt_text, diagrams, figures
from .edition import REPORT_FOCUS, join_da
from .exports import write_export
from .formatting import SUPPRESSED_MARK
from .omissions import Omission
from .paths import exports_only
from .prose import glue_markdown, glue_value, prose_name
from .sources import source_line
from .tables import area_table, formatted, row_labels, styled

ABSENT_HTML = '<div class="exhibit-absent"></div>'
"""What is glued for an exhibit without numbers (the build does not place its block)."""


def omission(frame: pd.DataFrame) -> Omission:
    """Why a selection has no rows (from :meth:`Dataset.select`'s ``attrs["absent"]``): the
    report prints none of them and none are fetched; the data have none for the edition's
    period; or they have the period, but not for the areas asked for."""
    absent = frame.attrs.get("absent")
    if not absent:
        return Omission("edition")
    if not absent["has_measure"]:
        return Omission("unpublished")
    if not absent["has_period"]:
        return Omission("period", (absent["period"],))
    areas = [prose_name(a) for a in absent["areas"]]
    return Omission("areas", tuple(areas)) if 0 < len(areas) <= 2 else Omission("edition")


@dataclass(frozen=True)
class About:
    """What an exhibit's caption, CSV and workbench entry say besides its numbers: the
    keywords every exhibit method of :class:`Placement` takes (``page.figure(..., needs=...,
    shows=...)``)."""

    missing: str | None = None
    """Where the numbers of an exhibit without rows are to be had (workbench only)."""
    shows: str | None = None
    """What a partial exhibit shows, one short sentence for its caption (a template)."""
    needs: str | None = None
    """What the full exhibit needs and where it comes from (workbench only; a template)."""
    dimensions: list[str] | None = None
    """Columns besides area, period and measure that the CSV keeps."""
    sources: list | None = None
    """Datasets to credit in "Kilde:" (default: those of the rows, or of the selection)."""
    expected_areas: list[str] | None = None
    """Areas the exhibit should show; the caption names those the data lack."""


def partial_note(sentence: str) -> str:
    """A partial exhibit's caption sentence, marked so that it can be counted."""
    sentence = " ".join(sentence.split())
    sentence = sentence[0].upper() + sentence[1:]
    if not sentence.endswith("."):
        sentence += "."
    return f'<span class="delvis">{html.escape(sentence, quote=False)}</span>'


class Placement:
    """The page's exhibits (a part of :class:`.exhibits.Page`, which sets ``name``,
    ``edition``, ``datasets``, ``statuses``, ``notes``, ``omitted``, ``sides`` and ``gaps``)."""

    def _focus_omission(self, frame: pd.DataFrame) -> Omission | None:
        """Under another focus than the report's, rows without the focus are not placed (the
        chapter is about the focus; the report's exhibits of its own municipality, or of
        other areas, are not drawn under another municipality's title)."""
        if (self.edition.focus == REPORT_FOCUS or frame.empty or "area" not in frame
                or self.edition.focus in set(frame["area"])):
            return None
        return Omission("areas", (self.edition.focus_name,))

    def _caption_parts(self, exhibit_id: str, frame: pd.DataFrame, about: About, *,
                       why: Omission | None = None, detail: str | None = None) -> None:
        """Record the exhibit's status and caption note (glued by ``finish``), glue its source
        line, and record what it lacks for the appendix "Manglende tal"."""
        sources = self._sources(about.sources, frame)
        needs = self._fill(exhibit_id, about.needs) if about.needs else ""
        said = ""
        if why is not None:
            self.omitted[exhibit_id] = why
            status = "notice"
        else:
            # "shows" describes a partial exhibit by its numbers; when they are not in the
            # rows (e.g. fetched data replaced the report's lower bounds), it does not apply
            said = (self._fill(exhibit_id, about.shows) or "") if about.shows else ""
            lacking = [prose_name(a) for a in (about.expected_areas or [])
                       if a not in set(frame["area"])]
            if lacking:
                said = (f"{said.rstrip('.')}; der er ingen tal for {join_da(lacking)}" if said
                        else f"der er ingen tal for {join_da(lacking)}")
            status = "partial" if said else "full"
            self.notes[exhibit_id] = partial_note(said) if said else ""
        if status != "full":
            self.gaps[exhibit_id] = {
                "status": status,
                "shows": said,
                "needs": needs or "",
                "why": why.clause(False) if why else "",
                # where the numbers are, where no "needs" says what the exhibit needs
                "detail": (detail or about.missing or frame.attrs.get("missing", "") or ""
                           if status == "notice" and not needs else ""),
            }
        glue_markdown(f"{exhibit_id}-kilde", source_line(frame, self.datasets, sources))
        self.statuses[exhibit_id] = status

    def _sources(self, sources, frame: pd.DataFrame) -> list[str]:
        """Datasets an exhibit draws on: given, else those of its rows or its selection."""
        if sources:
            return [s if isinstance(s, str) else s.id for s in sources]
        if not frame.empty:
            return list(dict.fromkeys(frame["dataset"]))
        if frame.attrs.get("dataset"):
            return [frame.attrs["dataset"]]
        return list(self.datasets)

    def _prepare(self, exhibit_id: str, frame: pd.DataFrame, about: dict) -> bool:
        """Export the rows and record the caption parts (``about``: the keywords of
        :class:`About`). Returns whether the exhibit is to be drawn: it has rows (for the
        focus, under another focus) and more than the numbers are wanted."""
        about = About(**about)
        why = omission(frame) if frame.empty else self._focus_omission(frame)
        write_export(exhibit_id, frame if why is None else frame.iloc[0:0], about.dimensions)
        self._caption_parts(exhibit_id, frame, about, why=why)
        if why is not None:
            glue_value(exhibit_id, HTML(ABSENT_HTML))
        return why is None and not exports_only()   # the light run wants the numbers only

    def table(self, exhibit_id: str, frame: pd.DataFrame, *, value_header: str, **about) -> None:
        """A one-value-per-area table, its caption parts and its CSV; ``about`` as
        :class:`About`."""
        if self._prepare(exhibit_id, frame, about):
            self.glue_table(exhibit_id, area_table(frame, value_header))

    def display_table(self, exhibit_id: str, frame: pd.DataFrame, shown: pd.DataFrame, *,
                      highlight: list[int] | None = None, **about) -> None:
        """A table laid out by the notebook (``shown``: formatted text, its index the row
        labels; a two-level index shows its first level as row groups; the rows at the
        positions ``highlight`` in bold), with the tidy rows behind it (``frame``) exported
        and credited like :meth:`table`'s."""
        if self._prepare(exhibit_id, frame, about):
            glue_value(exhibit_id, HTML(styled(shown, exhibit_id, highlight)))

    def figure(self, exhibit_id: str, frame: pd.DataFrame, *, axis_label: str,
               labels: list[str] | None = None, **about) -> None:
        """A bar chart by area, with alt text, caption parts and its CSV."""
        if not self._prepare(exhibit_id, frame, about):
            return
        labels = labels or row_labels(frame)
        self.glue_figure(exhibit_id,
                         figures.bar_by_area(frame, focus=self.edition.focus, axis_label=axis_label,
                                             labels=labels),
                         alt_text.describe_bars(frame, labels=labels, axis_label=axis_label))

    def side_table(self, name: str, frame: pd.DataFrame, shown: pd.DataFrame, *,
                   dimensions: list[str] | None = None, sources: list | None = None) -> None:
        """A table the report does not number (e.g. two sources side by side), placed like an
        exhibit (``{glue:figure} <name>`` with the title »Supplerende tabel.«): its rows
        exported as ``<page>-<name>.csv``, its "Kilde:" line glued as ``<name>-kilde``. Without
        rows it is not placed, and no sentence is said about it (the report has no such table)."""
        write_export(f"{self.name}-{name}", frame, dimensions)
        self.sides.add(name)
        glue_markdown(f"{name}-kilde", source_line(frame, self.datasets, self._sources(sources, frame)))
        why = Omission("slot") if frame.empty else self._focus_omission(frame)
        if why is not None:
            self.omitted[name] = Omission("slot")
            glue_value(name, HTML(ABSENT_HTML))
        elif not exports_only():
            glue_value(name, HTML(styled(shown, name)))

    def district_map(self, exhibit_id: str, rows: pd.DataFrame, *, district: str,
                     axis_label: str, geometry: dict | None, needs: str, missing: str) -> None:
        """A map of districts (a choropleth) when their geometry is bundled, otherwise the
        same values as bars sorted by size; ``rows`` has one row per district."""
        labels = list(rows[district])
        if geometry is None:
            self.figure(exhibit_id, rows, axis_label=axis_label, dimensions=[district],
                        labels=labels, needs=needs, missing=missing,
                        shows="Kortet er vist som søjler, sorteret efter andel.")
            return
        if not self._prepare(exhibit_id, rows, dict(dimensions=[district], needs=needs,
                                                     missing=missing)):
            return
        values = {d: (None, SUPPRESSED_MARK) if f == "suppressed" else (float(v), formatted(r))
                  for d, v, f, (_, r) in zip(rows[district], rows["value"], rows["flag"],
                                             rows.iterrows())}
        self.glue_figure(exhibit_id, diagrams.choropleth(values, geometry, legend_label=axis_label),
                         alt_text.describe_bars(rows, labels=labels, axis_label=axis_label))

    def line_figure(self, exhibit_id: str, frame: pd.DataFrame, *, series: dict[str, str],
                    axis_label: str, notes: list[tuple[str, str, str]] | None = None,
                    **about) -> None:
        """A time series chart (one line per measure of ``series``), with alt text, caption
        parts and its CSV."""
        if self._prepare(exhibit_id, frame, about):
            self.glue_figure(exhibit_id,
                             figures.lines_over_time(frame, series=series, axis_label=axis_label,
                                                     notes=notes),
                             alt_text.describe_lines(frame, series=series, axis_label=axis_label))

    def series_figure(self, exhibit_id: str, dataset, measure: str, *, first: str, last: str,
                      axis_label: str, needs: str, last_point_shows: str,
                      **dimensions: str) -> pd.DataFrame:
        """A yearly series per area from rule ``first`` to rule ``last`` (e.g. every February
        2014–2025): one line per area when the data have more than one period of it (as
        after ``make data``), saying so when years are missing; otherwise its last point as
        bars (what the report prints), with ``last_point_shows`` in the caption. Returns
        the rows drawn."""
        year = self.edition.reference_year
        series = dataset.series(measure, year, first=first, last=last, areas=self.edition.areas,
                                **dimensions)
        if series["period"].nunique() > 1:
            years = dataset.period(year, last).year - dataset.period(year, first).year + 1
            complete = series.groupby("area")["period"].nunique().eq(years).all()
            self.area_line_figure(exhibit_id, series, axis_label=axis_label,
                                  expected_areas=self.edition.areas, needs=needs,
                                  shows=None if complete else "Nogle år i serien mangler.")
            return series
        last_point = dataset.select(measure, year, role=last, areas=self.edition.areas, **dimensions)
        self.figure(exhibit_id, last_point, axis_label=axis_label, expected_areas=self.edition.areas,
                    shows=last_point_shows, needs=needs)
        return last_point

    def area_line_figure(self, exhibit_id: str, frame: pd.DataFrame, *, axis_label: str,
                         **about) -> None:
        """A time series chart with one line per area (focus highlighted), with alt text,
        caption parts and its CSV."""
        if self._prepare(exhibit_id, frame, about):
            self.glue_figure(exhibit_id,
                             figures.area_lines(frame, focus=self.edition.focus, axis_label=axis_label),
                             alt_text.describe_area_lines(frame, axis_label=axis_label))

    def stacked_figure(self, exhibit_id: str, frame: pd.DataFrame, *, category: str,
                       categories: list[str], bar: str, bars: list[str], axis_label: str,
                       **about) -> None:
        """A 100 pct. stacked bar chart (one bar per value of ``bar``), with alt text, caption
        parts and its CSV."""
        if not self._prepare(exhibit_id, frame, about):
            return
        kwargs = dict(category=category, categories=categories, bar=bar, bars=bars)
        self.glue_figure(exhibit_id, figures.stacked_shares(frame, axis_label=axis_label, **kwargs),
                         alt_text.describe_stacked(frame, **kwargs))

    def notice(self, exhibit_id: str, message: str, *, needs: str, sources,
               why: Omission | str = "unpublished") -> None:
        """An exhibit of which the book has no numbers at all: an empty CSV, not placed
        (``why``: an :class:`Omission` or its kind; by default, the report prints none of its
        numbers and none are fetched), and ``message`` and ``needs`` for the appendix
        "Manglende tal"."""
        why = Omission(why) if isinstance(why, str) else why
        empty = pd.DataFrame(columns=["area", "period", "measure", "value", "unit", "decimals",
                                      "flag", "dataset", "provenance"])
        write_export(exhibit_id, empty)
        self._caption_parts(exhibit_id, empty, About(needs=needs, sources=sources), why=why,
                            detail=message)
        glue_value(exhibit_id, HTML(ABSENT_HTML))

    # -- exhibits drawn from structure files (no number rows) ------------------------
    def caption(self, exhibit_id: str, *, source: str, shows: str | None = None,
                needs: str = "", own: str | None = None) -> bool:
        """The caption parts of an exhibit that is not number rows (an organisation chart,
        places): its source line, and ``shows`` for a partial one. ``own``: the
        municipality whose own material it is; under another focus it is not placed.
        Returns whether to draw it."""
        glue_markdown(f"{exhibit_id}-kilde", source)
        if own is not None and own != self.edition.focus:
            self.omitted[exhibit_id] = Omission("own", (prose_name(own),))
            self.statuses[exhibit_id] = "notice"
            self.gaps[exhibit_id] = {"status": "notice", "shows": "", "needs": needs,
                                     "why": self.omitted[exhibit_id].clause(False), "detail": ""}
            glue_value(exhibit_id, HTML(ABSENT_HTML))
            return False
        self.notes[exhibit_id] = partial_note(shows) if shows else ""
        self.statuses[exhibit_id] = "partial" if shows else "full"
        if shows:
            self.gaps[exhibit_id] = {"status": "partial", "shows": " ".join(shows.split()),
                                     "needs": needs, "why": "", "detail": ""}
        return not exports_only()

    def glue_figure(self, exhibit_id: str, fig, alt: str) -> None:
        """Glue a drawn figure with its alt text (not rendered when only the numbers are
        wanted: ``LMB_EXPORTS_ONLY``, the previous edition's run for 'Hvad er ændret')."""
        if not exports_only():
            glue_value(exhibit_id, HTML(figures.figure_html(fig, alt)))

    def glue_table(self, exhibit_id: str, shown: pd.DataFrame) -> None:
        """Glue a text table in the house style (not when only the numbers are wanted)."""
        if not exports_only():
            glue_value(exhibit_id, HTML(styled(shown, exhibit_id)))
