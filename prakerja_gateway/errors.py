"""Every refusal of the gateway's platform API: stable code, HTTP status, Indonesian message."""

from __future__ import annotations

from typing import Any

from marketplace.errors import INVALID_JSON, INVALID_REQUEST, AppError, ErrorCatalogue, ErrorKind

E = ErrorKind

# Refusals of a signed call before it reaches its endpoint. The real codes for these are not
# public (the "general error" page is not in any stored copy): ours, documented as ours.
MISSING_AUTH_HEADERS = E(
    "missing_auth_headers",
    401,
    "Header client_code, signature, dan timestamp wajib dikirim.",
    "ERRAUTH40101",
)
UNKNOWN_CLIENT = E("unknown_client", 401, "client_code tidak dikenal.", "ERRAUTH40102")
INVALID_SIGNATURE = E("invalid_signature", 401, "Signature tidak valid.", "ERRAUTH40103")
REPLAYED = E(
    "replayed_request", 401, "Permintaan ini sudah pernah diterima (replay).", "ERRAUTH40107"
)
STALE_TIMESTAMP = E(
    "stale_timestamp",
    401,
    "Timestamp kedaluwarsa atau tidak valid (toleransi 300 detik).",
    "ERRAUTH40104",
)


def auth_errors(partner_word: str) -> tuple[ErrorKind, ...]:
    """The auth refusals, the wrong-kind one worded for the API's own partners."""
    wrong_kind = E(
        "wrong_partner_kind", 401, f"Kredensial ini bukan milik {partner_word}.", "ERRAUTH40105"
    )
    return (
        MISSING_AUTH_HEADERS, UNKNOWN_CLIENT, INVALID_SIGNATURE, STALE_TIMESTAMP, wrong_kind,
        REPLAYED,
    )  # fmt: skip


# The platform (DP) payment API. Real codes where the public docs show them (ERRPLT40036,
# ERRPLT40028, ERRVOD40001); every other code is the simulator's own, in the same style, and
# every business refusal is HTTP 400 as in the real API.
GATEWAY_ERRORS = ErrorCatalogue(
    INVALID_JSON,
    INVALID_REQUEST,
    *auth_errors("platform digital"),
    E(
        "invalid_payment_token",
        401,
        "Header Authorization harus berisi 'Payment <payment_token>' dari send-otp.",
        "ERRAUTH40106",
    ),
    E(
        "quota_fields_missing",
        400,
        "course_code dan schedule_code wajib diisi.",  # the real message is not public
        "ERRPLT40036",
        real=True,
    ),
    E("invalid_card_number", 400, "Kartu Prakerja ID harus 16 digit angka.", "ERRPLT40001"),
    E("amount_mismatch", 400, "Nominal pembayaran tidak sama dengan harga pelatihan.",
      "ERRPLT40002"),
    E("card_not_found", 400, "Kartu Prakerja ID tidak ditemukan.", "ERRPLT40003"),
    E("course_not_found", 400, "Kode pelatihan tidak ada di katalog Prakerja.", "ERRPLT40004"),
    E("course_not_listed", 400, "Pelatihan ini tidak dijual di platform ini.", "ERRPLT40005"),
    E("schedule_not_found", 400, "Jadwal pelatihan tidak ditemukan.", "ERRPLT40006"),
    E("schedule_course_mismatch", 400, "Jadwal pelatihan tidak sesuai dengan pelatihan.",
      "ERRPLT40007"),
    E("schedule_started", 400, "Jadwal pelatihan sudah dimulai; pilih jadwal lain.",
      "ERRPLT40008"),
    E("quota_full", 400, "Kuota jadwal pelatihan sudah habis.", "ERRPLT40009"),
    E("age_not_eligible", 400, "Usia peserta tidak memenuhi syarat pelatihan ini.",
      "ERRPLT40010"),
    E("education_not_eligible", 400,
      "Pendidikan terakhir peserta tidak memenuhi syarat pelatihan ini.", "ERRPLT40011"),
    E("insufficient_saldo", 400, "Saldo Kartu Prakerja tidak mencukupi untuk pelatihan ini.",
      "ERRPLT40012"),
    E("card_revoked", 400, "Kepesertaan Kartu Prakerja telah dicabut.", "ERRPLT40013"),
    E("card_inactive", 400, "Kartu Prakerja tidak aktif; saldo pelatihan sudah hangus.",
      "ERRPLT40014"),
    E("participant_blacklisted", 400, "NIK peserta masuk daftar hitam program.", "ERRPLT40015"),
    E("deadline_passed", 400,
      "Batas waktu pembelian pelatihan pertama telah lewat (23.59 WIB).", "ERRPLT40016"),
    E("previous_training_unfinished", 400,
      "Selesaikan pelatihan sebelumnya (dan beri ulasan) sebelum membeli pelatihan berikutnya.",
      "ERRPLT40017"),
    E("payout_account_not_linked", 400,
      "Hubungkan rekening bank atau e-wallet di dashboard Prakerja sebelum membeli pelatihan.",
      "ERRPLT40018"),
    E("card_bound_to_other_account", 400,
      "Kartu Prakerja ID ini sudah digunakan oleh akun lain di platform ini.", "ERRPLT40019"),
    E("account_bound_to_other_card", 400,
      "Akun ini sudah terhubung dengan Kartu Prakerja ID lain.", "ERRPLT40020"),
    E("invoice_code_used", 400, "Kode invoice sudah dipakai untuk transaksi lain.",
      "ERRPLT40021"),
    E("payment_already_captured", 400, "Pembayaran ini sudah berhasil diproses.", "ERRPLT40022"),
    E("payment_not_pending", 400, "Pembayaran ini tidak lagi menunggu OTP. Kirim OTP baru.",
      "ERRPLT40023"),
    E("otp_expired", 400, "Kode OTP sudah kedaluwarsa. Minta kode baru.", "ERRPLT40024"),
    E("payment_expired", 400, "Waktu pembayaran habis. Silakan ulangi pembelian.",
      "ERRPLT40025"),
    E("otp_invalid", 400, "Kode OTP salah.", "ERRPLT40026"),
    E("too_many_attempts", 400,
      "Terlalu banyak percobaan OTP yang salah. Pembayaran dibatalkan.", "ERRPLT40027"),
    E("already_voided", 400, "Transaksi sudah dibatalkan sebelumnya.", "ERRPLT40028", real=True),
    E("resend_too_soon", 400, "Tunggu sebentar sebelum meminta OTP baru.", "ERRPLT40029"),
    E("too_many_resends", 400, "Batas pengiriman ulang OTP sudah tercapai.", "ERRPLT40030"),
    E("transaction_not_found", 400, "Transaksi tidak ditemukan.", "ERRPLT40031"),
    E("idempotency_key_reused", 400,
      "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.", "ERRPLT40032"),
    E("too_many_payments", 400,
      "Terlalu banyak permintaan OTP untuk kartu ini. Coba lagi dalam satu jam.", "ERRPLT40033"),
    E("too_many_otp_sms", 400,
      "Terlalu banyak SMS OTP ke nomor HP ini. Coba lagi dalam satu jam.", "ERRPLT40034"),
    E("idempotency_key_in_use", 409, "Permintaan dengan Idempotency-Key ini sedang diproses.",
      "ERRPLT40901"),
    E("void_unknown_transaction", 400, "Kode transaksi tidak ditemukan.", "ERRVOD40001",
      real=True),
    E("redeem_code_used", 400,
      "Kode redeem sudah digunakan; transaksi tidak dapat dibatalkan.", "ERRVOD40002"),
    E("processing_error", 503, "Layanan pembayaran Prakerja sedang gangguan. Coba lagi nanti.",
      "ERRPLT50301"),
)  # fmt: skip


