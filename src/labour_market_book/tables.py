"""How a table is shaped: the text tables of the book's exhibits, in Danish formatting.

Pure functions from tidy rows to the table a reader sees (formatted text cells, Danish
headers) and its HTML in the house style (:func:`styled`). Nothing here glues or exports:
placing a table with its caption, source and download is :mod:`.placement`'s job.
"""

from __future__ import annotations

import re

import pandas as pd

from .areas import display_name
from .edition import join_da
from .formatting import format_value
from .periods import EN_DASH, Period

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
                cells.append(formatted(hit.iloc[0], unit=False) if not hit.empty else NOT_IN_DATA)
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
            cells.append(formatted(hit.iloc[0], unit=unit) if not hit.empty else missing)
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
                  gap: str = "(placering {first}–{last} er ikke gengivet i hvidbogen)",
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
            row[header] = formatted(hit.iloc[0], unit=False) if not hit.empty else NOT_IN_DATA
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



def row_labels(frame: pd.DataFrame, column: str | None = None, suffix: str = "") -> list[str]:
    """Bar labels: area display names, with a dimension value when ``column`` is given."""
    if column is None:
        return [display_name(a) for a in frame["area"]]
    return [f"{display_name(a)}, {v}{'' if suffix.strip() in str(v).split() else suffix}"
            for a, v in zip(frame["area"], frame[column])]


def formatted(row, unit: bool = True) -> str:
    """A row's value as shown in a cell or a sentence: Danish number, unit and mark."""
    return format_value(row["value"], row["unit"] if unit else "", int(row["decimals"]), row["flag"])


