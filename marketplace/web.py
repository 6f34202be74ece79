"""What every party's HTML pages share: where a sign-in may send a person back to."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# What browsers do to a URL before they read it (WHATWG URL standard): leading and trailing C0
# controls and spaces are stripped, tabs and newlines anywhere are removed, and in http(s) URLs a
# backslash is a slash. "/\t/evil.test" is read as "//evil.test", another site.
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_next(target: str | None, *, prefix: str = "/") -> str | None:
    """``target`` as a browser reads it if it is a local path under ``prefix``, else None.

    Never redirect a person to another site after signing in: anything with a scheme or a host,
    or that a browser would read as one (``//x``, ``\\\\x``, ``/\\t/x``), is refused.
    """
    if not target:
        return None
    path = _TAB_OR_NEWLINE.sub("", target.strip(_EDGES)).replace("\\", "/")
    if _CONTROL.search(path) or not path.startswith("/") or path.startswith("//"):
        return None
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith(prefix):
        return None
    return path
