"""Tokopedia: phone-verified account, search "Kartu Prakerja" → category → institution →
"Lihat detail" → "Beli" (promo code) → payment "Lihat semua" → "Program Pemerintah" ›
"Kartu Prakerja" → 16 digits → OTP by SMS → voucher in "Histori Transaksi Top Up dan Tagihan"."""

from __future__ import annotations

from flask import redirect, request

from marketplace.db import begin_write, db
from platforms.core import forms, services
from platforms.core.flow import CheckoutFlow, add_error, buyer_required, safe_next
from platforms.core.services import StorefrontError
from platforms.core.spec import Look, PlatformSpec


class TokopediaFlow(CheckoutFlow):
    requires_verified_phone = True

    def extra_rules(self):
        return [
            ("/verifikasi", "verify_phone", self.verify_phone, ["GET", "POST"]),
            ("/bayar/<order_code>", "payment", self.payment, ["GET"]),
            ("/bayar/<order_code>/metode", "methods", self.methods, ["GET"]),
        ]

    def after_register(self, buyer):
        services.send_phone_code(db.session, self.now(), self.spec, buyer)

    def next_after_register(self) -> str:
        return self.url("verify_phone", next=safe_next(request.args.get("next")) or "")

    def verify_phone(self):
        buyer = self.buyer()
        if buyer is None:
            return redirect(self.url("login", next=request.full_path))
        form = forms.PhoneCodeForm()
        if not form.validate_on_submit():
            status = 422 if form.is_submitted() else 200
            return self.render("verify_phone.html", status, form=form, texts_buyer=True)
        begin_write(db.session)
        buyer = self.buyer()
        try:
            services.verify_phone(
                self.now(), buyer, form.code.data, session=db.session, address=request.remote_addr
            )
        except StorefrontError as refusal:
            db.session.commit()  # the wrong code counts (marketplace.throttle)
            add_error(form.code, refusal.message)
            return self.render("verify_phone.html", 422, form=form, texts_buyer=True)
        db.session.commit()
        return redirect(safe_next(request.args.get("next")) or self.url("home"))

    def next_after_order(self, order) -> str:
        return self.url("payment", order_code=order.code)

    @buyer_required
    def payment(self, order_code: str):
        order = self.own_order(order_code)
        if (done := self.settled(order)) is not None:
            return done
        return self.render("payment.html", order=order)

    @buyer_required
    def methods(self, order_code: str):
        order = self.own_order(order_code)
        if (done := self.settled(order)) is not None:
            return done
        return self.render("methods.html", order=order)


SPEC = PlatformSpec(
    slug="tokopedia",
    name="Tokopedia",
    tagline="Mulai aja dulu — pelatihan Kartu Prakerja",
    look=Look(primary="#007a0a", accent="#c43c0c", background="#f3f4f5", radius="12px"),
    flow=TokopediaFlow,
    voucher_prefix="TKP",
    copy={"buy": "Beli", "history": "Histori Transaksi Top Up dan Tagihan", "pay": "Bayar"},
)
