"""The sandbox for people in the browser: a test card's live page and the button that mints one,
the simulated clock, the email inbox, partner credentials and the reconcile report.

These pages live under ``/uji/``, not ``/sandbox/``: paths under ``/sandbox/`` are the JSON API
(errors answer JSON there, and each is in the OpenAPI document). They are still the sandbox
blueprint's endpoints (``sandbox.card_page`` ...), so its guard hides them when the sandbox is
off. The JSON API is unchanged: programs keep ``/sandbox/clock``, ``/sandbox/emails``, ...
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, render_template, request, session, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.routing import BuildError

from marketplace.clock import current_clock
from marketplace.db import db
from marketplace.params import ParamError, bounded_int
from prakerja_gateway import domain
from prakerja_gateway.models import Partner
from prakerja_gateway.sandbox import forms, live_cards, mailbox
from prakerja_gateway.sandbox.personas import BY_KEY, create_persona
from prakerja_gateway.services import sweeps
from prakerja_gateway.services.reconcile import reconcile
from prakerja_gateway.sso.models import SsoClient

PREFIX = "/uji"
MINTED = "sandbox_minted_cards"  # session: the cards this browser minted, newest first
MINTED_KEPT = 10
CLOCK_RESULT = "sandbox_clock_result"  # session: what the last advance ran, shown once
RAN_LABELS = {
    "payments_expired": "Pembayaran yang menunggu OTP menjadi kedaluwarsa",
    "cards_revoked": "Kartu dicabut karena batas pembelian pertama lewat",
    "saldo_expired": "Saldo hangus karena tidak membeli lagi setelah pelatihan selesai",
    "incentives_paid": "Insentif dibayarkan ke rekening peserta",
}
CLOCK_PRESETS = (
    ("+1 jam", {"hours": 1}),
    ("+1 hari", {"days": 1}),
    ("+16 hari (lewati batas pembelian pertama skema normal)", {"days": 16}),
)


def register(state: BlueprintSetupState) -> None:
    """Add the pages to the app under the sandbox blueprint's name (see the module's note)."""
    for rule, view, methods in (
        ("/kartu/<card_number>", card_page, ["GET"]),
        ("/kartu/<card_number>/ponsel", card_phone, ["GET"]),
        ("/kartu", mint_card, ["POST"]),
        ("/jam", clock_page, ["GET", "POST"]),
        ("/email", inbox, ["GET"]),
        ("/email/<int:message_id>", email_page, ["GET"]),
        ("/mitra", partners_page, ["GET"]),
        ("/rekonsiliasi", reconcile_page, ["GET"]),
    ):
        endpoint = f"{state.name}.{view.__name__}"
        state.app.add_url_rule(PREFIX + rule, endpoint, view, methods=methods)


# --- test cards -------------------------------------------------------------------------------
def card_page(card_number: str) -> ResponseReturnValue:
    now = current_clock().now()
    state = live_cards.card_state(db.session, now, card_number)
    if state is None:
        abort(404)
    return render_template(
        "sandbox/card.html",
        state=state,
        fresh=request.args.get("baru") == "1",
        storefronts=storefront_links(live_cards.platform_codes(db.session)),
        dashboard_code=live_cards.DASHBOARD_FIXED_CODE,
        mint_form=forms.MintCardForm(),
    )


def card_phone(card_number: str) -> ResponseReturnValue:
    """The simulated phone of a card's holder, where Prakerja texts its OTPs. A storefront knows
    only the card number the buyer typed (the gateway shows it the phone masked), so its
    "Ponsel simulasi" link comes here."""
    cards = live_cards.cards_by_number(db.session, [card_number])
    if not cards:
        abort(404)
    return redirect(url_for("sandbox.phone_page", phone=cards[0].participant.phone), 303)


def mint_card() -> ResponseReturnValue:
    """Mint a fresh card of a persona (as ``POST /sandbox/personas/<key>``), then show it."""
    form = forms.MintCardForm()
    if not form.validate_on_submit():
        detail = form.persona.errors[0] if form.persona.errors else forms.FORM_EXPIRED
        page = render_template("error.html", title="Kartu belum dibuat", detail=detail, code=400)
        return page, 400
    card = create_persona(db.session, current_clock().now(), BY_KEY[form.persona.data])
    number = card.number
    db.session.commit()
    remember_minted(number)
    return redirect(url_for("sandbox.card_page", card_number=number, baru=1), 303)


def remember_minted(number: str) -> None:
    session[MINTED] = [number, *(n for n in minted_numbers() if n != number)][:MINTED_KEPT]


def minted_numbers() -> list[str]:
    """The cards this browser minted, newest first (the session is the person's to edit)."""
    numbers = session.get(MINTED)
    if not isinstance(numbers, list):
        return []
    return [n for n in numbers if isinstance(n, str) and domain.is_valid_card_number(n)][
        :MINTED_KEPT
    ]


def storefront_links(codes: list[live_cards.PlatformCode]) -> list[dict]:
    """Each platform's fixed OTP and its storefront's address (None if it has no storefront)."""
    links = []
    for platform in codes:
        try:
            url = url_for(f"{platform.slug}.home")
        except BuildError:
            url = None
        links.append({"name": platform.name, "code": platform.code, "url": url})
    return links


def home_context() -> dict:
    """What the front page shows of the sandbox: the documented cards as they stand now, the
    fixed OTP of each platform, the cards this browser minted, and the mint button's form."""
    now = current_clock().now()
    mine = live_cards.cards_by_number(db.session, minted_numbers())
    return {
        "documented": live_cards.documented_states(db.session, now),
        "my_cards": live_cards.card_states(db.session, now, mine),
        "otp_groups": live_cards.codes_grouped(live_cards.platform_codes(db.session)),
        "mint_form": forms.MintCardForm(),
    }


# --- the clock --------------------------------------------------------------------------------
def clock_page() -> ResponseReturnValue:
    form = forms.ClockPageForm()
    if form.validate_on_submit():
        delta = timedelta(
            days=form.days.data or 0, hours=form.hours.data or 0, minutes=form.minutes.data or 0
        )
        now = current_clock().advance(delta)
        done = sweeps.run_due_jobs(db.session, now)
        db.session.commit()
        session[CLOCK_RESULT] = {"moved": duration_text(delta), "ran": done}
        return redirect(url_for("sandbox.clock_page"), 303)
    result = session.pop(CLOCK_RESULT, None) if request.method == "GET" else None
    clock = current_clock()
    page = render_template(
        "sandbox/clock.html",
        form=form,
        now=clock.now(),
        offset=offset_text(clock.offset()),
        result=_readable_result(result),
        presets=CLOCK_PRESETS,
        expired_message=forms.FORM_EXPIRED if form.csrf_token.errors else None,
    )
    return page, 422 if form.errors else 200


def duration_text(delta: timedelta) -> str:
    """ "1 hari 2 jam 5 menit" (whole minutes; "0 menit" for less)."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "hari"), (hours, "jam"), (minutes, "menit")]
    return " ".join(f"{count} {unit}" for count, unit in parts if count) or "0 menit"


def offset_text(offset: timedelta) -> str:
    if abs(offset) < timedelta(minutes=1):
        return "Sama dengan waktu nyata."
    if offset < timedelta(0):
        return f"{duration_text(-offset)} di belakang waktu nyata."
    return f"{duration_text(offset)} di depan waktu nyata."


def _readable_result(result) -> dict | None:
    """The last advance's ``ran`` counts as (label, count) lines; None if there is none."""
    if not isinstance(result, dict) or not isinstance(result.get("ran"), dict):
        return None
    ran = result["ran"]
    lines = [(RAN_LABELS.get(name, name), count) for name, count in ran.items()]
    return {"moved": str(result.get("moved", "")), "lines": lines, "any": any(ran.values())}


# --- the inbox ---------------------------------------------------------------------------------
def inbox() -> ResponseReturnValue:
    form = forms.InboxFilterForm(formdata=request.args)
    valid = form.validate()
    to = form.to.data if valid else None
    before = _page_marker()
    messages = mailbox.emails(db.session, to or None, before) if valid else []
    page = render_template(
        "sandbox/inbox.html",
        form=form,
        to=to,
        messages=messages,
        older=messages[-1].id if len(messages) == mailbox.PAGE_SIZE else None,
        recipients=mailbox.recent_recipients(db.session),
    )
    return page, 200 if valid else 422


def _page_marker() -> int | None:
    """``?sebelum=ID``: the page of messages older than that one (ignored if not a number)."""
    try:
        return bounded_int(request.args.get("sebelum", ""), minimum=1, maximum=mailbox.MAX_ID)
    except ParamError:
        return None


def email_page(message_id: int) -> ResponseReturnValue:
    message = mailbox.email(db.session, message_id)
    if message is None:
        abort(404)
    origin = request.host_url.rstrip("/")
    return render_template(
        "sandbox/email.html", message=message, body=mailbox.linkify(message.body, origin)
    )


# --- partners and the books --------------------------------------------------------------------
def partners_page() -> ResponseReturnValue:
    rows = db.session.execute(select(Partner).order_by(Partner.kind, Partner.name)).scalars()
    partners = [
        {
            "partner": partner,
            "fixed_otp": domain.OtpFormat(partner.otp_length, partner.otp_alphabet).fixed_code,
        }
        for partner in rows
    ]
    sso_clients = db.session.execute(select(SsoClient).order_by(SsoClient.kind, SsoClient.id))
    return render_template(
        "sandbox/partners.html", partners=partners, sso_clients=sso_clients.scalars().all()
    )


def reconcile_page() -> ResponseReturnValue:
    return render_template("sandbox/reconcile.html", report=reconcile(db.session))
