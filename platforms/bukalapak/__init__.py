"""Bukalapak: search "Prakerja" → sort → curriculum and reviews → schedule and terms ("Ya") →
card number verified by the system → "Bayar dengan Kartu Prakerja" → OTP (5 letters) →
"Verifikasi" → coupon code in "Detail Tagihan"."""

from __future__ import annotations

from flask import request

from platforms.core import payment
from platforms.core.flow import CheckoutFlow, add_error
from platforms.core.services import StorefrontError
from platforms.core.spec import Look, PlatformSpec


class BukalapakFlow(CheckoutFlow):
    schedule_endpoint = "buy"  # the schedule is chosen with the terms, after "Beli Sekarang"

    def check_buy_form(self, form) -> bool:
        if not form.accept_terms.data:
            add_error(
                form.accept_terms, "Setujui syarat dan ketentuan dengan memilih \u201cYa\u201d."
            )
            return True
        return super().check_buy_form(form)

    def submit_card(self, order, form):
        """The card is checked with Prakerja first; paying is a second, explicit step."""
        if request.form.get("action", "cek") == "bayar":
            return super().submit_card(order, form)
        try:
            check = payment.check_card(self.spec, order, form.card_number.data)
        except StorefrontError as refusal:
            return self.card_refused(order, form, refusal)
        return self.render("card.html", order=order, form=form, check=check)


SPEC = PlatformSpec(
    slug="bukalapak",
    name="Bukalapak",
    tagline="Pelatihan Prakerja, bayar pakai saldo Kartu Prakerja",
    look=Look(primary="#d4124a", accent="#8a5a00", background="#f7f7f7", radius="4px"),
    flow=BukalapakFlow,
    otp_length=5,
    otp_alphabet="letters",
    voucher_prefix="BL",
    copy={
        "buy": "Beli Sekarang",
        "history": "Daftar Tagihan",
        "pay": "Verifikasi",
        "order_title": "Detail Tagihan",
        "voucher": "Kode kupon",
    },
)
