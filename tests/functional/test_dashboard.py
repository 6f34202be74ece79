"""The participant dashboard, clicked through with a test client: sign-in by SMS code, videos,
card, payout account, review, incentives paid as the clock moves, surveys, revoked state."""

from __future__ import annotations

from tests.functional.storefront import Shopper
from tests.helpers import Marketplace, Persona


def signed_in(market: Marketplace, persona: Persona) -> Shopper:
    person = Shopper(market, "prakerja")
    person.get("/masuk").submit(login=persona.phone)
    assert person.status == 200 and person.url.startswith("/prakerja/masuk/kode")
    person.sees("Kode verifikasi dikirim lewat SMS ke " + persona.phone[:4])
    person.submit(code=market.latest_otp(persona.phone))
    assert person.url == "/prakerja/dashboard", person.url
    return person


def test_sign_in_needs_a_registered_login_and_the_texted_code(market):
    persona = market.mint("sms")
    person = Shopper(market, "prakerja")
    person.get("/masuk").submit(login="tidak.ada@contoh.id")
    assert person.status == 422
    person.sees("tidak terdaftar sebagai peserta")
    person.submit(login=persona.email.upper())
    person.submit(code="000000")
    assert person.status == 422
    person.sees("Kode salah. Sisa percobaan: 2.")
    assert person.client.get("/prakerja/dashboard").status_code == 302  # still signed out
    person.submit(code=market.latest_otp(persona.phone))
    assert person.url == "/prakerja/dashboard"


def test_card_number_shows_after_the_three_videos(market):
    persona = market.mint("sms")
    person = signed_in(market, persona)
    assert persona.card_number not in person.page
    person.sees("Tonton tiga video pengenalan", "Kepesertaan aktif.", "Batas pembelian")
    for number in (1, 2, 3):
        person.submit(f"/video/{number}")
    assert person.value("card-number") == persona.card_number
    person.sees("Saldo pelatihan: Rp3.500.000")


def test_payout_account_linking_checks_the_ewallet_phone_and_the_code(market):
    persona = market.mint("no_linked_account")
    person = signed_in(market, persona)
    person.sees("Belum ada rekening bank atau e-wallet")
    person.get("/rekening").submit(provider="OVO", account_number="081299990000")
    assert person.status == 422
    person.sees("Nomor e-wallet harus sama dengan nomor HP")
    person.submit(provider="DANA", account_number=persona.phone)
    person.submit(code=market.latest_otp(persona.phone))
    person.sees("Akun DANA berhasil dihubungkan.", f"DANA ****{persona.phone[-4:]}")
    assert market.send_otp(persona).status == 200  # the purchase rule is now met


def test_review_schedules_the_incentive_paid_when_the_clock_reaches_it(market):
    persona = market.mint("sms")
    charged = market.buy(persona, course_code="DIG-004")
    person = signed_in(market, persona)
    redeem_code = market.redeem_code_of(charged.data["transaction_code"])
    person.sees("Belum ditukarkan di lembaga pelatihan", redeem_code)
    market.complete(charged.data["transaction_code"])
    person.get("/dashboard").sees("Selesai — beri rating dan ulasan")

    person.submit(
        f"/pelatihan/{charged.data['transaction_code']}/ulasan", rating="5", review="bagus"
    )
    assert person.status == 422
    person.sees("Tulis ulasan 20–2.000 karakter")
    person.submit(
        f"/pelatihan/{charged.data['transaction_code']}/ulasan",
        rating="5",
        review="Materinya praktis dan langsung bisa dipakai untuk usaha saya.",
    )
    person.sees("Insentif dijadwalkan", "Pasca pelatihan ke-1", "Rp600.000", "Dijadwalkan")
    assert market.advance(hours=23)["ran"]["incentives_paid"] == 0
    assert market.advance(hours=2)["ran"]["incentives_paid"] == 1
    person.get("/dashboard").sees(f"Dibayar ke GoPay ****{persona.phone[-4:]}")
    assert any("Rp600.000" in sms["body"] for sms in market.sms(persona.phone))

    person.sees("Survei evaluasi ke-1")
    person.submit("/survei", employed="wirausaha", usefulness="4")
    person.sees("Insentif survei dijadwalkan", "Survei ke-1", "Rp50.000")
    market.advance(days=1, hours=1)
    person.get("/dashboard").sees("Survei evaluasi ke-2 dibuka")
    totals = market.reconcile()["totals"]
    assert (totals["incentives_paid"], totals["incentives_paid_idr"]) == (2, 650_000)
    market.assert_reconciled()


def test_semi_bansos_incentive_is_paid_in_four_monthly_instalments(market):
    persona = market.mint("semi_bansos")
    charged = market.buy(persona, course_code="DIG-004")
    market.complete(
        charged.data["transaction_code"], rating=4, review="Pelatihan yang sangat membantu."
    )
    market.http.post(
        "/sandbox/personas/semi_bansos"
    )  # another participant: unaffected by this one's incentive
    assert market.advance(days=1, hours=1)["ran"]["incentives_paid"] == 0  # no account linked
    person = signed_in(market, persona)
    person.sees("Menunggu rekening terhubung")
    person.get("/rekening").submit(provider="BNI", account_number="1234567890")
    person.submit(code=market.latest_otp(persona.phone))
    assert market.advance(minutes=1)["ran"]["incentives_paid"] == 1
    paid = sum(market.advance(days=30)["ran"]["incentives_paid"] for _ in range(3))
    assert paid == 3
    person.get("/dashboard").sees("Pasca pelatihan ke-4", "Dibayar ke BNI ****7890")
    market.assert_reconciled()


def test_revoked_participants_see_why(market):
    persona = market.mint("revoked")
    person = signed_in(market, persona)
    person.sees("Kepesertaan Anda dicabut.")
    assert "Batas pembelian" not in person.text()
