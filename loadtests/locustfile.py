"""Locust users for the checkout path (``locust -f loadtests/locustfile.py``; see locust.conf).

- ``PartnerApiUser``: a platform's backend on the real DP flow — send-otp, the OTP read from
  the SMS outbox (as a phone would), authorize. One fresh seeded participant per checkout.
- ``TokopediaShopper``, ``BukalapakShopper``, ``PintariaShopper``: a person in the storefront's
  real HTML checkout (CSRF tokens included). One account per seeded participant; after each
  purchase the training is completed through the sandbox so the next purchase is allowed, until
  the saldo runs out and the user takes the next participant.

Requests are grouped by name ("tokopedia: /p/[course]"); every response is checked.
"""

from __future__ import annotations

import re
import time

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

from loadtests import (  # noqa: F401  (their listeners)
    _drain,
    _options,
    _resolving,
    _run_time,
    _verdict,
    _warm_up,
)
from loadtests._participants import Participant, ParticipantPool
from prakerja_gateway.signing import compact_json, sign

API = "/api/v1/integration/payment"
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
ORDER = re.compile(r"/bayar/([A-Z0-9-]+)/")
PAID = re.compile(r'data-testid="transaction-code">([A-Z0-9]+)<')
# The first schedule a buyer may pick (full ones are shown disabled).
SCHEDULE = re.compile(r'name="schedule_code" value="([^"]+)"(?![^>]*disabled)')
PASSWORD = "beban-uji-123"
ALERT = re.compile(r'role="alert"[^>]*>(.*?)</(?:p|div)>', re.S)
TAG = re.compile(r"<[^>]+>")
_pools: dict[int, ParticipantPool] = {}


def pool(environment) -> ParticipantPool:
    """One pool per worker process, its slice chosen by the worker's index."""
    options = environment.parsed_options
    worker = getattr(environment.runner, "worker_index", 0) or 0
    if worker not in _pools:
        _pools[worker] = ParticipantPool(
            seed=options.seed,
            first=options.first_participant,
            count=options.participants,
            worker_index=worker,
            max_workers=options.max_workers,
        )
    return _pools[worker]


class CheckoutUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)  # back to back: the load shape sets how many buyers there are

    def expect(
        self, method: str, path: str, name: str, *, status: int = 200, contains: str = "", **kwargs
    ):
        """One request, checked; the response, or None when it failed."""
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as resp:
            if resp.status_code != status:
                code = _error_code(resp)
                resp.failure(f"HTTP {resp.status_code} {code}".strip())
                return None
            if contains and contains not in (resp.text or ""):
                resp.failure(f"missing '{contains}'")
                return None
            resp.success()
            return resp

    def fail(self, name: str, reason: str) -> None:
        """Record a step that could not go on (so a stalled flow never passes silently)."""
        self.environment.events.request.fire(
            request_type="FLOW",
            name=name,
            response_time=0,
            response_length=0,
            exception=RuntimeError(reason),
            context={},
        )

    # (phone, id of the newest SMS this user read on it): the next read asks only for newer ones.
    last_sms: tuple[str, int] = ("", 0)

    def read_otp(self, person: Participant, name: str) -> str | None:
        """The code of the SMS the last step sent to the participant's phone (the gateway sends
        it before answering). Only messages newer than the last one read are asked for
        (``after``): the answer is that one message, never an earlier purchase's code, instead
        of every SMS of a card bought with 35 times."""
        phone = person.phone
        after = self.last_sms[1] if self.last_sms[0] == phone else 0
        params = {"phone": phone, "wait": 5, "after": after}
        resp = self.expect("GET", "/sandbox/sms", name, params=params)
        messages = resp.json()["messages"] if resp is not None else []
        if resp is not None and not (messages and messages[0]["otp"]):
            self.fail(name, "no new SMS with a code")
        if not messages:
            return None
        self.last_sms = (phone, messages[0]["id"])
        return messages[0]["otp"]


def _error_code(resp) -> str:
    """What the refusal says: the API's code, or the first alert on an HTML page (the refused
    field or notice), so a failure in the report says why, not only that."""
    try:
        return resp.json()["code"]
    except Exception:  # HTML or empty
        alert = ALERT.search(resp.text or "")
        return " ".join(TAG.sub(" ", alert.group(1)).split())[:160] if alert else ""


