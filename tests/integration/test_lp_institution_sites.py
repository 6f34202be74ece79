"""The demo institution sites as an LP's own website: they reach Prakerja only through the signed
client, register their Scan Wajah callback the first time they run on an address, redeem
offline courses with commit, and give the institution's feedback on every task."""

from __future__ import annotations

import math
import re
from datetime import datetime

from marketplace.clock import WIB
from tests.functional.storefront import Shopper
from tests.functional.test_journey import buy_on_tokopedia

CALLBACK = "https://lembaga.example/lembaga/digital-nusantara/scan-wajah/kembali"


class PublicShopper(Shopper):
    """A browser on the site's public address (not localhost, which the sandbox waves through)."""

    BASE = "https://lembaga.example"

    def get(self, path: str, **params) -> Shopper:
        response = self.client.get(
            f"/{self.slug}{path}", query_string=params, follow_redirects=True, base_url=self.BASE
        )
        return self._keep(response)

    def submit(self, path: str | None = None, **fields) -> Shopper:
        target = f"/{self.slug}{path}" if path else self.url
        data = {"csrf_token": self.token(), **fields}
        response = self.client.post(target, data=data, follow_redirects=True, base_url=self.BASE)
        return self._keep(response)


def learner_with(market, voucher: str, site: str, shopper=Shopper) -> Shopper:
    learner = shopper(market, site)
    learner.get("/daftar").submit(
        name="Budi Peserta", email="budi@contoh.test", password="rahasia-123", confirm="rahasia-123"
    )
    learner.submit(platform="tokopedia", voucher_code=voucher).sees("Masukkan Kode Redeem")
    return learner


def enrolment_path(learner: Shopper) -> str:
    return re.search(r"/kelas/\d+", learner.url).group(0)


def test_the_site_registers_its_callback_on_first_use_of_a_public_address(market):
    persona = market.mint("ok")
    voucher, redeem = buy_on_tokopedia(market, persona)
    listed = market.http.get("/sandbox/test-codes?client_code=lpdigi-sandbox").get_json()
    assert listed["redirect_uris"] == []

    learner = learner_with(market, voucher, "lembaga/digital-nusantara", PublicShopper)
    learner.submit(f"{enrolment_path(learner)}/redeem", redeem_code=redeem)
    assert learner.url.startswith("/prakerja/scan-wajah?state="), learner.url
    listed = market.http.get("/sandbox/test-codes?client_code=lpdigi-sandbox").get_json()
    assert listed["redirect_uris"] == [CALLBACK]
    learner.submit(scan="1").sees("Pre-test")

    lp = market.partner("LPDIGI")
    assert lp.redeem_code_status(redeem).data["attendance_status"] == 1
    assert lp.redeem_code_status(redeem).data["redeem_at"] is not None


def test_a_wrong_or_stale_state_is_refused_at_the_callback(market):
    persona = market.mint("ok")
    voucher, redeem = buy_on_tokopedia(market, persona)
    learner = learner_with(market, voucher, "lembaga/digital-nusantara")
    learner.submit(f"{enrolment_path(learner)}/redeem", redeem_code=redeem)
    learner.get("/scan-wajah/kembali", state="tidak-dikenal")
    assert learner.status == 400
    learner.sees("Sesi Scan Wajah tidak dikenal")


def test_tasks_get_the_institutions_feedback(market):
    persona = market.mint("ok")
    voucher, redeem = buy_on_tokopedia(market, persona)
    learner = learner_with(market, voucher, "lembaga/digital-nusantara")
    course = enrolment_path(learner)
    learner.submit(f"{course}/redeem", redeem_code=redeem).submit(scan="1").sees("Pre-test")
    learner.submit(f"{course}/pretest", q1="1", q2="0", q3="1")
    for number in (1, 2, 3):
        learner.submit(f"{course}/materi/{number}")
    learner.submit(f"{course}/tugas", url_file="https://drive.example/tugas.pdf")
    learner.sees("Post-test")
    status = market.partner("LPDIGI").task_status(redeem, scope="tpm", sequence=1).data
    assert status["assignment"]["status"] == 2 and status["feedback"]["status"] == 2


def test_an_offline_course_is_redeemed_with_commit_once_its_schedule_runs(market):
    persona = market.mint("ok")
    voucher, redeem = buy_on_tokopedia(market, persona, course="TEK-001")
    learner = learner_with(market, voucher, "lembaga/bina-karya")
    learner.sees("kehadiran dicatat di tempat pelatihan")
    learner.submit(f"{enrolment_path(learner)}/redeem", redeem_code=redeem)
    assert learner.status == 409
    learner.sees("Jadwal pelatihan belum dimulai atau sudah selesai")

    lp = market.partner("LPTEK")
    status = lp.redeem_code_status(redeem).data
    starts = datetime.strptime(status["schedule_start_end"][:16], "%Y-%m-%d %H:%M")
    now = datetime.fromisoformat(market.http.get("/sandbox/clock").get_json()["now"])
    market.advance(minutes=math.ceil((starts.replace(tzinfo=WIB) - now).total_seconds() / 60))
    learner.submit(f"{enrolment_path(learner)}/redeem", redeem_code=redeem).sees("Pre-test")
    after = lp.redeem_code_status(redeem).data
    assert after["redeem_at"] is not None and after["attendance_status"] == 0
