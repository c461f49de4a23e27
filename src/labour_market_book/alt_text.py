"""Alt text for the book's figures: Danish sentences written from the numbers drawn.

Every figure glued on a page carries an ``alt`` text that names the values it draws (the
highest and lowest bar, the first and last point of each line, the marks for lower bounds,
derived and suppressed values), written here from the same rows :mod:`.figures` draws, so
a screen reader hears what a sighted reader sees in every edition.
"""

from __future__ import annotations

import pandas as pd

from .areas import AREAS, display_name
from .diagrams import org_units
from .figures import basis_of, is_drawn, period_tick, value_texts
from .formatting import format_number


_NUMBER_WORDS = ["nul", "én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti",
                 "elleve", "tolv"]


def _number_word(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else format_number(n)


def _bars(n: int) -> str:
    return f"{_number_word(n)} {'søjle' if n == 1 else 'søjler'}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _phrase(label: str) -> str:
    """An axis label inside a sentence: ``"Andel, pct."`` -> ``"andel, pct."``."""
    words = label.split()
    if not words:
        return label
    first = words[0].strip(",.:;")
    proper = first in {name.split()[0] for name in AREAS.values()}
    if proper or (len(first) > 1 and first[1:2].isupper()):  # names and acronyms keep case
        return label
    return label[0].lower() + label[1:]


def _named(rows: list[tuple[str, float, str]], value: float) -> str:
    """``"Randers Kommune (22,8 pct.)"`` for the rows holding ``value`` (ties joined)."""
    hits = [(label, text) for label, v, text in rows if v == value]
    return f"{_join([label for label, _ in hits])} ({hits[0][1]})"


def _extremes(rows: list[tuple[str, float, str]]) -> list[str]:
    """Sentences naming the highest and lowest bar, or the largest changes."""
    values = [v for _, v, _ in rows]
    top, bottom = max(values), min(values)
    if bottom >= 0:
        return [f"Højest: {_named(rows, top)}", f"Lavest: {_named(rows, bottom)}"]
    if top > 0:
        return [f"Største stigning: {_named(rows, top)}", f"Største fald: {_named(rows, bottom)}"]
    if top == 0:
        return [f"Største fald: {_named(rows, bottom)}", f"Uændret: {_named(rows, top)}"]
    return [f"Største fald: {_named(rows, bottom)}", f"Mindste fald: {_named(rows, top)}"]


_MARKS = [  # flag sentence parts: (singular, plural)
    ("lower_bound", "er en nedre grænse", "er nedre grænser"),
    ("derived", "er afledt af offentliggjorte tal", "er afledt af offentliggjorte tal"),
    ("approximate", "viser en omtrentlig værdi", "viser omtrentlige værdier"),
    ("suppressed", "mangler, fordi tallet er diskretioneret",
     "mangler, fordi tallene er diskretioneret"),
]


def _marks_sentence(n: int, counts: dict[str, int]) -> str:
    clauses = []
    for key, one, many in _MARKS:
        k = counts.get(key, 0)
        if not k:
            continue
        verb = one if k == 1 else many
        if not clauses:  # the first clause names the bars
            subject = ("søjlen" if n == 1 else "begge søjler" if n == k == 2
                       else f"alle {_bars(n)}" if k == n else _bars(k))
        else:
            subject = "den" if n == 1 else "begge" if n == k == 2 else \
                f"alle {_number_word(k)}" if k == n else _number_word(k)
        clauses.append(f"{subject} {verb}")
    if not clauses:
        return ""
    text = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + ", og " + clauses[-1]
    return _sentence(text)


def describe_bars(frame: pd.DataFrame, *, labels: list[str] | None = None,
                  axis_label: str) -> str:
    """Danish alt text for :func:`bar_by_area`'s chart of ``frame``, naming its values.

    >>> frame = pd.DataFrame({"area": ["Randers", "Vejle"], "value": [22.8, 19.9],
    ...                       "unit": "pct", "decimals": 1, "flag": ""})
    >>> describe_bars(frame, axis_label="Andel, pct.")
    'Vandret søjlediagram med to søjler: andel, pct. Højest: Randers Kommune (22,8 pct.). Lavest: Vejle Kommune (19,9 pct.).'
    """
    n = len(frame)
    if n == 0:
        return "Ingen figur: der er ingen tal at vise."
    labels = list(labels) if labels is not None else [display_name(a) for a in frame["area"]]
    if len(labels) != n:
        raise ValueError(f"describe_bars got {len(labels)} labels for {n} rows")
    flags = list(frame["flag"])
    raw = frame["value"].astype(float).tolist()
    drawn = [is_drawn(v, f) for v, f in zip(raw, flags)]
    texts = value_texts(frame)
    rows = [(label, v, text) for label, v, text, ok in zip(labels, raw, texts, drawn) if ok]

    sentences = [_sentence(f"Vandret søjlediagram med {_bars(n)}: {_phrase(axis_label)}")]
    if len(rows) == 1:
        sentences.append(_sentence(f"{rows[0][0]}: {rows[0][2]}"))
    elif rows and len({text for _, _, text in rows}) == 1:
        who = "begge søjler" if len(rows) == 2 else f"alle {_bars(len(rows))}"
        if len(rows) < n:
            who = f"{_bars(len(rows))}"
        sentences.append(_sentence(f"{who} ({_join([r[0] for r in rows])}) viser {rows[0][2]}"))
    elif rows:
        sentences.extend(_sentence(s) for s in _extremes(rows))
    counts = {
        "lower_bound": sum(f == "lower_bound" and ok for f, ok in zip(flags, drawn)),
        "derived": sum(b == "derived" and ok for b, ok in zip(basis_of(frame), drawn)),
        "approximate": sum(f == "approximate" and ok for f, ok in zip(flags, drawn)),
        "suppressed": sum(not ok for ok in drawn),
    }
    marks = _marks_sentence(n, counts)
    if marks:
        sentences.append(marks)
    return " ".join(sentences)


def describe_lines(frame: pd.DataFrame, *, series: dict[str, str], axis_label: str) -> str:
    """Danish alt text for :func:`lines_over_time`: each series' first and last value."""
    parts = []
    for measure, label in series.items():
        rows = frame[frame["measure"] == measure].sort_values("period")
        rows = rows[[is_drawn(v, f) for v, f in zip(rows["value"], rows["flag"])]]
        if rows.empty:
            continue
        texts = value_texts(rows)
        first, last = rows.iloc[0], rows.iloc[-1]
        parts.append(f"{label}: fra {texts[0]} i {first['period']} til {texts[-1]} i "
                     f"{last['period']}")
    periods = sorted(set(frame.loc[frame["measure"].isin(list(series)), "period"]))
    return (f"Linjediagram, {_phrase(axis_label)}, {periods[0]}–{periods[-1]}. "
            + " ".join(_sentence(p) for p in parts))


def describe_area_lines(frame: pd.DataFrame, *, axis_label: str) -> str:
    """Danish alt text for :func:`area_lines`: each area's first and last value."""
    shown = frame[[is_drawn(v, f) for v, f in zip(frame["value"], frame["flag"])]]
    periods = sorted(set(shown["period"]))
    parts = []
    for area in dict.fromkeys(shown["area"]):
        rows = shown[shown["area"] == area].sort_values("period")
        texts = value_texts(rows)
        parts.append(f"{display_name(area)}: fra {texts[0]} i {period_tick(rows.iloc[0]['period'], periods)} "
                     f"til {texts[-1]} i {period_tick(rows.iloc[-1]['period'], periods)}")
    return (f"Linjediagram, {_phrase(axis_label)}, "
            f"{period_tick(periods[0], periods)}–{period_tick(periods[-1], periods)}, én linje pr. "
            "område. " + " ".join(_sentence(p) for p in parts))


def describe_org(meta: dict, *, top: str) -> str:
    """Danish alt text for :func:`org_chart`: the centres and the units under each."""
    parts = []
    for centre in meta["centres"]:
        depts = [d["name"] + (" (udledt)" if d.get("inferred") else "") for d in org_units(centre)]
        parts.append(centre["name"] + (": " + ", ".join(depts) if depts else ": ingen afdelinger nævnt"))
    return (f"Organisationsdiagram: {top} med {len(meta['centres'])} centre. " + ". ".join(parts) + ".")


def describe_stacked(frame: pd.DataFrame, *, category: str, categories: list[str], bar: str,
                     bars: list[str]) -> str:
    """Danish alt text for :func:`stacked_shares`: every segment of every bar."""
    parts = []
    for name in bars:
        segs = []
        for cat in categories:
            hit = frame[(frame[bar] == name) & (frame[category] == cat)]
            if not hit.empty:
                segs.append(f"{cat} {value_texts(hit)[0]}")
        parts.append(f"{name}: " + ", ".join(segs))
    return f"Stablet søjlediagram med {_bars(len(bars))}. " + " ".join(_sentence(p) for p in parts)
