"""The one sentence a page says about the report's exhibits it does not show
(labour_market_book.omissions): pure, so checked here on reasons of its own."""

from __future__ import annotations

import pytest

from labour_market_book.omissions import Omission, exhibits_da, omitted_sentence

UNPUBLISHED = Omission("unpublished")


def test_neighbours_are_named_together_and_kinds_apart():
    assert exhibits_da([f"figur-8-{n}" for n in range(17, 24)] + ["figur-8-25"]) == \
        "figur 8.17–8.23 og 8.25"
    assert exhibits_da(["figur-8-32", "figur-8-33"]) == "figur 8.32 og 8.33"   # two: no range
    assert exhibits_da(["tabel-8-1", "figur-8-1", "figur-8-3", "figur-8-4", "figur-8-5"]) == \
        "tabel 8.1 samt figur 8.1 og 8.3–8.5"
    assert exhibits_da(["figur-8-26", "kort-8-1"]) == "figur 8.26 og kort 8.1"
    with pytest.raises(ValueError, match="not an exhibit id"):
        exhibits_da(["foertidspension"])


def test_one_reason_one_plain_sentence():
    assert omitted_sentence({"figur-8-9": UNPUBLISHED, "figur-8-11": UNPUBLISHED}) == \
        "Hvidbogens figur 8.9 og 8.11 gengives ikke, fordi tallene bag dem ikke er offentliggjort."
    assert omitted_sentence({"figur-8-25": UNPUBLISHED}) == \
        "Hvidbogens figur 8.25 gengives ikke, fordi tallene bag den ikke er offentliggjort."
    assert omitted_sentence({}) == ""


def test_an_empty_slot_or_a_supplementary_table_is_left_out_without_a_word():
    assert omitted_sentence({"figur-8-19": Omission("slot"), "foertidspension": Omission("slot")}) == ""
    assert omitted_sentence({"figur-8-19": Omission("slot"), "figur-8-17": UNPUBLISHED}) == \
        "Hvidbogens figur 8.17 gengives ikke, fordi tallene bag den ikke er offentliggjort."


def test_several_reasons_still_make_one_sentence_and_the_edition_s_gaps_one_clause():
    omitted = {"tabel-8-2": Omission("period", ("marts 2021",)),
               "tabel-8-3": Omission("period", ("marts 2022",)),
               "figur-8-8": Omission("edition"),
               "figur-8-9": UNPUBLISHED, "figur-8-11": UNPUBLISHED,
               "figur-8-12": Omission("period", ("december 2021",))}
    sentence = omitted_sentence(omitted)
    assert sentence == (
        "Hvidbogens tabel 8.2 og 8.3 samt figur 8.8 og 8.12 gengives ikke, fordi udgaven endnu "
        "ikke har tal for de perioder, de bygger på, og figur 8.9 og 8.11 heller ikke, fordi "
        "tallene bag dem ikke er offentliggjort.")
    assert sentence.count(".") - sentence.count("8.") == 1        # one sentence
    three = omitted_sentence({"figur-8-26": Omission("own", ("Randers Kommune",)),
                              "figur-8-28": Omission("areas", ("Horsens Kommune",)),
                              "figur-8-30": UNPUBLISHED})
    assert three == ("Hvidbogens figur 8.26 gengives ikke, fordi den kun handler om Randers "
                     "Kommune; figur 8.28 heller ikke, fordi der ikke er tal for Horsens Kommune; "
                     "og figur 8.30 heller ikke, fordi tallene bag den ikke er offentliggjort.")


def test_an_unknown_reason_is_refused():
    with pytest.raises(ValueError, match="unknown omission kind"):
        Omission("glemt")
