"""A page of the book: glued words, numbers, paragraphs and exhibits, all following the data.

A notebook makes one :class:`Page` and hands it what it computed::

    page = Page("borgere_uden_for_arbejdsstyrken", edition, [ras, by_education])
    page.value("t81_andel_fokus", shares, edition.focus)
    page.paragraph("p_andel", "I $periode stod $t81_andel_fokus af ...",
                   missing="Bogens data har ingen andele for $periode.")
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

The rules the page keeps:

- A paragraph whose numbers are not all in the data is replaced by one plain Danish
  sentence about what is missing (``missing``), never shown with holes.
- An exhibit with no rows for the edition is not drawn; its caption says why in one
  sentence ("Figuren vises ikke, fordi hvidbogen ikke offentliggør tallene, og de endnu
  ikke er hentet"), and neighbouring exhibits missing for the same reason share one
  ("Figur 8.17–8.23 vises ikke, fordi …"). One with only part of the report's numbers
  says in one sentence what it shows (``shows``). What the full exhibit needs and where
  it comes from (``needs``, ``missing``) goes to the appendix "Manglende tal" (written from
  ``<page>-gaps.json``, :mod:`.gaps`) and to ``make plan``; the caption links there.
- The "Kilde:" line is written from the rows shown (:mod:`.sources`): rows transcribed
  from the report, fetched from the source or added by hand are credited as such.
- Figures carry alt text written from the values drawn.
- Every exhibit's numbers are exported as CSV, and so are the numbers in the prose
  (``<page>-tekst.csv``), each with its dataset, row key and provenance.
- Every number a paragraph glues links to its dataset in the data appendix and says
  which dataset, source table, period and provenance it comes from (:mod:`.trace`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from string import Template

import pandas as pd
from IPython.display import HTML, Markdown, display
from myst_nb import glue

from . import figures
from .areas import NATIONAL, display_name
from .edition import REPORT_YEAR, Edition, join_da
from .exports import EXHIBIT_ID, write_export, write_gaps, write_statuses, write_text_numbers
from .formatting import SUPPRESSED_MARK, format_number, format_value
from .paths import exports_only
from .periods import EN_DASH, Period
from .sources import source_line
from . import trace

APPENDIX_HOW_TO_ADD = "../appendix/datasaet.html#bilag-nye-data"
"""Where a reader learns (in Danish) how data are added, relative to a notebook page."""


def glue_text(key: str, text: str) -> None:
    """Glue a pre-formatted string for ``{glue:text}`` in prose (never a numpy scalar)."""
    if not isinstance(text, str):
        raise TypeError(f"glue_text('{key}') needs a str, got {type(text).__name__}")
    glue(key, text, display=False)


_DOUBLE_STOP = re.compile(r"\b(pct|mia|mio|kr|ca|fx|nr)\.\.")


def tidy(text: str) -> str:
    """One space between words, and one full stop after an abbreviation ending a sentence."""
    return _DOUBLE_STOP.sub(r"\1.", " ".join(text.split()))


def glue_markdown(key: str, text: str) -> None:
    """Glue MyST Markdown for ``{glue:md}`` (roles such as ``{cite:p}`` work inside)."""
    glue(key, Markdown(tidy(text)), display=False)


def notice_html(message: str, *, how_to_add: bool = True, title: str = "Data mangler") -> HTML:
    """A visible notice (an admonition) with one message, e.g. at the top of a page."""
    link = (f' <a href="{APPENDIX_HOW_TO_ADD}">Sådan tilføjes nye data.</a>' if how_to_add else "")
    return HTML('<div class="admonition note data-missing"><p class="admonition-title">'
                f"{html.escape(title)}</p><p>{html.escape(message)}{link}</p></div>")


ABSENT_HTML = '<div class="exhibit-absent"></div>'
"""What stands in place of an exhibit without numbers: nothing to see (its caption says why)."""

NOUNS_DA = {"figur": "figuren", "tabel": "tabellen", "kort": "kortet"}
"""An exhibit's kind (its id's first part) -> the noun that starts its caption's sentence."""

UNPUBLISHED_DA = "hvidbogen ikke offentliggør tallene, og de endnu ikke er hentet"
"""Why an exhibit of which the report prints no numbers is not shown (after "fordi")."""


def absent_reason(frame: pd.DataFrame) -> str:
    """Why a selection has no rows, as a clause after "fordi" (from :meth:`Dataset.select`'s
    ``attrs["absent"]``): the report prints none of them and none are fetched; the data have
    none for the edition's period; or they have the period, but not for the areas asked for."""
    absent = frame.attrs.get("absent")
    if not absent:
        return "bogens data ikke har tallene til denne udgave"
    if not absent["has_measure"]:
        return UNPUBLISHED_DA
    if not absent["has_period"]:
        return f"bogens data endnu ikke har tal for {absent['period']}"
    areas = [prose_name(a) for a in absent["areas"]]
    return (f"bogens data ikke har tallene for {join_da(areas)}" if 0 < len(areas) <= 2
            else "bogens data ikke har tallene for de viste områder")


