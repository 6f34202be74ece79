"""Pure rules: card numbers, deadlines, purchase refusals, OTP formats, money, signatures."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from marketplace.clock import WIB, end_of_day_wib
from marketplace.money import format_rupiah
from prakerja_gateway import domain, signing


def test_signature_matches_the_public_test_vector():
    signature = signing.sign(
        "my_sign_key",
        "myclient_code",
        "1516239022",
        "POST",
        "/api/v1/integration/payment/redeem-code/commit",
        '{"redeem_code":"code"}',
    )
    assert signature == "943c20a8e36b6243f576404b00fffdc86411ce1f"


def test_compact_body_keeps_key_order_and_drops_spaces():
    assert signing.compact_json({"b": 1, "a": [1, 2]}) == '{"b":1,"a":[1,2]}'


def test_candidate_bodies_cover_both_ascii_modes_for_non_ascii_text():
    bodies = signing.candidate_bodies({"reason": "batal—ganti"})
    assert bodies == ['{"reason":"batal\\u2014ganti"}', '{"reason":"batal—ganti"}']


def test_card_numbers_are_sixteen_digits_with_a_luhn_check_digit():
    number = domain.make_card_number(48, 9_000_000_001)
    assert len(number) == 16 and number.startswith("52048")
    assert domain.is_valid_card_number(number)
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not domain.is_valid_card_number(broken)


@pytest.mark.parametrize(
    "value", ["", "123", "52048900000000１5", "5204890000000015 ", "abcdefghijklmnop"]
)
def test_malformed_card_numbers_are_rejected(value):
    assert not domain.is_valid_card_number(value)


def test_masking_hides_the_middle():
    assert domain.mask_card_number("5204890000000015") == "5204 **** **** 0015"
    assert domain.mask_phone("081200000001") == "0812*****001"


def test_deadline_day_ends_at_midnight_wib():
    deadline = date(2021, 11, 30)
    last_minute = datetime(2021, 11, 30, 23, 59, 59, tzinfo=WIB)
    next_day = datetime(2021, 12, 1, 0, 0, tzinfo=WIB)
    assert not domain.deadline_passed(deadline, last_minute.astimezone(UTC))
    assert domain.deadline_passed(deadline, next_day.astimezone(UTC))
    assert end_of_day_wib(deadline) == datetime(2021, 11, 30, 17, 0, tzinfo=UTC)


def _facts(**changes):
    base = dict(
        status="active",
        balance=3_500_000,
        scheme=domain.SCHEMES["normal"],
        first_purchase_deadline=date(2030, 1, 1),
        has_purchased=False,
        has_open_training=False,
        has_payout_account=True,
        blacklisted=False,
    )
    return domain.CardFacts(**{**base, **changes})


NOW = datetime(2026, 11, 21, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "amount", "expected"),
    [
        ({}, 1_000_000, []),
        ({"balance": 999_999}, 1_000_000, ["insufficient_saldo"]),
        ({"status": "revoked"}, 1, ["card_revoked"]),
        ({"status": "expired"}, 1, ["card_inactive"]),
        ({"blacklisted": True}, 1, ["participant_blacklisted"]),
        ({"first_purchase_deadline": date(2026, 11, 20)}, 1, ["deadline_passed"]),
        ({"first_purchase_deadline": date(2026, 11, 20), "has_purchased": True}, 1, []),
        ({"has_open_training": True}, 1, ["previous_training_unfinished"]),
        ({"has_payout_account": False}, 1, ["payout_account_not_linked"]),
        (
            {"has_payout_account": False, "scheme": domain.SCHEMES["semi_bansos"]},
            1,
            [],
        ),
    ],
)
def test_purchase_refusals(changes, amount, expected):
    assert domain.purchase_refusals(_facts(**changes), amount, NOW) == expected


def test_otp_formats_and_fixed_codes():
    digits = domain.OtpFormat()
    letters = domain.OtpFormat(5, "letters")
    assert digits.fixed_code == "112233"
    assert letters.fixed_code == "AABBC"
    assert re.fullmatch(r"\d{6}", digits.generate())
    assert re.fullmatch(r"[A-Z]{5}", letters.generate())
    assert letters.normalise(" aabbc ") == "AABBC"


def test_otp_hash_is_bound_to_its_payment():
    stored = domain.hash_otp("secret", "pay_1", "112233")
    assert domain.otp_matches("secret", "pay_1", "112233", stored)
    assert not domain.otp_matches("secret", "pay_2", "112233", stored)
    assert not domain.otp_matches("secret", "pay_1", "112234", stored)
    assert "112233" not in stored


def test_redeem_codes_follow_the_public_format():
    assert re.fullmatch(r"PRAT-[A-Z]{6}", domain.new_redeem_code("self_paced"))
    assert re.fullmatch(r"PRAW-[A-Z]{6}", domain.new_redeem_code("webinar"))


def test_schemes_follow_the_programme_rules():
    assert domain.scheme_for_wave(47).name == "semi_bansos"
    assert domain.scheme_for_wave(48).name == "normal"
    normal = domain.SCHEMES["normal"]
    assert normal.saldo_idr == 3_500_000 and normal.deadline_days == 15
    assert domain.SCHEMES["semi_bansos"].saldo_idr == 1_000_000


def test_rupiah_formatting():
    assert format_rupiah(1_500_000) == "Rp1.500.000"
    assert format_rupiah(0) == "Rp0"
    with pytest.raises(TypeError):
        format_rupiah(1.5)
    with pytest.raises(TypeError):
        format_rupiah(True)


def test_first_purchase_deadline_counts_from_acceptance():
    accepted = date(2026, 11, 21)
    assert domain.first_purchase_deadline(
        accepted, domain.SCHEMES["normal"]
    ) == accepted + timedelta(15)
