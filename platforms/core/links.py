"""Where a storefront page sends a newcomer next: the institution site that takes the voucher, and
the simulator's phone that shows the OTP (sandbox only). Read-only; no gateway call.

The storefront links other parties' pages by their published endpoint names and never fails a
page over a missing one: a site not mounted in this app (or a sandbox page not built yet) leaves
the link out or falls back to the simulator's home page.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from sqlalchemy import select
from werkzeug.routing import BuildError

from marketplace.catalog.models import Course
from marketplace.db import db
from platforms.core.models import Order
from platforms.core.spec import PlatformSpec

# Links every page carries (header, footer, stylesheet) and the search's facets, built once per
# process and script root (``kept_url``): werkzeug builds each from the URL map, about 60 a
# checkout. Links with an order's code are built each time (each order would be a new entry);
# a bound keeps searches typed by visitors from growing the process (when full, it starts again).
_KEPT_URLS: dict[tuple, str] = {}
MAX_KEPT_URLS = 512


def kept_url(endpoint: str, **values: str) -> str:
    """``url_for(endpoint, **values)`` (a path, never an external URL), built once per process."""
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = _KEPT_URLS.get(key)
    if url is None:
        if len(_KEPT_URLS) >= MAX_KEPT_URLS:
            _KEPT_URLS.clear()
        url = _KEPT_URLS[key] = url_for(endpoint, **values)
    return url


def url_or_none(endpoint: str, *, kept: bool = False, **values) -> str | None:
    """``url_for`` (``kept``: ``kept_url``), or None when no such page is mounted here."""
    try:
        return kept_url(endpoint, **values) if kept else url_for(endpoint, **values)
    except BuildError:
        return None


def institution_voucher_url(order: Order, platform: str) -> str | None:
    """The "Tukar Voucher" page of the institution that runs the order's training (the
    institution sites are mounted as ``lp_<code>``), the platform preselected."""
    code = db.session.execute(
        select(Course.institution_code).where(Course.course_code == order.course_code)
    ).scalar()
    if code is None:
        return None
    return url_or_none(f"lp_{code.lower()}.voucher", dari=platform)


# --- the simulated phone (sandbox only) ----------------------------------------------------------
def sandbox_phone_link(
    spec: PlatformSpec, order: Order | None = None, phone: str | None = None
) -> tuple[str, str] | None:
    """(address, label) of the footer's "Ponsel simulasi": the phone of the card being paid
    (Prakerja texts the OTP there, not to the buyer's account), else ``phone`` (a code this
    storefront texts the buyer), else the sandbox's test cards with their phones. None off the
    sandbox."""
    if not current_app.config.get("SANDBOX_ENABLED"):
        return None
    if order is not None and order.card_number and order.status != "paid":
        url = url_or_none("sandbox.card_phone", card_number=order.card_number)
        if url:
            return url, f"Ponsel simulasi pemilik kartu {order.card_number_masked or ''}".strip()
    if phone:
        url = url_or_none("sandbox.phone_page", phone=phone)
        if url:
            return url, f"Ponsel simulasi {phone}"
    url = url_or_none("home.index", kept=True, _anchor="kartu-title")  # test cards, their phones
    return (url, "Kartu uji dan ponsel simulasi") if url else None
