"""Fetching the book's series from the official sources (``make data``).

- :mod:`.http`: one HTTP session with a day's cache (requests-cache), timeouts and retries
  with backoff on 429 and 5xx only; errors name the host and say the data are unchanged.
- :mod:`.statbank`: Danmarks Statistik's Statistikbanken API (open).
- :mod:`.jobindsats`: Jobindsats' API v2 (key from ``JOBINDSATS_API_KEY``, never written).
- :mod:`.store`: raw snapshots and the atomic update of a dataset and its sidecar.
- :mod:`.transforms`: from a source table's rows to the book's tidy measures.
- :mod:`.run`: the command: which requests each dataset's ``query`` makes for an edition.

No test reaches the network: the clients are tested on recorded responses written to the
sources' documented formats (``tests/recorded/``, all marked as made up).
"""
