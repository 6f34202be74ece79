"""The participant's whole journey, clicked through with test clients: buy on a storefront,
exchange the voucher at the institution, redeem with Scan Wajah, learn, get the certificate,
review on the dashboard, and receive the incentive when the clock reaches it. A second
participant who never buys is revoked at the deadline."""

from __future__ import annotations

import math
import re
from datetime import datetime

from institutions.services import QUIZ
from marketplace.clock import WIB
from marketplace.templating import MONTHS
from prakerja_gateway.errors import GATEWAY_ERRORS
from tests.functional.storefront import Shopper
from tests.functional.test_dashboard import signed_in
from tests.functional.test_storefronts import pay_with, reach_card_step

SITE = "lembaga/digital-nusantara"
RIGHT = {f"q{n}": str(q.answer) for n, q in enumerate(QUIZ, start=1)}
WRONG = {f"q{n}": str((q.answer + 1) % len(q.options)) for n, q in enumerate(QUIZ, start=1)}


def buy_on_tokopedia(market, persona, course: str = "DIG-004") -> tuple[str, str]:
    """(voucher code from the storefront, redeem code from Prakerja's e-mail to the buyer)."""
    shopper = reach_card_step(market, "tokopedia", course)
    pay_with(shopper, persona.card_number).submit(otp=market.latest_otp(persona.phone))
    return shopper.value("voucher-code"), redeem_code_mailed(market, persona)


def redeem_code_mailed(market, persona) -> str:
    """Prakerja tells the participant the redeem code (the platform never sees it)."""
    for mail in market.emails(persona.email):
        found = re.search(r"Kode redeem Anda: (\S+)", mail["body"])
        if found:
            return found.group(1)
    raise AssertionError(f"no redeem code mailed to {persona.email}")


def new_learner(market, site: str = SITE) -> Shopper:
    learner = Shopper(market, site)
    learner.get("/daftar").submit(
        name="Sari Peserta", email="sari@contoh.test", password="rahasia-123", confirm="rahasia-123"
    )
    learner.sees("Tukar Voucher")
    return learner


