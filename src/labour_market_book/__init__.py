"""Shared code for the book *Borgere uden for arbejdsmarkedet i Randers Kommune*.

The notebooks narrate; this package computes. It holds data loading and
validation (:mod:`.datasets`, :mod:`.metadata`), the reference-year period rules
(:mod:`.periods`), Danish number formatting (:mod:`.formatting`), the house style
(:mod:`.style`), table and figure helpers (:mod:`.tables`, :mod:`.figures`), the
export of every exhibit's numbers (:mod:`.exports`) and the build orchestrator
(:mod:`.build`).
"""

__version__ = "0.1.0"