def absent_sentences(reasons: dict[str, str], page_order: list[str] | None = None) -> dict[str, str]:
    """Exhibit -> the caption sentence of each exhibit without numbers (``reasons``: exhibit
    -> the clause after "fordi"). Neighbours of one kind with consecutive
    numbers and the same reason share one sentence, in the first one's caption ("Figur
    8.17–8.23 vises ikke, fordi …"); the others say nothing more. ``page_order`` (the order the
    page made its exhibits in) keeps apart neighbours in number that an exhibit of another
    kind separates on the page (Tabel 8.4 and 8.5, with Figur 8.13–8.25 between them)."""
    out: dict[str, str] = {}
    runs: list[list[str]] = []
    numbered = sorted((e for e in reasons if EXHIBIT_ID.match(e)),
                      key=lambda e: (EXHIBIT_ID.match(e).group(1), int(EXHIBIT_ID.match(e).group(2))))
    order = list(page_order or reasons)

    def between(a: str, b: str) -> bool:
        """Whether an exhibit of another kind comes between ``a`` and ``b`` on the page."""
        if a not in order or b not in order:
            return False
        lo, hi = sorted((order.index(a), order.index(b)))
        return any(e.split("-")[0] != a.split("-")[0] for e in order[lo + 1:hi])

    for exhibit in numbered + [e for e in reasons if not EXHIBIT_ID.match(e)]:
        reason = reasons[exhibit]
        last = runs[-1][-1] if runs else None
        here, before = EXHIBIT_ID.match(exhibit), EXHIBIT_ID.match(last) if last else None
        if (here and before and here.group(1) == before.group(1)
                and int(here.group(2)) == int(before.group(2)) + 1 and reasons[last] == reason
                and not between(last, exhibit)):
            runs[-1].append(exhibit)
        else:
            runs.append([exhibit])
    for run in runs:
        reason = reasons[run[0]]
        first = EXHIBIT_ID.match(run[0])
        if len(run) == 1 or not first:
            noun = NOUNS_DA.get(run[0].split("-")[0], "tabellen")
            out[run[0]] = f"{noun.capitalize()} vises ikke, fordi {reason}"
            continue
        numbers = [f"8.{EXHIBIT_ID.match(e).group(2)}" for e in run]
        which = (f"{numbers[0]} og {numbers[1]}" if len(run) == 2
                 else f"{numbers[0]}–{numbers[-1]}")
        out[run[0]] = f"{first.group(1).capitalize()} {which} vises ikke, fordi {reason}"
        out.update({e: "" for e in run[1:]})
    return out


def gap_label(exhibit_id: str) -> str:
    """The label of an exhibit's entry in the appendix "Manglende tal"."""
    return f"mangler-{exhibit_id}"


def gap_link(exhibit_id: str) -> str:
    """The caption's link to that entry, ending its one sentence (MyST)."""
    return f" ({{ref}}`se hvad der mangler <{gap_label(exhibit_id)}>`)"


_NUMERIC_CELL = re.compile(r"^(over |~)?[−-]?[\d.,]+( pct\.| procentpoint| mia\. kr\.| mio\. kr\.)?$"
                           r"|^\.$|^" + "mangler" + r"$")


def styled(shown: pd.DataFrame, exhibit_id: str, highlight: list[int] | None = None) -> str:
    """HTML of a text table in the house style: columns of numbers get the class ``num``
    (right-aligned by ``custom.css``), as do their headers; the cells of the rows in
    ``highlight`` (positions) get the class ``focus`` (the focus municipality, set in bold);
    a fixed id keeps it stable.

    The table sits in the theme's ``pst-scrollable-table-container``, as the theme puts
    its own tables: a table wider than the column (Tabel 8.10 on any screen, most tables
    on a phone) scrolls sideways inside it instead of widening the page, and the theme's
    script makes the container a keyboard tab stop when it scrolls."""
    numeric = [c for c in shown.columns
               if len(shown) and shown[c].astype(str).map(lambda v: bool(_NUMERIC_CELL.match(v))).all()]
    classes = pd.DataFrame([[" ".join(n for n, on in (("num", c in numeric), ("focus", i in (highlight or [])))
                                      if on) for c in shown.columns] for i in range(len(shown))],
                           index=shown.index, columns=shown.columns)
    styler = (shown.style.set_uuid(exhibit_id.replace("-", "_"))
              .set_td_classes(classes)
              .set_table_attributes('class="dataframe exhibit-table"'))
    positions = [i for i, c in enumerate(shown.columns) if c in numeric]
    html_text = styler.hide(axis="index").to_html() if shown.index.nlevels == 1 \
        and not shown.index.name else styler.to_html(sparse_index=True)
    for i in positions:  # header cells of numeric columns
        html_text = html_text.replace(f'class="col_heading level0 col{i}"',
                                      f'class="col_heading level0 col{i} num"')
    return f'<div class="pst-scrollable-table-container">{html_text}</div>'


def area_table(frame: pd.DataFrame, value_header: str) -> pd.DataFrame:
    """The table as shown: area display names and Danish-formatted values with their marks."""
    return pd.DataFrame({
        "Område": [display_name(a) for a in frame["area"]],
        value_header: [format_value(v, u, int(d), f) for v, u, d, f in
                       zip(frame["value"], frame["unit"], frame["decimals"], frame["flag"])],
    })


NOT_IN_DATA = "mangler"
"""A table cell the bundled data lack (never "-" or ".", which mark suppressed cells)."""


def grouped_table(frame: pd.DataFrame, *, groups: list[tuple[str, str]], areas: list[str],
                  periods: list[str], group_header: str = "", area_header: str = "Område"
                  ) -> pd.DataFrame:
    """Text table with row groups: one block per ``(measure, label)`` of ``groups``, one row
    per area (display names) and one column per period (Danish month labels). The block
    labels carry the unit ("i pct. af arbejdsstyrken"), so cells are plain numbers.

    Periods and areas with no row at all are left out; a single missing cell reads
    :data:`NOT_IN_DATA`.
    """
    periods = [p for p in periods if (frame["period"] == p).any()]
    areas = [a for a in areas if (frame["area"] == a).any()]
    records, index = [], []
    for measure, label in groups:
        block = frame[frame["measure"] == measure]
        if block.empty:
            continue
        for area in areas:
            cells = []
            for period in periods:
                hit = block[(block["area"] == area) & (block["period"] == period)]
                cells.append(_formatted(hit.iloc[0], unit=False) if not hit.empty else NOT_IN_DATA)
            records.append(cells)
            index.append((label, display_name(area)))
    shown = pd.DataFrame(records, columns=[Period.parse(p).label_da() for p in periods],
                         index=pd.MultiIndex.from_tuples(index, names=[group_header, area_header]))
    return shown


