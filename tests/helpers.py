"""Test helpers: signed partner clients, the sandbox, and small factories (keyword-only)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from catalog_seed.demo import INSTITUTIONS, PLATFORMS, demo_credentials
from marketplace.catalog.models import Course, sale_closes_at
from marketplace.clock import current_clock
from marketplace.db import db
from prakerja_gateway.client import GatewayClient, GatewayResponse, WsgiTransport
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.models import Card, LedgerEntry, Participant, Payment, RedeemCode

_invoices = itertools.count(1)


def new_invoice(prefix: str = "INV") -> str:
    return f"{prefix}-{next(_invoices):06d}"


def sandbox_off_config(**overrides: Any) -> dict[str, Any]:
    """Config of a marketplace with the sandbox switched off: the documented demo keys no longer
    work, so every partner gets its own key from configuration, the gateway and the partner
    alike (``PARTNER_CREDENTIALS``, ``PLATFORM_CREDENTIALS``, ``INSTITUTION_CREDENTIALS``, and
    the storefronts' voucher API: ``VOUCHER_API_KEYS``, ``STOREFRONT_CREDENTIALS``)."""
    refs = [slug for slug, *_ in PLATFORMS] + [code for code, *_ in INSTITUTIONS]
    live = {ref: (demo_credentials(ref)[0], f"sk_live_{ref.lower()}_test") for ref in refs}
    slugs = {slug for slug, *_ in PLATFORMS}
    keys = {ref: {"client_code": code, "sign_key": key} for ref, (code, key) in live.items()}
    codes = [ref for ref in refs if ref not in slugs]
    voucher_keys = {slug: {f"{code.lower()}-lp": f"sk_live_{slug}_{code.lower()}_test"
                           for code in codes} for slug in slugs}  # fmt: skip
    return {
        "SANDBOX_ENABLED": False,
        "PARTNER_CREDENTIALS": dict(live.values()),
        "PLATFORM_CREDENTIALS": {ref: keys[ref] for ref in refs if ref in slugs},
        "INSTITUTION_CREDENTIALS": {ref: keys[ref] for ref in codes},
        "VOUCHER_API_KEYS": voucher_keys,
        "STOREFRONT_CREDENTIALS": {
            slug: {
                code: {"client_code": client, "sign_key": key}
                for code in codes
                for client, key in [
                    (f"{code.lower()}-lp", voucher_keys[slug][f"{code.lower()}-lp"])
                ]
            }
            for slug in slugs
        },  # fmt: skip
        **overrides,
    }


@dataclass
class Persona:
    key: str
    card_number: str
    phone: str
    email: str
    otp: str | None
    balance: int
    status: str


class Marketplace:
    """One running marketplace, driven the way outside testers drive it."""

    def __init__(self, app: Flask):
        self.app = app
        self.http = app.test_client()

    # --- partners ---
    def partner(self, ref: str) -> GatewayClient:
        client_code, sign_key = demo_credentials(ref)
        configured = self.app.config.get("PARTNER_CREDENTIALS") or {}
        sign_key = configured.get(client_code, sign_key)
        return GatewayClient(client_code, sign_key, WsgiTransport(self.app))

    @property
    def tokopedia(self) -> GatewayClient:
        return self.partner("tokopedia")

    @property
    def bukalapak(self) -> GatewayClient:
        return self.partner("bukalapak")

    @property
    def pintaria(self) -> GatewayClient:
        return self.partner("pintaria")

    # --- sandbox ---
    def mint(self, key: str) -> Persona:
        response = self.http.post(f"/sandbox/personas/{key}")
        assert response.status_code == 201, response.get_json()
        data = response.get_json()
        return Persona(
            key=data["key"],
            card_number=data["card_number"],
            phone=data["phone"],
            email=data["email"],
            otp=data["otp"],
            balance=data["balance"],
            status=data["status"],
        )

    def sms(self, phone: str, **params: Any) -> list[dict]:
        response = self.http.get("/sandbox/sms", query_string={"phone": phone, **params})
        assert response.status_code == 200
        return response.get_json()["messages"]

    def latest_otp(self, phone: str) -> str:
        return self.sms(phone)[0]["otp"]

    def emails(self, to: str) -> list[dict]:
        return self.http.get("/sandbox/emails", query_string={"to": to}).get_json()["messages"]

    def advance(self, **delta: int) -> dict:
        response = self.http.post("/sandbox/clock/advance", json=delta)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def complete(self, payment_id: str, **body: Any) -> dict:
        response = self.http.post(f"/sandbox/payments/{payment_id}/complete", json=body)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def reconcile(self) -> dict:
        return self.http.get("/sandbox/reconcile").get_json()

    def assert_reconciled(self) -> None:
        report = self.reconcile()
        failing = [check for check in report["checks"] if not check["ok"]]
        assert report["ok"], failing

    # --- database peeks (read-only) ---
    def card(self, card_number: str) -> Card:
        with self.app.app_context():
            card = db.session.execute(select(Card).where(Card.number == card_number)).scalar_one()
            db.session.expunge(card)
            return card

    def ledger(self, card_number: str, kind: str | None = None) -> list[int]:
        with self.app.app_context():
            query = (
                select(LedgerEntry.amount)
                .join(Card, Card.id == LedgerEntry.card_id)
                .where(Card.number == card_number)
                .order_by(LedgerEntry.id)
            )
            if kind:
                query = query.where(LedgerEntry.kind == kind)
            return list(db.session.execute(query).scalars())

    def count(self, model) -> int:
        with self.app.app_context():
            return db.session.execute(select(func.count()).select_from(model)).scalar_one()

    # --- a whole purchase (the real DP flow: send-otp, the SMS, authorize) ---
    def open_schedule(self, course_code: str) -> str:
        """The first schedule of the course still on sale at the simulated now."""
        with self.app.app_context():
            now = current_clock().now()
            course = db.session.execute(
                select(Course).where(Course.course_code == course_code)
            ).scalar_one()
            for schedule in course.schedules:
                if sale_closes_at(course.course_type, schedule.starts_at, schedule.ends_at) > now:
                    return schedule.schedule_code
        raise AssertionError(f"no schedule of {course_code} is on sale")

    def send_otp(
        self,
        persona: Persona,
        *,
        partner: GatewayClient | None = None,
        course_code: str = "DIG-001",
        schedule_code: str | None = None,
        amount: int | None = None,
        account_id: str | None = None,
    ) -> GatewayResponse:
        partner = partner or self.tokopedia
        return partner.send_otp(
            prakerja_id=persona.card_number,
            user_platform_id=account_id or f"acct-{persona.card_number[-8:]}",
            course_code=course_code,
            schedule_code=schedule_code or self.open_schedule(course_code),
            amount=amount if amount is not None else COURSE_PRICES[course_code],
        )

    def authorize(
        self,
        opened: GatewayResponse,
        otp: str,
        *,
        partner: GatewayClient | None = None,
        invoice_code: str | None = None,
        **kwargs: Any,
    ) -> GatewayResponse:
        invoice_code = invoice_code or new_invoice()
        return (partner or self.tokopedia).authorize(
            opened.data["payment_token"],
            otp=otp,
            invoice_code=invoice_code,
            invoice_url=f"https://toko.example/invoice/{invoice_code}",
            **kwargs,
        )

    def buy(
        self,
        persona: Persona,
        *,
        partner: GatewayClient | None = None,
        invoice_code: str | None = None,
        **kwargs: Any,
    ) -> GatewayResponse:
        """send-otp, the OTP read from the phone, authorize; authorize's response."""
        partner = partner or self.tokopedia
        opened = self.send_otp(persona, partner=partner, **kwargs)
        assert opened.status == 200, opened.body
        otp = self.latest_otp(persona.phone)
        return self.authorize(opened, otp, partner=partner, invoice_code=invoice_code)

    def payment_of(self, opened: GatewayResponse) -> Payment:
        """Prakerja's side of a payment that send-otp opened (the DP holds only its token)."""
        with self.app.app_context():
            payment = db.session.execute(
                select(Payment).where(Payment.token == opened.data["payment_token"])
            ).scalar_one()
            db.session.expunge(payment)
            return payment

    def card_holder_phone(self, card_number: str) -> str:
        """The phone Prakerja has for a card's holder (where its OTPs are texted)."""
        with self.app.app_context():
            return db.session.execute(
                select(Participant.phone)
                .join(Card, Card.participant_id == Participant.id)
                .where(Card.number == card_number)
            ).scalar_one()

    def redeem_code_of(self, transaction_code: str) -> str:
        """The redeem code Prakerja issued for a purchase (sent to the participant, not the DP)."""
        with self.app.app_context():
            return db.session.execute(
                select(RedeemCode.code)
                .join(Payment, Payment.id == RedeemCode.payment_id)
                .where(Payment.transaction_code == transaction_code)
            ).scalar_one()


COURSE_PRICES = {
    "DIG-001": 1_000_000,
    "DIG-002": 500_000,
    "DIG-003": 750_000,
    "DIG-004": 100_000,
    "FIN-001": 250_000,
    "FIN-002": 950_000,
    "BIS-001": 400_000,
    "BIS-002": 1_500_000,
    "BHS-001": 600_000,
    "BHS-002": 1_200_000,
    "TEK-001": 2_000_000,
    "TEK-002": 300_000,
    "TEK-003": 150_000,
}


def institution_client(market: Marketplace, institution_code: str) -> GatewayClient:
    """The demo institution's signed client (e.g. ``LPDIGI``)."""
    return market.partner(institution_code)


def pass_face_check(market: Marketplace, url: str, *, button: str = "scan") -> str:
    """Do "Scan Wajah" on the gateway's page, as the participant; the redirect's address."""
    path = url.split("://", 1)[-1].split("/", 1)[1]
    page = market.http.get("/" + path)
    assert page.status_code == 200, page.status_code
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    submitted = market.http.post("/" + path, data={"csrf_token": token, button: "1"})
    assert submitted.status_code == 302, submitted.status_code
    return submitted.headers["Location"]


def refusal(name: str) -> tuple[int, str]:
    """(HTTP status, wire code) of a gateway refusal, looked up in its catalogue by name."""
    kind = GATEWAY_ERRORS[name]
    return kind.status, kind.code
