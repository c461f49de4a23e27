"""The numbers in the prose say where they come from (labour_market_book.trace)."""

import csv
import re
from html.parser import HTMLParser

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from labour_market_book.catalogue import dataset_markdown
from labour_market_book.trace import dataset_anchor, description_html, escape, plain_text

EVERYONE = dict(age_group="16-66", sex="i alt", origin="i alt")
AREAS = ["Hele landet", "Randers", "Horsens", "Silkeborg", "Vejle"]


def markdown(page, key) -> str:
    return page.glued[key].data


class Elements(HTMLParser):
    """The elements of a snippet: (tag, attributes, text inside, depth of interactive ancestors)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.found = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        nested = sum(1 for t, _ in self.stack if t in ("a", "button"))
        self.stack.append((tag, attrs))
        self.found.append({"tag": tag, "attrs": attrs, "text": "", "interactive_ancestors": nested})

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"unbalanced </{tag}>"
        self.stack.pop()

    def handle_data(self, data):
        for i, (tag, attrs) in enumerate(self.stack):
            for element in reversed(self.found):
                if element["tag"] == tag and element["attrs"] == attrs:
                    element["text"] += data
                    break


def elements(snippet: str) -> list[dict]:
    parser = Elements()
    parser.feed(snippet)
    parser.close()
    assert not parser.stack, "unclosed elements"
    return parser.found


def test_a_glued_number_links_to_its_dataset_and_says_where_it_comes_from(page, ras):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.word("periode", "november 2023")
    page.value("andel", shares, "Randers")
    page.paragraph("p", "I $periode stod $andel af de 16-66-årige uden for arbejdsstyrken.")
    text = markdown(page, "p")
    assert plain_text(text) == "I november 2023 stod 22,8 pct. af de 16-66-årige uden for arbejdsstyrken."
    found = elements(text)
    links = [e for e in found if e["tag"] == "a"]
    assert len(links) == 1
    link = links[0]
    assert link["text"] == "22,8 pct."
    assert link["attrs"]["class"] == "tal"
    assert link["attrs"]["href"] == "../appendix/datasaet.html#datasaet-outside-labour-force"
    described = [e for e in found if e["attrs"].get("id") == link["attrs"]["aria-describedby"]]
    assert len(described) == 1 and "hidden" in described[0]["attrs"]
    description = " ".join(described[0]["text"].split())
    assert description == (f"Datasæt: {ras.meta['title']}. Kilde: Danmarks Statistik, RAS201, "
                           "gengivet i hvidbogen. Periode: november 2023.")
    assert all(e["interactive_ancestors"] == 0 for e in found)  # nothing nested in the link


def test_the_trace_names_a_change_s_two_periods_and_that_the_book_computed_it(page, ras):
    change = ras.select("change_in_persons", 2024, base_role="base", areas=["Randers"], **EVERYONE)
    page.change("retning", "antal", change, "Randers")
    page.paragraph("p", "Antallet $retning med $antal personer.")
    text = markdown(page, "p")
    assert plain_text(text) == "Antallet faldt med 3.381 personer."
    found = elements(text)
    assert [e["text"] for e in found if e["tag"] == "a"] == ["3.381"]  # a word is not a number
    description = " ".join(e["text"] for e in found if e["attrs"].get("class") == "tal-linje")
    assert "Periode: november 2013 til november 2023." in description
    assert "Tallet er beregnet ud fra datasættets tal." in description


def test_rows_added_by_hand_are_traced_as_added_by_hand(page, ras):
    ras.meta["provenance"]["hand"] = {"method": "manual", "added_by": "Analyse og Data",
                                      "added_on": "2025-04-02", "source": "Statistikbanken, RAS201"}
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    shares.loc[shares["area"] == "Vejle", "provenance"] = "hand"
    page.value("vejle", shares, "Vejle")
    page.value("randers", shares, "Randers")
    page.paragraph("p", "Vejle: $vejle. Randers: $randers.")
    text = markdown(page, "p")
    assert "Kilde: Danmarks Statistik, RAS201, tilføjet i hånden 2. april 2025 af Analyse og Data." in text
    assert text.count("Kilde: Danmarks Statistik, RAS201, gengivet i hvidbogen.") == 1


def test_each_number_has_its_own_description_and_ids_are_unique(page, ras):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("a", shares, "Randers")
    page.value("b", shares, "Hele landet")
    page.paragraph("p_to", "Først $a, så $b, og igen $a.")
    found = elements(markdown(page, "p_to"))
    links = [e for e in found if e["tag"] == "a"]
    ids = [e["attrs"]["id"] for e in found if "id" in e["attrs"]]
    assert [link["attrs"]["aria-describedby"] for link in links] == ids == [
        "tal-p-to-1", "tal-p-to-2", "tal-p-to-3"]
    assert plain_text(markdown(page, "p_to")) == "Først 22,8 pct., så 21,7 pct., og igen 22,8 pct."


def test_a_missing_number_leaves_no_trace_and_a_replaced_value_no_stale_one(page, ras):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("andel", shares, "Randers")
    page.value("andel", shares.iloc[0:0], "Randers")  # the same key, now missing
    page.paragraph("p", "Andelen var $andel.")
    assert markdown(page, "p") == ""


def test_the_markup_survives_myst_and_keeps_the_danish_text(page, ras):
    """The book's MyST parser (with its extensions) leaves the markup and the text alone."""
    md = create_md_parser(MdParserConfig(enable_extensions={
        "colon_fence", "dollarmath", "html_image", "substitution"}), RendererHTML)
    lines = ["Datasæt: Tal med *stjerne*, _streg_, `kode`, [klammer], $dollar$ og {{ x }}."]
    rendered = md.render("Tekst " + description_html("tal-x-1", lines))
    assert "<em>" not in rendered and "<code>" not in rendered and "math" not in rendered
    assert "Tal med *stjerne*, _streg_, `kode`, [klammer], $dollar$ og {{ x }}." in rendered
    assert escape("a < b & c") == "a &lt; b &amp; c"
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("andel", shares, "Randers")
    page.paragraph("p", "Andelen var $andel.")
    rendered = md.render(markdown(page, "p"))
    assert rendered.startswith('<p>Andelen var <a class="tal" href="../appendix/datasaet.html#')
    assert plain_text(rendered).strip() == "<p>Andelen var 22,8 pct.</p>"


