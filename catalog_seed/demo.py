"""The ``demo`` preset: the small, fixed marketplace loaded into every new database.

Fixed and documented (credentials, persona cards, schedule codes), so READMEs and outside test
suites can rely on it. The programme-scale presets (``catalog_seed.seeder``) add to it.

Schedules, counted from the day (WIB) the demo is loaded; their codes never change
(``demo_schedule_codes``, 16 hex characters as in the real API):
- self-paced courses: batch 1 opened 30 days earlier and runs 180 days, batch 2 follows it; both
  with a quota of 1,000,000, and a self-paced batch is on sale until it ends;
- webinar and offline courses: runs of 14 days starting at 09:00 WIB: one that started 7 days
  earlier (listed, running, no longer sold), then six from the next day on, every 14 days; 500
  seats a webinar run, 40 an offline one, 3 in the small class ``TEK-003`` (to sell a run out in
  three purchases); a run is sold until it starts.

Requirements (send-otp checks them): every course is open to all except ``DIG-003`` (at least
SMA), ``BHS-002`` (aged 18–45) and ``TEK-001`` (aged 18–55, at least SMP). Every standard persona
(20–40 years old, SMA or above) meets them all; ``too_old`` fails BHS-002 and TEK-001 on age and
``low_education`` fails DIG-003 and TEK-001 on education, so each has a refusal on every platform.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog_seed.codes import demo_schedule_code
from institutions.registry import SITES
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
from prakerja_gateway.sandbox.identities import DOCUMENTED_IDENTITIES
from prakerja_gateway.sandbox.personas import (
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
from prakerja_gateway.sso.models import SsoClient

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
    (
        "TEK-003",
        "Servis Ponsel Kelas Kecil",
        "LPTEK",
        "Teknik dan Pertukangan",
        "offline",
        150_000,
        ALL,
    ),
)

# Who may buy: (min_age, max_age, min_education); courses not named are open to everyone.
REQUIREMENTS = {
    "DIG-003": (None, None, "SMA"),  # programming: senior high school first
    "BHS-002": (18, 45, None),  # work-abroad language course: the placement schemes' age band
    "TEK-001": (18, 55, "SMP"),  # a physical trade, with a junior high school basis
}

REGULAR_PARTICIPANTS = 10
REGULAR_EDUCATION = ("SMP", "SMA", "SMA", "SMA", "D3", "S1")
# Self-paced: two long batches, the first already open (it may be bought until it ends).
SELF_PACED_BATCHES, SELF_PACED_DAYS, SELF_PACED_OPENED_DAYS_AGO = 2, 180, 30
SELF_PACED_QUOTA = 1_000_000
# Webinar and offline: one run that started a week before the demo was loaded (on a course
# page, but no longer for sale), then runs back to back from tomorrow, bought before they start:
# one to buy for the next ~70 days of (simulated) time and one running for the next ~85.
RUNS, RUN_DAYS, RUN_STARTS_AT, STARTED_DAYS_AGO = 7, 14, time(9, 0), 7
RUN_QUOTAS = {"webinar": 500, "offline": 40}
# A small class, so a tester can sell out a run (and see quota-schedule reach 0 and send-otp
# refuse) with a few purchases: every run of these courses has this many seats.
SMALL_CLASSES = {"TEK-003": 3}


def storefront_credentials(platform: str, institution: str) -> tuple[str, str]:
    """The documented credentials (client_code, sign_key) of an institution at a storefront's
    voucher API."""
    return f"{institution.lower()}-lp", f"sk_{platform}_{institution.lower()}_demo"


def demo_credentials(ref: str) -> tuple[str, str]:
    """The documented sandbox credentials (client_code, sign_key) of a demo partner."""
    return f"{ref.lower()}-sandbox", f"sk_sandbox_{ref.lower()}_demo"


def demo_sso_credentials(ref: str) -> tuple[str, str]:
    """The documented sandbox SSO credentials (client_id, sign_key) of a platform or
    institution ("Login dengan Prakerja")."""
    return f"{ref.lower()}-sso", f"sk_sandbox_{ref.lower()}_sso_demo"


# The public docs' own example client, with its example addresses (sso/construct-url).
DOCS_SSO_CLIENT = (
    "prakerjaoauth",
    "PrakerjaOauth",
    "https://sso-demo.prakerja.go.id/createtoken",
    "https://sso-demo.prakerja.go.id/login",
)


def load_demo_data(session: Session) -> None:
    """Fill an empty database with the demo marketplace."""
    now = SimulatedClock(lambda: session).now()
    _load_catalogue(session)
    _load_schedules(session, wib_date(now))
    _load_partners(session)
    _load_sso_clients(session)
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
        min_age, max_age, min_education = REQUIREMENTS.get(code, (None, None, None))
        course = Course(
            course_code=code,
            title=title,
            institution_code=institution,
            category=category,
            course_type=course_type,
            price_idr=price,
            scheme=scheme,
            description=f"Pelatihan {title.lower()} bersertifikat dari lembaga mitra Prakerja.",
            min_age=min_age,
            max_age=max_age,
            min_education=min_education,
        )
        course.listings = [CourseListing(platform_slug=slug) for slug in platforms]
        session.add(course)
    session.flush()


def demo_schedule_codes(course_code: str) -> list[str]:
    """The schedule codes of a demo course, earliest first (the same in every database)."""
    course_type = next(row[4] for row in COURSES if row[0] == course_code)
    count = SELF_PACED_BATCHES if course_type == "self_paced" else RUNS
    return [demo_schedule_code(course_code, batch) for batch in range(count)]


def _load_schedules(session: Session, today: date) -> None:
    for code, *_rest, course_type, _price, _platforms in COURSES:
        course_id = session.execute(
            select(Course.id).where(Course.course_code == code)
        ).scalar_one()
        if course_type == "self_paced":
            windows = _batches(today)
        else:
            windows = _runs(today, SMALL_CLASSES.get(code, RUN_QUOTAS[course_type]))
        for schedule_code, (starts_at, ends_at, capacity) in zip(
            demo_schedule_codes(code), windows, strict=True
        ):
            session.add(
                CourseSchedule(
                    schedule_code=schedule_code,
                    course_id=course_id,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    capacity=capacity,
                )
            )
    session.flush()


def _batches(today: date) -> list[tuple[datetime, datetime, int]]:
    first_day = today - timedelta(days=SELF_PACED_OPENED_DAYS_AGO)
    return [
        _window(first_day + timedelta(days=k * SELF_PACED_DAYS), time(0, 0), SELF_PACED_DAYS)
        + (SELF_PACED_QUOTA,)
        for k in range(SELF_PACED_BATCHES)
    ]


def _runs(today: date, capacity: int) -> list[tuple[datetime, datetime, int]]:
    started = today - timedelta(days=STARTED_DAYS_AGO)
    first_days = [started] + [today + timedelta(days=1 + k * RUN_DAYS) for k in range(RUNS - 1)]
    return [_window(day, RUN_STARTS_AT, RUN_DAYS) + (capacity,) for day in first_days]


def _window(first_day: date, starts: time, days: int) -> tuple[datetime, datetime]:
    """From ``starts`` (WIB) on the first day to the end (23:59 WIB) of the last."""
    return (
        datetime.combine(first_day, starts, tzinfo=WIB).astimezone(UTC),
        end_of_day_wib(first_day + timedelta(days=days - 1)),
    )


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


def _load_sso_clients(session: Session) -> None:
    """One SSO client per platform and per institution. Their addresses are paths on this host
    (``/<site>/sso/kembali`` for the code, the site's ``/masuk`` when login fails), reserved
    here for the sites' own "Masuk dengan Prakerja"."""
    sites = [(slug, name, "dp", slug, f"/{slug}") for slug, name, _, _ in PLATFORMS]
    sites += [(site.code, site.name, "lp", site.code, f"/lembaga/{site.slug}") for site in SITES]
    for ref, name, kind, catalog_ref, base in sites:
        client_id, sign_key = demo_sso_credentials(ref)
        session.add(
            SsoClient(
                client_id=client_id,
                client_name=name,
                sign_key=sign_key,
                kind=kind,
                catalog_ref=catalog_ref,
                redirect_uris=f"{base}/sso/kembali",
                login_uris=f"{base}/masuk",
            )
        )
    client_id, client_name, redirect_uri, login_uri = DOCS_SSO_CLIENT
    session.add(
        SsoClient(
            client_id=client_id,
            client_name=client_name,
            sign_key="sk_sandbox_prakerjaoauth_sso_demo",
            kind="lp",
            catalog_ref="LPDIGI",
            redirect_uris=redirect_uri,
            login_uris=login_uri,
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
            random_identity(
                f"peserta{index + 1}",
                rng,
                today=today,
                age_range=(18, 60),
                education=rng.choice(REGULAR_EDUCATION),
            ),
            wave=wave,
            accepted_on=today,
            now=now,
            card_number=domain.make_card_number(wave.number, SANDBOX_SERIAL_START + 100 + index),
        )
        if scheme == "normal":
            link_payout_account(
                session, card.participant, "BCA", f"{rng.randrange(10**10):010d}", now
            )
