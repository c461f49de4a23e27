"""What each page of the book computes for its exhibits and prose, one module per notebook
(``pages/<notebook>.py``), so that the notebooks only narrate.

A notebook keeps its parameters, the datasets it uses, one call per exhibit, its prose
templates and its invariants; the selections and the rows behind a page's exhibits (a
table's layout, a figure's rows, a derived number) are built here, tested in
``tests/test_page_<notebook>.py``. Anything two pages use lives in the modules above
(:mod:`..datasets`, :mod:`..exhibits`, :mod:`..derive`).
"""
