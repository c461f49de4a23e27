"""Rendering the staged book into a static site with Jupyter Book's Sphinx, in this process.

:func:`run_jupyter_book` does what ``jupyter-book build <stage> --path-output <work> -n -W
--keep-going`` does, calling Jupyter Book's own ``build_sphinx`` in the build's process to spare
a second interpreter's start-up, and writes ``index.html`` (a Danish redirect page).
:func:`warm_renderer` imports the renderer in a thread while notebooks run elsewhere.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import io
import re
import shutil
import threading
from pathlib import Path

import yaml

from .errors import BuildError
from .paths import using_data_dir

_RENDERER_WARMING: list = []


def warm_renderer() -> None:
    """Import the renderer (Sphinx, myst-nb, the theme: about a second) in a thread while
    notebooks run in other processes, during which this process would wait idle. Once."""
    if not _RENDERER_WARMING:
        thread = threading.Thread(target=_import_renderer, daemon=True)
        _RENDERER_WARMING.append(thread)
        thread.start()


def _import_renderer() -> None:
    # Deliberately deferred (the point of warming): run_jupyter_book imports them again.
    try:
        import jupyter_book.sphinx  # noqa: F401
        import myst_nb.sphinx_ext  # noqa: F401
        import sphinx.application  # noqa: F401
        import sphinx_book_theme  # noqa: F401
        import sphinx.builders.html  # noqa: F401
    except Exception:  # noqa: BLE001 - the render imports them again and reports a failure
        pass


REDIRECT = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta http-equiv="Refresh" content="0; url={first}">
<title>{title}</title>
<link rel="icon" href="data:,">
</head>
<body><p><a href="{first}">Gå til bogen: {title}</a></p></body>
</html>
"""


def _write_redirect(output: Path, stage: Path) -> None:
    """``index.html``, sending the reader on to the book's first page (as Jupyter Book's
    command line writes it), with an empty icon (so that browsers ask the host neither for
    /favicon.ico nor, while leaving, for the site's icon), a language, a title and a link
    for browsers that do not follow it."""
    root = yaml.safe_load((stage / "_toc.yml").read_text(encoding="utf-8"))["root"]
    first = f"{Path(root).with_suffix('').as_posix()}.html"
    title = re.search(r"<title>(.*?)</title>", (output / first).read_text(encoding="utf-8"), re.S)
    name = title.group(1).split("&#8212;")[-1].strip() if title else "Bogen"   # the book's title
    (output / "index.html").write_text(
        REDIRECT.format(first=html_lib.escape(first, quote=True), title=name), encoding="utf-8")


def run_jupyter_book(stage: Path, work: Path, data_dir: Path | None = None,
                     builder: str = "html") -> Path:
    """Build the staged book with warnings as errors (what ``jupyter-book build <stage>
    --path-output <work> -n -W --keep-going`` does, with Jupyter Book's own
    ``build_sphinx`` called in this process to spare a second interpreter's start-up);
    return the output folder. The log goes to ``<work>/jupyter-book.log``.

    ``builder="singlehtml"`` gives the whole book as one page (``intro.html``), with the
    site's configuration, for the print edition (:mod:`.print_edition`)."""
    from jupyter_book.sphinx import build_sphinx  # deferred: warm_renderer may have it already

    work.mkdir(parents=True, exist_ok=True)
    output = work / "_build" / builder
    overrides = {"external_toc_path": (stage / "_toc.yml").as_posix(),
                 "latex_individualpages": False, "nitpicky": True}
    log = io.StringIO()
    # the extension describes the data the book was built from
    with using_data_dir(data_dir):
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            result = build_sphinx(stage, output, use_external_toc=True, noconfig=True,
                                  path_config=str(stage / "_config.yml"), confoverrides=overrides,
                                  builder=builder, warningiserror=True, keep_going=True,
                                  freshenv=False, verbosity=0)
            failed = isinstance(result, Exception) or result != 0
            if not failed and builder == "html":
                _write_redirect(output, stage)
    text = log.getvalue()
    (work / "jupyter-book.log").write_text(text, encoding="utf-8")
    if failed:
        problems = [line for line in text.splitlines()
                    if "WARNING" in line or "ERROR" in line or "Error" in line]
        first = " ".join((problems[0] if problems else str(result)).split())[:300]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BuildError(f"Jupyter Book failed: {first}{more}; full log: {work / 'jupyter-book.log'}")
    return output


def published_digest(build: Path) -> str | None:
    """The digest of the staged book that ``<build>/html`` shows, if any."""
    stamp = build / "html.digest"
    if (build / "html").exists() and stamp.exists():
        return stamp.read_text(encoding="utf-8")
    return None


def publish(html: Path, build: Path, digest: str) -> Path:
    """Replace ``<build>/html`` with a freshly rendered site (copied beside it first, so a
    failure leaves the old site whole) and record the digest of the stage it shows."""
    incoming = build / "html.new"
    if incoming.exists():
        shutil.rmtree(incoming)
    shutil.copytree(html, incoming)
    stamp = build / "html.digest"
    stamp.unlink(missing_ok=True)
    published = build / "html"
    if published.exists():
        shutil.rmtree(published)
    incoming.rename(published)
    stamp.write_text(digest, encoding="utf-8")
    return published
