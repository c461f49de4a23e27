"""The commands an analyst types: make's variables, what a refused build says, and one cell
numbering for nbval and `make notebook`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import nbformat
import pytest
from helpers import REPO

from labour_market_book import cli
from labour_market_book.devtools import differences


def make(*args: str) -> subprocess.CompletedProcess:
    """``make -n`` (print the commands, run none) in the repository, without an outer make's
    variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    return subprocess.run(["make", "-n", *args], cwd=REPO, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("target, command", [("notebook", "check-notebook ledigheden"),
                                             ("notebooks", "execute-committed ledigheden")])
def test_nb_names_the_notebook_for_every_target(target, command):
    done = make(target, "NB=ledigheden")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].endswith(f"-m labour_market_book {command}")


@pytest.mark.parametrize("args, message", [
    (("notebooks", "NOTEBOOK=ledigheden"), "NOTEBOOK= is now NB=, as for make notebook: make notebooks NB=ledigheden"),
    (("book", "YAER=2025"), "unknown variable YAER: make reads YEAR FOCUS COMPARE NB "),
    (("notebooks", "NB=ledighed"), "no notebook ledighed in notebooks/: NB is one of borgere_uden_for_arbejdsstyrken "),
    (("notebook",), "make notebook checks one notebook: make notebook NB=<name>, one of "),
])
def test_an_unknown_variable_or_notebook_is_refused_before_anything_runs(args, message):
    """`make notebooks NB=ledighed` (or the old NOTEBOOK=) must not re-execute all nine."""
    done = make(*args)
    assert done.returncode != 0 and message in done.stderr, done.stderr
    assert "execute-committed" not in done.stdout and "check-notebook" not in done.stdout


def test_a_refused_build_says_the_published_site_is_the_last_good_build(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "BUILD_DIR", tmp_path / "_build")
    assert cli.main(["build", "--year", "1990"]) == 2            # no edition has data for 1990
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith(
        f"(docs/adding-a-year.md); nothing is published: {tmp_path / '_build' / 'html'} holds no "
        "earlier build")
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("the last good build", encoding="utf-8")
    made = datetime(2026, 12, 1, 10, 30).timestamp()
    (tmp_path / "_build" / "html.digest").write_text("digest", encoding="utf-8")
    os.utime(tmp_path / "_build" / "html.digest", (made, made))
    assert cli.main(["build", "--year", "1990"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith(
        f"; the published site {html} is still the last good build, made 2026-12-01 10:30")
    assert cli.main(["validate"]) == 0 and "last good build" not in capsys.readouterr().err


def test_make_notebook_names_a_cell_as_nbval_does(tmp_path):
    """A difference in the third code cell (after two Markdown cells) is nbval's "Cell 2",
    and `make notebook` says "Cell 2" too."""
    def notebook(last: str):
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell("x = 1")
        params.metadata["tags"] = ["parameters"]
        shown = nbformat.v4.new_code_cell("print(x)")
        shown.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
        changed = nbformat.v4.new_code_cell("print(2)")
        changed.outputs = [nbformat.v4.new_output("stream", name="stdout", text=last)]
        nb.cells = [nbformat.v4.new_markdown_cell("# Titel"), params,
                    nbformat.v4.new_markdown_cell("Tekst"), shown, changed]
        return nb
    committed, fresh = notebook("2\n"), notebook("3\n")
    assert differences(committed, fresh) == ["  Cell 2 (print(2)):", "    stream 0: - 2 + 3"]
    nbformat.write(committed, tmp_path / "scratch.ipynb")
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "--nbval",
                                "-p", "no:cacheprovider", "scratch.ipynb"], cwd=tmp_path,
                               capture_output=True, text=True).stdout
    assert "scratch.ipynb::Cell 2" in collected and "scratch.ipynb::Cell 3" not in collected
