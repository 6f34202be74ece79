"""The programme catalogue at scale: institutions, trainings, schedules, listings, partners.

Deterministic: ``random.Random`` streams seeded from the seed drive every choice (one for the
catalogue, one for requirements, one for schedules, so changing one never reshuffles the others),
and the same seed gives the same catalogue on any database. Prices are integer rupiah that fit
the saldo of the scheme each training is offered under.

Every training has schedules (what a purchase names): a self-paced one is sold in long batches,
the current one opened before the anchor day and the next one after it, with quotas in the
hundreds of thousands; webinar and offline trainings have dated runs in the weeks after the
anchor, with a class-sized quota (webinar 100–500, offline 30–50 seats).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from faker.providers.address.id_ID import Provider as IndonesianPlaces

from catalog_seed.codes import seeded_schedule_code
from marketplace.clock import WIB, end_of_day_wib
from prakerja_gateway.domain import SCHEMES

# The seven platforms of 2021 (seed article 001); OTP formats per platform.
PLATFORMS = (
    ("tokopedia", "Tokopedia", 6, "digits"),
    ("bukalapak", "Bukalapak", 5, "letters"),
    ("pintaria", "Pintaria", 6, "digits"),
    ("pijar-mahir", "Pijar Mahir", 6, "digits"),
    ("sekolahmu", "Sekolah.mu", 6, "digits"),
    ("mau-belajar-apa", "Mau Belajar Apa", 6, "digits"),
    ("sisnaker", "Sisnaker", 4, "digits"),
)

TOPICS = {
    "Keterampilan Digital": [
        "Pemasaran Media Sosial",
        "Fotografi Produk dengan Ponsel",
        "Membuat Video Promosi",
        "Menulis Konten Digital",
    ],
    "Teknologi Informasi": [
        "Dasar Pemrograman Python",
        "Membuat Situs Web",
        "Analisis Data dengan Spreadsheet",
        "Keamanan Siber Dasar",
    ],
    "Keuangan": [
        "Pembukuan Usaha Kecil",
        "Literasi Keuangan Keluarga",
        "Perpajakan UMKM",
        "Akuntansi Dasar",
    ],
    "Kewirausahaan": [
        "Memulai Usaha Rumahan",
        "Berjualan di Marketplace",
        "Menyusun Rencana Bisnis",
        "Mengelola Reseller dan Dropship",
    ],
    "Pemasaran": [
        "Teknik Penjualan",
        "Layanan Pelanggan Prima",
        "Strategi Harga",
        "Branding Produk Lokal",
    ],
    "Bahasa Asing": [
        "Bahasa Inggris Percakapan",
        "Bahasa Jepang Dasar",
        "Bahasa Korea untuk Pekerja",
        "Bahasa Mandarin Bisnis",
    ],
    "Teknik dan Pertukangan": [
        "Teknisi Pendingin Ruangan",
        "Instalasi Listrik Rumah",
        "Perbaikan Sepeda Motor",
        "Pengelasan Dasar",
    ],
    "Kuliner": [
        "Membuat Kue Kering",
        "Memasak Makanan Katering",
        "Barista Kopi",
        "Usaha Minuman Kekinian",
    ],
    "Perhotelan dan Pariwisata": [
        "Resepsionis Hotel",
        "Pemandu Wisata",
        "Tata Graha Hotel",
        "Pramusaji Restoran",
    ],
    "Manajemen dan SDM": [
        "Kepemimpinan Tim",
        "Administrasi Perkantoran",
        "Rekrutmen Karyawan",
        "Manajemen Proyek",
    ],
    "Kesehatan dan Kecantikan": [
        "Tata Rias Pengantin",
        "Perawatan Lansia",
        "Pijat Bayi",
        "Tata Rambut",
    ],
    "Pertanian dan Peternakan": [
        "Budidaya Hidroponik",
        "Budidaya Ikan Lele",
        "Pertanian Organik",
        "Beternak Ayam Petelur",
    ],
}
LEVELS = (
    "untuk Pemula",
    "Tingkat Menengah",
    "untuk UMKM",
    "Praktis",
    "Tingkat Lanjut",
    "Siap Kerja",
    "dalam 30 Hari",
)
INSTITUTION_KINDS = (
    "Lembaga Kursus",
    "Akademi",
    "Pusat Pelatihan",
    "Sekolah",
    "Institut",
    "Balai Latihan",
)
INSTITUTION_WORDS = (
    "Nusantara",
    "Merdeka",
    "Cendekia",
    "Mandiri",
    "Bina Karya",
    "Prima",
    "Harapan",
    "Sejahtera",
    "Kreatif",
    "Digital",
    "Unggul",
    "Gemilang",
    "Cakrawala",
    "Sentosa",
    "Bhakti",
    "Inovasi",
)
COURSE_TYPES = (("self_paced", 6), ("webinar", 3), ("offline", 1))
# Who may buy (send-otp checks it): most trainings are open to every participant; the rest ask
# what real ones do, a school level for technical or professional content, an age band for
# work-abroad or physical trades. (weight out of 100, min_age, max_age, min_education)
REQUIREMENTS = (
    (70, None, None, None),
    (10, None, None, "SMA"),
    (4, None, None, "D3"),
    (4, None, None, "S1"),
    (4, 18, 35, None),
    (3, None, 45, None),
    (3, 21, None, None),
    (2, 18, 40, "SMA"),
)
SELF_PACED_BATCH_DAYS = 90
SELF_PACED_QUOTAS = (100_000, 500_000, 1_000_000)
RUN_QUOTAS = {"webinar": (100, 200, 300, 500), "offline": (30, 40, 50)}
SESSION_HOURS = 4  # a webinar or class day; longer trainings run over several days


@dataclass
class Catalogue:
    """Rows ready for bulk insert (ids resolved by codes)."""

    institutions: list[dict] = field(default_factory=list)
    courses: list[dict] = field(default_factory=list)
    listings: list[tuple[str, str]] = field(default_factory=list)  # (course_code, slug)
    schedules: list[dict] = field(default_factory=list)  # with course_code
    lp_partners: list[dict] = field(default_factory=list)


def sign_key(seed: int, client_code: str) -> str:
    """A partner's sign key, derived from the seed (demo credentials, documented as such)."""
    return "sk_" + hashlib.sha256(f"{seed}:{client_code}".encode()).hexdigest()[:32]