def test_purchase_to_certificate_review_and_incentive(market):
    persona = market.mint("sms")
    voucher, redeem = buy_on_tokopedia(market, persona)

    learner = new_learner(market)
    learner.submit(platform="bukalapak", voucher_code=voucher)
    assert learner.status == 422
    learner.sees("Kode voucher tidak ditemukan di platform ini.")
    learner.submit(platform="tokopedia", voucher_code=voucher.lower())
    learner.sees("Desain Grafis dengan Aplikasi Gratis", "Masukkan Kode Redeem")
    enrolment_url = learner.url

    learner.submit(f"/kelas/{_id(learner)}/redeem", redeem_code="PRAT-ZZZZZZ")
    assert learner.status == 422
    learner.sees("Transaksi tidak ditemukan")
    learner.submit(f"/kelas/{_id(learner)}/redeem", redeem_code=redeem)
    assert learner.url.startswith("/prakerja/scan-wajah?state="), learner.url
    learner.sees("Verifikasi Wajah", "Mulai Scan Wajah")
    learner.submit(scan="1")  # back at the institution: the first Scan Wajah redeemed the code
    assert learner.url == enrolment_url
    learner.sees("Pre-test")
    assert market.partner("LPDIGI").redeem_code_status(redeem).data["redeem_at"] is not None

    learner.submit(f"/kelas/{_id(learner)}/pretest", **WRONG).sees("Materi 1 dari 3")
    for number in (1, 2, 3):
        learner.submit(f"/kelas/{_id(learner)}/materi/{number}")
    learner.sees("Tugas Praktik Mandiri")
    learner.submit(f"/kelas/{_id(learner)}/tugas", url_file="https://drive.example/gagal.pdf")
    learner.sees("tidak lolos penilaian")
    learner.submit(f"/kelas/{_id(learner)}/tugas", url_file="https://drive.example/tugas.pdf")
    learner.submit(f"/kelas/{_id(learner)}/posttest", **WRONG)
    assert learner.status == 422
    learner.sees("Nilai post-test Anda 0. Nilai minimal 60")
    learner.submit(f"/kelas/{_id(learner)}/posttest", **RIGHT).sees("Tugas Akhir")
    learner.submit(f"/kelas/{_id(learner)}/tugas-akhir", url_file="https://drive.example/uk.pdf")
    # The certificate names the participant as the institution knows them (Prakerja's status
    # answer carries no name).
    participant = re.search(r"Peserta: (.+?) · voucher", " ".join(learner.text().split())).group(1)
    learner.submit(f"/kelas/{_id(learner)}/selesai")
    number = learner.value("certificate-number")
    assert re.fullmatch(r"LPDIGI-\d{4}-\d{6}-[0-9A-F]{6}", number)
    learner.sees("Sertifikat", participant)

    pdf = learner.client.get(f"/{SITE}/sertifikat/{number}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and len(pdf.data) > 1000
    stranger = Shopper(market, SITE).get(f"/sertifikat/{number}")  # verifiable by anyone
    stranger.sees(number, "Desain Grafis dengan Aplikasi Gratis")
    assert Shopper(market, SITE).get("/sertifikat/LPDIGI-2026-000001-000000").status == 404

    person = signed_in(market, persona)
    person.sees("Selesai — beri rating dan ulasan", number)
    payment_id = re.search(r"/pelatihan/([A-Z0-9]{16})/ulasan", person.page).group(1)
    person.submit(
        f"/pelatihan/{payment_id}/ulasan",
        rating="5",
        review="Materinya jelas, tugasnya membantu saya mulai jualan desain.",
    )
    person.sees("Insentif dijadwalkan")
    market.advance(days=1, minutes=5)
    person.get("/dashboard").sees("Dibayar ke GoPay")
    market.assert_reconciled()


def test_a_voucher_is_exchanged_once_and_only_at_its_institution(market):
    persona = market.mint("ok")
    voucher, _redeem = buy_on_tokopedia(market, persona)
    elsewhere = new_learner(market, "lembaga/akademi-keuangan")
    elsewhere.submit(platform="tokopedia", voucher_code=voucher)
    assert elsewhere.status == 422
    elsewhere.sees("Voucher ini untuk pelatihan lembaga lain.")
    learner = new_learner(market)
    learner.submit(platform="tokopedia", voucher_code=voucher).sees("Masukkan Kode Redeem")
    again = Shopper(market, SITE)
    again.get("/daftar").submit(
        name="Orang Lain", email="lain@contoh.test", password="rahasia-123", confirm="rahasia-123"
    )
    again.submit(platform="tokopedia", voucher_code=voucher)
    assert again.status == 422
    again.sees("Kode voucher ini sudah ditukarkan.")


def test_a_webinar_redeems_from_its_schedule_and_the_face_check_can_be_cancelled(market):
    persona = market.mint("ok")
    voucher, redeem = buy_on_tokopedia(market, persona, course="DIG-002")
    learner = new_learner(market)
    learner.submit(platform="tokopedia", voucher_code=voucher).sees("Masukkan Kode Redeem")
    learner.submit(f"/kelas/{_id(learner)}/redeem", redeem_code=redeem)
    assert learner.status == 422  # the schedule bought has not started yet
    learner.sees("Jadwal pelatihan belum dimulai atau sudah selesai")
    status = market.partner("LPDIGI").redeem_code_status(redeem).data
    starts = datetime.strptime(status["schedule_start_end"][:16], "%Y-%m-%d %H:%M")
    now = datetime.fromisoformat(market.http.get("/sandbox/clock").get_json()["now"])
    market.advance(minutes=math.ceil((starts.replace(tzinfo=WIB) - now).total_seconds() / 60))

    learner.submit(f"/kelas/{_id(learner)}/redeem", redeem_code=redeem)
    learner.sees("Verifikasi Wajah")
    # The page names the schedule fixed at purchase as people read it, not by its code.
    day = f"{starts.day} {MONTHS[starts.month - 1]} {starts.year} {starts:%H.%M}"
    learner.submit(cancel="1").sees("Scan Wajah dibatalkan", f"jadwal {day}")
    assert status["schedule_code"] not in learner.page
    assert market.partner("LPDIGI").redeem_code_status(redeem).data["redeem_at"] is None


def test_a_participant_who_never_buys_is_revoked_at_the_deadline(market):
    persona = market.mint("sms")
    person = signed_in(market, persona)
    person.sees("Batas pembelian pelatihan pertama", "Kepesertaan aktif.")
    market.advance(days=16)  # normal scheme: 15 days, ending 23:59 WIB
    person.get("/dashboard").sees("Kepesertaan Anda dicabut.", "Saldo pelatihan: Rp0")
    assert "Batas pembelian" not in person.text()
    refused = market.send_otp(persona)
    assert (refused.status, refused.error_code) == (400, GATEWAY_ERRORS["card_revoked"].code)
    market.assert_reconciled()


def _id(learner: Shopper) -> str:
    match = re.search(r"/kelas/(\d+)", learner.url)
    assert match, learner.url
    return match.group(1)


def test_a_redeem_code_serves_one_class_only(market):
    persona = market.mint("ok")
    voucher, redeem = buy_on_tokopedia(market, persona)
    first = new_learner(market)
    first.submit(platform="tokopedia", voucher_code=voucher)
    first.submit(f"/kelas/{_id(first)}/redeem", redeem_code=redeem).submit(scan="1")
    first.sees("Pre-test")
    other_voucher, _other_redeem = buy_on_tokopedia(market, market.mint("ok"))
    second = Shopper(market, SITE)
    second.get("/daftar").submit(
        name="Peserta Kedua", email="kedua@contoh.test", password="rahasia-123",
        confirm="rahasia-123",
    )  # fmt: skip
    second.submit(platform="tokopedia", voucher_code=other_voucher)
    second.submit(f"/kelas/{_id(second)}/redeem", redeem_code=redeem)
    assert second.status == 422
    second.sees("Kode redeem ini sudah dipakai di kelas lain.")
