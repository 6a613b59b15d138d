"""What a document's URL says about it: whether the page is a print or AMP view of another page.

Publishers serve one article at several addresses: the web page, a print view (``?print=1``,
``/print/``, ``view=print``) and an AMP view (an ``amp.`` host, ``/amp/``, ``?amp=1``,
``outputType=amp``, Google's AMP cache). The views carry the same text under another template,
so the text cannot tell which came first; the address can. A view is put after the members on
its own site (:func:`site_key`) that are not views: another site's copy never gains from a url
that looks like a view (an AMP-cache address, an ``/amp/`` or ``/print/`` section).
"""

from __future__ import annotations

import html
import zlib
from urllib.parse import SplitResult, parse_qsl, urlsplit

_VIEW_SEGMENTS = {"amp", "print", "printable", "printer-friendly", "printer_friendly"}
_VIEW_KEYS = {"amp", "print", "printable", "printer_friendly", "printerfriendly"}
_VIEW_VALUES = {"amp", "print", "printable"}
_VIEW_VALUE_KEYS = {"output", "outputtype", "view", "format", "mode", "template", "type"}
_FALSE = {"0", "false", "no", "off", "none", "null"}


def _split(url: object) -> SplitResult | None:
    """The parts of a URL (html entities such as ``&amp;`` undone), or None for anything else."""
    if not isinstance(url, str) or "://" not in url:
        return None
    try:
        parts = urlsplit(html.unescape(url.strip()))
        parts.hostname  # noqa: B018 - a malformed host or port raises here
    except ValueError:
        return None
    return parts


def page_view(url: object) -> str | None:
    """``"amp"`` or ``"print"`` when ``url`` addresses an AMP or print view of a page, else
    None (also for anything that is not a URL).

    >>> page_view("https://amp.example.com/news/flood"), page_view("https://x.org/a?print=1")
    ('amp', 'print')
    >>> page_view("https://x.org/2020/01/flood/amp/"), page_view("https://x.org/a?outputType=amp")
    ('amp', 'amp')
    >>> page_view("https://x.org/news/amplifier-prices"), page_view("https://x.org/a?print=0")
    (None, None)
    >>> page_view(None), page_view("not a url")
    (None, None)
    """
    parts = _split(url)
    return None if parts is None else _view(parts)


def _view(parts: SplitResult) -> str | None:
    host = (parts.hostname or "").lower()
    if host.startswith("amp.") or host.endswith(".cdn.ampproject.org"):
        return "amp"
    for segment in parts.path.lower().split("/"):
        name = segment.removesuffix(".html").removesuffix(".htm")
        if name in _VIEW_SEGMENTS or name.endswith(".amp"):
            return "amp" if "amp" in name.split(".") or name == "amp" else "print"
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        key, value = key.lower(), value.lower()
        if key in _VIEW_KEYS and value not in _FALSE:
            return "amp" if key == "amp" else "print"
        if key in _VIEW_VALUE_KEYS and value in _VIEW_VALUES:
            return "amp" if value == "amp" else "print"
    return None


_AMP_CACHE_PREFIXES = ("c/s/", "c/", "v/s/", "v/", "i/s/", "i/")


def site_key(url: object) -> str | None:
    """The site ``url`` belongs to: its host lower-cased, without ``www.``, ``amp.`` or ``m.``;
    for an AMP-cache or Google AMP url, the host of the page inside it. A page and its print and
    AMP views share it (their paths and slugs vary too much between publishers to match). None
    for anything that is not a URL.

    >>> site_key("https://amp.news.example/a/flood/amp") == site_key("https://www.news.example/a")
    True
    >>> site_key("https://news-example.cdn.ampproject.org/c/s/news.example/a/flood")
    'news.example'
    """
    parts = _split(url)
    return None if parts is None else _site(parts)


def _site(parts: SplitResult) -> str | None:
    host = (parts.hostname or "").lower()
    path = parts.path
    if host.endswith(".cdn.ampproject.org") or (
        host.endswith("google.com") and path.startswith("/amp/")
    ):
        inner = path.lstrip("/").removeprefix("amp/")
        for prefix in _AMP_CACHE_PREFIXES:
            if inner.startswith(prefix):
                inner = inner[len(prefix) :]
                break
        host = inner.removeprefix("s/").partition("/")[0].lower()
    for prefix in ("www.", "amp.", "m."):
        host = host.removeprefix(prefix)
    return host or None


def site_hash(url: object) -> int:
    """A 32-bit number for :func:`site_key` (0 where there is no url): compared, never shown."""
    return _hashed(site_key(url))


def _hashed(key: str | None) -> int:
    return 0 if key is None else (zlib.crc32(key.encode("utf-8", "surrogatepass")) or 1)


def view_and_site(url: object) -> tuple[bool, int]:
    """Whether ``url`` addresses a print or AMP view (:func:`page_view`) and its
    :func:`site_hash`, the url parsed once.

    >>> view_and_site("https://amp.news.example/a") == (True, site_hash("https://news.example/b"))
    True
    >>> view_and_site(None)
    (False, 0)
    """
    parts = _split(url)
    if parts is None:
        return False, 0
    return _view(parts) is not None, _hashed(_site(parts))