class GatewayError(AppError):
    """A refusal from the catalogue above."""

    def __init__(self, code: str, message: str | None = None, **details: Any):
        super().__init__(GATEWAY_ERRORS[code], message, **details)


# The institution (LP) API answers with the public API's own codes and Indonesian messages where
# they are known (ERRTRX40001, 40020, 40022, 40027, 40028, 40101: named by their code); the rest
# are ours, ERRTRX40030 onwards, listed as ours in the docs. Sending one of the ERRTRX codes, or
# USED, as the ``redeem_code`` in the sandbox forces that failure (see SANDBOX_TRIGGERS).
INSTITUTION_ERRORS = ErrorCatalogue(
    INVALID_JSON,
    INVALID_REQUEST,
    *auth_errors("lembaga pelatihan"),
    E("ERRTRX40020", 400, "Transaksi tidak ditemukan", real=True),
    E("ERRTRX40028", 400, "Gagal verifikasi, kode redeem bukan milik lembaga pelatihan.",
      real=True),
    E("ERRTRX40001", 400, "Gagal verifikasi, tipe pelatihan tidak sesuai.", real=True),
    E(
        "ERRTRX40027",
        400,
        "Jadwal pelatihan belum dimulai atau sudah selesai, silahkan cek jadwal pelatihan pada "
        "dashboard Prakerja",
        real=True,
    ),
    E("ERRTRX40022", 400, "Gagal verifikasi, kode sudah dibatalkan", real=True),
    # Its digits hint at 401; no public source shows the status, and every known refusal is 400.
    E("ERRTRX40101", 400, "Gagal verifikasi, transaksi sudah dibatalkan", real=True),
    # Ours from here on. The real message is known, its code is not:
    E("redeem_code_used", 400, "Redeem Code sudah digunakan", "ERRTRX40030"),
    E("redeem_code_not_committed", 400,
      "Kode redeem belum di-redeem: verifikasi kehadiran sequence 1 (atau commit) dahulu.",
      "ERRTRX40032"),
    E("training_not_finished", 400,
      "Pelatihan belum selesai: tugas unjuk keterampilan (uk, sequence 999) belum berhasil.",
      "ERRTRX40034"),
    E("training_already_completed", 400, "Penyelesaian pelatihan ini sudah dilaporkan.",
      "ERRTRX40035"),
    E("email_already_used", 400,
      "Email ini sudah digunakan kode redeem lain untuk pelatihan yang sama.", "ERRTRX40036"),
    E("redirect_uri_not_registered", 400,
      "redirect_uri belum terdaftar untuk lembaga pelatihan ini.", "ERRTRX40037"),
    E("not_a_test_case", 400,
      "Reset hanya untuk redeem code test case positif sandbox.", "ERRTRX40038"),
    E("sandbox_only", 400, "Fitur ini hanya tersedia di sandbox.", "ERRTRX40039"),
    E("test_code_not_completable", 400,
      "Redeem code test case sandbox tidak dapat dilaporkan selesai.", "ERRTRX40040"),
    E("task_not_submitted", 400,
      "Peserta belum mengirim tugas untuk scope dan sequence ini.", "ERRTRX40041"),
)  # fmt: skip

SANDBOX_TRIGGERS = {
    "ERRTRX40020",
    "ERRTRX40001",
    "ERRTRX40027",
    "ERRTRX40028",
    "ERRTRX40022",
    "ERRTRX40101",
    "USED",
}


class InstitutionError(AppError):
    """A refusal of the institution API, from INSTITUTION_ERRORS."""

    def __init__(self, name: str, message: str | None = None, **details: Any):
        super().__init__(INSTITUTION_ERRORS[name], message, **details)
