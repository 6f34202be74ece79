"""Example answers of the sandbox for its OpenAPI document (and the /api/docs page): what the
demo data answers after one purchase (examples/purchase.py), lists cut to one or two items."""

from __future__ import annotations

TRANSACTION_CODE = "HY35N07OY1KIN620"

PERSONA = {
    "key": "ok",
    "card_number": "5204890000000015",
    "prakerja_id": "5204890000000015",
    "name": "Siti Rahayu",
    "phone": "081200000001",
    "email": "ok@peserta.prakerja.test",
    "otp": "123456",
    "description": "Aktif, saldo penuh (skema normal), rekening tertaut, OTP tetap 123456.",
    "scheme": "normal",
    "status": "active",
    "balance": 3500000,
    "first_purchase_deadline": "2026-12-12",
    "birth_date": "1990-06-05",
    "education": "S1",
}

MINTED_PERSONA = {
    **PERSONA,
    "card_number": "5204897118907742",
    "prakerja_id": "5204897118907742",
    "name": "Putri Hidayat",
    "phone": "081359858795",
    "email": "ok-32e787f9@peserta.prakerja.test",
    "birth_date": "1997-02-11",
    "education": "SMA",
}

COURSE = {
    "course_code": "DIG-001",
    "title": "Pemasaran Digital untuk UMKM",
    "price": 1000000,
    "institution": "Lembaga Kursus Digital Nusantara",
    "institution_code": "LPDIGI",
    "lp_client_code": "lpdigi-sandbox",
    "platforms": ["bukalapak", "pintaria", "tokopedia"],
    "type": "self_paced",
    "category": "Keterampilan Digital",
    "scheme": "semi_bansos",
    "min_age": None,
    "max_age": None,
    "min_education": None,
    "schedules": [
        {
            "schedule_code": "d732915b52084ef1",
            "start": "2026-10-27T17:00:00Z",
            "end": "2027-04-25T17:00:00Z",
            "quota": 999999,
            "capacity": 1000000,
            "on_sale": True,
        }
    ],
}

TRANSACTION = {
    "invoice_code": "INV-B2813AB2C5AE",
    "transaction_code": TRANSACTION_CODE,
    "status": "SUCCESS",
    "amount": 1000000,
    "course_code": "DIG-001",
    "schedule_code": "d732915b52084ef1",
    "redeem_code": "PRAT-I14CTE",
    "prakerja_id": "5204890000000023",
    "prakerja_name": "Budi Santoso",
    "dp_platform": "Tokopedia",
    "client_code": "tokopedia-sandbox",
    "user_platform_id": "pembeli-contoh",
    "invoice_url": "https://toko.example/invoice/INV-B2813AB2C5AE",
    "failure_code": None,
    "created_at": "2026-11-27T12:35:33Z",
    "captured_at": "2026-11-27T12:35:33Z",
    "cancelled_at": None,
    "completed_at": None,
}

SSO_CLIENTS = [
    {
        "client_code": "tokopedia-sso",
        "name": "Tokopedia",
        "kind": "sso",
        "client_id": "tokopedia-sso",
        "client_name": "Tokopedia",
        "sign_key": "sk_sandbox_tokopedia_sso_demo",
        "party": "dp",
        "catalog_ref": "tokopedia",
        "redirect_uris": ["/tokopedia/sso/kembali"],
        "login_uris": ["/tokopedia/masuk"],
        "consent_url": "/consent-sso",
    }
]

PARTNERS = [
    {
        "client_code": "tokopedia-sandbox",
        "sign_key": "sk_sandbox_tokopedia_demo",
        "kind": "dp",
        "name": "Tokopedia",
        "catalog_ref": "tokopedia",
        "otp_format": {"length": 6, "alphabet": "digits"},
    },
    {
        "client_code": "lpdigi-sandbox",
        "sign_key": "sk_sandbox_lpdigi_demo",
        "kind": "lp",
        "name": "Lembaga Kursus Digital Nusantara",
        "catalog_ref": "LPDIGI",
        "otp_format": {"length": 6, "alphabet": "digits"},
    },
]

TEST_CODES = {
    "client_code": "lpdigi-sandbox",
    "institution": "Lembaga Kursus Digital Nusantara",
    "redirect_uris": [],
    "test_codes": [
        {
            "test_case": "TC1-001-200",
            "description": "Pembelajaran mandiri, sequence 1 / redeem",
            "redeem_code": "PRAT-0CW3JL",
            "course_code": "DIG-001",
            "course_type": 1,
            "sequence": 1,
        },
        {
            "test_case": "TC2-999-200",
            "description": "Webinar, sequence 999 / post-test",
            "redeem_code": "PRAT-5CKILQ",
            "course_code": "DIG-002",
            "course_type": 2,
            "sequence": 999,
        },
    ],
}

SMS = {
    "id": 1,
    "phone": "081200000002",
    "sender": "PRAKERJA",
    "body": "JANGAN BERIKAN KODE INI KEPADA SIAPA PUN. Kode OTP Prakerja: 320250 untuk "
    "pembayaran Rp1.000.000 di Tokopedia. Berlaku 5 menit.",
    "otp": "320250",
    "sent_at": "2026-11-27T12:35:33.137768+00:00",
}

EMAIL = {
    "id": 3,
    "to": "sms@peserta.prakerja.test",
    "sender": "Prakerja",
    "subject": "Kode Redeem Pelatihan Prakerja",
    "body": "Halo Budi Santoso,\n\nPembelian pelatihan DIG-001 seharga Rp1.000.000 melalui "
    "Tokopedia berhasil dibayar dengan saldo Kartu Prakerja.\nKode redeem Anda: PRAT-I14CTE\n"
    "Nomor invoice: INV-B2813AB2C5AE\n\nTunjukkan kode redeem ini kepada lembaga pelatihan di "
    "awal setiap sesi.\nSalam, Manajemen Pelaksana Program Kartu Prakerja",
    "sent_at": "2026-11-27T12:35:33.164595+00:00",
}

CLOCK = {
    "now": "2026-11-27T12:35:35.257145+00:00",
    "now_wib": "2026-11-27T19:35:35.257145+07:00",
    "offset_seconds": 0,
}

CLOCK_ADVANCED = {
    "now": "2026-11-28T12:35:47.371318+00:00",
    "now_wib": "2026-11-28T19:35:47.371318+07:00",
    "offset_seconds": 86400,
    "ran": {"payments_expired": 0, "cards_revoked": 1, "saldo_expired": 0, "incentives_paid": 0},
}

RECONCILE = {
    "ok": True,
    "checks": [
        {
            "name": "balance_equals_ledger",
            "description": "saldo = grants − debits + refunds − revocations − expiries, "
            "for every card",
            "ok": True,
            "violations": 0,
            "examples": [],
        }
    ],
    "totals": {
        "cards": 25,
        "payments_otp_sent": 0,
        "payments_captured": 1,
        "payments_failed": 0,
        "payments_expired": 0,
        "payments_refunded": 0,
        "incentives_paid": 0,
        "incentives_paid_idr": 0,
    },
}

COMPLETED = {
    "transaction_code": TRANSACTION_CODE,
    "invoice_code": "INV-B2813AB2C5AE",
    "completed_at": "2026-11-27T12:35:44Z",
    "reviewed": True,
    "next_purchase_unlocked": True,
}
