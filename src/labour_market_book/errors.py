"""Exceptions with messages meant for an analyst, not a developer."""

from __future__ import annotations

from pathlib import Path


def shown_path(path: Path) -> str:
    """A path as the analyst typed it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def cell_name(code_index: int) -> str:
    """A notebook's code cell as nbval names it: ``Cell 4`` is its fifth code cell, counted
    from 0, Markdown cells not counted. ``make notebook``, a failed build and validation all
    name cells so, the same as nbval's own failures (``notebooks/<name>.ipynb::Cell 4``)."""
    return f"Cell {code_index}"


class DataValidationError(ValueError):
    """A data or metadata file is wrong. The message names the file, row and column.

    ``row`` is the 1-based line number in the file as a text editor shows it (the header
    is line 1), so the first data row is line 2.
    """

    def __init__(self, path: Path | str, message: str, *, row: int | None = None,
                 column: str | None = None):
        self.path = Path(path)
        self.row = row
        self.column = column
        where = [shown_path(self.path)]
        if row is not None:
            where.append(f"line {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


class ReferenceYearError(ValueError):
    """The requested reference year is not covered by any bundled dataset."""


class BuildError(RuntimeError):
    """A notebook failed, or Jupyter Book reported errors, while building the book."""


class ParameterError(ValueError):
    """A build parameter (focus municipality, comparison areas) is not usable."""


class FetchError(RuntimeError):
    """A fetch (``make data``) failed; the message names the host and says that data/ is
    unchanged. Defined here so that the command line need not import the HTTP stack."""