class PartnerApiUser(CheckoutUser):
    """A platform backend paying on the real DP flow (Tokopedia's demo credentials)."""

    client_code, sign_key = "tokopedia-sandbox", "sk_sandbox_tokopedia_demo"

    def on_start(self) -> None:
        self.schedule_code, self.price = open_schedule(self, self.environment.parsed_options.course)
        if not self.schedule_code:
            raise StopUser()  # its failure is recorded: nothing to buy, so no busy loop either

    def signed(self, path: str, payload: dict, name: str, **headers):
        body = compact_json(payload)
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "client_code": self.client_code,
            "timestamp": stamp,
            **headers,
            "signature": sign(self.sign_key, self.client_code, stamp, "POST", API + path, body),
        }
        return self.expect("POST", API + path, name, data=body, headers=headers)

    @task
    def checkout(self) -> None:
        person = pool(self.environment).take()
        invoice = f"LT-{person.i}"
        opened = self.signed(
            "/send-otp",
            {
                "user_platform_id": f"lt-{person.i}",
                "prakerja_id": person.card_number,
                "course_code": self.environment.parsed_options.course,
                "schedule_code": self.schedule_code,
                "amount": self.price,
            },
            "api: send-otp",
        )
        otp = opened is not None and self.read_otp(person, "api: read SMS")
        if otp:
            self.signed(
                "/authorize",
                {
                    "otp": otp,
                    "invoice_url": f"https://toko.example/{invoice}",
                    "invoice_code": invoice,
                },  # fmt: skip
                "api: authorize",
                Authorization=f"Payment {opened.json()['data']['payment_token']}",
                **{"Idempotency-Key": invoice},
            )


def open_schedule(user: CheckoutUser, course_code: str) -> tuple[str, int]:
    """The course's schedule on sale with the most seats left, and its price (from the sandbox
    catalogue, read once per user)."""
    resp = user.expect("GET", "/sandbox/courses", "sandbox: courses")
    courses = resp.json()["courses"] if resp is not None else []
    course = next((c for c in courses if c["course_code"] == course_code), None)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    schedules = [
        s for s in (course or {}).get("schedules", [])
        if s["quota"] > 0 and (course["type"] == "self_paced" or s["start"] > now)
    ]  # fmt: skip
    if not schedules:
        user.fail("sandbox: courses", f"no schedule of {course_code} is on sale")
        return "", 0
    return max(schedules, key=lambda s: s["quota"])["schedule_code"], course["price"]


