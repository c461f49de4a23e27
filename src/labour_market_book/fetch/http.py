"""One HTTP session for every fetch: cached for a day, with timeouts and polite retries."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

TIMEOUT = (10, 120)
"""Seconds to connect and to wait for an answer."""

RETRY_STATUSES = (429, 500, 502, 503, 504)


from ..errors import FetchError  # noqa: E402  (re-exported: labour_market_book.fetch.http.FetchError)


def session(cache_dir: Path, *, retries: int = 3, backoff: float = 1.0) -> requests.Session:
    """A session whose answers are cached on disk for a day (a rerun makes no request),
    retried with exponential backoff on 429 (respecting Retry-After) and 5xx only.

    requests-cache leaves the ``Authorization`` header out of its cache keys and of the
    responses it stores, so an API key never reaches the disk.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    s = requests_cache.CachedSession(
        str(cache_dir / "http-cache"), backend="sqlite", expire_after=timedelta(days=1),
        allowable_methods=("GET", "POST"), allowable_codes=(200,), stale_if_error=False)
    retry = Retry(total=retries, connect=0, read=0, status=retries, backoff_factor=backoff,
                  status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET", "POST"}),
                  respect_retry_after_header=True, raise_on_status=False)
    s.mount("https://", HTTPAdapter(max_retries=retry))
    s.mount("http://", HTTPAdapter(max_retries=retry))
    return s


def request(s: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
    """Send one request; turn network failures into a one-line :class:`FetchError`."""
    host = urlparse(url).hostname or url
    try:
        response = s.request(method, url, timeout=TIMEOUT, **kwargs)
    except requests.ConnectionError as exc:
        reason = str(exc.args[0]) if exc.args else type(exc).__name__
        raise FetchError(f"cannot reach {host}: {_short(reason)}; the bundled data are "
                         "unchanged") from None
    except requests.Timeout:
        raise FetchError(f"{host} did not answer within {TIMEOUT[1]} s; the bundled data are "
                         "unchanged") from None
    return response


def _short(reason: str) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= 160 else reason[:157] + "..."