def generate(seed: int, *, institutions: int, courses: int, anchor: date) -> Catalogue:
    """The whole catalogue for this seed; schedules are on sale on ``anchor`` and after."""
    rng = random.Random(f"{seed}:catalogue")
    requirements = random.Random(f"{seed}:requirements")
    timing = random.Random(f"{seed}:schedules")
    catalogue = Catalogue()
    codes = [f"LP{n:04d}" for n in range(1, institutions + 1)]
    for code in codes:
        catalogue.institutions.append(_institution(rng, code))
        catalogue.lp_partners.append(_lp_partner(seed, code, catalogue.institutions[-1]["name"]))
    slugs = [slug for slug, *_ in PLATFORMS]
    for n in range(1, courses + 1):
        course = _course(rng, f"PK-{n:05d}", rng.choice(codes))
        course.update(_requirements(requirements))
        catalogue.courses.append(course)
        for slug in rng.sample(slugs, rng.randint(1, 4)):
            catalogue.listings.append((course["course_code"], slug))
        runs = _batches if course["course_type"] == "self_paced" else _runs
        for batch, (starts, ends, capacity) in enumerate(runs(timing, course, anchor)):
            catalogue.schedules.append(
                {
                    "schedule_code": seeded_schedule_code(seed, n, batch),
                    "course_code": course["course_code"],
                    "starts_at": starts,
                    "ends_at": ends,
                    "capacity": capacity,
                }
            )
    return catalogue


def _institution(rng: random.Random, code: str) -> dict:
    words = " ".join(rng.choice(INSTITUTION_WORDS) for _ in range(2))
    name = f"{rng.choice(INSTITUTION_KINDS)} {words}"
    return {"code": code, "name": f"{name} ({code})", "city": rng.choice(IndonesianPlaces.cities)}


def _lp_partner(seed: int, code: str, name: str) -> dict:
    client_code = f"{code.lower()}-sandbox"
    return {
        "client_code": client_code,
        "sign_key": sign_key(seed, client_code),
        "kind": "lp",
        "name": name,
        "catalog_ref": code,
        "otp_length": 6,
        "otp_alphabet": "digits",
    }


def _course(rng: random.Random, code: str, institution: str) -> dict:
    category = rng.choice(list(TOPICS))
    title = f"{rng.choice(TOPICS[category])} {rng.choice(LEVELS)}"
    scheme = "semi_bansos" if rng.random() < 0.6 else "normal"
    ceiling = SCHEMES[scheme].saldo_idr
    price = rng.randrange(100_000, ceiling + 1, 25_000)  # integer rupiah within the saldo
    course_type = rng.choices([t for t, _ in COURSE_TYPES], [w for _, w in COURSE_TYPES])[0]
    return {
        "course_code": code,
        "title": title,
        "institution_code": institution,
        "category": category,
        "course_type": course_type,
        "price_idr": price,
        "scheme": scheme,
        "duration_hours": rng.choice((4, 6, 8, 12, 16, 24, 40)),
        "description": f"Pelatihan {title.lower()} bersertifikat, kategori {category.lower()}.",
    }


def _requirements(rng: random.Random) -> dict:
    weights = [weight for weight, *_ in REQUIREMENTS]
    _, min_age, max_age, min_education = rng.choices(REQUIREMENTS, weights)[0]
    return {"min_age": min_age, "max_age": max_age, "min_education": min_education}


def _batches(rng: random.Random, course: dict, anchor: date) -> Iterator[tuple]:
    """Self-paced: the batch that opened up to two months before ``anchor``, and the next one."""
    first_day = anchor - timedelta(days=rng.randrange(1, 61))
    capacity = rng.choice(SELF_PACED_QUOTAS)
    for k in range(2):
        opens = first_day + timedelta(days=k * SELF_PACED_BATCH_DAYS)
        last_day = opens + timedelta(days=SELF_PACED_BATCH_DAYS - 1)
        yield _wib(opens, 0), end_of_day_wib(last_day), capacity


def _runs(rng: random.Random, course: dict, anchor: date) -> Iterator[tuple]:
    """Webinar and offline: three runs starting in the three weeks after ``anchor``, each a few
    sessions of up to four hours on consecutive days."""
    hours = course["duration_hours"]
    days = -(-hours // SESSION_HOURS)
    for k in range(3):
        first_day = anchor + timedelta(days=1 + 7 * k + rng.randrange(7))
        starts = _wib(first_day, rng.choice((9, 13, 19)))
        ends = starts + timedelta(days=days - 1, hours=min(hours, SESSION_HOURS))
        yield starts, ends, rng.choice(RUN_QUOTAS[course["course_type"]])


def _wib(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WIB).astimezone(UTC)