def pivot_text(frame: pd.DataFrame, *, rows: str, columns: str,
               column_headers: list[tuple[str, str]], row_header: str,
               row_order: list[str] | None = None, unit: bool = True,
               missing: str = NOT_IN_DATA) -> pd.DataFrame:
    """Text table: one row per value of ``rows`` (in ``row_order`` or first appearance), one
    column per ``(value of columns, header)``; a cell the data lack reads ``missing``
    (:data:`NOT_IN_DATA`; ``""`` where a cell does not apply)."""
    order = row_order or list(dict.fromkeys(frame[rows]))
    table = {row_header: order}
    for value, header in column_headers:
        cells = []
        for row in order:
            hit = frame[(frame[rows] == row) & (frame[columns] == value)]
            cells.append(_formatted(hit.iloc[0], unit=unit) if not hit.empty else missing)
        table[header] = cells
    return pd.DataFrame(table)


def ranked_table(first: pd.DataFrame, second: pd.DataFrame, *, rank: str, label: str,
                 headers: tuple[str, str, str, str]) -> pd.DataFrame:
    """Text table of a ranking: number (``"1."``), label and two measures side by side.

    ``first`` and ``second`` are selections of one measure each, with the columns
    ``rank`` and ``label``; a cell the data lack reads :data:`NOT_IN_DATA`.
    """
    merged = first.merge(second, on=[rank, label], how="outer", suffixes=("_a", "_b"))
    merged = merged.sort_values(rank, kind="stable")

    def cells(suffix):
        return [NOT_IN_DATA if pd.isna(r[f"unit{suffix}"]) else
                format_value(r[f"value{suffix}"], r[f"unit{suffix}"], int(r[f"decimals{suffix}"]),
                             r[f"flag{suffix}"]) for _, r in merged.iterrows()]

    return pd.DataFrame({headers[0]: [f"{int(r)}." for r in merged[rank]],
                         headers[1]: list(merged[label]),
                         headers[2]: cells("_a"), headers[3]: cells("_b")})


ORDINALS_DA = ("", "næst", "tredje", "fjerde", "femte", "sjette", "syvende", "ottende", "niende",
               "tiende")
"""Prefixes of Danish ordinal superlatives: ``næstvanskeligste``, ``tredjevanskeligste``."""


def rank_positions(frame: pd.DataFrame, rank: str = "rank") -> list[tuple[int, int]]:
    """The places a ranking's rows cover (one place per area), as spans: areas that share a
    place also take the places after it (places ``1, 2, 2, 4`` cover 1-4), so a place
    skipped after a tie is no gap."""
    counts: dict[int, int] = {}
    for r in frame.drop_duplicates("area")[rank].dropna():
        counts[int(r)] = counts.get(int(r), 0) + 1
    spans: list[list[int]] = []
    for r in sorted(counts):
        last = r + counts[r] - 1
        if spans and r <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([r, last])
    return [(a, b) for a, b in spans]


def spans_da(spans: list[tuple[int, int]]) -> str:
    """``[(1, 5), (90, 98)]`` -> ``"1–5 og 90–98"``."""
    return join_da([f"{a}{EN_DASH}{b}" if a != b else str(a) for a, b in spans])


def ranking_table(frame: pd.DataFrame, *, columns: dict[str, str], focus: str | None = None,
                  gap: str = "(placering {first}–{last} gengives ikke i rapporten)",
                  rank: str = "rank") -> tuple[pd.DataFrame, list[int]]:
    """Text table of a ranking such as Tabel 8.4: ``Placering``, ``Kommune`` and one column per
    measure of ``columns`` (measure -> header), in the order of the places; areas that share
    a place follow each other by name. Places the rows skip (the report's excerpt 1-5 and
    90-98) get one row saying so (``gap``). Returns the table and the positions of
    ``focus``'s rows, to highlight."""
    rows, highlight, filled = [], [], 0      # filled: the last place the rows so far take
    areas = (frame[[rank, "area"]].drop_duplicates().astype({rank: int})
             .sort_values([rank, "area"], kind="stable"))
    for place, area in zip(areas[rank], areas["area"]):
        if filled and place > filled + 1:
            rows.append({"Placering": "…", "Kommune": gap.format(first=filled + 1, last=place - 1),
                         **{header: "" for header in columns.values()}})
        part = frame[(frame["area"] == area) & (frame[rank].astype(int) == place)]
        row = {"Placering": str(place), "Kommune": area}
        for measure, header in columns.items():
            hit = part[part["measure"] == measure]
            row[header] = _formatted(hit.iloc[0], unit=False) if not hit.empty else NOT_IN_DATA
        if area == focus:
            highlight.append(len(rows))
        rows.append(row)
        filled = place if place > filled else filled + 1   # a shared place takes the next one too
    return pd.DataFrame(rows, columns=["Placering", "Kommune", *columns.values()]), highlight


def ranking_size(frame: pd.DataFrame, rank: str = "rank") -> int | None:
    """How many places a ranking has: its last place, counting a tie at the bottom."""
    spans = rank_positions(frame, rank)
    return spans[-1][1] if spans else None


