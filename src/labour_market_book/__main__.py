"""``python -m labour_market_book``: the command line (:mod:`labour_market_book.cli`).

After ``build`` and ``pdf`` the process leaves without the interpreter's teardown (freeing
Sphinx's, pandas' and matplotlib's objects one by one took a quarter of a second after every
build): by then every file is written and closed, every worker process and thread joined,
and the kernels kept for the next build live on their own. Output is flushed first.
"""

import logging
import os
import sys

from .cli import main

code = main()
if sys.argv[1:2] in (["build"], ["pdf"]):
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)
sys.exit(code)