class StorefrontShopper(CheckoutUser):
    """A person buying in a storefront's HTML checkout; platforms fill in their own steps."""

    abstract = True
    slug = ""
    price = 100_000

    def on_start(self) -> None:
        self.new_buyer()

    def page(self, path: str, name: str, **kwargs):
        return self.expect("GET", f"/{self.slug}{path}", f"{self.slug}: {name}", **kwargs)

    def post(self, path: str, name: str, page, fields: dict, **kwargs):
        token = _csrf(page)
        return self.expect(
            "POST",
            f"/{self.slug}{path}",
            f"{self.slug}: {name}",
            data={"csrf_token": token, **fields},
            **kwargs,
        )

    def new_buyer(self) -> None:
        """A new seeded participant and a storefront account for them."""
        self.person = pool(self.environment).take()
        self.saldo = 3_500_000  # wave 48: normal scheme
        self.register()

    def register(self) -> None:
        form = self.page("/daftar", "/daftar")
        self.post(
            "/daftar",
            "register",
            form,
            {
                "name": f"Peserta Beban {self.person.i}",
                "email": f"lt{self.person.i}@{self.slug}.test",
                "phone": self.person.phone,
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
        )

    @task
    def checkout(self) -> None:
        if self.saldo < self.price:
            self.new_buyer()
        card_page = self.buy()
        order = card_page is not None and ORDER.search(card_page.text)
        if not order:
            if card_page is not None:
                self.fail(f"{self.slug}: order", "no order code on the card page")
            return
        otp_page = self.pay_with_card(order.group(1), card_page)
        otp = otp_page is not None and self.read_otp(self.person, f"{self.slug}: read SMS")
        if not otp:
            return
        done = self.submit_otp(order.group(1), otp_page, otp)
        paid = done is not None and PAID.search(done.text)
        if done is not None and not paid:
            self.fail(f"{self.slug}: transaction code", "no Prakerja transaction after paying")
        if paid:
            self.saldo -= self.price
            self.expect(
                "POST",
                f"/sandbox/payments/{paid.group(1)}/complete",
                "sandbox: complete",
                json={"rating": 5, "review": "Bermanfaat"},
            )

    def course_code(self) -> str:
        return self.environment.parsed_options.course

    def buy(self):
        """From the catalogue to the Prakerja card step; the card page."""
        raise NotImplementedError

    def pay_with_card(self, order: str, card_page):
        return self.post(
            f"/bayar/{order}/kartu",
            "card",
            card_page,
            {"card_number": self.person.card_number},
            contains="Masukkan kode OTP",
        )

    def submit_otp(self, order: str, otp_page, otp: str):
        return self.post(
            f"/bayar/{order}/otp", "otp", otp_page, {"otp": otp}, contains="transaction-code"
        )


def _schedule(page) -> str:
    """The first open schedule offered on a page ('' when none: the form then says why)."""
    match = SCHEDULE.search(page.text if page is not None else "")
    return match.group(1) if match else ""


def _csrf(page) -> str:
    match = CSRF.search(page.text if page is not None else "")
    return (match.group(1) or match.group(2)) if match else ""


class TokopediaShopper(StorefrontShopper):
    slug = "tokopedia"

    def register(self) -> None:
        super().register()
        verify = self.page("/verifikasi", "/verifikasi")
        code = self.read_otp(self.person, "tokopedia: read SMS")
        self.post("/verifikasi", "verify phone", verify, {"code": code or ""})

    def buy(self):
        self.page("/cari", "/cari", params={"q": "Kartu Prakerja"})
        course = self.page(f"/p/{self.course_code()}", "/p/[course]", contains="Lihat detail")
        payment = self.post(
            f"/beli/{self.course_code()}",
            "buy",
            course,
            {"promo_code": "", "schedule_code": _schedule(course)},
            contains="Lihat semua",
        )
        order = payment is not None and ORDER.search(payment.text)
        if not order:
            return None
        self.page(
            f"/bayar/{order.group(1)}/metode",
            "/bayar/[order]/metode",
            contains="Program Pemerintah",
        )
        return self.page(f"/bayar/{order.group(1)}/kartu", "/bayar/[order]/kartu")


class BukalapakShopper(StorefrontShopper):
    slug = "bukalapak"

    def buy(self):
        self.page("/cari", "/cari", params={"q": "Prakerja", "urut": "termurah"})
        self.page(f"/p/{self.course_code()}", "/p/[course]", contains="Kurikulum")
        terms = self.page(f"/beli/{self.course_code()}", "/beli/[course]", contains="Ya")
        return self.post(
            f"/beli/{self.course_code()}",
            "accept terms",
            terms,
            {"accept_terms": "y", "schedule_code": _schedule(terms)},
            contains="Cek Kartu Prakerja",
        )

    def pay_with_card(self, order: str, card_page):
        checked = self.post(
            f"/bayar/{order}/kartu",
            "check card",
            card_page,
            {"card_number": self.person.card_number, "action": "cek"},
            contains="terverifikasi",
        )
        if checked is None:
            return None
        return self.post(
            f"/bayar/{order}/kartu",
            "card",
            checked,
            {"card_number": self.person.card_number, "action": "bayar"},
            contains="Masukkan kode OTP",
        )


class PintariaShopper(StorefrontShopper):
    slug = "pintaria"

    def register(self) -> None:
        form = self.page("/kartuprakerja/daftar", "/kartuprakerja/daftar")
        login = self.post(
            "/kartuprakerja/daftar",
            "register",
            form,
            {
                "name": f"Peserta Beban {self.person.i}",
                "email": f"lt{self.person.i}@pintaria.test",
                "phone": self.person.phone,
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
            contains="Pintaria Akun",
        )
        self.post(
            "/sso/masuk?next=/pintaria/kartuprakerja",
            "sso sign-in",
            login,
            {"login": self.person.phone, "password": PASSWORD},
            contains="Ikuti Kursus",
        )

    def buy(self):
        self.page("/kartuprakerja", "/kartuprakerja")
        course = self.page(f"/p/{self.course_code()}", "/p/[course]", contains="Ikuti Kursus")
        phone = self.post(
            f"/beli/{self.course_code()}",
            "follow course",
            course,
            {"schedule_code": _schedule(course)},
            contains="Lanjutkan Pembayaran",
        )
        order = phone is not None and ORDER.search(phone.text)
        if not order:
            return None
        return self.post(
            f"/bayar/{order.group(1)}/telepon",
            "phone",
            phone,
            {"phone": self.person.phone},
            contains="ID Prakerja",
        )

    def submit_otp(self, order: str, otp_page, otp: str):
        classes = self.post(
            f"/bayar/{order}/otp", "otp", otp_page, {"otp": otp}, contains="Kelas Saya"
        )
        if classes is None:
            return None
        survey = self.page(f"/kelas/{order}/survei", "/kelas/[order]/survei")
        classroom = self.post(
            f"/kelas/{order}/survei",
            "survey",
            survey,
            {"motivation": "kerja", "expectation": "Siap bekerja"},
            contains="Masuk Kelas",
        )
        return self.post(
            f"/kelas/{order}", "enter class", classroom, {}, contains="Selamat belajar"
        )
