"""Adding a platform is a spec (a new package) and one registry line: here Pijar Mahir, with the
core's default checkout, buys a seeded training end to end."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from catalog_seed.catalogue import sign_key
from catalog_seed.seeder import SeedRun, seed
from marketplace.catalog.models import Course, CourseListing
from marketplace.db import db
from platforms import registry
from platforms.core.flow import CheckoutFlow
from platforms.core.spec import Look, PlatformSpec
from tests.functional.storefront import Shopper
from tests.functional.test_storefronts import pay_with, register
from tests.helpers import Marketplace

PIJAR_MAHIR = PlatformSpec(
    slug="pijar-mahir",
    name="Pijar Mahir",
    tagline="Belajar dan sertifikasi bersama Pijar Mahir",
    look=Look(primary="#d71920"),
    flow=CheckoutFlow,
    voucher_prefix="PJR",
    copy={"buy": "Beli Sekarang"},
)


def test_a_fourth_platform_is_one_spec_and_one_registry_line(make_app, monkeypatch):
    monkeypatch.setattr(registry, "PLATFORMS", (*registry.PLATFORMS, PIJAR_MAHIR))
    app = make_app(
        PLATFORM_CREDENTIALS={
            "pijar-mahir": {
                "client_code": "pijar-mahir-sandbox",
                "sign_key": sign_key(11, "pijar-mahir-sandbox"),
            },
        }
    )
    with app.app_context():  # the seeder lists trainings on all seven platforms
        seed(
            db.engine,
            SeedRun(
                seed=11,
                start=14_400_000,
                count=10,
                institutions=5,
                courses=30,
                anchor=date(2026, 11, 21),
            ),
        )
        course = (
            db.session.execute(
                select(Course)
                .join(CourseListing)
                .where(CourseListing.platform_slug == "pijar-mahir")
                .order_by(Course.price_idr)
            )
            .scalars()
            .first()
        )
        code, title = course.course_code, course.title
    market = Marketplace(app)
    assert 'href="/pijar-mahir/"' in market.http.get("/").get_data(as_text=True)

    persona = market.mint("ok")
    shopper = Shopper(market, "pijar-mahir")
    register(shopper)
    shopper.get("/cari", q="Kartu Prakerja").sees(title)
    shopper.get(f"/p/{code}").sees("Pilih jadwal", "Sisa kuota")
    shopper.submit(f"/beli/{code}", schedule_code=shopper.schedule())
    shopper.sees("Bayar dengan Kartu Prakerja")
    pay_with(shopper, persona.card_number).submit(otp=persona.otp).sees("Pembayaran berhasil")
    assert shopper.value("voucher-code").startswith("PJR-")
    assert market.redeem_code_of(shopper.value("transaction-code"))  # Prakerja's, not shown
    market.assert_reconciled()
