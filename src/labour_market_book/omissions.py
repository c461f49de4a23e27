"""What a page says about the report's exhibits it does not show: one Danish sentence.

An exhibit without numbers in an edition is not placed on the page (no caption without an
exhibit). Where the report has exhibits that the edition lacks, the page says so once, in
one plain sentence, where the first of them would have stood; neighbours are named
together (»figur 8.17–8.23«). This module words that sentence from why each exhibit is
left out (:class:`Omission`). It is pure: reasons in, Danish out.

The reasons, and the clause each gives after »fordi«:

- ``unpublished``: the report prints none of the numbers, and none are fetched
  (»tallene bag den ikke er offentliggjort«);
- ``period``: the data have no rows for the edition's period (»udgaven endnu ikke har tal
  for november 2020«);
- ``areas``: the data have the period, but not for the edition's areas (»der ikke er tal
  for Horsens Kommune«);
- ``own``: under another focus, material that exists only for the report's municipality
  (»den kun handler om Randers Kommune«);
- ``edition``: anything else (»der ikke er tal til denne udgave«);
- ``slot``: a place the edition does not have (a third comparison municipality when it
  compares with two); left out without a word.
"""

from __future__ import annotations

from dataclasses import dataclass

from .edition import join_da
from .exports import EXHIBIT_ID
from .periods import EN_DASH

KINDS = ("unpublished", "period", "areas", "own", "edition", "slot")


@dataclass(frozen=True)
class Omission:
    """Why an exhibit is not placed: a kind of :data:`KINDS` and what the clause names (the
    periods for ``period``, the areas for ``areas``, the municipality for ``own``)."""

    kind: str
    names: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown omission kind {self.kind!r} (one of {', '.join(KINDS)})")
        object.__setattr__(self, "names", tuple(self.names))

    def clause(self, plural: bool) -> str:
        """The clause after »fordi«."""
        it = "dem" if plural else "den"
        subject = "de" if plural else "den"
        if self.kind == "unpublished":
            return f"tallene bag {it} ikke er offentliggjort"
        if self.kind == "period":
            if len(self.names) > 2:
                return f"udgaven endnu ikke har tal for de perioder, {subject} bygger på"
            return f"udgaven endnu ikke har tal for {join_da(list(self.names))}"
        if self.kind == "areas":
            return f"der ikke er tal for {join_da(list(self.names))}"
        if self.kind == "own":
            return f"{subject} kun handler om {join_da(list(self.names))}"
        return "der ikke er tal til denne udgave"


def _number(exhibit: str) -> tuple[str, int]:
    match = EXHIBIT_ID.match(exhibit)
    if not match:
        raise ValueError(f"'{exhibit}' is not an exhibit id like 'figur-8-2'")
    return match.group(1), int(match.group(2))


def exhibits_da(exhibits: list[str]) -> str:
    """``["tabel-8-1", "figur-8-1", "figur-8-3", "figur-8-4", "figur-8-5"]`` ->
    ``"tabel 8.1 samt figur 8.1 og 8.3–8.5"``: one group per kind in order of appearance,
    three or more consecutive numbers as a range with an en dash."""
    groups: dict[str, list[int]] = {}
    for exhibit in exhibits:
        kind, number = _number(exhibit)
        groups.setdefault(kind, [])
        if number not in groups[kind]:
            groups[kind].append(number)
    parts = []
    for kind, numbers in groups.items():
        runs: list[list[int]] = []
        for n in sorted(numbers):
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        items = []
        for run in runs:
            if len(run) >= 3:
                items.append(f"8.{run[0]}{EN_DASH}8.{run[-1]}")
            else:
                items.extend(f"8.{n}" for n in run)
        parts.append(f"{kind} {join_da(items)}")
    if len(parts) > 1 and any(" og " in p for p in parts):
        return ", ".join(parts[:-1]) + " samt " + parts[-1]
    return join_da(parts)


def omitted_sentence(omitted: dict[str, Omission]) -> str:
    """One sentence on the exhibits of a page that are not placed (``omitted``: exhibit ->
    why, in page order); ``""`` when there are none to mention (``slot`` is never said).

    >>> omitted_sentence({"figur-8-9": Omission("unpublished"), "figur-8-11": Omission("unpublished")})
    'Hvidbogens figur 8.9 og 8.11 gengives ikke, fordi tallene bag dem ikke er offentliggjort.'
    """
    periods = [n for why in omitted.values() if why.kind == "period" for n in why.names]
    periods = list(dict.fromkeys(periods))
    by_reason: dict[Omission, list[str]] = {}
    for exhibit, why in omitted.items():
        if why.kind == "slot":
            continue
        if why.kind in ("period", "edition") and periods:    # one clause for the edition's gaps
            why = Omission("period", tuple(periods))
        by_reason.setdefault(why, []).append(exhibit)
    if not by_reason:
        return ""
    parts = [(exhibits_da(exhibits), why.clause(len(exhibits) > 1))
             for why, exhibits in by_reason.items()]
    (listed, clause), rest = parts[0], parts[1:]
    first = f"Hvidbogens {listed} gengives ikke, fordi {clause}"
    if not rest:
        return first + "."
    more = [f"{listed} heller ikke, fordi {clause}" for listed, clause in rest]
    if len(more) == 1:
        return f"{first}, og {more[0]}."
    return f"{first}; " + "; ".join(more[:-1]) + f"; og {more[-1]}."
