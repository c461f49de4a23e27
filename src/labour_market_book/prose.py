"""How a sentence is filled: the page's words, numbers and paragraphs, following the data.

:class:`Prose` is the half of :class:`.exhibits.Page` that writes text. A notebook gives it
values (``page.value("t81_andel_fokus", shares, edition.focus)``), words that are always
known (names, periods) and Danish sentence templates with ``$name`` placeholders::

    page.paragraph("p_andel",
                   "I $periode stod $t81_andel_fokus af de 16-66-årige i $fokus_navn uden for "
                   "arbejdsstyrken.",
                   "Det svarer til $t81_antal_fokus personer.",
                   about="tabel-8-1")

The rules it keeps:

- Each template is a sentence (or a few that belong together) and is said only when all
  its values are known; one that lacks a value is left out whole, never shown with holes.
  What a page lacks is said once, by the page (:mod:`.omissions`), not sentence by sentence.
- A paragraph that describes an exhibit (``about=``) goes with it: when none of its
  exhibits is placed, neither is the paragraph.
- A paragraph about the report's municipality's own material (``only_for="Randers"``) is
  said only in editions about that municipality.
- The report's own assessments (:meth:`Prose.claim`) are retold only in the report's own
  edition (its year and its municipality).
- Every number a paragraph glues is traced to its dataset (:mod:`.trace`) and exported
  with its row (``<page>-tekst.csv``).
"""

from __future__ import annotations

import re
from string import Template

import pandas as pd
from IPython.display import Markdown
from myst_nb import glue

from . import trace
from .areas import NATIONAL, display_name
from .edition import REPORT_FOCUS, join_da
from .formatting import format_number, format_value
from .periods import Period
from .tables import formatted

ORDINALS_DA = ("", "næst", "tredje", "fjerde", "femte", "sjette", "syvende", "ottende", "niende",
               "tiende")
"""Prefixes of Danish ordinal superlatives: ``næstvanskeligste``, ``tredjevanskeligste``."""

_DOUBLE_STOP = re.compile(r"\b(pct|mia|mio|kr|ca|fx|nr)\.\.")


def glue_value(key: str, value) -> None:
    """The one place the package glues (tests replace it to see what a page glued)."""
    glue(key, value, display=False)


def glue_text(key: str, text: str) -> None:
    """Glue a pre-formatted string for ``{glue:text}`` in prose (never a numpy scalar)."""
    if not isinstance(text, str):
        raise TypeError(f"glue_text('{key}') needs a str, got {type(text).__name__}")
    glue_value(key, text)


def tidy(text: str) -> str:
    """One space between words, and one full stop after an abbreviation ending a sentence."""
    return _DOUBLE_STOP.sub(r"\1.", " ".join(text.split()))


def glue_markdown(key: str, text: str) -> None:
    """Glue MyST Markdown for ``{glue:md}`` (roles such as ``{cite:p}`` work inside)."""
    glue_value(key, Markdown(tidy(text)))


def prose_name(area: str) -> str:
    """An area's name inside a sentence: ``"Randers Kommune"``, ``"hele landet"``."""
    return "hele landet" if area == NATIONAL else display_name(area)


def names_da(names: list[str]) -> str:
    """Area names as a Danish list, municipalities sharing their noun:
    ``["Silkeborg Kommune", "Vejle Kommune"]`` -> ``"Silkeborg og Vejle Kommuner"``."""
    suffix = " Kommune"
    if len(names) > 1 and all(n.endswith(suffix) for n in names):
        return join_da([n.removesuffix(suffix) for n in names]) + suffix + "r"
    return join_da(names)


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


def placeholders(template: str) -> set[str]:
    """The ``$name`` placeholders of a sentence template."""
    return {m.group("named") or m.group("braced") for m in Template.pattern.finditer(template)
            if m.group("named") or m.group("braced")}


APPROXIMATE_WORDS = ("omkring", "mindst")
"""How an approximate number (the report's »~«) reads in a sentence: »omkring 1,4 mia. kr.«,
or »mindst 648« where »~« marks a total without its suppressed cells (a lower bound)."""


