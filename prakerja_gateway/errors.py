"""Every refusal of the gateway's platform API: stable code, HTTP status, Indonesian message."""

from __future__ import annotations

from typing import Any

from marketplace.errors import INVALID_JSON, INVALID_REQUEST, AppError, ErrorCatalogue, ErrorKind

E = ErrorKind

GATEWAY_ERRORS = ErrorCatalogue(
    INVALID_JSON,
    INVALID_REQUEST,
    E("invalid_card_number", 400, "Nomor Kartu Prakerja harus 16 digit angka yang valid."),
    E("amount_mismatch", 400, "Nominal pembayaran tidak sama dengan harga pelatihan."),
    E("missing_auth_headers", 401, "Header client_code, signature, dan timestamp wajib dikirim."),
    E("unknown_client", 401, "client_code tidak dikenal."),
    E("invalid_signature", 401, "Signature tidak valid."),
    E("stale_timestamp", 401, "Timestamp kedaluwarsa atau tidak valid (toleransi 300 detik)."),
    E("wrong_partner_kind", 401, "Kredensial ini bukan milik platform digital."),
    E("insufficient_saldo", 402, "Saldo Kartu Prakerja tidak mencukupi untuk pelatihan ini."),
    E("card_revoked", 403, "Kepesertaan Kartu Prakerja telah dicabut."),
    E("card_inactive", 403, "Kartu Prakerja tidak aktif; saldo pelatihan sudah hangus."),
    E("participant_blacklisted", 403, "NIK peserta masuk daftar hitam program."),
    E(
        "deadline_passed",
        403,
        "Batas waktu pembelian pelatihan pertama telah lewat (23.59 WIB).",
    ),
    E(
        "previous_training_unfinished",
        403,
        "Selesaikan pelatihan sebelumnya (dan beri ulasan) sebelum membeli pelatihan berikutnya.",
    ),
    E(
        "payout_account_not_linked",
        403,
        "Hubungkan rekening bank atau e-wallet di dashboard Prakerja sebelum membeli pelatihan.",
    ),
    E(
        "card_bound_to_other_account",
        403,
        "Nomor Kartu Prakerja ini sudah digunakan oleh akun lain di platform ini.",
    ),
    E(
        "account_bound_to_other_card",
        403,
        "Akun ini sudah terhubung dengan Nomor Kartu Prakerja lain.",
    ),
    E("course_not_listed", 403, "Pelatihan ini tidak dijual di platform ini."),
    E("card_not_found", 404, "Nomor Kartu Prakerja tidak ditemukan."),
    E("payment_not_found", 404, "Pembayaran tidak ditemukan."),
    E("course_not_found", 404, "Kode pelatihan tidak ada di katalog Prakerja."),
    E("invoice_code_used", 409, "Kode invoice sudah dipakai untuk pembayaran lain."),
    E("payment_already_captured", 409, "Pembayaran ini sudah berhasil diproses."),
    E("payment_not_pending", 409, "Pembayaran ini tidak lagi menunggu OTP."),
    E("payment_not_captured", 409, "Hanya pembayaran yang berhasil yang dapat dikembalikan."),
    E("already_refunded", 409, "Pembayaran ini sudah dikembalikan."),
    E("redeem_code_used", 409, "Kode redeem sudah digunakan; pembayaran tidak dapat dikembalikan."),
    E(
        "idempotency_key_reused",
        409,
        "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.",
    ),
    E("idempotency_key_in_use", 409, "Permintaan dengan Idempotency-Key ini sedang diproses."),
    E("otp_expired", 410, "Kode OTP sudah kedaluwarsa. Minta kode baru."),
    E("payment_expired", 410, "Waktu pembayaran habis. Silakan ulangi pembelian."),
    E("otp_invalid", 422, "Kode OTP salah."),
    E("too_many_attempts", 429, "Terlalu banyak percobaan OTP yang salah. Pembayaran dibatalkan."),
    E("resend_too_soon", 429, "Tunggu sebentar sebelum meminta OTP baru."),
    E("too_many_resends", 429, "Batas pengiriman ulang OTP sudah tercapai."),
    E("processing_error", 503, "Layanan pembayaran Prakerja sedang gangguan. Coba lagi nanti."),
)


class GatewayError(AppError):
    """A refusal from the catalogue above."""

    def __init__(self, code: str, message: str | None = None, **details: Any):
        super().__init__(GATEWAY_ERRORS[code], message, **details)


# The institution (LP) API answers with the public API's own codes and Indonesian messages where
# they are known (ERRTRX...); the rest are ours. Sending one of the ERRTRX codes, or USED, as the
# ``redeem_code`` in the sandbox forces that failure (see SANDBOX_TRIGGERS).
INSTITUTION_ERRORS = ErrorCatalogue(
    INVALID_JSON,
    INVALID_REQUEST,
    E("missing_auth_headers", 401, "Header client_code, signature, dan timestamp wajib dikirim."),
    E("unknown_client", 401, "client_code tidak dikenal."),
    E("invalid_signature", 401, "Signature tidak valid."),
    E("stale_timestamp", 401, "Timestamp kedaluwarsa atau tidak valid (toleransi 300 detik)."),
    E("wrong_partner_kind", 401, "Kredensial ini bukan milik lembaga pelatihan."),
    E("ERRTRX40020", 404, "Transaksi tidak ditemukan"),
    E("ERRTRX40028", 403, "Gagal verifikasi, kode redeem bukan milik lembaga pelatihan."),
    E("ERRTRX40001", 409, "Gagal verifikasi, tipe pelatihan tidak sesuai."),
    E(
        "ERRTRX40027",
        409,
        "Jadwal pelatihan belum dimulai atau sudah selesai, silahkan cek jadwal pelatihan pada "
        "dashboard Prakerja",
    ),
    E("ERRTRX40022", 409, "Gagal verifikasi, kode sudah dibatalkan"),
    E("ERRTRX40101", 409, "Gagal verifikasi, transaksi sudah dibatalkan"),
    E("redeem_code_used", 409, "Redeem Code sudah digunakan"),
    E("attendance_required", 409, "Peserta belum melakukan Scan Wajah untuk sesi ini."),
    E("redeem_code_not_committed", 409, "Kode redeem belum digunakan (commit) oleh lembaga."),
    E("task_already_submitted", 409, "Tugas sesi ini sudah dikirim dan sedang atau sudah dinilai."),
    E(
        "training_not_finished",
        409,
        "Pelatihan belum selesai: tugas akhir (sequence 999) belum dinilai berhasil.",
    ),
    E("training_already_completed", 409, "Penyelesaian pelatihan ini sudah dilaporkan."),
)

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

    def __init__(self, code: str, message: str | None = None, **details: Any):
        super().__init__(INSTITUTION_ERRORS[code], message, **details)
