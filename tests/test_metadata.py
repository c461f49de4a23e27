"""Every sidecar validates, its checksum matches, and what it claims is true."""

import dataclasses
import json
import re

import jsonschema
import pytest
import yaml

from labour_market_book.catalogue import catalogue_markdown, danish_sort_key
from labour_market_book.datasets import load_all
from labour_market_book.metadata import SCHEMA_PATH, file_checksum, load_sidecar, sidecar_paths
from helpers import DATA, FROZEN, REPO

SIDECARS = sidecar_paths(DATA)
"""The sidecars of the data folder under test: what is checked of them holds for any year."""


def read_yaml(path):
    """A sidecar's value, parsed by libyaml where PyYAML has it (as the package reads them)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_every_csv_has_a_sidecar_and_back():
    csvs = {p.stem for p in DATA.glob("*.csv")}
    assert csvs == {p.stem for p in SIDECARS} and csvs


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.name)
def test_sidecar_validates_and_checksum_matches(sidecar):
    meta = load_sidecar(sidecar)
    assert meta["checksum"]["value"] == file_checksum(sidecar.with_suffix(".csv"))


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.name)
def test_citation_keys_exist_in_the_bibliography(sidecar):
    bib = (REPO / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    meta = read_yaml(sidecar)
    assert meta["citation_key"] in keys
    for entry in meta["provenance"].values():
        if entry["method"] == "transcribed":
            assert entry["document"] in keys


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.name)
def test_fed_exhibits_exist_in_a_notebook(sidecar):
    meta = read_yaml(sidecar)
    text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "notebooks").glob("*.ipynb"))
    for exhibit in meta["feeds"]:
        assert f":name: {exhibit}" in text, f"{exhibit} is fed by {sidecar.name} but never shown"


def test_schema_refuses_an_unknown_provenance_method(tmp_path):
    source = sidecar_paths(FROZEN)[0]
    bad = tmp_path / source.name
    bad.write_text(source.read_text(encoding="utf-8").replace("method: transcribed", "method: guessed"),
                   encoding="utf-8")
    with pytest.raises(Exception, match="provenance"):
        load_sidecar(bad)


def test_schema_refuses_a_manual_entry_that_does_not_say_where_from(tmp_path):
    source = FROZEN / "outside_labour_force.yaml"
    bad = tmp_path / source.name
    bad.write_text(source.read_text(encoding="utf-8").replace(
        "provenance:\n", "provenance:\n  hand:\n    method: manual\n    added_by: X\n"
        "    added_on: \"2025-04-02\"\n", 1), encoding="utf-8")
    with pytest.raises(Exception, match="provenance"):
        load_sidecar(bad)


def test_a_row_naming_an_undeclared_origin_is_refused(data_copy):
    from labour_market_book.datasets import load_dataset
    from labour_market_book.errors import DataValidationError
    path = data_copy / "outside_labour_force.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",somewhere"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"line 3, column 'provenance': 'somewhere' is not an "
                                                  r"entry of the sidecar's 'provenance'"):
        load_dataset("outside_labour_force", data_copy)


def test_data_appendix_is_written_from_the_sidecars():
    text = catalogue_markdown()
    for sidecar in SIDECARS:
        meta = read_yaml(sidecar)
        assert meta["title"] in text
        assert meta["source"]["table_id"] in text
        assert meta["checksum"]["value"] in text


def _headings(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, re.MULTILINE)


def test_danish_sort_key_puts_ae_oe_aa_after_z_in_that_order_whatever_the_case():
    words = ["Åben", "øst", "Zone", "abe", "Ærø", "ål", "Øer", "æble", "Beskæftigelse", "Besøg"]
    assert sorted(words, key=danish_sort_key) == [
        "abe", "Beskæftigelse", "Besøg", "Zone", "æble", "Ærø", "Øer", "øst", "Åben", "ål"]


def test_data_appendix_lists_the_datasets_by_their_danish_titles():
    datasets = load_all(FROZEN)
    titles = [ds.meta["title"] for ds in datasets.values()]
    headings = _headings(catalogue_markdown(2024, datasets))
    assert headings == sorted(titles, key=danish_sort_key)
    # Not by the English file names, which is another order here.
    assert headings != titles
    assert headings[0].startswith("Andel") and headings[-1].startswith("Virksomhedernes")


def test_data_appendix_puts_titles_with_ae_oe_aa_after_z():
    """Titles beginning with Æ, Ø and Å (none of the book's do yet) come after Z, in that
    order, and a lower-case title sorts with its upper-case letter."""
    datasets = load_all(FROZEN)
    first_four = sorted(datasets)[:4]  # in file-name order they get the titles below
    titles = ["Årlige udgifter", "Økonomi", "Ældre borgere", "zoner i kommunen"]
    renamed = {name: dataclasses.replace(datasets[name], meta={**datasets[name].meta, "title": title})
               for name, title in zip(first_four, titles)}
    assert _headings(catalogue_markdown(2024, renamed)) == [
        "zoner i kommunen", "Ældre borgere", "Økonomi", "Årlige udgifter"]
