"""What a storefront's course lists show (search results, its home page, Pintaria's menu), kept
per process for ``STOREFRONT_CATALOG_SECONDS``.

Under a deadline spike every buyer opens the same search. On each visit its courses, their
institutions and the facet counts were read into ORM objects and rendered as cards: the
heaviest page of the Tokopedia and Bukalapak checkouts (11,000 of a checkout's 84,000 Python
calls). The catalogue does not change while the simulator serves (it is seeded), and a card is
the same for every visitor. So a list is kept for a moment, as its counts and its cards' HTML,
the way a real storefront's search index lags its catalogue. 0 reads and renders on every visit
(the tests' setting).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from flask import current_app, get_template_attribute, request
from markupsafe import Markup

from marketplace.catalog.models import Course

# Different searches kept at once, per process: the query words come from the visitor, so a bound
# keeps a stream of distinct searches from growing the process (when full, it starts again).
MAX_KEPT = 256
T = TypeVar("T")


def grid(flow, courses: Iterable[Course]) -> Markup:
    """The course cards of a list, as the page shows them (``course_grid`` in
    ``storefront/macros.html``): kept as HTML, since the cards are most of such a page's work
    and are the same for every visitor. ``flow`` builds the cards' links."""
    return get_template_attribute("storefront/macros.html", "course_grid")(flow, list(courses))


_kept: dict[Hashable, tuple[float, object]] = {}


def kept(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it gave for ``key`` less than ``STOREFRONT_CATALOG_SECONDS`` ago.
    ``read`` must return plain values (no ORM objects: they belong to one request's session).
    Lists are kept apart per script root too: the cards' links start with it."""
    seconds = float(current_app.config.get("STOREFRONT_CATALOG_SECONDS") or 0)
    if seconds <= 0:
        return read()
    key = (request.script_root, key)
    now = time.monotonic()
    known = _kept.get(key)
    if known is not None and known[0] > now:
        return known[1]  # type: ignore[return-value]
    value = read()
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[key] = (now + seconds, value)
    return value
