"""The gateway refusals a storefront acts on, named once, and what the storefront does with each.

Storefronts may not import the gateway's internals, so the few codes that change what a
storefront does are copied here from the gateway's published catalogue (``ERRPLT…``, the names
being the catalogue's; a test checks the two agree). Every other refusal needs no special
handling: its message (Indonesian already) is shown on the field of the step where it happened.
"""

from __future__ import annotations

from dataclasses import dataclass

CODES = {
    # the chosen schedule can no longer be bought (send-otp checks 1–4 of the real API)
    "schedule_not_found": "ERRPLT40006",
    "schedule_course_mismatch": "ERRPLT40007",
    "schedule_started": "ERRPLT40008",
    "quota_full": "ERRPLT40009",
    # the participant does not meet the training's requirements (send-otp check 5)
    "age_not_eligible": "ERRPLT40010",
    "education_not_eligible": "ERRPLT40011",
    # authorize found the purchase already paid, or the invoice already taken
    "invoice_code_used": "ERRPLT40021",
    "payment_already_captured": "ERRPLT40022",
    # the Prakerja payment is over: only a new send-otp (a new payment token) can go on
    "invalid_payment_token": "ERRAUTH40106",
    "payment_not_pending": "ERRPLT40023",
    "payment_expired": "ERRPLT40025",
    "too_many_attempts": "ERRPLT40027",
    # an identical authorize is still running (Idempotency-Key in use)
    "idempotency_key_in_use": "ERRPLT40901",
    # the OTP of a waiting payment: too old, or asked again too soon or too often
    "otp_expired": "ERRPLT40024",
    "resend_too_soon": "ERRPLT40029",
    "too_many_resends": "ERRPLT40030",
}

# What a refusal sends the buyer back to.
ON_FIELD = "field"  # fix the field of this step (card number, OTP) and submit again
CHOOSE_SCHEDULE = "schedule"  # choose another schedule (a new order)
START_AGAIN = "restart"  # enter the card number again: a new Prakerja payment
IN_PROGRESS = "in_progress"  # wait: the same payment is being processed
WAIT = "wait"  # nothing to fix: wait the time Prakerja says (a notice, not a field error)


@dataclass(frozen=True)
class Reaction:
    kind: str = ON_FIELD
    hint: str = ""  # what the buyer can do, said after the gateway's own message


REACTIONS = {
    "schedule_not_found": Reaction(CHOOSE_SCHEDULE),
    "schedule_course_mismatch": Reaction(CHOOSE_SCHEDULE),
    "schedule_started": Reaction(CHOOSE_SCHEDULE),
    "quota_full": Reaction(CHOOSE_SCHEDULE, "Pilih jadwal lain."),
    "age_not_eligible": Reaction(
        hint="Syarat peserta tertulis di halaman pelatihan. Pilih pelatihan lain yang sesuai."
    ),
    "education_not_eligible": Reaction(
        hint="Syarat peserta tertulis di halaman pelatihan. Pilih pelatihan lain yang sesuai."
    ),
    "invalid_payment_token": Reaction(START_AGAIN),
    "payment_not_pending": Reaction(START_AGAIN),
    "payment_expired": Reaction(START_AGAIN),
    "too_many_attempts": Reaction(START_AGAIN),
    "idempotency_key_in_use": Reaction(
        IN_PROGRESS, "Pembayaran Anda sedang diproses; muat ulang halaman ini sebentar lagi."
    ),
    "otp_expired": Reaction(hint="Tekan \u201cKirim ulang kode\u201d di bawah."),
    "resend_too_soon": Reaction(WAIT),
    "too_many_resends": Reaction(
        WAIT,
        "Tunggu sampai pembayaran ini berakhir, lalu masukkan nomor Kartu Prakerja lagi, "
        "atau bayar dengan kartu lain.",
    ),
}
NAMES = {code: name for name, code in CODES.items()}

# Authorize answers that mean "look the purchase up by its invoice": it may be paid already.
SETTLED = frozenset({CODES["payment_already_captured"], CODES["invoice_code_used"]})
INVOICE_TAKEN = CODES["invoice_code_used"]

# Ours, not the gateway's: the gateway did not answer (network down, timeout, not JSON).
UNREACHABLE = "SF-GATEWAY-UNREACHABLE"
UNREACHABLE_MESSAGE = "Layanan Prakerja sedang tidak dapat dihubungi. Silakan coba lagi."


def reaction(code: str | None) -> Reaction:
    return REACTIONS.get(NAMES.get(code or ""), Reaction())