def test_the_prose_csv_is_written_from_the_rows_not_the_markup(page, ras, tmp_path):
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("andel", shares, "Randers")
    page.paragraph("p", "Andelen var $andel.")
    page.finish()
    rows = list(csv.DictReader((tmp_path / "testside-tekst.csv").open(encoding="utf-8")))
    assert [(r["key"], r["text"], r["value"]) for r in rows] == [("andel", "22,8 pct.", "22.8")]


def test_the_data_appendix_anchors_each_dataset_where_the_numbers_link(ras):
    first_line = dataset_markdown(ras, 2024).splitlines()[0]
    assert first_line == f"({dataset_anchor('outside_labour_force')})="
    assert re.fullmatch(r"datasaet-[a-z0-9-]+", dataset_anchor("outside_labour_force_by_education"))


def test_a_description_escapes_each_character_once_and_names_no_code(page, ras):
    """An apostrophe in a dataset's title reads as one (not ``KL&#x27;s`` on the page), and
    the description names the source as the "Kilde:" line does, without ids or file names."""
    ras.meta["title"] = "Nøgletal fra KL's undersøgelse <1> & [2]"
    shares = ras.select("share_of_population", 2024, areas=AREAS, **EVERYONE)
    page.value("andel", shares, "Randers")
    page.paragraph("p", "Andelen var $andel.")
    text = markdown(page, "p")
    assert "&#x27;" not in text and "&amp;#" not in text and "&&#" not in text
    found = elements(text)
    description = " ".join(e["text"] for e in found if e["attrs"].get("class") == "tal-linje")
    assert "Datasæt: Nøgletal fra KL\u2019s undersøgelse <1> & [2]." in description
    assert "outside_labour_force" not in description and "provenance" not in description
