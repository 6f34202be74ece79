"""The published identities of the documented test cards (created with the demo data).

Outside test suites may rely on them: never change a published one. Each birth date is the one
its NIK encodes. Ages on 27 November 2026: 31–41, except ``too_old`` (64); every education is SMA
or above, except ``low_education`` (SD).
"""

from __future__ import annotations

from prakerja_gateway.services.participants import Identity, birth_date_of


def _documented(name: str, nik: str, number: int, email: str, education: str) -> Identity:
    """A published identity; its birth date is the one its NIK encodes."""
    return Identity(name, nik, f"0812{number:08d}", email, birth_date_of(nik), education)


DOCUMENTED_IDENTITIES = {
    "ok": _documented("Siti Rahayu", "3171014506900001", 1, "ok@peserta.prakerja.test", "S1"),
    "sms": _documented("Budi Santoso", "3273011203880002", 2, "sms@peserta.prakerja.test", "SMA"),
    "revoked": _documented(
        "Agus Wijaya", "3578010707850003", 3, "revoked@peserta.prakerja.test", "SMA"
    ),
    "deadline_passed": _documented(
        "Rina Lestari", "3374016001920004", 4, "deadline@peserta.prakerja.test", "D3"
    ),
    "low_saldo": _documented(
        "Eko Saputra", "1271012308910005", 5, "low@peserta.prakerja.test", "SMA"
    ),
    "previous_unfinished": _documented(
        "Putri Permata", "5171014411950006", 6, "unfinished@peserta.prakerja.test", "S1"
    ),
    "no_linked_account": _documented(
        "Joko Nugroho", "7371011510870007", 7, "nolink@peserta.prakerja.test", "SMA"
    ),
    "sms_lost": _documented(
        "Ayu Susanti", "6472015203930008", 8, "smslost@peserta.prakerja.test", "D3"
    ),
    "processing_error": _documented(
        "Dimas Pratama", "3171010101900009", 9, "error@peserta.prakerja.test", "S1"
    ),
    "slow": _documented("Wulan Hakim", "3273014808940010", 10, "slow@peserta.prakerja.test", "SMA"),
    "semi_bansos": _documented(
        "Rizky Siregar", "1271011706890011", 11, "semibansos@peserta.prakerja.test", "SMA"
    ),
    "too_old": _documented(
        "Sri Wahyuni", "3578015005620012", 12, "tooold@peserta.prakerja.test", "SMA"
    ),
    "low_education": _documented(
        "Slamet Riyadi", "3374010302980013", 13, "lowedu@peserta.prakerja.test", "SD"
    ),
}
