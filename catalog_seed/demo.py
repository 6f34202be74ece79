"""The ``demo`` preset: the small, fixed marketplace loaded into every new database.

Fixed and documented (credentials, persona cards), so READMEs and outside test suites can rely
on it. The programme-scale presets (``catalog_seed.seeder``) add to it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.catalog.models import (
    Course,
    CourseListing,
    CourseSchedule,
    Institution,
    Platform,
)
from marketplace.clock import WIB, SimulatedClock, end_of_day_wib, wib_date
from platforms.core.models import ApiClient
from prakerja_gateway import domain
from prakerja_gateway.domain import SCHEMES
from prakerja_gateway.models import Partner, Wave
from prakerja_gateway.sandbox.personas import (
    DOCUMENTED_IDENTITIES,
    PERSONAS,
    create_persona,
    documented_card_number,
)
from prakerja_gateway.services.cards import SANDBOX_SERIAL_START
from prakerja_gateway.services.participants import (
    accept_participant,
    link_payout_account,
    random_identity,
    wave_for_scheme,
)

PLATFORMS = (
    # slug, name, OTP length, OTP alphabet (Bukalapak's code is "5 huruf sandi")
    ("tokopedia", "Tokopedia", 6, "digits"),
    ("bukalapak", "Bukalapak", 5, "letters"),
    ("pintaria", "Pintaria", 6, "digits"),
)

INSTITUTIONS = (
    ("LPDIGI", "Lembaga Kursus Digital Nusantara", "Jakarta Selatan"),
    ("LPKEU", "Akademi Keuangan Merdeka", "Bandung"),
    ("LPTEK", "Pusat Pelatihan Teknik Bina Karya", "Surabaya"),
    ("LPBHS", "Rumah Bahasa Cendekia", "Yogyakarta"),
)

ALL = ("tokopedia", "bukalapak", "pintaria")
COURSES = (
    # code, title, institution, category, type, price (rupiah), platforms; the scheme follows
    # from the price: within Rp1.000.000 the training is offered under semi-bansos too
    (
        "DIG-001",
        "Pemasaran Digital untuk UMKM",
        "LPDIGI",
        "Keterampilan Digital",
        "self_paced",
        1_000_000,
        ALL,
    ),
    (
        "DIG-002",
        "Membuat Konten Media Sosial yang Menjual",
        "LPDIGI",
        "Keterampilan Digital",
        "webinar",
        500_000,
        ("tokopedia", "bukalapak"),
    ),
    (
        "DIG-003",
        "Dasar Pemrograman Python",
        "LPDIGI",
        "Teknologi Informasi",
        "self_paced",
        750_000,
        ("tokopedia", "pintaria"),
    ),
    (
        "DIG-004",
        "Desain Grafis dengan Aplikasi Gratis",
        "LPDIGI",
        "Keterampilan Digital",
        "self_paced",
        100_000,
        ALL,
    ),
    (
        "FIN-001",
        "Pembukuan Sederhana untuk Usaha Kecil",
        "LPKEU",
        "Keuangan",
        "self_paced",
        250_000,
        ALL,
    ),
    (
        "FIN-002",
        "Literasi Keuangan dan Investasi Pemula",
        "LPKEU",
        "Keuangan",
        "webinar",
        950_000,
        ALL,
    ),
    (
        "BIS-001",
        "Memulai Usaha Kuliner Rumahan",
        "LPKEU",
        "Kewirausahaan",
        "self_paced",
        400_000,
        ("bukalapak", "pintaria"),
    ),
    (
        "BIS-002",
        "Strategi Penjualan di Marketplace",
        "LPKEU",
        "Kewirausahaan",
        "webinar",
        1_500_000,
        ("tokopedia",),
    ),
    (
        "BHS-001",
        "Bahasa Inggris untuk Layanan Pelanggan",
        "LPBHS",
        "Bahasa Asing",
        "webinar",
        600_000,
        ALL,
    ),
    (
        "BHS-002",
        "Bahasa Jepang Dasar untuk Pekerja Migran",
        "LPBHS",
        "Bahasa Asing",
        "self_paced",
        1_200_000,
        ("bukalapak", "pintaria"),
    ),
    (
        "TEK-001",
        "Teknisi Pendingin Ruangan (AC)",
        "LPTEK",
        "Teknik dan Pertukangan",
        "offline",
        2_000_000,
        ("tokopedia", "bukalapak"),
    ),
    (
        "TEK-002",
        "Menjahit Pakaian untuk Pemula",
        "LPTEK",
        "Teknik dan Pertukangan",
        "offline",
        300_000,
        ("bukalapak", "pintaria"),
    ),
)

REGULAR_PARTICIPANTS = 10
# Webinar and offline courses run in three consecutive 30-day batches from the day before the
# demo was loaded, so their sessions are open for the next three months of (simulated) time.
BATCHES, BATCH_DAYS = 3, 30


def storefront_credentials(platform: str, institution: str) -> tuple[str, str]:
    """The documented credentials (client_code, sign_key) of an institution at a storefront's
    voucher API."""
    return f"{institution.lower()}-lp", f"sk_{platform}_{institution.lower()}_demo"


def demo_credentials(ref: str) -> tuple[str, str]:
    """The documented sandbox credentials (client_code, sign_key) of a demo partner."""
    return f"{ref.lower()}-sandbox", f"sk_sandbox_{ref.lower()}_demo"


def load_demo_data(session: Session) -> None:
    """Fill an empty database with the demo marketplace."""
    now = SimulatedClock(lambda: session).now()
    _load_catalogue(session)
    _load_schedules(session, wib_date(now))
    _load_partners(session)
    today = wib_date(now)
    for number, scheme in ((47, "semi_bansos"), (48, "normal")):
        deadline = domain.first_purchase_deadline(today, domain.SCHEMES[scheme])
        session.add(
            Wave(number=number, scheme=scheme, announced_on=today, purchase_deadline=deadline)
        )
    session.flush()
    for persona in PERSONAS:
        create_persona(
            session,
            now,
            persona,
            identity=DOCUMENTED_IDENTITIES[persona.key],
            card_number=documented_card_number(persona),
        )
    _load_regular_participants(session, now)


def _load_catalogue(session: Session) -> None:
    session.add_all(Platform(slug=slug, name=name) for slug, name, _, _ in PLATFORMS)
    session.add_all(
        Institution(code=code, name=name, city=city) for code, name, city in INSTITUTIONS
    )
    session.flush()
    for code, title, institution, category, course_type, price, platforms in COURSES:
        scheme = "semi_bansos" if price <= SCHEMES["semi_bansos"].saldo_idr else "normal"
        course = Course(
            course_code=code,
            title=title,
            institution_code=institution,
            category=category,
            course_type=course_type,
            price_idr=price,
            scheme=scheme,
            description=f"Pelatihan {title.lower()} bersertifikat dari lembaga mitra Prakerja.",
        )
        course.listings = [CourseListing(platform_slug=slug) for slug in platforms]
        session.add(course)
    session.flush()


def _load_schedules(session: Session, today: date) -> None:
    for code, *_rest, course_type, _price, _platforms in COURSES:
        if course_type == "self_paced":
            continue
        course_id = session.execute(
            select(Course.id).where(Course.course_code == code)
        ).scalar_one()
        for batch in range(BATCHES):
            first_day = today + timedelta(days=batch * BATCH_DAYS - 1)
            session.add(
                CourseSchedule(
                    schedule_code=f"{code}-B{batch + 1}",
                    course_id=course_id,
                    starts_at=datetime.combine(first_day, time(0, 0), tzinfo=WIB),
                    ends_at=end_of_day_wib(first_day + timedelta(days=BATCH_DAYS - 1)),
                    capacity=500,
                )
            )
    session.flush()


def _load_partners(session: Session) -> None:
    for slug, name, otp_length, otp_alphabet in PLATFORMS:
        client_code, sign_key = demo_credentials(slug)
        session.add(
            Partner(
                client_code=client_code,
                sign_key=sign_key,
                kind="dp",
                name=name,
                catalog_ref=slug,
                otp_length=otp_length,
                otp_alphabet=otp_alphabet,
            )
        )
    for code, name, _ in INSTITUTIONS:
        for slug, *_rest in PLATFORMS:
            client_code, sign_key = storefront_credentials(slug, code)
            session.add(
                ApiClient(
                    platform=slug, client_code=client_code, sign_key=sign_key, institution_code=code
                )
            )
        client_code, sign_key = demo_credentials(code)
        session.add(
            Partner(
                client_code=client_code, sign_key=sign_key, kind="lp", name=name, catalog_ref=code
            )
        )
    session.flush()


def _load_regular_participants(session: Session, now: datetime) -> None:
    """A few ordinary participants (OTP only by SMS), reproducible from a fixed seed."""
    rng = random.Random(2020)
    today = wib_date(now)
    for index in range(REGULAR_PARTICIPANTS):
        scheme = "normal" if index % 2 else "semi_bansos"
        wave = wave_for_scheme(session, scheme, today)
        card = accept_participant(
            session,
            random_identity(f"peserta{index + 1}", rng),
            wave=wave,
            accepted_on=today,
            now=now,
            card_number=domain.make_card_number(wave.number, SANDBOX_SERIAL_START + 100 + index),
        )
        if scheme == "normal":
            link_payout_account(
                session, card.participant, "BCA", f"{rng.randrange(10**10):010d}", now
            )