class Prose:
    """The page's words and sentences (a part of :class:`.exhibits.Page`, which sets
    ``name``, ``edition``, ``datasets``, ``values``, ``records``, ``traced``, ``described``,
    ``said`` and ``unsaid``)."""

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

    def value(self, key: str, frame: pd.DataFrame, area: str | None = None, *,
              approximate: str = "omkring") -> str | None:
        """The formatted value of ``area``'s row (or the only row), or None when absent.

        An approximate value (the report's »~«) reads ``approximate`` in a sentence: »omkring
        1,4 mia. kr.«, or ``approximate="mindst"`` where »~« marks a total without its
        suppressed cells, a lower bound (»mindst 648«); a lower bound reads »over«."""
        if approximate not in APPROXIMATE_WORDS:
            raise ValueError(f"{key}: approximate must be one of {', '.join(APPROXIMATE_WORDS)}")
        rows = frame if area is None else frame[frame["area"] == area]
        if len(rows) > 1:
            raise ValueError(f"{key}: {len(rows)} rows match, expected one")
        if rows.empty:
            self.values[key] = None
            return None
        text = formatted(rows.iloc[0])
        if rows.iloc[0]["flag"] == "approximate":
            text = f"{approximate} " + text.lstrip("~")
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
        text = None if rows.empty else f"{prose_name(area)} ({formatted(rows.iloc[0])})"
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
            text = join_da([f"{formatted(by_area[a])} i {prose_name(a)}" for a in areas])
        else:
            text = join_da([f"{prose_name(a)} ({formatted(by_area[a])})" for a in areas])
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
        text = f"{prose_name(row.iloc[0]['area'])} ({formatted(row.iloc[0])})"
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
        text = join_da([f"{prose_name(r['area'])} ({formatted(r)})"
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
            labels = [names_da([prose_name(a) for a in frame["area"]])]
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
        names = placeholders(template)
        unknown = sorted(n for n in names if n not in self.values)
        if unknown:
            raise KeyError(f"{key}: the text uses {', '.join('$' + n for n in unknown)}, "
                           "which the page does not know")
        if any(self.values[n] is None for n in names):
            return None
        return Template(template).substitute(
            {n: trace.token(n, self.values[n]) if traced and n in self.traced else self.values[n]
             for n in names})

    def paragraph(self, key: str, *sentences: str, about: str | list[str] | None = None,
                  only_for: str | None = None) -> None:
        """Glue a paragraph of MyST Markdown from sentence templates (``$key`` placeholders
        for page values).

        Each template is said only when all its values are known; a template that lacks one
        is left out whole, and when the first one lacks a value, the whole paragraph is left
        out (the sentences after it build on it). ``about``: the exhibit(s) the paragraph describes: it is placed
        only if at least one of them is (decided when the page is finished). ``only_for``:
        the municipality whose own material the paragraph is about: said only in editions
        about it.

        Every number from the data is glued as a link to its dataset in the data appendix,
        described by its dataset, source table, period and provenance (:mod:`.trace`).
        """
        if not sentences or any(not isinstance(s, str) for s in sentences):
            raise TypeError(f"{key}: give the paragraph's sentences as templates (str); a "
                            "sentence that lacks a value is left out, so no 'missing' text is needed")
        parts: list[str] = []
        said: set[str] = set()
        if only_for is None or only_for == self.edition.focus:
            for i, template in enumerate(sentences):
                text = self._fill(key, template, traced=True)
                if text is None and i == 0:
                    break           # the first sentence carries the paragraph
                if text and tidy(text) not in parts:
                    parts.append(tidy(text))
                    said |= placeholders(template)
        for template in sentences:
            self.unsaid |= placeholders(template)
        text = trace.mark_up(key, " ".join(parts), self.traced, self.datasets)
        if about is None:
            glue_markdown(key, text)
            self.said |= said
        else:
            self.described[key] = (text, [about] if isinstance(about, str) else list(about), said)

    def claim(self, key: str, text: str, *, dataset, period: str, topic: str,
              role: str = "current", about: str | list[str] | None = None) -> None:
        """A finding of the report that the bundled numbers cannot show, retold as its claim.

        It is said, attributed, only in the report's own edition: the report's municipality
        as the focus, and the edition whose period (rule ``role`` of ``dataset``) is the
        report's ``period``. Where that edition compares other areas than the report, the
        claim names the report's comparison set (:meth:`Edition.in_report_terms`). ``topic``
        names what it is about (for the workbench); ``about`` as for :meth:`paragraph`.
        """
        reported = Period.parse(period)
        said = (self.edition.focus == REPORT_FOCUS
                and dataset.period(self.edition.reference_year, role) == reported)
        self.claims[key] = topic
        self.paragraph(key, self.edition.in_report_terms(text) if said else "", about=about)