def stack(first: pd.DataFrame, first_label: str, second: pd.DataFrame, second_label: str,
          column: str = "population") -> pd.DataFrame:
    """Two selections in one frame, told apart by ``column`` (area order kept, first before second)."""
    parts = [frame.assign(**{column: label}) for frame, label in
             ((first, first_label), (second, second_label)) if not frame.empty]
    if not parts:
        out = first.assign(**{column: first_label}).iloc[0:0]
        out.attrs["missing"] = first.attrs.get("missing", "")
        return out
    out = pd.concat(parts, ignore_index=True)
    if "basis" in out:
        out["basis"] = out["basis"].fillna("published")
    order = {area: i for i, area in enumerate(dict.fromkeys(out["area"]))}
    # A stable sort on the area alone keeps the first selection before the second.
    return out.sort_values("area", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def edition_gaps(reference_year: int, datasets) -> list[str]:
    """What this edition lacks of the datasets that have rows, but none for its period, as
    Danish phrases, one per period and publisher: ``"november 2015 fra Danmarks Statistik"``."""
    gaps = []
    for ds in datasets:
        period = ds.period(reference_year)
        if not ds.frame.empty and not (ds.frame["period"] == str(period)).any():
            gap = f"{period.label_da()} fra {ds.meta['publisher']}"
            if gap not in gaps:
                gaps.append(gap)
    return gaps


def prose_name(area: str) -> str:
    """An area's name inside a sentence: ``"Randers Kommune"``, ``"hele landet"``."""
    return "hele landet" if area == NATIONAL else display_name(area)


def row_labels(frame: pd.DataFrame, column: str | None = None, suffix: str = "") -> list[str]:
    """Bar labels: area display names, with a dimension value when ``column`` is given."""
    if column is None:
        return [display_name(a) for a in frame["area"]]
    return [f"{display_name(a)}, {v}{'' if suffix.strip() in str(v).split() else suffix}"
            for a, v in zip(frame["area"], frame[column])]


def _formatted(row, unit: bool = True) -> str:
    return format_value(row["value"], row["unit"] if unit else "", int(row["decimals"]), row["flag"])


@dataclass(frozen=True)
class About:
    """What an exhibit's caption, notice and CSV say besides its numbers: the keywords every
    exhibit method of :class:`Page` takes (``page.figure(..., needs=..., shows=...)``)."""

    missing: str | None = None
    """The notice shown in place of the exhibit when the edition has no rows."""
    shows: str | None = None
    """What a partial exhibit shows ("vist er kun $aar ..."), in its caption."""
    needs: str | None = None
    """What the full exhibit needs and where it comes from, in its caption."""
    dimensions: list[str] | None = None
    """Columns besides area, period and measure that the CSV keeps."""
    sources: list | None = None
    """Datasets to credit in "Kilde:" (default: those of the rows, or of the selection)."""
    expected_areas: list[str] | None = None
    """Areas the exhibit should show; the caption names those the data lack."""


def judgement_da(rank: int, last: int) -> str:
    """How a place reads in words, where the last place is the most difficult: ``landets
    vanskeligste``, ``landets næstvanskeligste`` ... ``landets tiendevanskeligste``, the same
    with ``bedste`` from the top, else ``forholdsvis vanskelige`` or ``forholdsvis gode``
    (the words complete "havde ... rammevilkår")."""
    from_bottom = last - rank + 1
    if 1 <= from_bottom <= len(ORDINALS_DA):
        return f"landets {ORDINALS_DA[from_bottom - 1]}vanskeligste"
    if 1 <= rank <= len(ORDINALS_DA):
        return f"landets {ORDINALS_DA[rank - 1]}bedste"
    return "forholdsvis vanskelige" if rank > last / 2 else "forholdsvis gode"


class Page:
    """One page (notebook) of the book for one edition."""

    def __init__(self, name: str, edition: Edition, datasets: list):
        self.name = name
        self.edition = edition
        self.datasets = {ds.id: ds for ds in datasets}
        self.values: dict[str, str | None] = {}
        self.records: list[dict] = []
        self.traced: dict[str, list[dict]] = {}  # value key -> its rows, for the prose's trace
        self.statuses: dict[str, str] = {}       # exhibit -> "full", "partial" or "notice"
        self.notes: dict[str, str] = {}          # exhibit -> its caption's note (glued at the end)
        self.absent: dict[str, str] = {}         # exhibit without numbers -> why ("fordi ...")
        self.gaps: dict[str, dict] = {}          # exhibit -> what it lacks, for the appendix
        self.claims_elsewhere: list[str] = []    # topics of report claims about another period

    # -- words and numbers for the prose ---------------------------------------------
    def word(self, key: str, text: str) -> str:
        """A word or phrase that is always known (a name, a period), glued as text."""
        self.values[key] = text
        glue_text(key, text)
        return text

    def _record(self, key: str, text: str, rows: pd.DataFrame, basis: str) -> None:
        self.traced.pop(key, None)
        for _, row in rows.iterrows():
            ds = self.datasets[row["dataset"]]
            self.records.append({
                "key": key, "text": text,
                "area": row["area"], "period": row["period"],
                "base_period": row.get("base_period", "") or "",
                "measure": row["measure"],
                "value": "" if pd.isna(row["value"]) else f"{row['value']:.{int(row['decimals'])}f}",
                "unit": row["unit"], "flag": row["flag"],
                "basis": row.get("basis", basis) if isinstance(row.get("basis"), str) else basis,
                "dataset": row["dataset"], "provenance": row["provenance"],
                "row_key": ";".join(f"{k}={row[k]}" for k in ds.meta["key"]),
            })
            if any(c.isdigit() for c in text):  # a number: traced where a paragraph shows it
                self.traced.setdefault(key, []).append(self.records[-1])

    def value(self, key: str, frame: pd.DataFrame, area: str | None = None) -> str | None:
        """The formatted value of ``area``'s row (or the only row), or None when absent."""
        rows = frame if area is None else frame[frame["area"] == area]
        if len(rows) > 1:
            raise ValueError(f"{key}: {len(rows)} rows match, expected one")
        if rows.empty:
            self.values[key] = None
            return None
        text = _formatted(rows.iloc[0])
        if rows.iloc[0]["flag"] == "approximate":  # "~1,4 mia. kr." reads "omkring 1,4 mia. kr."
            text = "omkring " + text.lstrip("~")
        return self.text(key, text, rows, basis="published")

    def text(self, key: str, text: str | None, rows: pd.DataFrame, *,
             basis: str = "derived") -> str | None:
        """A text built from the numbers in ``rows`` (e.g. "Silkeborg Kommune (18,9 pct.)").

        ``text=None`` marks it missing. ``basis`` is "published" when the text shows a
        number as it is, "derived" when it is computed from (or chosen among) numbers.
        """
        self.values[key] = text
        if text is None:
            self.traced.pop(key, None)
            return None
        glue_text(key, text)
        self._record(key, text, rows, basis)
        return text

    def labelled(self, key: str, frame: pd.DataFrame, area: str) -> str | None:
        """``"Silkeborg Kommune (18,9 pct.)"`` for one area, or None."""
        rows = frame[frame["area"] == area]
        text = None if rows.empty else f"{prose_name(area)} ({_formatted(rows.iloc[0])})"
        return self.text(key, text, rows, basis="published")

    def categories(self, key: str, frame: pd.DataFrame, column: str, areas: list[str]) -> str | None:
        """Which categories of ``column`` a selection holds, and for which areas:
        ``"lang videregående uddannelse i alle de sammenlignede områder og gymnasial
        uddannelse i Randers Kommune"``; None for no rows."""
        parts = []
        for category in dict.fromkeys(frame[column]):
            present = list(dict.fromkeys(frame.loc[frame[column] == category, "area"]))
            where = ("alle de sammenlignede områder" if set(present) == set(areas) else
                     join_da([prose_name(a) for a in areas if a in present]))
            parts.append(f"{category} i {where}")
        text = join_da(parts) or None
        self.values[key] = text
        if text is not None:
            glue_text(key, text)
        return text

    def labelled_list(self, key: str, frame: pd.DataFrame, areas: list[str], *,
                      form: str = "paren") -> str | None:
        """``"hele landet (3,7 pct.), Horsens Kommune (3,3 pct.) og ..."`` (``form="paren"``)
        or ``"3,7 pct. i hele landet, 3,3 pct. i Horsens Kommune og ..."`` (``form="in"``);
        None unless every one of ``areas`` has a row."""
        rows = frame[frame["area"].isin(areas)]
        if not areas or set(rows["area"]) != set(areas):
            return self.text(key, None, rows)
        by_area = {r["area"]: r for _, r in rows.iterrows()}
        if form == "in":
            text = join_da([f"{_formatted(by_area[a])} i {prose_name(a)}" for a in areas])
        else:
            text = join_da([f"{prose_name(a)} ({_formatted(by_area[a])})" for a in areas])
        return self.text(key, text, rows, basis="published")

    def extreme(self, key: str, frame: pd.DataFrame, areas: list[str], which: str) -> str | None:
        """The area with the ``"lowest"`` or ``"highest"`` value among ``areas``, labelled.

        None unless every one of ``areas`` (at least two) has an exact value: an extreme
        of the areas that happen to have data would be a claim about the others too.
        """
        if which not in ("lowest", "highest"):
            raise ValueError("which must be 'lowest' or 'highest'")
        rows = (frame[frame["area"].isin(areas) & (frame["flag"] == "")]
                .dropna(subset=["value"]).sort_values("value", kind="stable"))
        if len(areas) < 2 or set(rows["area"]) != set(areas):
            return self.text(key, None, rows)
        row = rows.iloc[[0 if which == "lowest" else -1]]
        text = f"{prose_name(row.iloc[0]['area'])} ({_formatted(row.iloc[0])})"
        return self.text(key, text, rows, basis="derived")

    def higher_than(self, key: str, frame: pd.DataFrame, area: str,
                    among: list[str]) -> str | None:
        """The areas of ``among`` whose value exceeds ``area``'s, labelled; ``"ingen"`` if none.

        None unless every area of ``among`` has an exact value.
        """
        frame = frame[frame["area"].isin(among)]
        own = frame[frame["area"] == area]
        if own.empty or set(frame.dropna(subset=["value"])["area"]) != set(among) \
                or (frame["flag"] != "").any():
            return self.text(key, None, own)
        higher = frame[(frame["area"] != area) & (frame["value"] > own.iloc[0]["value"])]
        text = join_da([f"{prose_name(r['area'])} ({_formatted(r)})"
                        for _, r in higher.iterrows()]) or "ingen"
        return self.text(key, text, frame, basis="derived")

    def higher_sentence(self, key: str, frame: pd.DataFrame, area: str, among: list[str], *,
                        what: str = "andelen") -> str:
        """A sentence template (for :meth:`paragraph`) comparing ``area`` with the others of
        ``among``: "I ingen af de sammenlignede områder var andelen højere.", "Kun i $key var
        andelen højere." (``$key``: "Silkeborg Kommune (84,9 pct.)"), "Andelen var højere i
        alle de sammenlignede områder: $key." or "Andelen var højere i $key.". Its ``$key``
        is missing (so the paragraph says its ``missing`` sentence) unless every area of
        ``among`` has an exact value."""
        text = self.higher_than(key, frame, area, among)
        if text is None:
            return f"${key}"
        higher = frame[(frame["area"] != area) & frame["area"].isin(among)
                       & (frame["value"] > frame.loc[frame["area"] == area, "value"].max())]
        others = len(set(among) - {area})
        if higher.empty:
            return f"I ingen af de sammenlignede områder var {what} højere."
        if len(higher) == 1 and others > 1:
            return f"Kun i ${key} var {what} højere."
        if len(higher) == others and others > 1:
            return f"{what.capitalize()} var højere i alle de sammenlignede områder: ${key}."
        return f"{what.capitalize()} var højere i ${key}."

    def change(self, verb_key: str, amount_key: str, frame: pd.DataFrame,
               area: str) -> tuple[str | None, str | None]:
        """Verb and size of a change: ``("faldt", "3.381")``, or None for both."""
        rows = frame[frame["area"] == area]
        if rows.empty or pd.isna(rows.iloc[0]["value"]):
            return self.text(verb_key, None, rows), self.text(amount_key, None, rows)
        value = float(rows.iloc[0]["value"])
        verb = "faldt" if value < 0 else "steg" if value > 0 else "var uændret"
        amount = format_number(abs(value), int(rows.iloc[0]["decimals"]))
        return (self.text(verb_key, verb, rows, basis="derived"),
                self.text(amount_key, amount, rows, basis="derived"))

    def comparison(self, key: str, frame: pd.DataFrame, area: str, other: str) -> str | None:
        """``"højere end"``, ``"lavere end"`` or ``"på niveau med"``: ``area``'s value against
        ``other``'s (as printed), or None unless both are exact values."""
        rows = frame[frame["area"].isin([area, other]) & (frame["flag"] == "")].dropna(subset=["value"])
        if set(rows["area"]) != {area, other} or len(rows) != 2:
            return self.text(key, None, rows)
        mine = round(float(rows[rows["area"] == area].iloc[0]["value"]), 6)
        theirs = round(float(rows[rows["area"] == other].iloc[0]["value"]), 6)
        text = "højere end" if mine > theirs else "lavere end" if mine < theirs else "på niveau med"
        return self.text(key, text, rows, basis="derived")

    def ranking(self, placement_key: str, judgement_key: str, ranked: pd.DataFrame,
                area: str, last: int | None) -> int | None:
        """``area``'s place in a ranking where the last place is the most difficult:
        ``"nr. 97 ud af 98"`` and ``"landets næstvanskeligste"`` (:func:`judgement_da`). ``ranked`` holds one row per
        area with a ``rank`` column; ``last`` is the ranking's last place. Returns the rank."""
        own = ranked[ranked["area"] == area]
        rank = int(own.iloc[0]["rank"]) if not own.empty and last else None
        self.text(placement_key, f"nr. {rank} ud af {last}" if rank else None, own, basis="published")
        self.text(judgement_key, None if rank is None else judgement_da(rank, last), own,
                  basis="derived")
        return rank

    def values_text(self, key: str, frame: pd.DataFrame) -> str | None:
        """The distinct values of a selection, formatted without their flags: ``"56 pct."``."""
        texts = sorted({format_value(v, u, int(d)) for v, u, d in
                        zip(frame["value"], frame["unit"], frame["decimals"]) if not pd.isna(v)})
        return self.text(key, join_da(texts) or None, frame, basis="published")

    def names(self, key: str, frame: pd.DataFrame, column: str | None = None,
              suffix: str = "") -> str | None:
        """The areas of a selection as Danish prose, or None; with ``column``, each area once
        with its values in parentheses: ``"hele landet (2023) og Randers Kommune (2014 og
        2023)"`` (a list whose items hold commas cannot be read)."""
        if column is None:
            labels = [prose_name(a) for a in frame["area"]]
        else:
            by_area: dict[str, list[str]] = {}
            for a, v in zip(frame["area"], frame[column]):
                by_area.setdefault(a, []).append(f"{v}{suffix}")
            labels = [f"{prose_name(a)} ({join_da(vs)})" for a, vs in by_area.items()]
        text = join_da(labels) if not frame.empty else None
        self.values[key] = text
        if text is not None:
            glue_text(key, text)
        return text

    # -- prose ---------------------------------------------------------------------
    def _fill(self, key: str, template: str, *, traced: bool = False) -> str | None:
        names = {m.group("named") or m.group("braced")
                 for m in Template.pattern.finditer(template)
                 if m.group("named") or m.group("braced")}
        unknown = sorted(n for n in names if n not in self.values)
        if unknown:
            raise KeyError(f"{key}: the text uses {', '.join('$' + n for n in unknown)}, "
                           "which the page does not know")
        if any(self.values[n] is None for n in names):
            return None
        return Template(template).substitute(
            {n: trace.token(n, self.values[n]) if traced and n in self.traced else self.values[n]
             for n in names})

    def paragraph(self, key: str, *sentences, missing: str | None = None) -> None:
        """Glue a paragraph of MyST Markdown with ``$key`` placeholders for page values.

        Give either one template and ``missing=``, or several ``(template, missing)``
        pairs, one per sentence. A sentence any of whose values is missing is replaced by
        its ``missing`` sentence (a plain sentence that uses only values that are never
        missing); the same missing sentence is said once.

        Every number from the data is glued as a link to its dataset in the data appendix,
        described by its dataset, source table, period and provenance (:mod:`.trace`).
        """
        if missing is not None:
            sentences = ((sentences[0], missing),) if len(sentences) == 1 else None
        if not sentences or any(not isinstance(s, tuple) or len(s) != 2 for s in sentences):
            raise TypeError(f"{key}: give one template with missing=, or (template, missing) pairs")
        parts: list[str] = []
        filled = [self._fill(key, template, traced=True) for template, _ in sentences]
        nothing = all(f is None for f in filled)  # none of the paragraph's numbers: say it once
        for (template, instead), text in zip(sentences, filled):
            if text is None:
                text = self._fill(key, instead, traced=True)
                if text is None:
                    raise ValueError(f"{key}: a 'missing' sentence itself uses a missing value")
                if nothing and not text:
                    continue
            text = tidy(text)
            if text and text not in parts:
                parts.append(text)
            if nothing and parts:
                break
        glue_markdown(key, trace.mark_up(key, " ".join(parts), self.traced, self.datasets))

    def claim(self, key: str, text: str, *, dataset, period: str, topic: str,
              role: str = "current") -> None:
        """A finding of the report that the bundled numbers cannot show, retold as its claim.

        It is shown, attributed, in the edition whose period (rule ``role`` of
        ``dataset``) is the report's ``period``; other editions leave it out (the page says
        once, at its top, that the report's assessments concern its own edition). Where the edition
        compares other areas than the report, the claim names the report's comparison set
        (:meth:`Edition.in_report_terms`).
        """
        reported = Period.parse(period)
        if dataset.period(self.edition.reference_year, role) == reported:
            text = self.edition.in_report_terms(text)
            self.paragraph(key, text, missing=text)
            return
        # said once, at the top of the page (edition_notice), not at every claim
        self.claims_elsewhere.append(topic)
        glue_markdown(key, "")

    # -- exhibits ------------------------------------------------------------------
    def _caption_parts(self, exhibit_id: str, frame: pd.DataFrame, kind: str, about: About,
                       *, reason: str | None = None, detail: str | None = None) -> None:
        """Record the caption's note (glued by :meth:`finish`), glue its source line, and
        record what the exhibit lacks for the appendix "Manglende tal"."""
        shows, needs, expected_areas = about.shows, about.needs, about.expected_areas
        sources = self._sources(about.sources, frame)
        noun = "figur" if kind == "figur" else "tabel"
        absent = [a for a in (expected_areas or []) if a not in set(frame["area"])]
        needs = self._fill(exhibit_id, needs) if needs else needs
        if frame.empty:
            self.absent[exhibit_id] = reason or absent_reason(frame)
            note = ""
            status = "notice"
        else:
            # "shows" describes a partial exhibit by its numbers; when they are not in the
            # rows (e.g. fetched data replaced the report's lower bounds), it does not apply
            said = [t for t in ([self._fill(exhibit_id, shows)] if shows else []) if t]
            if absent:
                said.append("bogens data har ingen tal for "
                            + join_da([prose_name(a) for a in absent]))
            note = (f"*Delvis {noun}:* " + "; ".join(said) + (gap_link(exhibit_id) if needs else "")
                    + "." if said else "")
            status = "partial" if note else "full"
        self.notes[exhibit_id] = note
        if status != "full":
            self.gaps[exhibit_id] = {
                "status": status,
                "shows": "; ".join(said) if status == "partial" else "",
                "needs": needs or "",
                # the notice's own words only where no "needs" says what the exhibit needs
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

    def _prepare(self, exhibit_id: str, frame: pd.DataFrame, kind: str, about: dict) -> bool:
        """Export the rows, glue the caption parts, and glue the notice if there are no rows
        (``about``: the keywords of :class:`About`). Returns whether the exhibit itself is
        still to be drawn (there are rows)."""
        about = About(**about)
        write_export(exhibit_id, frame, about.dimensions)
        self._caption_parts(exhibit_id, frame, kind, about)
        if frame.empty:
            glue(exhibit_id, HTML(ABSENT_HTML), display=False)
        return not frame.empty and not exports_only()   # the light run wants the numbers only

    def table(self, exhibit_id: str, frame: pd.DataFrame, *, value_header: str, **about) -> None:
        """A one-value-per-area table (or the notice), its caption parts and its CSV; ``about``
        as :class:`About`."""
        if not self._prepare(exhibit_id, frame, "tabel", about):
            return
        glue(exhibit_id, HTML(styled(area_table(frame, value_header), exhibit_id)), display=False)

    def display_table(self, exhibit_id: str, frame: pd.DataFrame, shown: pd.DataFrame, *,
                      highlight: list[int] | None = None, **about) -> None:
        """A table laid out by the notebook (``shown``: formatted text, its index the row
        labels; a two-level index shows its first level as row groups; the rows at the
        positions ``highlight`` in bold), with the tidy rows behind it (``frame``) exported
        and credited like :meth:`table`'s."""
        if not self._prepare(exhibit_id, frame, "tabel", about):
            return
        glue(exhibit_id, HTML(styled(shown, exhibit_id, highlight)), display=False)

    def figure(self, exhibit_id: str, frame: pd.DataFrame, *, axis_label: str,
               labels: list[str] | None = None, **about) -> None:
        """A bar chart by area (or the notice), with alt text, caption parts and its CSV."""
        if not self._prepare(exhibit_id, frame, "figur", about):
            return
        labels = labels or row_labels(frame)
        self.glue_figure(exhibit_id,
                         figures.bar_by_area(frame, focus=self.edition.focus, axis_label=axis_label,
                                             labels=labels),
                         figures.describe_bars(frame, labels=labels, axis_label=axis_label))

    def side_table(self, name: str, frame: pd.DataFrame, shown: pd.DataFrame, *,
                   dimensions: list[str] | None = None, sources: list | None = None) -> None:
        """A table the report does not number (e.g. two sources side by side): glued as
        ``<name>`` for a ``{glue}`` directive, its rows exported as ``<page>-<name>.csv`` and
        its "Kilde:" line glued as ``<name>-kilde`` (``sources``: the datasets it draws on, named
        when the edition has no rows)."""
        write_export(f"{self.name}-{name}", frame, dimensions)
        glue_markdown(f"{name}-kilde", source_line(frame, self.datasets, self._sources(sources, frame)))
        if not exports_only():
            glue(name, HTML(styled(shown, name)), display=False)

    def district_map(self, exhibit_id: str, rows: pd.DataFrame, *, district: str,
                     axis_label: str, geometry: dict | None, needs: str, missing: str,
                     note: str = "") -> None:
        """A map of districts (a choropleth) when their geometry is bundled, otherwise the
        same values as bars sorted by size; ``rows`` has one row per district. ``note`` is
        added to the caption either way (e.g. that the numbers are another municipality's)."""
        labels = list(rows[district])
        if geometry is None:
            self.figure(exhibit_id, rows, axis_label=axis_label, dimensions=[district],
                        labels=labels, needs=needs, missing=missing,
                        shows="kortet vises som søjler sorteret efter andel, fordi bogen ikke har "
                              "skoledistrikternes geografi" + (f"; {note}" if note else ""))
            return
        write_export(exhibit_id, rows, [district])
        self.caption(exhibit_id, note=f"*{note[0].upper() + note[1:]}.*" if note else "",
                     source=source_line(rows, self.datasets, self._sources(None, rows)))
        if exports_only():
            return
        values = {d: (None, SUPPRESSED_MARK) if f == "suppressed" else (float(v), _formatted(r))
                  for d, v, f, (_, r) in zip(rows[district], rows["value"], rows["flag"],
                                             rows.iterrows())}
        self.glue_figure(exhibit_id, figures.choropleth(values, geometry, legend_label=axis_label),
                         figures.describe_bars(rows, labels=labels, axis_label=axis_label))

    def line_figure(self, exhibit_id: str, frame: pd.DataFrame, *, series: dict[str, str],
                    axis_label: str, notes: list[tuple[str, str, str]] | None = None,
                    **about) -> None:
        """A time series chart (one line per measure of ``series``) or the notice, with alt
        text, caption parts and its CSV."""
        if not self._prepare(exhibit_id, frame, "figur", about):
            return
        self.glue_figure(exhibit_id,
                         figures.lines_over_time(frame, series=series, axis_label=axis_label, notes=notes),
                         figures.describe_lines(frame, series=series, axis_label=axis_label))

    def series_figure(self, exhibit_id: str, dataset, measure: str, *, first: str, last: str,
                      axis_label: str, needs: str, last_point_shows: str,
                      **dimensions: str) -> pd.DataFrame:
        """A yearly series per area from rule ``first`` to rule ``last`` (e.g. every February
        2014-2025): one line per area when the data have more than one period of it (as
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
                                  shows=None if complete else "nogle år i serien mangler i bogens data")
            return series
        last_point = dataset.select(measure, year, role=last, areas=self.edition.areas, **dimensions)
        self.figure(exhibit_id, last_point, axis_label=axis_label, expected_areas=self.edition.areas,
                    shows=last_point_shows, needs=needs)
        return last_point

    def area_line_figure(self, exhibit_id: str, frame: pd.DataFrame, *, axis_label: str,
                         **about) -> None:
        """A time series chart with one line per area (focus highlighted) or the notice,
        with alt text, caption parts and its CSV."""
        if not self._prepare(exhibit_id, frame, "figur", about):
            return
        self.glue_figure(exhibit_id,
                         figures.area_lines(frame, focus=self.edition.focus, axis_label=axis_label),
                         figures.describe_area_lines(frame, axis_label=axis_label))

    def stacked_figure(self, exhibit_id: str, frame: pd.DataFrame, *, category: str,
                       categories: list[str], bar: str, bars: list[str], axis_label: str,
                       **about) -> None:
        """A 100 pct. stacked bar chart (one bar per value of ``bar``) or the notice, with alt
        text, caption parts and its CSV."""
        if not self._prepare(exhibit_id, frame, "figur", about):
            return
        kwargs = dict(category=category, categories=categories, bar=bar, bars=bars)
        self.glue_figure(exhibit_id, figures.stacked_shares(frame, axis_label=axis_label, **kwargs),
                         figures.describe_stacked(frame, **kwargs))

    def notice(self, exhibit_id: str, message: str, *, needs: str, sources,
               kind: str = "figur", reason: str = UNPUBLISHED_DA) -> None:
        """An exhibit of which the book has no numbers at all: an empty CSV, a caption that
        says why in one sentence (``reason``, the clause after "fordi"; by default that the
        report prints none of its numbers and none are fetched), and ``message`` and
        ``needs`` for the appendix "Manglende tal"."""
        empty = pd.DataFrame(columns=["area", "period", "measure", "value", "unit", "decimals",
                                      "flag", "dataset", "provenance"])
        write_export(exhibit_id, empty)
        self._caption_parts(exhibit_id, empty, kind, About(needs=needs, sources=sources),
                            reason=reason, detail=message)
        glue(exhibit_id, HTML(ABSENT_HTML), display=False)

    # -- exhibits drawn from structure files (no numbers) ----------------------------
    def caption(self, exhibit_id: str, *, note: str, source: str) -> None:
        """An exhibit's caption parts given directly (for exhibits that are not number rows);
        the note is glued by :meth:`finish`."""
        self.notes[exhibit_id] = note
        glue_markdown(f"{exhibit_id}-kilde", source)
        self.statuses.setdefault(exhibit_id, "full")

    def glue_figure(self, exhibit_id: str, fig, alt: str) -> None:
        """Glue a drawn figure with its alt text (not rendered when only the numbers are
        wanted: ``LMB_EXPORTS_ONLY``, the previous edition's run for 'Hvad er ændret')."""
        if exports_only():
            return
        glue(exhibit_id, HTML(figures.figure_html(fig, alt)), display=False)

    def glue_table(self, exhibit_id: str, shown: pd.DataFrame) -> None:
        """Glue a text table in the house style (not when only the numbers are wanted)."""
        if not exports_only():
            glue(exhibit_id, HTML(styled(shown, exhibit_id)), display=False)

    # -- the page as a whole -------------------------------------------------------
    def edition_notice(self, *, besides: tuple[str, ...] = ()) -> None:
        """Show, at the top of the page, which data this edition lacks (nothing if none).

        ``besides`` names datasets that by design hold no row for the edition's period
        (e.g. a series whose latest year is another dataset's row)."""
        gaps = edition_gaps(self.edition.reference_year,
                            [ds for ds in self.datasets.values() if ds.id not in besides])
        other_year = self.edition.reference_year != REPORT_YEAR
        if gaps or other_year:
            text = (f"Bogens data har endnu ikke tal for {join_da(gaps)}. Tabeller og figurer, der "
                    "bygger på dem, vises ikke eller kun delvist, og teksten nævner kun de tal, "
                    "der findes." if gaps else "")
            if other_year:
                text += (f" Hvidbogens egne vurderinger gælder udgaven for {REPORT_YEAR} og "
                         "gengives ikke i denne udgave.")
            display(notice_html(text.strip(), title="Om denne udgave", how_to_add=bool(gaps)))

    def finish(self) -> None:
        """Export the numbers in the page's prose as ``<page>-tekst.csv``, and what each of the
        page's exhibits shows in this edition (``<page>-status.json``: full, partial, notice)."""
        write_text_numbers(self.name, self.records)
        write_statuses(self.name, self.statuses)
        write_gaps(self.name, self.gaps)
        notes = dict(self.notes)
        for exhibit, sentence in absent_sentences(self.absent, list(self.statuses)).items():
            notes[exhibit] = f"{sentence}{gap_link(exhibit)}." if sentence else ""
        for exhibit, note in notes.items():
            glue_markdown(f"{exhibit}-note", note)
