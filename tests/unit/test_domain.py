"""Pure rules: card numbers, deadlines, purchase refusals, who may buy a course, OTP formats,
transaction codes, money, signatures, the wire codes and the public API's timestamps."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import prakerja_gateway
from marketplace.catalog.models import EDUCATION_LEVELS
from marketplace.clock import WIB, end_of_day_wib, rfc3339
from marketplace.money import format_rupiah
from prakerja_gateway import domain, signing
from prakerja_gateway.errors import GATEWAY_ERRORS


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
    assert bodies == [b'{"reason":"batal\\u2014ganti"}', '{"reason":"batal—ganti"}'.encode()]


def test_candidate_bodies_start_with_the_exact_bytes_sent():
    php = b'{"invoice_url":"https:\\/\\/toko.example\\/i"}'
    bodies = signing.candidate_bodies({"invoice_url": "https://toko.example/i"}, php)
    assert bodies == [php, b'{"invoice_url":"https://toko.example/i"}']
    compact = b'{"a":1}'
    assert signing.candidate_bodies({"a": 1}, compact) == [compact]  # no duplicate


@pytest.mark.parametrize("slot", ["", "Payment tok", "tok"])
def test_a_signature_matches_any_candidate_body_and_authorization_slot(slot):
    path = "/api/v1/integration/payment/authorize"
    raw = b'{"otp": "123456"}'
    bodies = signing.candidate_bodies({"otp": "123456"}, raw)
    for signed in bodies:
        given = signing.sign_bytes("key", f"cc1700000000POST{path}{slot}", signed)
        assert signing.signature_matches(
            "key", "cc", "1700000000", "POST", path, bodies, given.upper(),
            slots=("", "Payment tok", "tok"),
        )  # fmt: skip
        assert not signing.signature_matches(
            "key", "cc", "1700000001", "POST", path, bodies, given, slots=("", "Payment tok", "tok")
        )
    assert not signing.signature_matches("key", "cc", "1", "POST", path, bodies, "\u00e9" * 40)


def test_card_numbers_are_any_sixteen_ascii_digits():
    number = domain.make_card_number(48, 9_000_000_001)
    assert len(number) == 16 and number.startswith("52048")
    assert domain.is_valid_card_number(number)
    other_check_digit = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert domain.is_valid_card_number(other_check_digit)  # no Luhn rule is public
    assert domain.is_valid_card_number("1234567890123456")  # a public suite's test ID


@pytest.mark.parametrize(
    "value",
    ["", "123", "123456789012345", "12345678901234567", "52048900000000\uff115",
     "5204890000000015 ", " 5204890000000015", "abcdefghijklmnop", "5204-8900-0000-00",
     "520489000000001\u0665"],
)  # fmt: skip
def test_malformed_card_numbers_are_rejected(value):
    assert not domain.is_valid_card_number(value)


def test_masking_hides_the_middle():
    assert domain.mask_card_number("5204890000000015") == "5204 **** **** 0015"
    assert domain.mask_phone("081200000001") == "0812*****001"


def test_instants_are_written_as_the_public_api_does():
    instant = datetime(2023, 10, 24, 17, 54, 45, 123456, tzinfo=WIB)
    assert rfc3339(instant) == "2023-10-24T10:54:45Z"  # UTC, whole seconds, Z
    assert rfc3339(None) is None


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
    assert digits.fixed_code == "123456"  # 112233 is a wrong OTP at Prakerja's sandbox
    assert letters.fixed_code == "ABCDE"  # Bukalapak's five-letter code
    assert re.fullmatch(r"\d{6}", digits.generate())
    assert re.fullmatch(r"[A-Z]{5}", letters.generate())
    assert letters.normalise(" abcde ") == "ABCDE"


def test_otp_hash_is_bound_to_its_payment():
    stored = domain.hash_otp("secret", "QHBST9GB5OSS888I", "123456")
    assert domain.otp_matches("secret", "QHBST9GB5OSS888I", "123456", stored)
    assert not domain.otp_matches("secret", "QHBST9GB5OSS888J", "123456", stored)
    assert not domain.otp_matches("secret", "QHBST9GB5OSS888I", "123457", stored)
    assert not domain.otp_matches("other", "QHBST9GB5OSS888I", "123456", stored)
    assert "123456" not in stored


def test_transaction_codes_look_like_the_public_example():
    codes = {domain.new_transaction_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[A-Z0-9]{16}", code) for code in codes)  # QHBST9GB5OSS888I


def test_payment_tokens_are_unguessable_and_fit_an_authorization_header():
    tokens = {domain.new_payment_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43,64}", token) for token in tokens)


def test_only_a_captured_payment_reads_SUCCESS_on_the_wire():
    assert set(domain.WIRE_STATUSES) == set(domain.PAYMENT_STATUSES)
    assert [k for k, v in domain.WIRE_STATUSES.items() if v == "SUCCESS"] == ["captured"]
    assert all(status.isupper() for status in domain.WIRE_STATUSES.values())


# --- who may buy a course: age and education -------------------------------------------------
@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2000, 6, 15), date(2026, 6, 14), 25),
        (date(2000, 6, 15), date(2026, 6, 15), 26),  # the birthday itself counts
        (date(2000, 12, 31), date(2026, 1, 1), 25),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # a leap-day birthday comes on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
    ],
)
def test_age_on_a_day(born, day, age):
    assert domain.age_on(born, day) == age


TODAY = date(2026, 11, 27)


def _refusal(**changes):
    facts = dict(birth_date=date(1995, 1, 1), education="SMA", min_age=None, max_age=None,
                 min_education=None, today=TODAY, levels=EDUCATION_LEVELS)  # fmt: skip
    return domain.requirement_refusal(**{**facts, **changes})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, None),  # a course without requirements admits everyone
        ({"birth_date": None, "education": None}, None),
        ({"min_age": 18, "birth_date": date(2008, 11, 27)}, None),  # 18 today
        ({"min_age": 18, "birth_date": date(2008, 11, 28)}, "age_not_eligible"),  # 17
        ({"max_age": 35, "birth_date": date(1991, 11, 28)}, None),  # 35, 36 tomorrow
        ({"max_age": 35, "birth_date": date(1990, 11, 27)}, "age_not_eligible"),  # 36 today
        ({"min_age": 18, "max_age": 35, "birth_date": None}, "age_not_eligible"),
        ({"max_age": 35, "birth_date": None}, "age_not_eligible"),
        ({"min_education": "SMA", "education": "SMA"}, None),
        ({"min_education": "SMA", "education": "S3"}, None),
        ({"min_education": "SMA", "education": "SMP"}, "education_not_eligible"),
        ({"min_education": "D3", "education": "D2"}, "education_not_eligible"),
        ({"min_education": "SD", "education": None}, "education_not_eligible"),
        ({"min_education": "SD", "education": "PAUD"}, "education_not_eligible"),
        # the age is reported before the education
        ({"max_age": 20, "min_education": "S1", "education": "SD"}, "age_not_eligible"),
    ],
)
def test_requirement_refusal(changes, expected):
    assert _refusal(**changes) == expected


# --- the wire codes platforms map ----------------------------------------------------------
def test_every_business_refusal_is_http_400_with_an_ERR_code():
    codes = [kind.code for kind in GATEWAY_ERRORS]
    assert len(codes) == len(set(codes)), "two refusals share a wire code"
    for kind in GATEWAY_ERRORS:
        assert re.fullmatch(r"ERR[A-Z]+\d{5}", kind.code), kind
        assert kind.message and kind.message == kind.message.strip(), kind
        if kind.code.startswith("ERRAUTH401"):
            assert kind.status == 401, kind
        elif kind.name == "processing_error":
            assert kind.status == 503, kind
        elif kind.name == "idempotency_key_in_use":
            assert kind.status == 409, kind
        else:
            assert kind.status == 400, kind


def test_every_refusal_the_gateway_raises_is_in_its_catalogue():
    """A name missing from the catalogue is a KeyError, so a 500 instead of the refusal."""
    raised = set()
    for source in Path(prakerja_gateway.__file__).parent.rglob("*.py"):
        raised |= set(re.findall(r'GatewayError\(\s*"(\w+)"', source.read_text()))
    known = {kind.name for kind in GATEWAY_ERRORS}
    assert len(raised) > 20
    assert sorted(raised - known) == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # the real API's own, from its public pages
        ("quota_fields_missing", "ERRPLT40036"),
        ("already_voided", "ERRPLT40028"),
        ("void_unknown_transaction", "ERRVOD40001"),
        # the simulator's, published in its OpenAPI document: platforms map them
        ("missing_auth_headers", "ERRAUTH40101"),
        ("unknown_client", "ERRAUTH40102"),
        ("invalid_signature", "ERRAUTH40103"),
        ("stale_timestamp", "ERRAUTH40104"),
        ("wrong_partner_kind", "ERRAUTH40105"),
        ("invalid_payment_token", "ERRAUTH40106"),
        ("invalid_json", "ERRGEN40001"),
        ("invalid_request", "ERRGEN40002"),
        ("schedule_not_found", "ERRPLT40006"),
        ("schedule_course_mismatch", "ERRPLT40007"),
        ("schedule_started", "ERRPLT40008"),
        ("quota_full", "ERRPLT40009"),
        ("age_not_eligible", "ERRPLT40010"),
        ("education_not_eligible", "ERRPLT40011"),
        ("insufficient_saldo", "ERRPLT40012"),
        ("invoice_code_used", "ERRPLT40021"),
        ("otp_invalid", "ERRPLT40026"),
        ("too_many_attempts", "ERRPLT40027"),
        ("resend_too_soon", "ERRPLT40029"),
        ("too_many_resends", "ERRPLT40030"),
        ("redeem_code_used", "ERRVOD40002"),
        ("processing_error", "ERRPLT50301"),
    ],
)
def test_published_wire_codes_never_change(name, code):
    assert GATEWAY_ERRORS[name].code == code


def test_redeem_codes_follow_the_public_format():
    """``PRAT-`` for every training type (the public test cases say so), six letters or digits
    (``PRAT-UJ0EEQ``)."""
    for course_type in ("self_paced", "webinar", "offline"):
        assert re.fullmatch(r"PRAT-[A-Z0-9]{6}", domain.new_redeem_code(course_type))
    assert len({domain.new_redeem_code() for _ in range(200)}) == 200


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
