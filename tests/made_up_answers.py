"""MADE-UP API answers for the fetch-to-book tests, written in the sources' documented formats.

Nothing here is Danmarks Statistik's or Jobindsats' data. The counts are constructed for
the tests: for the 2024 edition so that the book's code turns them into exactly the numbers
the report prints (Tabel 8.1's shares, the 14.494 persons, the changes since 2013), and for
a made-up later edition so that every drawn number differs from the report's. They are
written to a temporary copy of the repository's data only, never to data/.

Formats (the contracts in the docstrings of src/labour_market_book/fetch/statbank.py and
jobindsats.py, and tests/recorded/README.md): Statistikbanken's
``/v1/data`` CSV is ``;``-separated UTF-8 with a byte-order mark, a header of the variable
codes then ``TID;INDHOLD``, codes in the cells (``valuePresentation: Code``) and a decimal
comma; ``/v1/tableinfo`` is JSON with ``variables: [{id, values: [{id, text}]}]``;
Jobindsats' ``data/<ID>/json/`` answer is ``[{"Variables": [{"Label"}], "Data": [[...]]}]``.
"""

from __future__ import annotations

import json
import math

import yaml

from labour_market_book.areas import AREAS

OUTSIDE = "80"   # one of the SOCIO codes the RAS201 query counts as outside the labour force
INSIDE = "05"    # one of the codes it counts as employed
SOCIO_CODES = ["05", "10", "15", "20", "25", "30", "35", "40", "50", "80", "85", "90", "95", "100",
               "105", "110", "115", "120", "125", "128", "130", "135", "138", "139", "140", "145",
               "150", "155", "154", "156", "158", "160", "170", "175"]
"""The SOCIO codes the RAS201 and RAS209 queries ask for (their sidecars)."""
RAS_AGES = ["16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59",
            "60-64", "65-66"]


def _csv(header: list[str], rows: list[list]) -> bytes:
    def cell(v):
        if v is None:
            return ".."
        if isinstance(v, float) and not v.is_integer():
            return f"{v}".replace(".", ",")
        return str(int(v)) if isinstance(v, float) else str(v)
    lines = [";".join(header)] + [";".join(cell(c) for c in r) for r in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def tableinfo(table: str, variables: dict[str, list[str]]) -> bytes:
    """A /v1/tableinfo answer listing exactly these codes (MADE UP)."""
    return json.dumps({
        "id": table, "text": f"{table} (MADE UP for the tests)", "unit": "-",
        "suppressedDataValue": "..",
        "variables": [{"id": code, "text": code.lower(), "time": code == "Tid",
                       "values": [{"id": v, "text": v} for v in values]}
                      for code, values in variables.items()]}, ensure_ascii=False).encode("utf-8")


def query_codes(data_dir, dataset: str) -> dict:
    return yaml.safe_load((data_dir / f"{dataset}.yaml").read_text(encoding="utf-8"))["query"]


def ras201(levels: dict[str, dict[str, tuple[int, int]]], ages: dict[str, dict[str, dict[str, int]]]):
    """RAS201 rows: ``levels[year][area] = (outside, population)``; ``ages[year][area]`` puts
    some of the outside count in named age bands (the rest goes to 16-19). Every count is
    split 60/40 between men and women. Returns (tableinfo, data) answers."""
    rows = []
    for year, by_area in levels.items():
        for area, (outside, population) in by_area.items():
            placed = dict(ages.get(year, {}).get(area, {}))
            placed["16-19"] = outside - sum(placed.values())
            cells = [(OUTSIDE, age, n) for age, n in placed.items()]
            cells.append((INSIDE, "20-24", population - outside))
            for socio, age, n in cells:
                men = math.ceil(n * 0.6)
                rows += [[area, socio, "TOT", age, "M", year, men],
                         [area, socio, "TOT", age, "K", year, n - men]]
    header = ["OMRÅDE", "SOCIO", "HERKOMST", "ALDER", "KØN", "TID", "INDHOLD"]
    return complete((header, rows), {"SOCIO": SOCIO_CODES, "ALDER": RAS_AGES, "KØN": ["M", "K"]})


def ras201_tableinfo(data_dir, areas: list[str], years: list[str]) -> bytes:
    q = query_codes(data_dir, "outside_labour_force")
    return tableinfo("RAS201", {"OMRÅDE": areas, "SOCIO": q["variables"]["SOCIO"],
                                "HERKOMST": ["TOT"], "ALDER": RAS_AGES, "KØN": ["M", "K"],
                                "Tid": years})


def aus08(cells: dict[tuple[str, str, str], float]):
    """AUS08 rows from ``{(area_code, SAESONFAK, time code): value}``."""
    rows = [[area, sa, tid, value] for (area, sa, tid), value in sorted(cells.items())]
    return ["OMRÅDE", "SAESONFAK", "TID", "INDHOLD"], rows


def aus08_from_dataset(frame, periods: list[str]):
    """AUS08 cells that echo a dataset's rows (the report's numbers) for some periods."""
    codes = {"share_seasonally_adjusted": "9", "persons_seasonally_adjusted": "10",
             "share_actual": "22", "persons_actual": "24"}
    cells = {}
    for _, r in frame[frame["period"].isin(periods)].iterrows():
        tid = r["period"].replace("-", "M")
        cells[(r["area_code"], codes[r["measure"]], tid)] = None if r["value"] != r["value"] else float(r["value"])
    return aus08(cells)


def answer(header_rows) -> bytes:
    header, rows = header_rows
    return _csv(header, rows)


def complete(header_rows, codes: dict[str, list[str]]):
    """Like a real answer, which holds a cell (0 where nothing is counted) for every code
    asked for: a row of 0 for each code of ``codes`` the rows do not have yet."""
    header, rows = header_rows
    rows = list(rows)
    for variable, wanted in codes.items():
        column = header.index(variable)
        present = {str(r[column]) for r in rows}
        for code in wanted:
            if code not in present and rows:
                row = list(rows[0])
                row[column], row[-1] = code, 0
                rows.append(row)
    return header, rows


def jobindsats_y30r21(rows: list[tuple[str, str, float, float, float]]) -> bytes:
    """A Y30R21 answer: (area name, period code, expected, actual, difference)."""
    prefix = "Forventet og faktisk andel fuldtidspersoner på offentlig forsørgelse: "
    labels = ["Area", "Periode", "Ydelsesgrupper", prefix + "Forventet andel (pct.)",
              prefix + "Faktisk andel (pct.)",
              prefix + "Forskel mellem forventet og faktisk andel (pct. point)"]
    data = [[area, period, "Ydelsesgrupper i alt", f"{e}".replace(".", ","), f"{a}".replace(".", ","),
             f"{d}".replace(".", ",")] for area, period, e, a, d in rows]
    return json.dumps([{"Variables": [{"Label": x} for x in labels], "Data": data}],
                      ensure_ascii=False).encode("utf-8")


def jobindsats_table(periods: list[str]) -> bytes:
    """A ``tables/<ID>/json/`` answer: ``[0]["Period"]`` lists the periods the table has (the
    key that Randers Kommune's ETL reads; the rest of the description is left out)."""
    return json.dumps([{"Period": periods}]).encode("utf-8")


NAMES = {name: code for code, name in AREAS.items()}
